import csv
import io
import json
import math
import re

import pyogrio
import pytest
from openpyxl import load_workbook

from maison_geo import create_app
from test_maps import fill_of
from maison_geo.web.renderers import PageData, render
from maison_geo.web.tables import safe_cell, to_csv


def _configs(html):
    """Each map's configuration, decoded from the maisonChoropleth(map, {...}) calls in the page."""
    decoder = json.JSONDecoder()
    calls = html.split("maisonChoropleth(")[1:]
    return [decoder.raw_decode(call[call.index("{"):])[0] for call in calls]


def test_split_panels_of_one_indicator_share_breaks_and_one_legend(client):
    html = client.get("/split?indicator=households&periods=2019,2024&k=4").get_data(as_text=True)
    configs = _configs(html)
    assert len(configs) == 2
    assert html.count('class="legend-classes"') == 1  # one legend
    ranges = re.findall(r'<li class="class">.*?</span>([^<(]+)', html, re.S)
    assert len(ranges) == 4
    data_2019 = client.get("/map?indicator=households&period=2019&format=json").get_json()["rows"]
    data_2024 = client.get("/map?indicator=households&period=2024&format=json").get_json()["rows"]
    # the same value gets the same colour in both panels: build value → colour from both panels
    colour_of = {}
    for config, rows in zip(configs, (data_2019, data_2024)):
        for row in rows:
            fill = fill_of(config, row["code"])
            assert colour_of.setdefault(row["value"], fill) == fill
    # and the breaks are not each panel's own: 2019's largest value is classed with 2024's scale
    own_2019 = client.get("/map?indicator=households&period=2019&k=4&format=json").get_json()
    shared_lowers = [float(re.search(r"\d[\d.]*", r).group().replace(".", "")) for r in ranges]
    assert shared_lowers != [c["lower"] for c in own_2019["classification"]["classes"]]


def test_split_of_several_indicators_has_a_legend_each(client):
    html = client.get("/split?indicators=ban_gate_pct,hh_grid_pct,hh_gate_light_pct&period=2024").get_data(as_text=True)
    assert len(_configs(html)) == 3 and html.count('class="legend-classes"') == 3
    assert "maisonSync()" in html


@pytest.mark.parametrize("url", ["/split?indicator=population", "/split?indicators=a,b",
                                 "/split?indicators=ban_count,ban_gate_pct,hh_grid,hh_grid_pct,households"])
def test_split_refuses_what_it_cannot_show(client, url):
    assert client.get(url).status_code == 400


def test_compare_page_side_by_side(client):
    html = client.get("/compare?codes=04123,04132,04141").get_data(as_text=True)
    assert 'id="compare-table"' in html and html.count('<tr data-indicator="') >= 15
    data = client.get("/compare?codes=04123,04132&format=json").get_json()
    gate = [r for r in data["rows"] if r["indicator"] == "ban_count"]
    assert [r["code"] for r in gate] == ["04123", "04132"]
    assert gate[1]["difference"] == gate[1]["value"] - gate[0]["value"]
    assert gate[0]["district_value"] == 291 and data["illustrative"] is True


@pytest.mark.parametrize("query", ["codes=99999", "codes=04105,04108,04111,04114,04117,04120,04123",
                                   "codes=04111,04114&vintage=post2025"])
def test_compare_refuses_unknown_or_too_many(client, query):
    assert client.get(f"/compare?{query}").status_code == 400


def _shown(client):
    return client.get("/map?indicator=ban_gate_pct&period=2024&format=json").get_json()


def test_csv_download_equals_the_view(client):
    shown = _shown(client)
    text = client.get("/map?indicator=ban_gate_pct&period=2024&format=csv").get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))) if r["level"] == "unit"]
    assert {r["code"]: float(r["value"]) for r in rows} == {r["code"]: r["value"] for r in shown["rows"]}
    assert {r["status"] for r in rows} == {"illustrative"} and all(r["source"] for r in rows)


def test_xlsx_download_equals_the_view(client):
    shown = {r["code"]: r for r in _shown(client)["rows"]}
    response = client.get("/map?indicator=ban_gate_pct&period=2024&format=xlsx")
    assert "maison_ban_gate_pct_2024_pre2025.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["ban_gate_pct"]
    header = [c.value for c in sheet[1]]
    found = {}
    for line in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, line))
        if row["level"] == "unit":
            found[row["code"]] = row
    assert {c: r["value"] for c, r in found.items()} == {c: r["value"] for c, r in shown.items()}
    assert all(r["status"] == "illustrative" for r in found.values())
    assert any("Illustrative" in (c.value or "") for c in book["note"]["A"])


