"""Template filters: numbers and values in the UI language's format."""
from flask_babel import gettext

from .. import formatting
from .context import catalogue
from .locale import current_lang


def register(app):
    @app.template_filter("number")
    def number(value, decimals=0):
        return formatting.number(value, current_lang(), decimals)

    @app.template_filter("value_text")
    def value_text(value, indicator, denominator=None):
        if isinstance(indicator, str):
            indicator = catalogue().get(indicator)
        return formatting.value_text(value, indicator, current_lang(), denominator,
                                     (gettext("Yes"), gettext("No")))

    @app.template_filter("unit_of")
    def unit_of(key):
        return catalogue().get(key).unit_label(current_lang())
