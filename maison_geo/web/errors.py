"""Every error becomes a clear response: JSON under /api, a page elsewhere. Never a bare 500."""
from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import MaisonError


def _wants_json():
    return request.path.startswith("/api/") or request.args.get("format") in ("json", "geojson")


def register(app):
    @app.errorhandler(MaisonError)
    def maison_error(exc):
        return _respond(exc.status, exc.to_dict())

    @app.errorhandler(HTTPException)
    def http_error(exc):
        # Keep what the exception says beside its page: Allow on a 405, WWW-Authenticate on a 401...
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        body, status = _respond(exc.code, {"error": exc.description, "status": exc.code})
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, {"error": "internal error; the problem has been logged"})


def _respond(status, body):
    if _wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, error=body), status
