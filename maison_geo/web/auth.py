"""Accounts: who is asking (flask.g.user), login and logout, roles, and the admin's account page.

g.user is None (anonymous) or a userdata.User with .name and .role ("viewer", "editor", "admin").
A request is authenticated by the session cookie of a login, or by `Authorization: Bearer <token>`
(tokens from `python -m maison_geo token add NAME`). Failed logins are counted per name and address
in the user-data file; past the limit the login page answers 429 until the window has passed.
"""
from functools import wraps

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext

from ..userdata import TOKEN_DAYS, UserDataError
from .security import check_csrf, respond, safe_path, wants_json

bp = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "auth.logout", "static", "vendor.asset", "health.healthz"}


def userdata():
    return current_app.extensions["maison"]["store"].userdata


def init(app):
    app.register_blueprint(bp)

    @app.before_request
    def load_user():
        g.user, g.auth, g.auth_error = None, None, None
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            user = userdata().user_for_token(header[7:].strip())
            if user:
                g.user, g.auth = user, "token"
            elif userdata().token_expired(header[7:].strip()):
                g.auth_error = gettext("The API token has expired: ask an admin for a new one.")
            else:
                g.auth_error = gettext("The API token is not valid (unknown, revoked, or its user is disabled).")
        elif session.get("uid"):
            user = userdata().user(int(session["uid"])) if userdata().exists() else None
            if user and user.active and session.get("stamp") == user.stamp:
                g.user, g.auth = user, "session"
            else:
                session.clear()
        if current_app.config.get("LOGIN_REQUIRED_TO_READ") and g.user is None \
                and request.endpoint not in OPEN_ENDPOINTS and request.endpoint is not None:
            return _unauthenticated()
        check_csrf(g.auth)

    @app.context_processor
    def account():
        return {"current_user": g.get("user")}


def _unauthenticated():
    if wants_json():
        response, status = respond(401, g.get("auth_error") or gettext("Log in, or send an API token "
                                                                       "(Authorization: Bearer ...)."))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response, status
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def require(role):
    """A view for users with this role or a stronger one: anonymous → login (401 for the API),
    a weaker role → 403."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            g.login_needed = True  # web.security: Cache-Control: no-store
            if g.get("user") is None:
                return _unauthenticated()
            if not g.user.can(role):
                return respond(403, gettext("Your account (%(name)s, %(role)s) may not do this; it needs the "
                                            "role %(needed)s.", name=g.user.name, role=gettext(g.user.role),
                                            needed=gettext(role)))
            return view(*args, **kwargs)
        return wrapped
    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_path(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next=target, name="")
    name = (request.form.get("name") or "").strip()[:64]
    password = request.form.get("password") or ""
    ip = request.remote_addr or ""
    limit, window = current_app.config["LOGIN_RATE_LIMIT"], current_app.config["LOGIN_RATE_WINDOW"]
    if not userdata().claim_login_attempt(ip, name, window, limit, 4 * limit):
        message = gettext("Too many failed logins: wait %(minutes)s minutes and try again.",
                          minutes=max(1, window // 60))
        response = render_template("login.html", next=target, name=name, error=message)
        return response, 429, {"Retry-After": str(window)}
    user = userdata().authenticate(name, password)
    if user is None:
        return render_template("login.html", next=target, name=name,
                               error=gettext("Wrong name or password.")), 401
    userdata().clear_login_failures(ip, name)
    session.clear()
    session.permanent = True
    session["uid"], session["stamp"] = user.id, user.stamp
    return redirect(target or url_for("imports.upload_page" if user.can("editor") else "pages.map_page"))


@bp.post("/logout")
def logout():
    if g.get("user") is not None and g.auth == "session":
        userdata().end_sessions(g.user.id)
    session.clear()
    return redirect(url_for("pages.map_page"))


# ---- the admin's account page (shown with the audit log) -------------------------------------------

@bp.post("/admin/users")
@require("admin")
def add_user():
    form = request.form
    _account_change(lambda: userdata().add_user(form.get("name", ""), form.get("role", ""),
                                                 form.get("password", ""), actor=g.user.name),
                    gettext("User %(name)s added.", name=form.get("name", "")))
    return redirect(url_for("imports.audit"))


@bp.post("/admin/users/<name>")
@require("admin")
def change_user(name):
    form, actor = request.form, g.user.name
    action = form.get("action")
    if action == "role":
        _account_change(lambda: userdata().set_role(name, form.get("role", ""), actor),
                        gettext("Role of %(name)s changed.", name=name))
    elif action in ("disable", "enable"):
        if action == "disable" and name.casefold() == actor.casefold():
            flash(gettext("You cannot disable your own account."), "error")
        else:
            _account_change(lambda: userdata().set_active(name, action == "enable", actor),
                            gettext("Account %(name)s updated.", name=name))
    elif action == "password":
        _account_change(lambda: userdata().set_password(name, form.get("password", ""), actor),
                        gettext("Password of %(name)s changed.", name=name))
    elif action == "token":
        days = form.get("days", "")
        token = _account_change(lambda: userdata().add_token(
            name, actor, label=form.get("label", "")[:100], scope=form.get("scope") or None,
            days=int(days) if days.isdigit() and len(days) < 6 else TOKEN_DAYS if not days else -1), None)
        if token:
            from .imports import audit_page
            response = current_app.make_response(audit_page(new_token={"name": name, "token": token}))
            response.headers["Cache-Control"] = "no-store"
            return response
    else:
        flash(gettext("Unknown action."), "error")
    return redirect(url_for("imports.audit"))


@bp.post("/admin/tokens/<int:token_id>/revoke")
@require("admin")
def revoke_token(token_id):
    _account_change(lambda: userdata().revoke_token(token_id, g.user.name), gettext("Token revoked."))
    return redirect(url_for("imports.audit"))


def _account_change(change, done):
    try:
        result = change()
    except UserDataError as exc:
        flash(exc.render(gettext), "error")
        return None
    if done:
        flash(done, "ok")
    return result

