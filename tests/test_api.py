import csv
import io

import pytest


def test_units_geojson_pre2025(client):
    body = client.get("/api/units").get_json()
    assert body["type"] == "FeatureCollection" and body["vintage"] == "pre2025"
    assert len(body["features"]) == 22
    props = body["features"][0]["properties"]
    assert {"code", "name", "unit_type", "vintage", "full_name"} <= set(props)
    assert any("GADM 4.1" in a for a in body["attribution"])
    types = {f["properties"]["code"]: f["properties"]["unit_type"] for f in body["features"]}
    assert types["04105"] == "thi_tran" and types["04135"] == "xa"


def test_units_geojson_post2025(client):
    body = client.get("/api/units?vintage=post2025").get_json()
    assert len(body["features"]) == 8 and body["reform_date"] == "2025-07-01"
    assert {f["properties"]["vintage"] for f in body["features"]} == {"post2025"}


def test_full_geometry_on_request(client):
    web = client.get("/api/units?vintage=post2025").data
    full = client.get("/api/units?vintage=post2025&geometry=full").data
    assert len(full) > 3 * len(web)


def test_values_json_rows_and_district(client):
    body = client.get("/api/values?indicator=ban_gate_pct&period=2024").get_json()
    assert len(body["rows"]) == 22
    row = body["rows"][0]
    assert {"code", "name", "unit_type", "value", "numerator", "denominator", "status", "source"} <= set(row)
    assert body["district"]["level"] == "district"
    assert body["district"]["value"] == pytest.approx(47.079, abs=0.001)
    assert body["illustrative"] is True and "Illustrative" in body["notice"]


def test_values_csv_has_status_on_every_row_and_the_district_row(client):
    response = client.get("/api/values?indicator=hh_grid_pct&period=2024&format=csv")
    assert response.mimetype == "text/csv"
    assert "hh_grid_pct_2024_pre2025.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 23
    assert all(r["status"] in ("official", "reported", "illustrative") for r in rows)
    district = [r for r in rows if r["level"] == "district"]
    assert len(district) == 1 and district[0]["value"] == "99.05"


def test_census_values_are_official_and_sum(client):
    body = client.get("/api/values?indicator=population&period=2019").get_json()
    assert sum(r["value"] for r in body["rows"]) == 163_881 == body["district"]["value"]
    assert body["illustrative"] is False and body["notice"] is None


@pytest.mark.parametrize("url, param, choice", [
    ("/api/values?indicator=nope", "indicator", "ban_gate_pct"),
    ("/api/values", "indicator", "population"),
    ("/api/values?indicator=population&vintage=1990", "vintage", "post2025"),
    ("/api/values?indicator=population&period=2024", "period", 2019),
    ("/api/values?indicator=population&period=abc", "period", 2019),
    ("/api/values?indicator=population&format=xml", "format", "csv"),
    ("/api/units?vintage=", "vintage", "pre2025"),
    ("/api/units?geometry=huge", "geometry", "full"),
])
def test_bad_parameters_get_400_naming_the_valid_choices(client, url, param, choice):
    response = client.get(url)
    assert response.status_code == 400
    body = response.get_json()
    assert body["param"] == param and choice in body["choices"]


@pytest.mark.parametrize("junk", ["%00", "'; DROP TABLE figures; --", "<script>", "ｐｏｐ", "9" * 400,
                                  "%E2%80%AE", "../../etc/passwd"])
def test_no_input_gives_a_500(client, junk):
    for url in (f"/api/values?indicator={junk}", f"/api/values?indicator=population&period={junk}",
                f"/api/units?vintage={junk}", f"/api/match?q={junk}", f"/api/values?indicator=population&vintage={junk}"):
        assert client.get(url).status_code < 500, url


def test_match_resolves_and_explains(client):
    assert client.get("/api/match?q=Na%20Po").get_json()["code"] == "04136"
    ambiguous = client.get("/api/match?q=H%C3%A1t%20L%C3%B3t")
    assert ambiguous.status_code == 400
    assert {c["code"] for c in ambiguous.get_json()["candidates"]} == {"04105", "04135"}


def test_unbuilt_store_is_a_clear_503(tmp_path):
    from maison_geo import create_app
    client = create_app({"TESTING": True, "STORE_PATH": str(tmp_path / "none.gpkg")}).test_client()
    response = client.get("/api/units")
    assert response.status_code == 503 and "make data" in response.get_json()["error"]
