"""Leaflet and jQuery served from their XStatic packages, with long cache lifetimes."""
from flask import Blueprint, abort, send_from_directory

from ..assets import VENDOR

bp = Blueprint("vendor", __name__, url_prefix="/static/vendor")


@bp.get("/<package>/<path:filename>")
def asset(package, filename):
    if package not in VENDOR:
        abort(404)
    return send_from_directory(VENDOR[package], filename, max_age=365 * 24 * 3600)
