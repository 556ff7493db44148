"""Choropleth maps as plain functions: values + classification → legend, styles, tooltips, folium map."""
import json
from dataclasses import dataclass, field

import folium
from branca.element import CssLink, JavascriptLink, MacroElement
from jinja2 import Template
from markupsafe import Markup, escape

from . import symbols
from .citations import source_text
from .classify import classify, is_classed
from .first_view import Fill, first_view_svg
from .formatting import display_decimals, fixed, number, value_text

# Hatched on the map and in the legend; under every colour vision at least ΔE 15 from the lightest class of
# either ramp (the former #d4d4d4 was 10 from the palest purple) and from every categorical colour.
NO_DATA_COLOR = "#c0c0c0"
# ColorBrewer sequential ramps (colour-blind safe); reversed when lower is better.
RAMP_BETTER = "YlGnBu"
RAMP_NEUTRAL = "Purples"
_IDENTITY = lambda text: text  # noqa: E731
ZOOM_SNAP = 0.25


def ramp(indicator, k):
    """k colours from light to dark; dark means better unless lower is better."""
    from branca.utilities import color_brewer
    if k == 0:
        return []
    name = RAMP_NEUTRAL if indicator.higher_is_better is None else RAMP_BETTER
    colors = color_brewer(name, max(k, 3))
    colors = colors[-k:] if k < 3 else colors  # 1–2 classes: the darker end stays readable
    return list(reversed(colors)) if indicator.higher_is_better is False else colors


@dataclass
class LegendEntry:
    color: str
    label: str
    count: int
    no_data: bool = False


@dataclass
class ChoroplethView:
    """Everything a page needs to draw one indicator: classes, colours, legend, per-unit styles, and
    each value as shown (value_texts), at the one precision of the legend."""
    table: object
    classification: object
    colors: list
    legend: list
    styles: dict = field(default_factory=dict)
    tooltips: dict = field(default_factory=dict)
    value_texts: dict = field(default_factory=dict)
    lang: str = "vi"

    @property
    def indicator(self):
        return self.table.indicator

    @property
    def decimals(self):
        return getattr(self.classification, "decimals", None)


def band_label(band, indicator, lang, is_last, decimals=None, single=False):
    """'98,0 – < 98,7 %', the last class '≥ 99,6 %', one value alone '5'; all at one precision."""
    if decimals is None:
        decimals = display_decimals(indicator.kind)
    lo, hi = fixed(band.lower, lang, decimals), fixed(band.upper, lang, decimals)
    unit = " %" if indicator.kind == "percent" else ""
    if single:
        return f"{lo}{unit}"
    if is_last:
        return f"≥ {lo}{unit}"
    return f"{lo} – < {hi}{unit}"


def legend_labels(classes, indicator, lang):
    single = classes.k == 1 and classes.bands[0].lower == classes.bands[0].upper
    return [band_label(b, indicator, lang, i == classes.k - 1, classes.decimals, single)
            for i, b in enumerate(classes.bands)]


def classes_payload(view):
    """The legend as data: each class's limits and its label exactly as shown."""
    classes = view.classification
    if classes.scheme == "proportional":
        return {**symbols.payload(classes), "k": 0, "classes": [],
                "no_data": {"label": view.legend[-1].label, "color": NO_DATA_COLOR, "count": view.legend[-1].count}}
    bands = classes.bands or [None] * classes.k
    entries = [{"label": e.label, "count": e.count, "color": e.color} for e in view.legend if not e.no_data]
    for entry, band in zip(entries, bands):
        if band is not None:
            entry.update({"lower": band.lower, "upper": None if band.closed_upper else band.upper,
                          "interval": "[lower, +inf)" if band.closed_upper else "[lower, upper)"})
    return {"scheme": classes.scheme, "k": classes.k, "decimals": classes.decimals, "classes": entries,
            "no_data": {"label": view.legend[-1].label, "color": NO_DATA_COLOR, "count": view.legend[-1].count}}


def map_values(table):
    return [_map_value(r, table.indicator) for r in table.rows]


