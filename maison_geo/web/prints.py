"""Print and document exports: /map?format=png|svg|pdf, the profile's PDF fact sheet, the atlas."""
from flask import Blueprint, Response, request
from flask_babel import gettext

from .. import static_map
from .context import store

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
    fig = static_map.map_figure(view, store().units(table.vintage), boundary_sources(table), gettext, paper)
    name = f"maison_{table.indicator.key}_{table.period}_{table.vintage}_{paper}"
    return document(static_map.save(fig, fmt, dpi, table.indicator.label(view.lang)), name, fmt)
