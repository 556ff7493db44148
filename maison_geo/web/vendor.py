"""Leaflet, jQuery and topojson-client served from their packages, with long cache lifetimes; static
files gzipped once per process, not on every request."""
import threading

from flask import Blueprint, abort, current_app, send_from_directory

from ..assets import VENDOR
from .caching import static_stamp

bp = Blueprint("vendor", __name__, url_prefix="/static/vendor")


@bp.get("/<package>/<path:filename>")
def asset(package, filename):
    if package not in VENDOR:
        abort(404)
    return send_from_directory(VENDOR[package], filename, max_age=365 * 24 * 3600)


def static_cache_key(request):
    """The path and the file's size and modification time (its parts' for a bundle): an edited file
    is compressed afresh."""
    return f"{request.path}@{static_stamp(current_app, request.path) or 0}"


class StaticGzipCache:
    """Flask-Compress's cache, kept for static files only: pages and API answers change with the
    data, the language and the user, so they are compressed afresh (and never stored)."""

    def __init__(self):
        self._data, self._lock = {}, threading.Lock()

    @staticmethod
    def _static(key):
        return key.split(";", 1)[-1].startswith("/static/")

    def get(self, key):
        return self._data.get(key) if self._static(key) else None

    def set(self, key, value):
        if self._static(key):
            with self._lock:
                self._data[key] = value
