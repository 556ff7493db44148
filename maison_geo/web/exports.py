"""Downloads of exactly what a view shows: CSV, XLSX, GeoJSON, GeoPackage; status and source included.
XLSX and GeoPackage files are built behind the gate of heavy jobs (web.limits)."""
import io
import json
import os
import tempfile

from flask import Response, current_app

from . import limits
from .tables import safe_cell, to_csv

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
             "json": "application/json"}


def attachment(body, name, fmt):
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to text/csv.
    return Response(body, content_type=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def csv_file(rows, columns, name):
    return attachment(to_csv(rows, columns), name, "csv")


def xlsx_file(rows, columns, name, notice=None, sheet="data"):
    with limits.heavy(retry_after=5, wait=current_app.config["READ_WAIT_SECONDS"]):
        return attachment(_xlsx(rows, columns, notice, sheet), name, "xlsx")


def _xlsx(rows, columns, notice, sheet):
    from openpyxl import Workbook
    book = Workbook()
    table = book.active
    table.title = sheet[:31]
    table.append(columns)
    for row in rows:
        table.append([safe_cell(_plain(row.get(c))) for c in columns])
    table.freeze_panes = "A2"
    if notice:
        about = book.create_sheet("note")
        for line in notice if isinstance(notice, list) else [notice]:
            about.append([safe_cell(line)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def geojson_file(collection, name):
    return attachment(json.dumps(collection, ensure_ascii=False), name, "geojson")


def gpkg_file(frame, name, layer="values"):
    """A GeoPackage (QGIS opens it) written to a temporary file and sent as bytes."""
    import pyogrio
    with limits.heavy(retry_after=5, wait=current_app.config["READ_WAIT_SECONDS"]), \
            tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.gpkg")
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
        with open(path, "rb") as f:
            return attachment(f.read(), name, "gpkg")