def test_geojson_and_geopackage_downloads_equal_the_view(client, tmp_path):
    shown = {r["code"]: r["value"] for r in _shown(client)["rows"]}
    collection = json.loads(client.get("/map?indicator=ban_gate_pct&period=2024&format=geojson").data)
    assert {f["properties"]["code"]: f["properties"]["value"] for f in collection["features"]} == shown
    path = tmp_path / "view.gpkg"
    path.write_bytes(client.get("/map?indicator=ban_gate_pct&period=2024&format=gpkg").data)
    frame = pyogrio.read_dataframe(path)
    assert dict(zip(frame.code, frame.value)) == pytest.approx(shown)
    assert set(frame.status) == {"illustrative"} and len(frame) == 22


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_formula_cells_are_neutralised(text):
    assert safe_cell(text).startswith("'")
    read_back = next(csv.DictReader(io.StringIO(to_csv([{"a": text}], ["a"]).lstrip("\ufeff"))))
    assert read_back["a"] == "'" + text
    with create_app({"TESTING": True}).test_request_context():
        data = render(PageData(rows=[{"a": text, "n": -5}], columns=["a", "n"]), "xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'" + text and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5  # numbers stay numbers


def test_progress_without_a_target_says_so(client):
    html = client.get("/progress?indicator=ban_gate_pct").get_data(as_text=True)
    assert 'class="no-target"' in html
    data = client.get("/progress?indicator=ban_gate_pct&format=json").get_json()
    assert data["target"] is None and "no target" in data["message"]


def test_progress_with_a_configured_target(store, tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"ban_gate_pct": {"value": 60, "year": 2025,
                                                    "source": "test: a target for this test"}}))
    client = create_app({"TESTING": True, "STORE_PATH": str(store.location),
                         "TARGETS_PATH": str(targets)}).test_client()
    data = client.get("/progress?indicator=ban_gate_pct&period=2024&format=json").get_json()
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["04132"]["state"] == "met" and rows["04132"]["gap"] == 0       # 81.8 %
    assert rows["04105"]["state"] == "behind"                                   # 22.9 % of 35 bản
    hat_lot = rows["04105"]
    assert hat_lot["gap_count"] == math.ceil(0.6 * hat_lot["denominator"] - hat_lot["numerator"])
    assert hat_lot["gap"] == pytest.approx(60 - hat_lot["value"])
    assert rows["04144"]["state"] == "on_track"                                 # 54.5 %, within 10 %
    assert sum(data["summary"].values()) == 22
    html = client.get("/progress?indicator=ban_gate_pct").get_data(as_text=True)
    assert 'id="progress-table"' in html and "test: a target for this test" in html


def test_a_target_without_source_is_refused(catalogue):
    with pytest.raises(ValueError, match="source"):
        catalogue.with_targets({"ban_gate_pct": {"value": 60, "year": 2025, "source": ""}})


def test_compare_page_has_a_picker_map_with_the_chosen_communes(client):
    import json
    import re
    html = client.get("/compare?codes=04123,04132&vintage=pre2025").get_data(as_text=True)
    config = json.loads(re.search(r"maisonChoropleth\([^,]+, (\{.*\})\);", html).group(1))
    assert config["picked"] == ["04123", "04132"] and config["profile"] is None
    empty = client.get("/compare?vintage=post2025").get_data(as_text=True)
    assert '"picked": []' in empty and "post2025" in re.search(r'"geojson": "([^"]+)"', empty).group(1)


def test_targets_file_from_the_environment(store, tmp_path, monkeypatch):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"ban_gate_pct": {"value": 60, "year": 2025, "source": "test: env target"}}))
    monkeypatch.setenv("MAISON_TARGETS", str(targets))
    client = create_app({"TESTING": True, "STORE_PATH": str(store.location)}).test_client()
    data = client.get("/progress?indicator=ban_gate_pct&period=2024&format=json").get_json()
    assert sum(data["summary"].values()) == 22
