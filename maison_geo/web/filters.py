"""Template filters: numbers and values in the UI language's format."""
from flask_babel import gettext
from jinja2 import Undefined

from .. import facts, formatting, money
from .context import catalogue
from .locale import current_lang


def register(app):
    from .views import other_era_url
    app.add_template_global(other_era_url, "other_era_url")

    @app.template_filter("number")
    def number(value, decimals=0):
        return formatting.number(_missing_as_none(value), current_lang(), decimals)

    @app.template_filter("value_text")
    def value_text(value, indicator, denominator=None, decimals=None):
        if isinstance(indicator, str):
            indicator = catalogue().get(indicator)
        return formatting.value_text(_missing_as_none(value), indicator, current_lang(),
                                     _missing_as_none(denominator),
                                     (gettext("Yes"), gettext("No")), decimals)

    @app.template_filter("money")
    def money_text(value, unit=True):
        return money.money_text(_missing_as_none(value), current_lang(), unit)

    @app.template_filter("millions")
    def millions(value):
        """VND in a table whose unit is triệu đồng: '2.500', '0,8'."""
        value = _missing_as_none(value)
        return money.millions_text(value, current_lang())

    @app.template_filter("money_words")
    def money_words(value):
        value = _missing_as_none(value)
        return "" if value is None else money.money_words(value, current_lang())

    @app.template_filter("fact_sentence")
    def fact_sentence(row, indicator):
        """FactLine (text, url, quote) of a value row from a dated source, else None."""
        return facts.fact_line(row, indicator, current_lang(), gettext)

    app.add_template_filter(facts.quote_of, "quote_of")

    @app.template_filter("fact_date")
    def fact_date(as_of):
        return facts.date_text(_missing_as_none(as_of), current_lang())

    @app.template_filter("unit_of")
    def unit_of(key):
        return catalogue().get(key).unit_label(current_lang())


def _missing_as_none(value):
    """A field a template row lacks is shown as missing ('–'), never a crash."""
    return None if isinstance(value, Undefined) else value
