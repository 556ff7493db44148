"""Every error becomes a clear response: JSON under /api, a page elsewhere. Never a bare 500."""
from flask import jsonify, render_template, request
from flask_babel import gettext
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
        body, status = _respond(exc.code, {"error": _described(exc), "status": exc.code})
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, {"error": "internal error; the problem has been logged"})


def _described(exc):
    """Werkzeug's English description, in the page's language for the errors people meet."""
    said = {404: gettext("There is no page at this address. Check the address, or start from the map."),
            405: gettext("This address does not accept this kind of request.")}
    return said.get(exc.code, exc.description)


def _respond(status, body):
    if (request.path == "/ogc" or request.path.startswith("/ogc/")) and request.args.get("f") != "html":
        from .ogc import exception
        return exception(status, body)
    if _wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, error=body), status
