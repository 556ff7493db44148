"""Print and document exports: /map?format=png|svg|pdf, the profile's PDF fact sheet, the atlas."""
from flask import Blueprint, request
from flask_babel import gettext

from .. import documents, static_map
from ..errors import InvalidChoice
from ..symbols import default_symbol
from ..units import DEFAULT_VINTAGE, check_vintage
from ..values import figure_index, indicator_values
from .context import catalogue, store
from .locale import current_lang
from .renderers import PageData, page, render
from .views import MapRequest, view_for

bp = Blueprint("prints", __name__)
ATLAS = page("prints.atlas", "document")


def boundary_sources(table):
    return table.attribution or [s["attribution"] for s in store().sources() if s["vintage"] == table.vintage]


def map_print(fmt, view):
    """The map view as one page: its file name and its drawing, checked before any drawing (paper, dpi)."""
    paper = static_map.check_paper(request.args.get("paper"))
    dpi = static_map.check_dpi(request.args.get("dpi")) if fmt == "png" else static_map.DEFAULT_DPI
    table = view.table

    def drawing(fmt):
        fig = static_map.map_figure(view, store().units(table.vintage), boundary_sources(table), gettext, paper)
        return static_map.save(fig, fmt, dpi, table.indicator.label(view.lang))
    return f"maison_{table.indicator.key}_{table.period}_{table.vintage}_{paper}", drawing


def fact_sheet(unit, vintage, rows):
    attributions = [s["attribution"] for s in store().sources() if s["vintage"] == vintage]
    fig = documents.fact_sheet(unit, vintage, rows, catalogue(), store().units(vintage), attributions,
                               gettext, current_lang())
    return static_map.save(fig, "pdf", title=unit.full_name)


@bp.get("/atlas")
def atlas():
    """Every mappable indicator of an era, one page each (its default view), after a contents page.
    period: that year where an indicator has it, else the indicator's default year."""
    vintage = check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))
    fmt = ATLAS.format_arg()
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
    return render(PageData(name=f"maison_atlas_{vintage}" + (f"_{period}" if period else ""), retry_after=20,
                           drawing=lambda fmt: documents.atlas(pages, title, gettext(vintage), gettext)), fmt)