def build_view(table, scheme="quantiles", k=5, lang="vi", _=_IDENTITY, classification=None):
    """classification: shared breaks (split view); by default the table's own values are classed.
    Kinds that are not numbers (yes/no, categories) are drawn by qualitative.build_qualitative_view."""
    indicator = table.indicator
    if not is_classed(indicator):
        raise ValueError(f"{indicator.key} is not classed: draw it with qualitative.build_qualitative_view")
    values = map_values(table)
    classes = classification or classify(values, scheme, k, indicator)
    colors = ramp(indicator, classes.k)
    legend = [LegendEntry(colors[i], label, b.count)
              for i, (b, label) in enumerate(zip(classes.bands, legend_labels(classes, indicator, lang)))]
    view = ChoroplethView(table, classes, colors, legend, lang=lang)
    for row, value in zip(table.rows, values):
        _place(view, row, classes.band_of(value), lang, _)
    return _with_no_data(view, _)


def _place(view, row, band, lang, _):
    view.styles[row.unit.code] = {
        "fill": NO_DATA_COLOR if band is None else view.colors[band], "band": band,
        "illustrative": row.status == "illustrative"}
    yes_no = (_("Yes"), _("No"))
    view.value_texts[row.unit.code] = value_text(row.value, view.indicator, lang, row.denominator, yes_no,
                                                 view.decimals)


def symbol_view(table, lang="vi", _=_IDENTITY):
    """Counts and lengths as circles scaled by area over neutral communes (see symbols.py)."""
    scale = symbols.symbols(table, lang)
    view = ChoroplethView(table, scale, [symbols.CIRCLE_FILL], [], lang=lang)
    for row in table.rows:
        _place(view, row, None, lang, _)
        style = view.styles[row.unit.code]
        style["fill"] = NO_DATA_COLOR if row.value is None else symbols.BASE_FILL
        style["radius"] = symbols.radius(row.value, scale.largest)
    return _with_no_data(view, _)


def _with_no_data(view, _):
    missing = sum(1 for r in view.table.rows if r.value is None)
    view.legend.append(LegendEntry(NO_DATA_COLOR, _("No data"), missing, no_data=True))
    ranked = sum(1 for r in view.table.rows if r.rank)
    for row in view.table.rows:
        if row.value is not None:  # the map builds the few words of a no-data tooltip itself
            view.tooltips[row.unit.code] = tooltip_html(row, view.table, view.lang, _, ranked,
                                                        view.value_texts[row.unit.code])
    return view


def _map_value(row, indicator):
    """The number a boolean is classed on: 1/0 for one commune, the share for k of n."""
    if row.value is None:
        return None
    if indicator.kind == "boolean" and row.denominator:
        return row.value / row.denominator
    return float(row.value)


UNIT_TYPES = ("xa", "thi_tran", "phuong")
STATUS_LABELS = {"official": "official", "reported": "reported", "illustrative": "illustrative"}


def tooltip_html(row, table, lang="vi", _=_IDENTITY, ranked=None, shown=None):
    """Hover text: name with unit type, value (as shown on the map), parts, rank, target and gap, status,
    source. Escaped."""
    ind, unit = table.indicator, row.unit
    lines = [Markup("<strong>{}</strong> <span class='unit-type'>({})</span>").format(
        unit.name, _(unit.unit_type))]
    yes_no = (_("Yes"), _("No"))
    lines.append(Markup("{}: <b>{}</b>").format(ind.label(lang), shown or value_text(
        row.value, ind, lang, row.denominator, yes_no)))
    if ind.kind == "percent" and row.numerator is not None:
        lines.append(Markup("{} / {}").format(number(row.numerator, lang), number(row.denominator, lang)))
    if row.rank:
        ranked = ranked or sum(1 for r in table.rows if r.rank)
        lines.append(Markup("{}: {}/{}").format(_("Rank"), row.rank, ranked))
    if ind.target and row.value is not None:
        gap = ind.target.value - row.value
        lines.append(Markup("{}: {} · {}: {}").format(
            _("Target"), value_text(ind.target.value, ind, lang), _("Gap"),
            value_text(max(gap, 0) if ind.higher_is_better is not False else max(-gap, 0), ind, lang)))
    if row.status:
        css = "illustrative" if row.status == "illustrative" else "status"
        lines.append(Markup("<span class='{}'>{}</span>").format(css, _(STATUS_LABELS[row.status])))
        lines.append(Markup("<small>{}: {}</small>").format(_("Source"), _shorten(source_text(row.source, _))))
    else:
        lines.append(escape(_("No data")))
    return str(Markup("<br>").join(lines))


