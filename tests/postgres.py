"""The suite against PostgreSQL: with MAISON_TEST_DATABASE_URL (an admin URL of a server with PostGIS,
as .ci/run and `make test-postgres` start), every app and every repository test gets a database of its
own, cloned from a template that holds the session's built store."""
import itertools
import os
import uuid
from contextlib import contextmanager

import pytest

ADMIN_URL = os.environ.get("MAISON_TEST_DATABASE_URL")
_names = itertools.count()


def enabled():
    return bool(ADMIN_URL)


needs_postgres = pytest.mark.skipif(not ADMIN_URL, reason="set MAISON_TEST_DATABASE_URL to an admin URL of a "
                                                          "PostgreSQL with PostGIS (make test-postgres)")


def url_of(name):
    from urllib.parse import urlsplit, urlunsplit
    return urlunsplit(urlsplit(ADMIN_URL)._replace(path="/" + name))


def fresh_database(template=None, postgis=True):
    """The URL of a new, empty database (or a copy of template's)."""
    import psycopg
    name = f"maison_t{os.getpid()}_{next(_names)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = url_of(name)
    if postgis and not template:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


def name_of(url):
    from urllib.parse import urlsplit
    return urlsplit(url).path.lstrip("/")


TEMPLATE = None  # the database every app's is copied from (conftest's store fixture sets it)
_open = []


def app_database():
    """A copy of the template for one app; only the last few apps keep their connections open (an
    older one opens them again when used), so a long session stays under the server's limit."""
    from maison_geo.db import PostgresDatabase
    url = fresh_database(template=TEMPLATE)
    _open.append(url)
    while len(_open) > 12:
        PostgresDatabase(_open.pop(0)).close()
    return url


@contextmanager
def scratch_database(prefix="maison_test"):
    """Yields the URL of a new database (PostGIS enabled), dropped afterwards."""
    import psycopg

    from maison_geo.db import PostgresDatabase
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = url_of(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield url
    finally:
        PostgresDatabase(url).close()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
