"""Split view: 2 to 4 synchronised maps of several periods of one indicator (by default its latest 4),
or of several indicators."""
from flask import Blueprint, render_template, request
from flask_babel import gettext

from .. import maps
from ..classify import check_scheme, classify
from ..qualitative import build_qualitative_view
from ..errors import InvalidChoice
from ..units import DEFAULT_VINTAGE, check_vintage
from ..values import figure_index, indicator_values
from . import geo
from .context import catalogue, store
from .locale import current_lang
from .views import profile_url_pattern

bp = Blueprint("split", __name__)
MAX_PANELS = 4


def _list(name):
    return [v for raw in request.args.getlist(name) for v in raw.split(",") if v.strip()]


def panels_asked(index):
    """[(indicator key, period)] from ?indicator=K&periods=a,b or ?indicators=a,b[&period=P]."""
    keys = _list("indicators")
    if keys:
        period = request.args.get("period")
        panels = [(k, period) for k in keys]
    else:
        key = request.args.get("indicator", "ban_gate_pct")
        periods = _list("periods") or [str(p) for p in index.periods(catalogue().get(key))][-MAX_PANELS:]
        panels = [(key, p) for p in periods]
    if not 2 <= len(panels) <= MAX_PANELS:
        raise InvalidChoice("panels", len(panels), ["2 to 4 maps: give 2–4 periods or 2–4 indicators"])
    return panels


def shares_a_legend(tables):
    """One indicator, numeric, measured by one standard: one set of breaks. Categories keep fixed colours
    but count per map; figures of two poverty standards never share a legend."""
    first = tables[0].indicator
    return (len({t.indicator.key for t in tables}) == 1 and not first.qualitative
            and len({t.standard for t in tables}) == 1)


@bp.get("/split")
def split():
    vintage = check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))
    scheme, k = check_scheme(request.args.get("scheme", "quantiles"), request.args.get("k", 5))
    index = figure_index(store(), catalogue(), vintage)
    tables = [indicator_values(store(), catalogue(), key, period, vintage, index=index)
              for key, period in panels_asked(index)]
    lang = current_lang()
    shared = shares_a_legend(tables)
    classification = None
    if shared:  # one indicator: one set of breaks over every panel, one legend
        values = [v for t in tables for v in maps.map_values(t)]
        classification = classify(values, scheme, k, tables[0].indicator)
    views = [build_qualitative_view(t, lang, gettext) if t.indicator.qualitative
             else maps.build_view(t, scheme, k, lang, gettext, classification) for t in tables]
    profiles = profile_url_pattern(vintage)
    parts = [maps.render_parts(maps.build_map(
        v, geo.map_sources(vintage), profiles,
        geo.labels(vintage), geo.bounds(vintage), v.table.attribution,
        height="100%", _=gettext)) for v in views]
    return render_template("split.html", views=views, parts=parts, head=maps.merged_head(parts),
                           shared=shared, vintage=vintage, scheme=scheme, k=k,
                           indicators=catalogue().mappable())