def _shorten(text, limit=160):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _script_json(data):
    """JSON safe inside a <script>: no '</script>' or HTML comment can close it early."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ScriptLayer(MacroElement):
    """Calls one of map.js's functions (maisonChoropleth, maisonEras) with the map and a config;
    the function fetches the cached geometry and styles it from the config."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.function }}({{ this._parent.get_name() }}, {{ this.config }});
{% endmacro %}
""")

    def __init__(self, function, config, fetches=()):
        super().__init__()
        self._name = "ScriptLayer"
        self.function = function
        self.config = _script_json(config)
        self.fetches = [url for url in fetches if url]


def base_map(bounds, tiles=None, height="100%", canvas=False, zoom_snap=None):
    """An empty folium map fitted to bounds, with no basemap unless a tile server is configured."""
    fmap = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
                      tiles=None, zoom_start=10, prefer_canvas=canvas, control_scale=False,
                      height=height, width="100%", zoom_snap=ZOOM_SNAP if zoom_snap is None else zoom_snap)
    if tiles and tiles.get("url"):
        folium.TileLayer(tiles["url"], attr=tiles.get("attribution") or " ", name="tiles").add_to(fmap)
    from folium.map import FitBounds
    fit = FitBounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]], padding=(12, 12))
    fit.options["animate"] = False  # the first view is the fitted one, not a zoom from zoom_start
    fmap.add_child(fit)
    return fmap


def style_config(view):
    """Per-unit styles, compact enough for 11,163 units: a palette, each valued unit's index into it,
    the illustrative units, and tooltips only where there is a value (no data needs no table)."""
    if view is None:
        return {"palette": [], "classOf": {}, "dashed": [], "tooltips": {}, "circles": {}}
    valued = valued_styles(view)
    palette = list(dict.fromkeys(s["fill"] for s in valued.values()))
    circles = {code: round(s["radius"], 2) for code, s in valued.items() if s.get("radius")}
    return {"palette": palette, "circles": circles, "circleFill": symbols.CIRCLE_FILL,
            "classOf": {code: palette.index(s["fill"]) for code, s in valued.items()},
            "dashed": [code for code, s in valued.items() if s["illustrative"]],
            "tooltips": {code: view.tooltips[code] for code in valued if code in view.tooltips}}


def valued_styles(view):
    """{code: style} of the units with a value: the others are drawn as no data."""
    return {code: s for code, s in view.styles.items() if s["fill"] != NO_DATA_COLOR}


def first_view_of(view, units, outline, bounds):
    """The SVG first view of a shaded map (see first_view.py); None for circles, which the script
    sizes in screen pixels."""
    valued = valued_styles(view)
    if any(s.get("radius") for s in valued.values()):
        return None
    fills = {code: Fill(s["fill"], bool(s["illustrative"])) for code, s in valued.items()}
    return first_view_svg(units, outline, fills, bounds, NO_DATA_COLOR)


OVERVIEW_SCRIPTS = {"topojson_client": "/static/vendor/topojson-client/topojson-client.min.js",
                    "quiet_units": "/static/quiet-units.js"}


def build_map(view, sources, profile_url, labels, bounds, attribution,
              tiles=None, height="100%", locator_code=None, picked=None, _=_IDENTITY, keep_view=False,
              inline=None, first_view=None):
    """sources: {'geojson', 'outline', 'overview'} URLs (see web.geo.map_sources); with an overview the
    map starts from it and fetches the geometry of the part in view once zoomed in.
    inline: {URL: data} of those URLs written into the page instead of fetched.
    profile_url: a URL with '{code}' where each unit's code goes (clicking a unit opens it).
    picked: a list of codes makes a picker: clicking a unit ticks or unticks it in the page's form.
    first_view: an SVG of the map (see first_view_of) drawn inside it until the script's map replaces
    it; the script then fits the bounds without snapping the zoom, as the SVG does."""
    overview = sources.get("overview")
    fmap = base_map(bounds, tiles, height, canvas=bool(overview), zoom_snap=0 if first_view else ZOOM_SNAP)
    fmap.first_view = first_view
    if overview:
        for name, url in OVERVIEW_SCRIPTS.items():
            fmap.get_root().header.add_child(JavascriptLink(url), name=name)
    config = {
        "geojson": sources["geojson"], "outline": sources.get("outline"), "overview": overview,
        "attribution": attribution,
        **style_config(view), "profile": profile_url, "labels": labels, "noData": NO_DATA_COLOR,
        "noDataText": _("No data"), "unitTypes": {t: _(t) for t in UNIT_TYPES},
        "locator": locator_code, "picked": picked, "pickText": _("Click to choose or drop"),
        "moreHere": _("%(n)s more units share this spot at this zoom: zoom in to tell them apart") % {"n": "{n}"},
        "banner": _("Illustrative figures") if view and view.table.illustrative else None,
        **furniture(_), "match": None if locator_code or picked is not None else sources.get("match"),
        "values": {c: t for c, t in view.value_texts.items() if c in view.tooltips} if view else {},
        "keepView": keep_view, "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
        "inline": inline or {}, "zoomSnap": ZOOM_SNAP,
    }
    first = overview or sources["geojson"]
    fetches = [url for url in (first, sources.get("outline")) if url not in (inline or {})]
    ScriptLayer("maisonChoropleth", config, fetches=fetches).add_to(fmap)
    return fmap


def render_parts(fmap):
    """The map's assets, body and script, to place inside our own page.

    Only the asset links of folium's head are kept: its page-wide styles (html, body at 100 %) and
    its viewport meta (which forbids zooming on phones) would fight with our own page.
    """
    root = fmap.get_root()
    root.render()
    links = [child.render() for child in root.header._children.values()
             if isinstance(child, (JavascriptLink, CssLink))]
    links += [_preload(url) for child in fmap._children.values() for url in getattr(child, "fetches", [])]
    html, first_view = root.html.render(), getattr(fmap, "first_view", None)
    if first_view:  # inside the map's <div>, where Leaflet then draws
        at = html.rindex("</div>")
        html = html[:at] + str(first_view) + html[at:]
    return {"head": Markup("\n".join(links)), "html": Markup(html),
            "script": Markup(root.script.render()), "first_view": bool(first_view)}


def _preload(url):
    """Fetch the geometry while the page is still loading, not after its scripts have run."""
    return str(Markup('<link rel="preload" href="{}" as="fetch" crossorigin>').format(url))


def merged_head(parts_list):
    """One head for several maps on a page: each asset once."""
    lines = [line for parts in parts_list for line in str(parts["head"]).splitlines()]
    return Markup("\n".join(dict.fromkeys(lines)))


def furniture(_=_IDENTITY):
    """The words of the map's controls: search, full screen, value on labels."""
    return {"texts": {"search": _("Find a commune"), "searchButton": _("Find"),
                      "notFound": _("No commune of this name. Did you mean:"),
                      "fullscreen": _("Full screen"), "valuesOnLabels": _("Values on labels"),
                      "highlightClass": _("Show the communes of this class"),
                      "mapKeys": _("Map of the communes. Arrow keys: from commune to commune, west to east; "
                                   "Enter: its value card; Enter again: its profile; Escape: close the card."),
                      "pickKeys": _("Map of the communes. Arrow keys: from commune to commune, west to east; "
                                    "Enter: choose it or drop it."),
                      "picked": _("Chosen"), "notPicked": _("Not chosen"),
                      "classWord": _("Class"), "openProfile": _("Open the commune's profile"),
                      "again": _("Tap or press Enter again to open the profile.")}}


