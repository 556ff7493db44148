"""A throwaway PostgreSQL database for a test module, from MAISON_TEST_DATABASE_URL (an admin URL:
postgresql://user@host:port/postgres of a server with PostGIS)."""
import os
import uuid
from contextlib import contextmanager

import pytest

ADMIN_URL = os.environ.get("MAISON_TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(not ADMIN_URL, reason="set MAISON_TEST_DATABASE_URL to an admin URL of a "
                                                          "PostgreSQL with PostGIS to run these tests")


@contextmanager
def scratch_database(prefix="maison_test"):
    """Yields the URL of a new database (PostGIS enabled), dropped afterwards."""
    import psycopg

    from maison_geo.db import PostgresDatabase
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _as_url(ADMIN_URL, name)
    finally:
        PostgresDatabase.close_all()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_url(admin_url, name):
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
