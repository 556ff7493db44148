"""GET /healthz: can this process read the store and the user data? 200 {"status": "ok"}, else 503.

For a load balancer or a process supervisor; open even when reading needs a login (web.auth)."""
from flask import Blueprint, current_app, jsonify
from flask_babel import gettext

bp = Blueprint("health", __name__)


def _check(read):
    try:
        read()
    except Exception as exc:  # noqa: BLE001 -- any failure to read is the answer, not a 500
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def _read_store(store):
    if not store.exists() or not store.meta():
        raise OSError(gettext("The data store %(path)s is missing or cannot be read: run `make data`.",
                              path=store.location))


@bp.get("/healthz")
def healthz():
    store = current_app.extensions["maison"]["store"]
    failures = {name: problem for name, problem in (
        ("store", _check(lambda: _read_store(store))),
        ("userdata", _check(store.userdata.data_version))) if problem}
    body = {"status": "error" if failures else "ok",
            "checks": {name: failures.get(name, "ok") for name in ("store", "userdata")}}
    if failures:
        body["error"] = gettext("Not ready: %(parts)s cannot be read.", parts=", ".join(failures))
    response = jsonify(body)
    response.status_code = 503 if failures else 200
    response.headers["Cache-Control"] = "no-store"
    return response
