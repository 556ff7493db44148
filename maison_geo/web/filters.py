"""Template filters: numbers and values in the UI language's format."""
from flask_babel import gettext
import re

from jinja2 import Undefined
from markupsafe import Markup

from .. import citations, eras, facts, formatting, money
from . import audit_text
from .context import catalogue, store
from .locale import current_lang

_CODE_NAME = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*=[\w.-]+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)")


def era_label(key):
    """'Trước 1/7/2025 (22 xã)': the era's label from the registry, with the scope's number of units in it."""
    count = eras.scope_of(store()).expected(key)
    label = eras.era(key).label(current_lang())
    return f"{label} ({gettext('%(n)s communes', n=count)})" if count else label


def register(app):
    from .views import other_era_url
    app.add_template_global(other_era_url, "other_era_url")
    app.add_template_global(eras.era, "era")
    app.add_template_global(era_label, "era_label")
    app.add_template_global(audit_text.detail_lines, "audit_details")
    app.add_template_global(lambda text: Markup("<code>{}</code>").format(text), "code")

    @app.template_filter("code_names")
    def code_names(text):
        """API prose with its parameter names and values (dry_run=1, hh_grid_pct) set as code."""
        parts = _CODE_NAME.split(str(text or ""))
        return Markup("").join(Markup("<code>{}</code>").format(p) if i % 2 else p for i, p in enumerate(parts))
    app.add_template_global(audit_text.target_text, "audit_target")

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

    @app.template_filter("source_text")
    def source_text(source):
        """A source as one plain line in the UI language (the raw text stays in the data and the twins)."""
        return citations.source_text(_missing_as_none(source), gettext)

    @app.template_filter("note_text")
    def note_text(note):
        return citations.note_text(_missing_as_none(note), gettext)

    @app.template_filter("local_time")
    def local_time(stamp):
        """A stored UTC time in Asia/Ho_Chi_Minh, written the UI language's way; '–' when there is none."""
        stamp = _missing_as_none(stamp)
        return "–" if stamp in (None, "") else formatting.local_time(stamp, current_lang())

    @app.template_filter("gap_rule_text")
    def gap_rule_text(basis):
        return citations.gap_rule_text(_missing_as_none(basis), _label, gettext)

    @app.template_filter("plan_note_text")
    def plan_note_text(note):
        return citations.plan_note_text(_missing_as_none(note), _label, fact_date, gettext)

    @app.template_filter("indicator_label")
    def indicator_label(key):
        """An indicator's name in the UI language, never its key."""
        return catalogue().get(key).label(current_lang())

    @app.template_filter("unit_of")
    def unit_of(key):
        return catalogue().get(key).unit_label(current_lang())


def _label(key):
    """An indicator's name in the UI language; the key itself only if no indicator has it."""
    try:
        return catalogue().get(key).label(current_lang())
    except Exception:  # noqa: BLE001 - an unknown key is shown as recorded, never a crash
        return key


def _missing_as_none(value):
    """A field a template row lacks is shown as missing ('–'), never a crash."""
    return None if isinstance(value, Undefined) else value
