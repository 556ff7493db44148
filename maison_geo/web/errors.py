"""Every error becomes a clear response: JSON under /api, a page elsewhere. Never a bare 500."""
from flask import jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as N_
from werkzeug.exceptions import HTTPException

from ..errors import MaisonError
from .security import wants_json


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


# What a reader is told the parameter of an address is (the key itself stays in the JSON).
PARAM_LABELS = {"indicator": N_("the indicator"), "period": N_("the year"), "vintage": N_("the era"),
                "scheme": N_("the classes"), "panels": N_("the number of maps"), "budget": N_("the budget"),
                "codes": N_("the communes"), "names": N_("the scenarios"), "page": N_("the page number"),
                "lang": N_("the language"), "format": N_("the download format")}
STATUS_LINES = {400: N_("This request cannot be used: check what was typed, or start again from the map."),
                401: N_("Log in first, then try again."),
                403: N_("Your account may not do this: ask an administrator."),
                404: N_("There is no page at this address. Check the address, or start from the map."),
                405: N_("This address does not accept this kind of request."),
                413: N_("The file is too large: send a smaller one."),
                429: N_("Too many requests at once: wait a minute, then try again."),
                500: N_("Something went wrong on the server; it has been logged. Try again later.")}


PARAM_LABELS.update({"min_share": N_("the minimum shares"), "max_share": N_("the maximum shares"),
                     "interventions": N_("the interventions"), "objective": N_("the objective"),
                     "weights": N_("the weights"), "unit_costs": N_("the unit costs"),
                     "benefit_weights": N_("the benefit weights"), "time_limit": N_("the time limit")})


def form_line(exc):
    """A form's error in one line of the UI language: which field, why when known, what to do."""
    label = PARAM_LABELS.get(str(exc.param).split(".")[0])
    what = label if label else gettext("“%(param)s”", param=exc.param)
    from .locale import current_lang
    reason = exc.reason_text(gettext, english=current_lang() == "en")
    if reason:
        return gettext("%(what)s cannot be used: %(reason)s. Correct it and compute again.", what=what, reason=reason)
    return gettext("%(what)s cannot be used: correct it and compute again.", what=what)


def plain_line(status, body):
    """One line in the UI language saying what is wrong and what to do; no internal keys."""
    if body.get("param"):
        label = PARAM_LABELS.get(body["param"])
        value = body.get("value")
        return gettext("The value “%(value)s” given for %(what)s in the address cannot be used: pick one on the "
                       "page, or correct the address.", value="–" if value in (None, "") else value,
                       what=label if label else gettext("“%(param)s”", param=body["param"]))
    if status == 403 and body.get("error"):
        return body["error"]  # the raise sites word it for the reader
    return str(STATUS_LINES.get(status) or STATUS_LINES[500 if status >= 500 else 400])


def _respond(status, body):
    if (request.path == "/ogc" or request.path.startswith("/ogc/")) and request.args.get("f") != "html":
        from .ogc import exception
        return exception(status, body)
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, error=body, line=plain_line(status, body),
                           valid=readable_choices(body)), status


def readable_choices(body):
    """The valid choices when a reader knows them as they are (years, numbers), never internal keys."""
    choices = [str(c) for c in body.get("choices") or []]
    return choices if choices and all(c.isdigit() for c in choices) else []
