"""HTML pages, each with its machine-readable twins (?format=json|csv|...: web.renderers)."""
import json

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext

from .. import maps, symbols
from ..citations import source_text
from ..errors import NotFound
from ..facts import fact_line, raw_fact_line
from ..qualitative import qualitative_payload
from ..units import REFORM_DATE, VINTAGES, check_vintage
from ..values import figure_index, indicator_values
from . import geo, prints
from .api import FACT_COLUMNS, VALUE_COLUMNS
from .context import catalogue, store
from .locale import current_lang
from .renderers import FORMATS, PageData, page, render
from .views import choropleth, map_request, profile_url_pattern

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    return map_page()


MAP = page("pages.map_page", "page", "payload", "table", "workbook", "collection", "features", "drawing")


@bp.get("/map")
def map_page():
    req = map_request()
    fmt = MAP.format_arg()
    view = choropleth(req)
    return render(map_data(req, view, fmt), fmt)


def map_data(req, view, fmt):
    """The map page's data: the page, its values as rows and features, and its printed page."""
    if fmt == "html":  # the page draws from the view: no payload to make
        return PageData(html=lambda: _map_html(req, view))
    table = view.table
    payload = map_payload(view)
    name = f"maison_{table.indicator.key}_{table.period}_{table.vintage}"
    rows, columns = _map_rows(payload)
    data = PageData(name=name, payload=payload, rows=rows, columns=columns,
                    notice=_notice(payload), sheet=table.indicator.key, layer=table.indicator.key,
                    features=lambda: _with_values(store().units(table.vintage), payload),
                    collection=lambda: _map_collection(data.features(), payload))
    if "drawing" in FORMATS[fmt].needs:
        data.name, data.drawing = prints.map_print(fmt, view)
    return data


def _map_html(req, view):
    table = view.table
    sources = geo.map_sources(req.vintage)
    inline, bounds, tiles = geo.inline_geometry(req.vintage, sources), geo.bounds(req.vintage), _tiles()
    first_view = None
    if inline and not tiles:  # drawn before any script; a basemap would come only with the script
        first_view = maps.first_view_of(view, inline[sources["geojson"]], inline.get(sources["outline"]), bounds)
    fmap = maps.build_map(
        view, sources, profile_url_pattern(req.vintage), geo.labels(req.vintage),
        bounds, table.attribution, tiles, _=gettext, keep_view=True, inline=inline, first_view=first_view)
    rows = listed_rows(table.rows)
    return render_template("map.html", req=req, view=view, table=table, parts=maps.render_parts(fmap),
                           alternative=_alternative(req, table.indicator),
                           rows=rows, hidden_rows=len(table.rows) - len(rows),
                           indicators=catalogue().mappable(), vintages=VINTAGES,
                           schemes=["quantiles", "equal_interval", "fisher_jenks", "target"],
                           reform_date=REFORM_DATE)


def _alternative(req, indicator):
    """(label, URL) of the other way to show this figure: a count's rate as a choropleth, a rate's count
    as circles, else a count's own circles ↔ classes."""
    args = {k: v for k, v in req.args().items() if k not in ("symbol", "indicator", "period")}
    if req.symbol == "circles":
        rate = symbols.matching_rate(indicator, catalogue())
        if rate:
            return (gettext("Show the rate as a shaded map: %(label)s", label=rate.label(current_lang())),
                    url_for("pages.map_page", indicator=rate.key, period=req.period, **args))
        return (gettext("Show as shaded classes instead of circles"),
                url_for("pages.map_page", indicator=indicator.key, symbol="choropleth", period=req.period, **args))
    count = symbols.matching_count(indicator, catalogue())
    if count:
        return (gettext("Show the count as circles: %(label)s", label=count.label(current_lang())),
                url_for("pages.map_page", indicator=count.key, period=req.period, **args))
    if "circles" in symbols.symbols_for(indicator):
        return (gettext("Show as circles sized by value"),
                url_for("pages.map_page", indicator=indicator.key, period=req.period, **args))
    return None


TABLE_LIMIT = 500  # rows in a page's table; a country of 11,163 rows would take seconds to draw


def listed_rows(rows, limit=None):
    """All rows when there are few; else the rows with a value, best rank first, up to the limit
    (the downloads always hold every row)."""
    limit = limit or TABLE_LIMIT
    if len(rows) <= limit:
        return rows
    valued = sorted((r for r in rows if r.value is not None), key=lambda r: (r.rank or 0, r.unit.name))
    return valued[:limit]


def _tiles():
    url = current_app.config.get("TILE_URL")
    return {"url": url, "attribution": current_app.config.get("TILE_ATTRIBUTION")} if url else None


def map_payload(view):
    """What the map view shows, as data: values, status, source, class and colour of every unit."""
    payload = view.table.to_dict()
    payload["classification"] = qualitative_payload(view) if view.indicator.qualitative else \
        maps.classes_payload(view)
    for row in payload["rows"] + [payload["district"]]:
        row["source_text"] = source_text(row["source"], gettext)
    for row in payload["rows"]:
        style = view.styles[row["code"]]
        row["class"], row["color"] = style["band"], style["fill"]
        if "radius" in style:
            row["radius_px"] = round(style["radius"], 2)
        row["value_text"] = view.value_texts[row["code"]]
    return payload


