"""Safety of every response: security headers, session cookie settings, CSRF on every form, a secret key,
a clear page for uploads over the size limit.

Session cookies are HttpOnly and SameSite=Lax. They are not marked Secure by default, because the app
is usually served on plain http://127.0.0.1; behind HTTPS set SESSION_COOKIE_SECURE=True (or the
environment variable MAISON_SECURE_COOKIES=1).
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import json

from flask import Flask, current_app, g, jsonify, render_template, request
from flask import Request as FlaskRequest
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import BadRequest

csrf = CSRFProtect()
SECRET_FILE = "secret_key"
# Nothing of the app needs the browser's devices or sensors: a script injected anyhow gets none of them.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb"))


def init(app):
    # Flask defines these with its own defaults; ours apply where the configuration kept Flask's.
    defaults = Flask.default_config
    for key, value in (("SESSION_COOKIE_HTTPONLY", True), ("SESSION_COOKIE_SAMESITE", "Lax"),
                       ("SESSION_COOKIE_SECURE", os.environ.get("MAISON_SECURE_COOKIES") == "1"),
                       ("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))):
        if app.config.get(key) == defaults.get(key):
            app.config[key] = value
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)  # a form left open for a working day
    app.config.setdefault("LOGIN_REQUIRED_TO_READ", os.environ.get("MAISON_LOGIN_REQUIRED") == "1")
    app.config.setdefault("LOGIN_RATE_LIMIT", 5)          # failed logins per name and address ...
    app.config.setdefault("LOGIN_RATE_WINDOW", 15 * 60)   # ... in this many seconds
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("MAISON_SECRET_KEY") or secret_key(app)
    # CSRF is checked by check_csrf() once the user is known (web.auth): a request authenticated by
    # an API token carries no cookie a foreign page could ride on, so it needs no CSRF token.
    app.config["MAISON_CSRF_CHECK"] = app.config.get("WTF_CSRF_CHECK_DEFAULT", True)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app.config))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if g.get("login_needed") or (app.config.get("LOGIN_REQUIRED_TO_READ") and g.get("user") is not None):
            response.headers["Cache-Control"] = "no-store"  # what one account sees stays out of shared caches
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return respond(400, gettext("The form has expired or did not come from this site (%(reason)s): "
                                    "reload the page and try again.", reason=exc.description))

    @app.errorhandler(413)
    def too_large(exc):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return respond(413, gettext("The file is larger than the limit of %(mb)s MB: split it into smaller "
                                    "files, or remove unused sheets and pictures.",
                                    mb=f"{limit / (1024 * 1024):g}"))


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


class StrictJSONProvider(DefaultJSONProvider):
    """JSON in: NaN and Infinity (which Python's json reads, and JSON does not have) are refused."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _no_constant)
        return json.loads(s, **kwargs)


class Request(FlaskRequest):
    """A JSON body that cannot be read is a 400 saying why: not JSON, NaN/Infinity, nested too deep."""

    def get_json(self, force=False, silent=False, cache=True):
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            raise BadRequest(gettext("The JSON body is nested too deeply.")) from None

    def on_json_loading_failed(self, e):
        if e is None:
            return super().on_json_loading_failed(e)
        raise BadRequest(gettext("The body is not valid JSON (%(reason)s).", reason=str(e)[:200])) from e


def safe_path(target):
    """Only a path on this site: never another host (an open redirect), never a control character
    (a header split); else None."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def check_csrf(authenticated_by):
    """CSRF on every unsafe request except those authenticated by an API token and exempt views."""
    config = current_app.config
    if config.get("WTF_CSRF_ENABLED", True) and config.get("MAISON_CSRF_CHECK", True) \
            and authenticated_by != "token":
        csrf.protect(apply_exemptions=True)


def secret_key(app):
    """The instance's secret key, generated once into the instance folder (readable by the owner only).
    Under TESTING with no key configured, a fresh one per app, written nowhere."""
    if app.config.get("TESTING"):
        return secrets.token_hex(32)
    path = Path(app.instance_path) / SECRET_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key; delete it to make a new one")
    return key


def content_security_policy(config):
    """Only this site: plus 'unsafe-inline' for the map script and styles that folium writes inline,
    data: images (Leaflet), and the tile server when one is configured."""
    images = ["'self'", "data:"]
    tile = config.get("TILE_URL")
    if tile:
        parts = urlsplit(tile.replace("{s}", "a"))  # Leaflet's {s}: a., b., c. subdomains
        if parts.scheme in ("http", "https") and parts.netloc:
            host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile else parts.netloc
            images.append(f"{parts.scheme}://{host}")
    return "; ".join([
        "default-src 'self'", "script-src 'self' 'unsafe-inline'", "style-src 'self' 'unsafe-inline'",
        f"img-src {' '.join(images)}", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"])


def wants_json():
    from .renderers import json_errors  # the registry's gate (web.limits) imports this module
    return request.path.startswith("/api/") or json_errors(request.args.get("format"))


def respond(status, message, **extra):
    body = {"error": message, "status": status, **extra}
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, error=body, line=message), status
