"""Picking the UI language: ?lang= switches and is remembered in a cookie; Vietnamese by default."""
from flask import request
from flask_babel import Babel

from ..i18n import DEFAULT, LANGUAGES, TRANSLATIONS, compile_catalogues

COOKIE = "lang"


def current_lang():
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT


def init(app):
    compile_catalogues()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    Babel(app, locale_selector=current_lang)

    @app.after_request
    def remember(response):
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    @app.context_processor
    def language():
        return {"lang": current_lang(), "languages": LANGUAGES}
