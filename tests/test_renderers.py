"""One registry of formats (web.renderers): a new format or a new page is one registration, and the
OpenAPI document offers exactly what the views accept."""
import csv
import io

import pytest
from flask import Blueprint

from maison_geo import create_app
from maison_geo.web import renderers
from maison_geo.web.renderers import FORMATS, PAGES, Format, PageData, page, render

PAGE_URLS = {"/map": "/map?indicator=ban_gate_pct", "/communes/{vintage}/{code}": "/communes/pre2025/04135",
             "/compare": "/compare?codes=04132,04135", "/progress": "/progress?indicator=ban_gate_pct",
             "/eras": "/eras"}


def _tsv(data):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, data.columns, extrasaction="ignore", delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(data.rows)
    return buffer.getvalue()


@pytest.fixture()
def tsv(app):
    """A format registered by a test, and unregistered after it."""
    fmt = renderers.register(Format("tsv", "text/tab-separated-values", _tsv, frozenset({"table"}),
                                    schema={"type": "string"}))
    app.extensions["maison"]["responses"].clear()
    yield fmt
    del FORMATS["tsv"]
    app.extensions["maison"]["responses"].clear()


def test_a_registered_format_is_offered_by_every_page_with_a_table(client, tsv):
    response = client.get("/compare?codes=04132,04135&format=tsv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/tab-separated-values"
    assert response.headers["Content-Disposition"] == 'attachment; filename="maison_compare_04132-04135_pre2025.tsv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True)), delimiter="\t"))
    as_json = client.get("/compare?codes=04132,04135&format=json").get_json()["rows"]
    assert [r["code"] for r in rows] == [r["code"] for r in as_json] and rows
    assert client.get("/map?indicator=ban_gate_pct&format=tsv").status_code == 200
    refused = client.get("/eras?format=tsv")  # the eras page gives no table
    assert refused.status_code == 400 and "tsv" in refused.get_data(as_text=True)


def test_a_registered_format_is_in_the_openapi_document(client, tsv):
    doc = client.get("/api/openapi.json").get_json()
    compare = doc["paths"]["/compare"]["get"]
    formats = next(p for p in compare["parameters"] if p["name"] == "format")["schema"]["enum"]
    assert formats == ["html", "json", "csv", "xlsx", "tsv"]
    assert "text/tab-separated-values" in compare["responses"]["200"]["content"]
    eras = doc["paths"]["/eras"]["get"]
    assert "tsv" not in next(p for p in eras["parameters"] if p["name"] == "format")["schema"]["enum"]


def test_the_document_offers_exactly_the_formats_each_page_accepts(client):
    """Every registered format is either in a twin's format enum (with its media type) or refused by
    the view with a 400 naming the format."""
    doc = client.get("/api/openapi.json").get_json()
    for path, url in PAGE_URLS.items():
        operation = doc["paths"][path]["get"]
        offered = next(p for p in operation["parameters"] if p["name"] == "format")["schema"]["enum"]
        assert set(operation["responses"]["200"]["content"]) == {FORMATS[f].media_type for f in offered}, path
        for key in FORMATS:
            if key not in offered:
                refused = client.get(f"{url}&format={key}" if "?" in url else f"{url}?format={key}")
                assert refused.status_code == 400, (path, key)


def test_a_new_page_is_one_registration(store, tmp_path):
    """A page that gives a payload and a table gets the JSON and CSV twins and its HTML, nothing else."""
    bp = Blueprint("notes", __name__)
    notes = page("notes.notes", "page", "payload", "table")

    @bp.get("/notes")
    def notes_view():
        rows = [{"code": "04135", "note": "=1+1"}]
        return render(PageData(name="maison_notes", html=lambda: "<p>notes</p>", payload={"rows": rows},
                               rows=rows, columns=["code", "note"]), notes.format_arg())
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "USERDATA_PATH": str(tmp_path / "u.sqlite"),
                      "PLANNING_DB": str(tmp_path / "p.sqlite")})
    app.register_blueprint(bp)
    client = app.test_client()
    try:
        assert notes.formats() == ["html", "json", "csv"]
        page_ = client.get("/notes")
        assert page_.status_code == 200 and page_.headers["Content-Type"] == "text/html; charset=utf-8"
        assert client.get("/notes?format=json").get_json() == {"rows": [{"code": "04135", "note": "=1+1"}]}
        table = client.get("/notes?format=csv")
        assert table.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert table.headers["Content-Disposition"] == 'attachment; filename="maison_notes.csv"'
        assert table.get_data(as_text=True) == "\ufeffcode,note\r\n04135,'=1+1\r\n"
        refused = client.get("/notes?format=xlsx&lang=en")
        assert refused.status_code == 400
        assert "“xlsx” given for the download format" in refused.get_data(as_text=True)
    finally:
        del PAGES["notes.notes"]


def test_a_heavy_format_waits_behind_the_gate(app, monkeypatch):
    monkeypatch.setitem(app.config, "READ_WAIT_SECONDS", 0)
    drawn = []
    data = PageData(name="x", drawing=lambda fmt: drawn.append(fmt) or b"%PDF", retry_after=7)
    gate = app.extensions["maison"]["gate"]
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.9"}):
        with gate.enter("ip:127.0.0.9", 5):
            with pytest.raises(renderers.limits.workers.Busy) as busy:
                render(data, "pdf")
        assert busy.value.retry_after == 7 and drawn == []
        response = render(data, "pdf")
    assert drawn == ["pdf"] and response.data == b"%PDF"
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.pdf"'
    assert [f.key for f in FORMATS.values() if f.heavy] == ["xlsx", "gpkg", "png", "svg", "pdf"]
