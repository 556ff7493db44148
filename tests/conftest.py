import shutil

import postgres
import pytest

from maison_geo import create_app, paths
from maison_geo.build import build
from maison_geo.indicators import Catalogue
from maison_geo.store import open_store


@pytest.fixture(scope="session")
def mirror():
    found = paths.mirror_dir()
    if found is None or not (found / "gadm41_VNM_3.json.zip").is_file():
        pytest.fail("no upstream mirror: set MAISON_DATA_MIRROR or put ../shared beside the repo")
    return found


@pytest.fixture(scope="session")
def store(tmp_path_factory, mirror):
    """A store built by the real data step from the real upstream files, once per session (in a
    PostgreSQL database when the suite runs against one, copied then as the template of every app's)."""
    if not postgres.enabled():
        built = open_store(tmp_path_factory.mktemp("store") / "maison.gpkg")
        build(built, "mai_son", mirror=mirror, force=True, log=lambda *_: None)
        return built
    from maison_geo.db import PostgresDatabase
    url = postgres.fresh_database()
    build(open_store(url), "mai_son", mirror=mirror, force=True, log=lambda *_: None)
    PostgresDatabase(url).close()
    postgres.TEMPLATE = postgres.name_of(postgres.fresh_database(template=postgres.name_of(url)))
    return open_store(url)


@pytest.fixture(scope="session")
def gpkg_store(request, tmp_path_factory, mirror):
    """The session's store as a GeoPackage file, for tests of the file itself (in the PostgreSQL pass,
    one more build)."""
    if not postgres.enabled():
        return request.getfixturevalue("store")
    built = open_store(tmp_path_factory.mktemp("gpkg") / "maison.gpkg")
    build(built, "mai_son", mirror=mirror, force=True, log=lambda *_: None)
    return built


@pytest.fixture(scope="session", autouse=True)
def apps_on_postgres(request):
    """Against PostgreSQL, every app made on the session's store gets a database of its own, copied
    from the template (its user data and scenarios as fresh as a new SQLite file's)."""
    if not postgres.enabled():
        yield
        return
    import maison_geo.web
    location = request.getfixturevalue("store").location
    make = maison_geo.web.create_app

    def create_app(config=None):
        config = dict(config or {})
        if not config.get("DATABASE_URL") and str(config.get("STORE_PATH")) == location:
            config["DATABASE_URL"] = postgres.app_database()
        return make(config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(maison_geo.web, "create_app", create_app)
        yield


@pytest.fixture()
def database_location(tmp_path):
    """Where a repository test keeps its data: a fresh PostgreSQL database, or a SQLite file."""
    return postgres.fresh_database(template=postgres.TEMPLATE) if postgres.enabled() else tmp_path / "u.sqlite"


@pytest.fixture(scope="session")
def catalogue():
    return Catalogue.load()


@pytest.fixture(scope="session", autouse=True)
def private_environment(tmp_path_factory):
    """Nothing of the developer's environment reaches the tests: an app made without USERDATA_PATH
    uses a fresh user-data file, never $MAISON_USERDATA or instance/userdata.sqlite."""
    with pytest.MonkeyPatch.context() as env:
        for name in ("MAISON_STORE", "MAISON_DATABASE_URL", "MAISON_SECRET_KEY", "MAISON_LOGIN_REQUIRED", "MAISON_SECURE_COOKIES",
                     "MAISON_TILE_URL", "MAISON_TILE_ATTRIBUTION", "MAISON_SCOPE"):
            env.delenv(name, raising=False)
        env.setenv("MAISON_USERDATA", str(tmp_path_factory.mktemp("env") / "userdata.sqlite"))
        yield


@pytest.fixture(scope="session")
def app(store, tmp_path_factory):
    """The app on the session's store, with its own user data and planning file (none in instance/)."""
    folder = tmp_path_factory.mktemp("app")
    return create_app({"TESTING": True, "STORE_PATH": str(store.location), "SECRET_KEY": "tests-" + "0" * 32,
                       "USERDATA_PATH": str(folder / "userdata.sqlite"),
                       "PLANNING_DB": str(folder / "planning.sqlite")})


@pytest.fixture()
def client(app):
    """A client of the session's app, its response cache emptied: a test that patches code or
    configuration sees its own rendering, not one kept by an earlier test (web.caching)."""
    app.extensions["maison"]["responses"].clear()
    return app.test_client()


@pytest.fixture()
def geodata_copy(tmp_path):
    """A writable copy of geodata/, for tests that change authored data."""
    target = tmp_path / "geodata"
    shutil.copytree(paths.GEODATA, target)
    return target


@pytest.fixture(scope="session")
def live_url(app):
    """The app served by werkzeug on a free 127.0.0.1 port in a background thread, for real clients
    (GDAL, OWSLib, schemathesis over HTTP); shut down when the session ends."""
    import threading

    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


# ---- the real server and Chromium, for the browser tests (one of each per test module) ----------

@pytest.fixture(scope="module")
def server(store):
    import os

    from browser import CHROMIUM, Server
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test-deps does)")
    running = Server(store.location)
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def browser(server):
    from browser import CHROMIUM, CHROMIUM_ARGS
    play_api = pytest.importorskip("playwright.sync_api")
    with play_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
