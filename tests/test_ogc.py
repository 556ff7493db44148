"""OGC API – Features under /ogc: the core's answers, and real clients reading them (GDAL/OGR's OAPIF
driver, ogr2ogr, OWSLib, schemathesis) against the app served on a free 127.0.0.1 port."""
import json
import shutil
import subprocess

import pytest
import schemathesis
from shapely.geometry import shape

from test_openapi import assert_conforms

needs_gdal = pytest.mark.skipif(not shutil.which("ogrinfo"),
                                reason="gdal-bin is missing (apt-get install gdal-bin; `make test` installs it as root)")


def test_landing_conformance_and_collections(client, catalogue):
    links = {l["rel"] for l in client.get("/ogc").get_json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= links
    conf = client.get("/ogc/conformance").get_json()["conformsTo"]
    assert {c.rsplit("/", 1)[1] for c in conf} == {"core", "geojson", "html", "oas30"}
    ids = [c["id"] for c in client.get("/ogc/collections").get_json()["collections"]]
    assert ids[:2] == ["units-pre2025", "units-post2025"]
    assert {f"{i.key}-{v}" for i in catalogue.mappable() for v in ("pre2025", "post2025")} <= set(ids)


def test_items_page_with_links_counts_and_media_type(client):
    response = client.get("/ogc/collections/units-pre2025/items?limit=5&offset=5")
    assert response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["numberMatched"] == 22 and body["numberReturned"] == 5
    assert [f["id"] for f in body["features"]] == sorted(f["id"] for f in body["features"])
    links = {l["rel"]: l["href"] for l in body["links"]}
    assert "offset=10" in links["next"] and "offset=0" in links["prev"] and "limit=5" in links["next"]
    last = client.get("/ogc/collections/units-pre2025/items?limit=5&offset=20").get_json()
    assert last["numberReturned"] == 2 and "next" not in {l["rel"] for l in last["links"]}


def test_indicator_features_carry_value_status_source_per_period_and_mark_illustrative(client):
    body = client.get("/ogc/collections/ban_gate_pct-pre2025/items?simplified=1").get_json()
    assert body["numberMatched"] == 22
    props = body["features"][0]["properties"]
    assert {"value_2024", "status_2024", "source_2024", "illustrative", "notice"} <= set(props)
    assert all(f["properties"]["illustrative"] is (f["properties"]["status_2024"] == "illustrative")
               for f in body["features"])
    assert all("Illustrative" in f["properties"]["notice"] for f in body["features"] if f["properties"]["illustrative"])
    one = client.get("/ogc/collections/ban_gate_pct-pre2025/items/04132?period=2024").get_json()
    values = client.get("/api/values?indicator=ban_gate_pct&period=2024").get_json()["rows"]
    row = next(r for r in values if r["code"] == "04132")
    assert one["properties"]["value"] == row["value"] and one["properties"]["status"] == row["status"]


def test_population_is_official_and_not_marked(client):
    props = client.get("/ogc/collections/population-pre2025/items/04135").get_json()["properties"]
    assert props["status_2019"] == "official" and props["illustrative"] is False and props["notice"] is None


def test_bbox_properties_datetime_and_simplified(client):
    boxed = client.get("/ogc/collections/units-pre2025/items?bbox=104.0,21.1,104.1,21.2").get_json()
    assert 0 < boxed["numberMatched"] < 22
    for f in boxed["features"]:
        assert shape(f["geometry"]).intersects(shape({"type": "Polygon", "coordinates": [
            [[104.0, 21.1], [104.1, 21.1], [104.1, 21.2], [104.0, 21.2], [104.0, 21.1]]]}))
    lean = client.get("/ogc/collections/units-post2025/items?properties=code,name").get_json()
    assert set(lean["features"][0]["properties"]) == {"code", "name"}
    dated = client.get("/ogc/collections/population-pre2025/items/04135?datetime=2020/..").get_json()
    assert not any(k.endswith("_2019") for k in dated["properties"])
    full = client.get("/ogc/collections/units-post2025/items").data
    web = client.get("/ogc/collections/units-post2025/items?simplified=1").data
    assert len(full) > 2 * len(web)


@pytest.mark.parametrize("query,param", [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"), ("bbox=1,2,3", "bbox"),
    ("bbox=10,0,5,1", "bbox"), ("properties=nope", "properties"), ("period=1999", "period"),
    ("datetime=yesterday", "datetime"), ("f=xml", "f"), ("colour=red", "colour"), ("simplified=maybe", "simplified")])
def test_bad_parameters_are_400_in_the_ogc_exception_format(client, query, param):
    response = client.get(f"/ogc/collections/units-pre2025/items?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "InvalidParameterValue" and param in body["description"] and body["param"] == param


def test_unknown_collection_or_item_is_404(client):
    for url in ("/ogc/collections/nope", "/ogc/collections/nope/items", "/ogc/collections/units-post2025/items/04165",
                "/ogc/nothing"):
        response = client.get(url)
        assert response.status_code == 404 and response.get_json()["code"] == "NotFound", url


def test_html_pages_in_vietnamese_first(client):
    page = client.get("/ogc/collections/ban_gate_pct-pre2025/items?f=html").get_data(as_text=True)
    assert '<html lang="vi"' in page and "Minh họa" in page and "04132" in page
    english = client.get("/ogc/collections?f=html&lang=en").get_data(as_text=True)
    assert "Collections" in english and '<html lang="en"' in english
    assert client.get("/ogc/collections", headers={"Accept": "text/html"}).mimetype == "text/html"


def test_html_features_on_a_map_and_one_feature_located(client):
    page = client.get("/ogc/collections/ban_gate_pct-pre2025/items?f=html").get_data(as_text=True)
    assert "maisonChoropleth" in page and "map.js" in page
    one = client.get("/ogc/collections/units-post2025/items/04132?f=html").get_data(as_text=True)
    assert '"locator": "04132"' in one and "Xã Chiềng Mai" in one


def test_every_ogc_route_is_in_its_api_document(app, client):
    from maison_geo.contract import openapi_path
    from maison_geo.web.openapi import routes
    doc = client.get("/ogc/api")
    assert doc.mimetype == "application/vnd.oai.openapi+json"
    paths = json.loads(doc.data)["paths"]
    assert {(openapi_path(r), m.lower()) for r, m, _, op in routes(app, "/ogc")} == \
        {(p, m) for p, ms in paths.items() for m in ms}


def test_ogc_conforms_to_its_document(live_url):
    assert_conforms(schemathesis.openapi.from_url(f"{live_url}/ogc/api"), max_examples=10)


def _ogr(*args):
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@needs_gdal
def test_ogrinfo_lists_collections_and_reads_22_and_8_features(live_url):
    listing = _ogr("ogrinfo", "-ro", "-q", f"OAPIF:{live_url}/ogc")
    assert "units-pre2025" in listing and "ban_gate_pct-post2025" in listing
    for layer, count in (("units-pre2025", 22), ("units-post2025", 8)):
        summary = _ogr("ogrinfo", "-ro", "-so", f"OAPIF:{live_url}/ogc", layer)
        assert f"Feature Count: {count}" in summary and "full_name: String" in summary
    values = _ogr("ogrinfo", "-ro", "-geom=NO", f"OAPIF:{live_url}/ogc", "ban_gate_pct-pre2025")
    assert values.count("OGRFeature(") == 22 and "status_2024 (String) = illustrative" in values


@needs_gdal
def test_ogr2ogr_copies_a_collection_into_a_geopackage_equal_to_ours(live_url, client, tmp_path):
    import pyogrio
    target = tmp_path / "copy.gpkg"
    _ogr("ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{live_url}/ogc", "population-post2025")
    copied = pyogrio.read_dataframe(target).set_index("code").sort_index()
    ours = client.get("/ogc/collections/population-post2025/items").get_json()["features"]
    assert list(copied.index) == [f["id"] for f in ours]
    for feature in ours:
        row = copied.loc[feature["id"]]
        for name in ("name", "full_name", "value_2019", "status_2019", "source_2019"):
            assert row[name] == feature["properties"][name], (feature["id"], name)
        mine = shape(feature["geometry"])
        assert row.geometry.symmetric_difference(mine).area < 1e-9 * max(mine.area, 1e-12) + 1e-12


def test_owslib_reads_collections_items_with_bbox_and_limit_and_one_item(live_url):
    from owslib.ogcapi.features import Features
    api = Features(f"{live_url}/ogc/")
    ids = [c["id"] for c in api.collections()["collections"]]
    assert "units-pre2025" in ids and "population-pre2025" in ids
    assert api.collection("units-post2025")["extent"]["spatial"]["crs"].endswith("CRS84")
    page = api.collection_items("units-pre2025", bbox=[104.0, 21.1, 104.1, 21.2], limit=3)
    assert page["numberReturned"] == 3 and 3 < page["numberMatched"] < 22
    one = api.collection_item("population-pre2025", "04135")
    assert one["properties"]["name"] == "Hát Lót" and one["properties"]["value_2019"] == 9720


def test_feature_codes_are_listed_in_the_document_only_while_few(app, monkeypatch):
    from maison_geo.web import ogc as web_ogc
    with app.test_request_context():
        assert "04135" in web_ogc.unit_codes(web_ogc.OgcContext())
        monkeypatch.setattr(web_ogc, "ENUM_LIMIT", 10)
        assert web_ogc.unit_codes(web_ogc.OgcContext()) == []
    assert app.test_client().get("/ogc/collections/units-pre2025/items/99999").status_code == 404


def test_cors_preflight_allows_any_site_to_read(client):
    response = client.options("/ogc/collections/units-pre2025/items", headers={
        "Origin": "https://portal.example", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "POST" not in response.headers["Access-Control-Allow-Methods"]
