"""The web layer: a Flask factory, one blueprint per area, errors mapped in one place."""
import os

from flask import Flask

from .. import paths
from ..db import open_database
from ..indicators import Catalogue
from ..repositories.scenarios import Scenarios
from ..store.layered import open_layered


# Limits a deployment may change through MAISON_<NAME> (README, "Deploying safely"), and their type.
NUMERIC_SETTINGS = {"HEAVY_JOBS": int, "HEAVY_JOBS_PER_CLIENT": int, "ANONYMOUS_SOLVE_SECONDS": float,
                    "READ_SECONDS": float, "READ_WAIT_SECONDS": float, "UPLOAD_RETENTION_DAYS": int,
                    "UPLOAD_QUOTA_MB": float, "LOGIN_RATE_LIMIT": int, "LOGIN_RATE_WINDOW": int,
                    "MAX_CONTENT_LENGTH": int}


def _config_from_env():
    env = {"STORE_PATH": "MAISON_STORE", "TILE_URL": "MAISON_TILE_URL",
           "TILE_ATTRIBUTION": "MAISON_TILE_ATTRIBUTION", "TARGETS_PATH": "MAISON_TARGETS",
           "PLANNING_DB": "MAISON_PLANNING_DB", "DATABASE_URL": "MAISON_DATABASE_URL"}
    config = {key: os.environ[var] for key, var in env.items() if os.environ.get(var)}
    for key, kind in NUMERIC_SETTINGS.items():
        text = os.environ.get(f"MAISON_{key}")
        if text:
            try:
                config[key] = kind(text)
            except ValueError:
                raise SystemExit(f"MAISON_{key}={text!r} is not a {kind.__name__} number") from None
    return config


def open_repositories(config, instance_path):
    """The store (under the user data) and the planner's scenarios: all in the PostgreSQL database of
    DATABASE_URL when set, else the GeoPackage STORE_PATH and the SQLite files USERDATA_PATH and
    PLANNING_DB (instance/ by default)."""
    url = config.get("DATABASE_URL")
    if url:
        return {"store": open_layered(url, url), "scenarios": Scenarios(open_database(url))}
    planning = config.get("PLANNING_DB") or os.path.join(instance_path, "planning.sqlite")
    return {"store": open_layered(config["STORE_PATH"], config.get("USERDATA_PATH")),
            "scenarios": Scenarios(open_database(planning))}


def _pin_the_data_version(app):
    """The store answers a whole request from the data version read at its start (one read, not one
    per store call: on PostgreSQL each would be a round trip)."""
    from flask import request

    from . import caching
    store = app.extensions["maison"]["store"]

    @app.before_request
    def pin():
        if request.endpoint in (None, "static", "vendor.asset", "health.healthz"):
            return
        try:
            store.pin(caching.data_version())
        except Exception:  # noqa: BLE001 -- unreadable: each read then asks, and fails where it is answered
            store.unpin()

    @app.teardown_request
    def unpin(_error):
        store.unpin()


def create_app(config=None):
    from . import converters, security
    app = Flask(__name__, template_folder=str(paths.REPO / "templates"),
                static_folder=str(paths.REPO / "maison_geo" / "static"), instance_path=str(paths.INSTANCE))
    app.config.from_mapping(STORE_PATH=str(paths.store_path()), TILE_URL=None, TILE_ATTRIBUTION="",
                            MAX_CONTENT_LENGTH=5 * 1024 * 1024)
    app.config.update(_config_from_env())
    app.config.update(config or {})
    app.request_class = security.Request
    app.json = security.StrictJSONProvider(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.url_map.converters["int"] = converters.IdConverter

    app.extensions["maison"] = {**open_repositories(app.config, app.instance_path), "catalogue": Catalogue.load()}

    from flask_compress import Compress

    from ..assets import use_local_assets
    from . import (api, auth, bundles, caching, compare, eras, errors, filters, health, imports, limits, locale, ogc,
                   openapi, pages, plans, prints, split, targets, vendor)
    use_local_assets()
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_CACHE_BACKEND", vendor.StaticGzipCache)
    app.config.setdefault("COMPRESS_CACHE_KEY", vendor.static_cache_key)
    app.extensions["compress"] = Compress(app)
    locale.init(app)
    security.init(app)
    limits.init(app)
    auth.init(app)
    caching.init(app)  # after auth: only anonymous answers are kept
    _pin_the_data_version(app)
    filters.register(app)
    bundles.init(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(ogc.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(eras.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(split.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(prints.bp)
    app.register_blueprint(targets.bp)
    errors.register(app)
    return app
