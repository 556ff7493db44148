"""Print and document exports: /map?format=png|svg|pdf, the profile's PDF fact sheet, the atlas."""
from flask import Blueprint, Response, current_app, request
from flask_babel import gettext

from .. import documents, static_map
from ..errors import InvalidChoice
from ..symbols import default_symbol
from ..units import DEFAULT_VINTAGE, check_vintage
from ..values import figure_index, indicator_values
from . import limits
from .api import format_arg
from .context import catalogue, store
from .locale import current_lang
from .views import MapRequest, view_for

bp = Blueprint("prints", __name__)
MIMETYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def document(body, name, fmt):
    return Response(body, content_type=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def boundary_sources(table):
    return table.attribution or [s["attribution"] for s in store().sources() if s["vintage"] == table.vintage]


def map_print(fmt, view):
    """The map view as one page, checked before any drawing: paper and dpi."""
    paper = static_map.check_paper(request.args.get("paper"))
    dpi = static_map.check_dpi(request.args.get("dpi")) if fmt == "png" else static_map.DEFAULT_DPI
    table = view.table
    with drawing():
        fig = static_map.map_figure(view, store().units(table.vintage), boundary_sources(table), gettext, paper)
        body = static_map.save(fig, fmt, dpi, table.indicator.label(view.lang))
    return document(body, f"maison_{table.indicator.key}_{table.period}_{table.vintage}_{paper}", fmt)


def drawing(retry_after=5):
    """Drawing a print page is heavy work: behind the same gate as solves and uploads (429 beyond it)."""
    return limits.heavy(retry_after=retry_after, wait=current_app.config["READ_WAIT_SECONDS"])


def fact_sheet(unit, vintage, rows):
    attributions = [s["attribution"] for s in store().sources() if s["vintage"] == vintage]
    with drawing():
        fig = documents.fact_sheet(unit, vintage, rows, catalogue(), store().units(vintage), attributions,
                                   gettext, current_lang())
        body = static_map.save(fig, "pdf", title=unit.full_name)
    return document(body, f"maison_profile_{unit.code}_{vintage}", "pdf")


@bp.get("/atlas")
def atlas():
    """Every mappable indicator of an era, one page each (its default view), after a contents page.
    period: that year where an indicator has it, else the indicator's default year."""
    vintage = check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))
    format_arg(["pdf"])
    paper = static_map.check_paper(request.args.get("paper"))
    period = request.args.get("period") or None
    index = figure_index(store(), catalogue(), vintage)
    known = sorted({p for ind in catalogue().mappable() for p in index.periods(ind)})
    if period and (not period.isdigit() or int(period) not in known):
        raise InvalidChoice("period", period, known, where=f"the atlas of {vintage}")
    units = store().units(vintage)
    pages = []
    for ind in catalogue().mappable():
        periods = index.periods(ind)
        if not periods:
            continue
        asked = int(period) if period and int(period) in periods else None
        table = indicator_values(store(), catalogue(), ind.key, asked, vintage, index=index)
        req = MapRequest(ind.key, table.period, vintage, "quantiles", 5, default_symbol(ind))

        def make(table=table, req=req):
            return static_map.map_figure(view_for(table, req), units, boundary_sources(table), gettext, paper)
        pages.append((f"{ind.label(current_lang())} ({table.period})", make))
    title = f"{gettext('Atlas')}: {store().meta().get('scope_label', '')}"
    with drawing(retry_after=20):
        body = documents.atlas(pages, title, gettext(vintage), gettext)
    return document(body, f"maison_atlas_{vintage}" + (f"_{period}" if period else ""), "pdf")
