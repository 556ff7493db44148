"""The overview: every unit on a grid fit to the extent, as quantized TopoJSON."""
import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box, shape

from maison_geo.overview import decode_ring, grid_for, overview_topology


def _arcs_of(geometry):
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [arc for polygon in polygons for ring in polygon for arc in ring]


def test_every_unit_is_kept_and_every_ring_closes_on_the_grid(store):
    frame = store.units("pre2025")
    topology = overview_topology(frame)
    grid = topology["transform"]["scale"][0]
    assert grid == pytest.approx(grid_for(frame.total_bounds))
    geometries = topology["objects"]["units"]["geometries"]
    assert [g["properties"]["code"] for g in geometries] == list(frame.code)
    used = sorted(arc for g in geometries for arc in _arcs_of(g))
    assert used == list(range(len(topology["arcs"])))  # one arc per ring, each used once
    for geometry, shape in zip(geometries, frame.geometry):
        ring = decode_ring(topology, _arcs_of(geometry)[0])
        assert np.allclose(ring[0], ring[-1])
        minx, miny, maxx, maxy = shape.bounds
        assert minx - grid <= ring[:, 0].min() and ring[:, 0].max() <= maxx + grid
        assert miny - grid <= ring[:, 1].min() and ring[:, 1].max() <= maxy + grid


def test_a_unit_smaller_than_the_grid_keeps_one_cell():
    frame = gpd.GeoDataFrame({"code": ["big", "tiny"], "name": ["Big", "Tiny"], "unit_type": ["xa", "xa"]},
                             geometry=[box(0, 0, 10, 10), box(10, 0, 10.001, 0.001)], crs="EPSG:4326")
    topology = overview_topology(frame, grid=0.5)
    tiny = topology["objects"]["units"]["geometries"][1]
    ring = decode_ring(topology, _arcs_of(tiny)[0])
    assert tiny["properties"]["code"] == "tiny" and len(ring) == 5
    assert np.ptp(ring[:, 0]) == pytest.approx(0.5) and np.ptp(ring[:, 1]) == pytest.approx(0.5)


def test_units_as_topojson_and_by_bounding_box(client):
    topology = client.get("/api/units?format=topojson").get_json()
    assert topology["type"] == "Topology" and len(topology["objects"]["units"]["geometries"]) == 22
    assert topology["attribution"] and topology["vintage"] == "pre2025"
    fine = client.get("/api/units?format=topojson&bbox=104.0,21.1,104.1,21.2&grid=0.0001").get_json()
    assert fine["transform"]["scale"] == [0.0001, 0.0001]
    assert 0 < len(fine["objects"]["units"]["geometries"]) < 22
    part = client.get("/api/units?bbox=104.0,21.1,104.1,21.2&properties=code").get_json()["features"]
    assert sorted(f["properties"]["code"] for f in part) == sorted(
        g["properties"]["code"] for g in fine["objects"]["units"]["geometries"])


@pytest.mark.parametrize("query, word", [("bbox=1,2,3", "four numbers"), ("bbox=5,0,1,1", "west < east"),
                                         ("bbox=a,b,c,d", "four numbers"), ("bbox=nan,0,1,1", "west < east"),
                                         ("format=topojson&grid=0", "between"),
                                         ("format=topojson&grid=x", "number"), ("format=svg", "topojson")])
def test_bad_geometry_parameters_get_a_clear_400(client, query, word):
    response = client.get(f"/api/units?{query}")
    assert response.status_code == 400
    assert word in json.dumps(response.get_json())


def test_a_map_of_many_units_starts_from_the_overview(client, monkeypatch):
    from maison_geo.web import geo
    monkeypatch.setattr(geo, "OVERVIEW_LIMIT", 10)
    html = client.get("/map?indicator=population&period=2019").get_data(as_text=True)
    assert "/static/vendor/topojson-client/topojson-client.min.js" in html
    assert 'rel="preload" href="/api/units?vintage=pre2025&amp;format=topojson"' in html
    assert client.get("/static/vendor/topojson-client/topojson-client.min.js").status_code == 200
    assert '<script src="/static/quiet-units.js"></script>' in html
    assert b"maisonQuietUnits" in client.get("/static/quiet-units.js").data
    few = client.get("/compare?vintage=post2025").get_data(as_text=True)
    assert "topojson-client" not in few and "quiet-units" not in few  # 8 units: the plain geometry


def test_a_box_with_no_unit_gives_empty_answers(client):
    far = "bbox=0,0,1,1"
    topology = client.get(f"/api/units?format=topojson&{far}&grid=0.01").get_json()
    assert topology["objects"]["units"]["geometries"] == [] and topology["arcs"] == []
    assert client.get(f"/api/units?{far}").get_json()["features"] == []


def test_a_locator_among_many_units_shows_the_units_neighbourhood(client, monkeypatch):
    from maison_geo.web import geo
    from test_maps import _map_config
    district = _map_config(client.get("/communes/pre2025/04132").get_data(as_text=True))
    assert "bbox=" not in district["geojson"] and district["locator"] == "04132"
    monkeypatch.setattr(geo, "LABEL_LIMIT", 5)
    client.application.extensions["maison"]["responses"].clear()  # patched code: the kept page is the old code's
    config = _map_config(client.get("/communes/pre2025/04132").get_data(as_text=True))
    assert "bbox=" in config["geojson"] and config["overview"] is None and config["outline"] is None
    west, south, east, north = (float(b) for b in config["geojson"].split("bbox=")[1].split("&")[0].split(","))
    unit = next(f for f in client.get("/api/units?vintage=pre2025").get_json()["features"]
                if f["properties"]["code"] == "04132")
    left, bottom, right, top = shape(unit["geometry"]).bounds
    assert west < left and right < east and south < bottom and top < north
    codes = [f["properties"]["code"] for f in client.get(config["geojson"]).get_json()["features"]]
    assert "04132" in codes
