"""Targets editors set: PUT/DELETE /api/targets/<indicator> (a token, or a session with CSRF), GET
/api/targets; the form is on /progress (web/compare.py). Each change is a new version in the user-data file, audited."""
from flask import Blueprint, g, jsonify, request

from ..errors import InvalidChoice
from ..progress import check_target
from .auth import require, userdata
from .context import catalogue
from .security import csrf

bp = Blueprint("targets", __name__)


def _indicator(key):
    return catalogue().get(key)


@bp.get("/api/targets")
def api_targets():
    cat = catalogue()
    return jsonify({"targets": {i.key: {**vars(i.target), "set_by_editor": userdata().targets().get(i.key)}
                                for i in cat if i.target}})


@bp.get("/api/targets/<indicator>")
def api_target(indicator):
    ind = _indicator(indicator)
    return jsonify({"indicator": ind.key, "target": vars(ind.target) if ind.target else None,
                    "history": userdata().target_history(ind.key)})


def _session_proves_its_page():
    """A browser session must prove the request came from our page; a token needs no CSRF token."""
    if g.auth == "session":
        csrf.protect()


@bp.put("/api/targets/<indicator>")
@csrf.exempt  # checked after the account: 401/403 first, then CSRF for a browser session
@require("editor")
def put_target(indicator):
    _session_proves_its_page()
    ind = _indicator(indicator)
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidChoice("body", None, ["a JSON object"], "send Content-Type: application/json with "
                                                             "{\"value\", \"year\", \"source\"}")
    target = check_target(ind, data)
    version = userdata().set_target(ind.key, target, g.user.name)
    return jsonify({"indicator": ind.key, "target": target, "version": version}), 200


@bp.delete("/api/targets/<indicator>")
@csrf.exempt
@require("editor")
def delete_target(indicator):
    _session_proves_its_page()
    ind = _indicator(indicator)
    version = userdata().set_target(ind.key, None, g.user.name)
    return jsonify({"indicator": ind.key, "target": None, "version": version})
