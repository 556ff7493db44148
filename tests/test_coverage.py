"""The units of each era tile: no gaps, no overlaps, identical shared edges, an outline without holes."""
import geopandas as gpd
import pytest
import shapely

from maison_geo.boundaries import clean_coverage, geodesic_km2


def _holes(shape):
    return sum(len(p.interiors) for p in shapely.get_parts(shape))


@pytest.mark.parametrize("vintage", ["pre2025", "post2025"])
@pytest.mark.parametrize("simplified", [False, True])
def test_each_era_is_a_valid_coverage_without_holes(store, vintage, simplified):
    geoms = store.units(vintage, simplified=simplified).geometry.values
    assert shapely.coverage_is_valid(geoms)
    assert _holes(shapely.union_all(geoms)) == 0


@pytest.mark.parametrize("vintage", ["pre2025", "post2025"])
def test_the_outline_of_an_era_has_no_holes(client, vintage):
    outline = client.get(f"/api/outline?vintage={vintage}").get_json()
    shape = shapely.from_geojson(__import__("json").dumps(outline["features"][0]["geometry"]))
    assert shape.geom_type == "Polygon" and _holes(shape) == 0


def test_the_source_geometry_is_kept_and_cleaning_moved_little_area(store):
    source, cleaned = store.units("pre2025", source=True), store.units("pre2025", simplified=False)
    assert list(source.code) == list(cleaned.code)
    assert _holes(shapely.union_all(source.geometry.values)) == 33  # GADM's gaps, measured
    assert not shapely.coverage_is_valid(source.geometry.values)
    report = store.meta()["coverage_cleaning"]["pre2025"]
    assert report["holes_before"] == 33 and report["holes_after"] == 0
    moved = sum(geodesic_km2([shapely.symmetric_difference(a, b)])[0]
                for a, b in zip(source.geometry, cleaned.geometry))
    assert moved == pytest.approx(report["area_reassigned_km2"], abs=1e-3)
    assert moved < 0.002 * cleaned.area_km2.sum()


def test_gaps_go_to_a_neighbour_and_overlaps_to_one_unit_never_dropped():
    left = shapely.box(0, 0, 1, 1)
    right = shapely.box(1.0005, 0, 2, 1)          # a 0.0005° gap
    top = shapely.box(0, 0.999, 2, 2)             # overlapping both by 0.001°
    bottom = shapely.box(0, -1, 2, 0)             # closes the gap into a hole
    frame = gpd.GeoDataFrame({"vintage": ["x"] * 4, "code": ["a", "b", "c", "d"], "area_km2": 0.0},
                             geometry=[left, right, top, bottom], crs="EPSG:4326")
    cleaned, report = clean_coverage(frame, gap_width=0.001)
    geoms = cleaned.geometry.values
    assert shapely.coverage_is_valid(geoms)
    assert shapely.union_all(geoms).area == pytest.approx(6)
    assert _holes(shapely.union_all([left, right, top, bottom])) == 1
    assert sum(g.area for g in geoms) == pytest.approx(shapely.union_all(geoms).area)
    assert report["x"]["holes_after"] == 0 and report["x"]["overlaps_resolved_km2"] > 0


def test_a_gap_wider_than_the_tolerance_stays_open():
    ring = shapely.box(0, 0, 3, 3).difference(shapely.box(1, 1, 2, 2))
    frame = gpd.GeoDataFrame({"vintage": ["x"], "code": ["a"], "area_km2": 0.0},
                             geometry=[ring], crs="EPSG:4326")
    cleaned, report = clean_coverage(frame, gap_width=0.001)
    assert cleaned.geometry.iloc[0].area == pytest.approx(8)
    assert report["x"]["holes_after"] == 1
