"""Dated published facts as plain sentences: 'Tháng 12/2024: 11 bản — Báo Sơn La'."""
import re
from dataclasses import dataclass

from .formatting import number, value_text

_IDENTITY = lambda text, **values: text % values if values else text  # noqa: E731
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# What each fact of geodata/commune_facts.csv counts (English msgids; the catalogue translates them).
FACT_LABELS = {
    "area_ha": "Area", "ban_count": "Villages (bản, tiểu khu)", "ban_dbkk_count": "Especially difficult villages",
    "cultural_houses_built_since_2021": "Cultural houses built since 2021",
    "ethnic_minority_area_class": "Ethnic-minority area class",
    "hamlets_connected_to_grid_2021_12_30": "Villages connected to the grid on 30/12/2021",
    "hh_electricity_pct": "Households using electricity",
    "households": "Households", "households_awaiting_grid_connection": "Households awaiting a grid connection",
    "households_connected_to_grid_2021_08": "Households connected to the grid in August 2021",
    "households_connected_to_grid_2021_12_30": "Households connected to the grid on 30/12/2021",
    "households_with_electricity_pct": "Households with electricity",
    "income_per_capita": "Income per person",
    "ntm_criteria_met": "New-rural criteria met", "ntm_registration_year": "Registered to reach the new-rural standard in",
    "ntm_status": "New-rural standard", "party_cells": "Party cells",
    "poor_and_near_poor_rate": "Poor and near-poor households", "population": "Population",
    "poverty_rate": "Poverty rate (households)",
    "roads_expanded_since_2021_km": "Roads widened since 2021",
    "rural_light_lines_built_since_2021": "Rural lighting lines built since 2021",
    "rural_roads_built_since_2021_km": "Rural roads built since 2021",
    "solar_street_lights_installed_since_2021": "Solar street lights installed since 2021",
    "suspension_bridges_built_since_2021": "Suspension bridges built since 2021",
    "village_gates_built_since_2021": "Village gates built since 2021",
    "water_supply_systems_built_since_2021": "Water supply systems built since 2021",
}
STATUS_WORDS = {"standard": "reached the new-rural standard", "advanced": "reached the advanced new-rural standard",
                "achieved": "reached the new-rural standard"}


@dataclass(frozen=True)
class FactLine:
    text: str
    url: str = ""
    quote: str = ""


def quote_of(note):
    """A figure's note without the 'as of <date>; ' the figure files start it with (the date is shown apart)."""
    return re.sub(r"^as of [^;]*;?\s*", "", note or "")


def date_text(as_of, lang="vi"):
    """'2024-12' → 'Tháng 12/2024' (vi) or 'December 2024' (en); '2020-12-27' → '27/12/2020'; '2015' → '2015'."""
    match = _DATE.match(as_of or "")
    if not match:
        return as_of or ""
    year, month, day = match.groups()
    if day:
        return f"{int(day)}/{int(month)}/{year}" if lang == "vi" else f"{int(day)} {MONTHS_EN[int(month) - 1]} {year}"
    if month:
        return f"Tháng {int(month)}/{year}" if lang == "vi" else f"{MONTHS_EN[int(month) - 1]} {year}"
    return year


def short_source(title):
    """The publisher of a source title: 'Báo Sơn La: "Xã ..." (2020-12)' → 'Báo Sơn La'."""
    head = re.split(r':\s|\s\(|, \d{4}-', title or "", maxsplit=1)[0].strip()
    return head or (title or "")


def _title(source, url):
    return (source or "").replace(url, "").strip() if url else (source or "")


def fact_line(row, indicator, lang="vi", _=_IDENTITY):
    """The sentence of one value row that comes from a dated source; None for other rows."""
    if not row.as_of or row.value is None:
        return None
    url = row.source_url
    publisher = short_source(_title(row.source, url))
    when = date_text(row.as_of, lang)
    if indicator.carry_forward:  # a status: since when, and whether it is carried
        category = row.category.label(lang) if row.category else "?"
        text = _("%(status)s since %(date)s · %(source)s", status=category, date=when, source=publisher)
        if row.carried_forward:
            text += " " + _("(recognised then, carried forward: not a new observation)")
        return FactLine(text, url, quote_of(row.note))
    shown = value_text(row.value, indicator, lang)
    text = f"{when}: {shown} — {publisher}"
    if indicator.valid_for:  # decided for a span (QĐ 861: 2021–2025); the date is the source's
        text += " " + _("(valid %(first)s–%(last)s)", first=indicator.valid_for[0], last=indicator.valid_for[1])
    if row.standard:
        text += f" ({row.standard.label(lang)})"
    return FactLine(text, url, quote_of(row.note))


def raw_fact_line(fact, lang="vi", _=_IDENTITY):
    """The sentence of one row of commune_facts.csv (a dict)."""
    label = _(FACT_LABELS[fact["indicator"]]) if fact.get("indicator") in FACT_LABELS else fact.get("indicator", "")
    value = fact.get("value") or ""
    if fact.get("indicator") == "ntm_status":
        shown = _(STATUS_WORDS.get(value, value))
    elif fact.get("indicator") == "ethnic_minority_area_class":
        shown = _("region %(n)s", n=value)
    else:
        shown = " ".join(p for p in (_more_than(fact, _), _number(value, lang), fact.get("unit") or "") if p)
    when = date_text(fact.get("as_of"), lang) or _("date not given")
    publisher = short_source(fact.get("source_title"))
    text = f"{when}: {shown} — {publisher}" if fact.get("indicator") == "ntm_status" else \
        f"{when}: {label}: {shown} — {publisher}"
    return FactLine(text, fact.get("source_url") or "", fact.get("note") or "")


def _more_than(fact, _):
    return _("more than") if fact.get("qualifier") == "more than" else ""


def _number(text, lang):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return number(value, lang, len(text.split(".")[1]) if "." in text else 0)