def _map_rows(payload):
    table = {"vintage": payload["vintage"], "indicator": payload["indicator"]["key"], "period": payload["period"]}
    rows = [{**r, **table, "level": "unit"} for r in payload["rows"]]
    rows.append({**payload["district"], **table})
    return rows, VALUE_COLUMNS + ["source_text", "value_text", "class", "color"]


def _map_collection(frame, payload):
    collection = json.loads(frame.to_json(drop_id=True))
    collection.update({k: payload[k] for k in ("indicator", "vintage", "period", "illustrative", "notice",
                                                "district", "classification", "attribution")})
    return collection


def _notice(payload):
    lines = [f"{payload['indicator']['label_vi']} / {payload['indicator']['label_en']}",
             f"period {payload['period']}, vintage {payload['vintage']}",
             "boundaries: " + "; ".join(payload["attribution"])]
    return lines + ([payload["notice"]] if payload["notice"] else [])


VALUE_FIELDS = ("value", "numerator", "denominator", "rank", "status", "illustrative", "source", "note",
                "value_text", *FACT_COLUMNS, "class", "color")


def _with_values(units, payload):
    frame = units.drop(columns=["name_variants"]).copy()
    by_code = {r["code"]: r for r in payload["rows"]}
    for field in VALUE_FIELDS:
        frame[field] = [by_code.get(code, {}).get(field) for code in frame.code]
    frame["indicator"], frame["period"] = payload["indicator"]["key"], payload["period"]
    return frame


PROFILE = page("pages.profile", "page", "payload", "table", "document")


@bp.get("/communes/<vintage>/<code>")
def profile(vintage, code):
    vintage = check_vintage(vintage)
    fmt = PROFILE.format_arg()
    unit = next((u for u in store().unit_records(vintage) if u.code == code), None)
    if unit is None:
        raise NotFound(f"no unit {code!r} in {vintage}; units are keyed by era and code")
    return render(profile_data(vintage, unit), fmt)


def profile_data(vintage, unit):
    """A commune's profile: every indicator's latest value beside the district's, and its dated facts."""
    rows = _profile_rows(vintage, unit)
    facts = _facts(vintage, unit.code)
    return PageData(
        name=f"maison_profile_{unit.code}_{vintage}", html=lambda: _profile_html(vintage, unit, rows, facts),
        payload={"unit": {"vintage": vintage, "code": unit.code, "name": unit.name,
                          "full_name": unit.full_name, "unit_type": unit.unit_type},
                 "illustrative": any(r["status"] == "illustrative" for r in rows),
                 "indicators": rows, "facts": facts},
        rows=[{**r, "code": unit.code, "name": unit.full_name, "vintage": vintage} for r in rows],
        columns=PROFILE_COLUMNS, drawing=lambda fmt: prints.fact_sheet(unit, vintage, rows))


def _profile_html(vintage, unit, rows, facts):
    sources, bounds = geo.locator_view(vintage, unit.code)
    fmap = maps.build_map(None, sources, profile_url_pattern(vintage), [], bounds, geo.attribution(vintage),
                          _tiles(), height="260px", locator_code=unit.code, _=gettext)
    return render_template("profile.html", unit=unit, rows=rows, vintage=vintage,
                           facts=facts, parts=maps.render_parts(fmap),
                           reform_date=REFORM_DATE, lang=current_lang())


PROFILE_COLUMNS = ["vintage", "code", "name", "indicator", "label", "period", "value", "numerator",
                   "denominator", "rank", "ranked", "district_value", "status", "illustrative", "source",
                   "source_text", "note"]


def _profile_rows(vintage, unit):
    index = figure_index(store(), catalogue(), vintage)
    lang = current_lang()
    rows = []
    for ind in catalogue().mappable():
        series, table = [], None
        for period in index.periods(ind):
            table = indicator_values(store(), catalogue(), ind.key, period, vintage, index=index)
            row = next(r for r in table.rows if r.unit.code == unit.code)
            if row.value is not None:
                series.append((period, row, table))
        base = {"indicator": ind.key, "label": ind.label(lang), "kind": ind.kind}
        if not series:  # no value here: still the district's latest, when there is one
            district = table.district if table else None
            rows.append({**base, "period": None, "value": None, "status": None, "rank": None, "ranked": 0,
                         "district_value": district.to_dict()["value"] if district else None,
                         "district_status": district.status if district else None, "series": []})
            continue
        period, row, table = series[-1]
        line = fact_line(row, ind, lang, gettext)
        rows.append({**row.to_dict(), **base, "period": period, "ranked": sum(1 for r in table.rows if r.rank),
                     "source_text": source_text(row.source, gettext),
                     "district_value": table.district.to_dict()["value"],
                     "district_status": table.district.status,
                     "fact": line.text if line else None,
                     "series": [] if ind.qualitative else [
                         {"period": p, "value": r.to_dict()["value"], "status": r.status, "standard":
                          r.standard.key if r.standard else None} for p, r, _ in series]})
    return rows


def _facts(vintage, code):
    """The commune's dated facts from the news, each with its plain sentence ('Tháng 12/2024: ...')."""
    lang = current_lang()
    return [{**f, "sentence": raw_fact_line(f, lang, gettext).text}
            for f in store().facts() if f["vintage"] == vintage and f["code"] == code]