# Okabe–Ito and a wine red: every pair at least ΔE 16 apart under protanopia, deuteranopia and
# tritanopia (tests/test_colour_vision.py); the map also writes each commune's name on it.
ERA_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#882255"]


def build_eras_map(urls, new_units, labels, bounds, attribution, tiles=None, new_labels=None, _=_IDENTITY,
                   profile_url=None):
    """Both eras on one map: the new communes filled, the former ones outlined, the patches hatched.

    urls: {'new', 'old', 'patches'} GeoJSON endpoints; new_units: [(code, name)] in colour order;
    profile_url: a URL with '{code}' for the profile of a new commune (opened from the keyboard)."""
    fmap = base_map(bounds, tiles)
    colors = {code: ERA_COLORS[i % len(ERA_COLORS)] for i, (code, _) in enumerate(new_units)}
    ScriptLayer("maisonEras", {**urls, "colors": colors, "labels": labels, "newLabels": new_labels or [],
                               "attribution": attribution, "profile": profile_url, **furniture(_)}).add_to(fmap)
    return fmap


# Told apart under the common colour-vision deficiencies (the former green/light green were not).
PROGRESS_COLORS = {"met": "#0072B2", "on_track": "#56B4E9", "behind": "#E69F00", "no_data": NO_DATA_COLOR}


def progress_view(view, result):
    """The same view, coloured by progress state instead of value class."""
    styles = {p.row.unit.code: {"fill": PROGRESS_COLORS[p.state], "band": p.state,
                                "illustrative": p.row.status == "illustrative"} for p in result.rows}
    return ChoroplethView(view.table, view.classification, [], [], styles, view.tooltips,
                          view.value_texts, view.lang)
