"""Picking the UI language: ?lang= switches and is remembered in a cookie; Vietnamese by default."""
from flask import request
from flask_babel import Babel

from ..i18n import DEFAULT, LANGUAGES, TRANSLATIONS, compile_catalogues

COOKIE = "lang"


def current_lang():
    return lang_of(request)


def lang_of(req):
    """The language a request asks for: ?lang=, else the remembered one, else Vietnamese."""
    asked = req.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = req.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT


def sets_cookie(req):
    """Whether the answer to this request sets the language cookie (?lang= other than the remembered)."""
    asked = req.args.get("lang")
    return asked in LANGUAGES and req.cookies.get(COOKIE) != asked


def init(app):
    compile_catalogues()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    Babel(app, locale_selector=current_lang)

    @app.after_request
    def remember(response):
        if sets_cookie(request):
            response.set_cookie(COOKIE, request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
        return response

    @app.context_processor
    def language():
        return {"lang": current_lang(), "languages": LANGUAGES}
