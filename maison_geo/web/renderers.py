"""One registry of output formats, shared by the pages, their downloads and the OpenAPI document.

A Format says once its media type, file extension, how a page's data becomes its body, whether it is a
download and whether it is heavy (built behind the gate of heavy jobs, web.limits). A Page says which
kinds of data it gives (a page, a payload, a table, ...); it offers every format that needs one of them,
in the registry's order. A view parses its parameters, builds a PageData, and calls render(data, fmt)."""
import io
import json
import os
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from flask import Response, current_app, make_response, request

from .. import schemas
from ..errors import InvalidChoice
from . import limits
from .tables import safe_cell, to_csv


@dataclass
class PageData:
    """What a page shows, as data; each format reads the parts it needs."""
    name: str = "maison"  # the download's file name, without extension
    html: Callable = None  # () -> the page as the view returns it
    payload: object = None  # the JSON twin
    rows: list = None  # the table: rows (dicts) and their columns
    columns: list = None
    notice: object = None  # a line or lines for the workbook's note sheet
    sheet: str = "data"
    collection: Callable = None  # () -> a GeoJSON FeatureCollection (dict)
    features: Callable = None  # () -> a GeoDataFrame
    layer: str = "values"
    drawing: Callable = None  # (fmt) -> the printed page or document, bytes
    bodies: dict = field(default_factory=dict)  # fmt -> () -> a body of the page's own making
    retry_after: int = 5  # seconds a heavy format asks to wait when the gate is full


@dataclass(frozen=True)
class Format:
    key: str
    media_type: str
    body: Callable  # PageData -> str | bytes | a response
    needs: frozenset  # the kinds of page data that give this format (any of them)
    content_type: str = None  # the Content-Type header, when it differs from the media type
    attachment: bool = True
    heavy: bool = False
    schema: object = None  # its OpenAPI schema; binary when None (json: the page's own)
    extension: str = None

    def filename(self, name):
        return f"{name}.{self.extension or self.key}"


FORMATS = {}
PAGES = {}
BINARY = {"type": "string", "format": "binary"}


def register(fmt):
    """Make a format available on every page that gives what it needs."""
    FORMATS[fmt.key] = fmt
    return fmt


@dataclass(frozen=True)
class Page:
    endpoint: str
    gives: frozenset

    def formats(self):
        return [f.key for f in FORMATS.values() if f.needs & self.gives]

    def format_arg(self):
        allowed = self.formats()
        fmt = request.args.get("format", allowed[0])
        if fmt not in allowed:
            raise InvalidChoice("format", fmt, allowed)
        return fmt


def page(endpoint, *gives):
    PAGES[endpoint] = Page(endpoint, frozenset(gives))
    return PAGES[endpoint]


def render(data, fmt):
    spec = FORMATS[fmt]
    with _gate(data.retry_after) if spec.heavy else nullcontext():
        body = data.bodies[fmt]() if fmt in data.bodies else spec.body(data)
    if not isinstance(body, (str, bytes)):
        return body
    return download(body, data.name, fmt)


def download(body, name, fmt):
    """A body already made, sent with its format's headers (a file, when the format is a download)."""
    spec = FORMATS[fmt]
    headers = {"Content-Disposition": f'attachment; filename="{spec.filename(name)}"'} if spec.attachment else {}
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to text/csv.
    return Response(body, content_type=spec.content_type or spec.media_type, headers=headers)


def _gate(retry_after):
    return limits.heavy(retry_after=retry_after, wait=current_app.config["READ_WAIT_SECONDS"])


def content(fmts, json_schema):
    """The OpenAPI content of a reply in these formats: media type -> schema."""
    return {FORMATS[f].media_type: json_schema if f == "json" else FORMATS[f].schema or BINARY for f in fmts}


def json_errors(fmt):
    """Whether an error on a page asked in this format is answered in JSON."""
    return fmt in FORMATS and FORMATS[fmt].media_type.endswith("json")


# ---- the formats ------------------------------------------------------------------------------------

def _xlsx(data):
    from openpyxl import Workbook
    book = Workbook()
    table = book.active
    table.title = data.sheet[:31]
    table.append(data.columns)
    for row in data.rows:
        table.append([safe_cell(_plain(row.get(c))) for c in data.columns])
    table.freeze_panes = "A2"
    if data.notice:
        about = book.create_sheet("note")
        for line in data.notice if isinstance(data.notice, list) else [data.notice]:
            about.append([safe_cell(line)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _gpkg(data):
    """A GeoPackage (QGIS opens it) written to a temporary file and sent as bytes."""
    import pyogrio
    frame = data.features()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.gpkg")
        pyogrio.write_dataframe(frame, path, layer=data.layer, driver="GPKG")
        with open(path, "rb") as f:
            return f.read()


def _drawing(fmt):
    return lambda data: data.drawing(fmt)


def _needs(*kinds):
    return frozenset(kinds)


for _format in (
        Format("html", "text/html", lambda d: make_response(d.html()), _needs("page"), attachment=False,
               schema={"type": "string"}),
        Format("json", "application/json", lambda d: current_app.json.response(d.payload), _needs("payload"),
               attachment=False),
        Format("csv", "text/csv", lambda d: to_csv(d.rows, d.columns), _needs("table"),
               content_type="text/csv; charset=utf-8", schema={"type": "string"}),
        Format("xlsx", schemas.XLSX, _xlsx, _needs("workbook"), heavy=True),
        Format("geojson", "application/geo+json", lambda d: json.dumps(d.collection(), ensure_ascii=False),
               _needs("collection"), schema=schemas.feature_collection()),
        Format("gpkg", "application/geopackage+sqlite3", _gpkg, _needs("features"), heavy=True),
        Format("png", "image/png", _drawing("png"), _needs("drawing"), heavy=True),
        Format("svg", "image/svg+xml", _drawing("svg"), _needs("drawing"), heavy=True),
        Format("pdf", "application/pdf", _drawing("pdf"), _needs("drawing", "document"), heavy=True)):
    register(_format)
