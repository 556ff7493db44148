import shutil
import time

import pyogrio
import pytest
import shapely

from maison_geo import build as data_step
from maison_geo import upstream
from maison_geo.boundaries import geodesic_km2, restore_gadm_name
from maison_geo.errors import DataError
from maison_geo.store import open_store
from maison_geo.units import load_register


def test_22_real_units_with_codes_names_and_areas(store):
    units = store.units("pre2025", simplified=False)
    assert len(units) == 22
    register = {u.code: u for u in load_register("pre2025")}
    assert set(units.code) == set(register)
    for row in units.itertuples():
        assert row.name == register[row.code].name
        assert row.unit_type == register[row.code].unit_type
    assert units.area_km2.sum() == pytest.approx(1425.9, abs=1.0)
    assert units.set_index("code").loc["04105", "full_name"] == "Thị trấn Hát Lót"
    assert units.set_index("code").loc["04136", "name"] == "Nà Bó"  # GADM spells it Nà Pó


def test_8_units_of_2025(store):
    units = store.units("post2025", simplified=False)
    assert sorted(units.code) == ["04105", "04108", "04117", "04123", "04132", "04136", "04144", "04159"]
    assert units.set_index("code").loc["04136", "name"] == "Tà Hộc"  # 04136 meant Nà Bó before
    assert units.area_km2.sum() == pytest.approx(1419.9, abs=1.0)


def test_web_geometry_is_simplified_on_a_shared_coverage(store):
    full, web = store.units("post2025", simplified=False), store.units("post2025")
    assert shapely.get_num_coordinates(web.geometry.values).sum() < \
        shapely.get_num_coordinates(full.geometry.values).sum() / 3
    assert web.geometry.is_valid.all()
    assert shapely.coverage_is_valid(full.geometry.values)
    assert shapely.coverage_is_valid(web.geometry.values)  # neighbours keep one shared border
    assert sum(geodesic_km2(web.geometry)) == pytest.approx(sum(geodesic_km2(full.geometry)), rel=0.01)


def test_store_is_a_geopackage_qgis_can_open(gpkg_store):
    store = gpkg_store
    layers = dict(pyogrio.list_layers(store.path))
    assert layers["units"] == "MultiPolygon" or layers["units"] in ("Polygon", "Unknown")
    assert {"units", "units_web", "figures", "crosswalk", "facts", "sources", "meta"} <= set(layers)
    assert pyogrio.read_info(store.path, layer="units")["crs"] == "EPSG:4326"


def test_attribution_travels_with_the_data(store):
    attributions = {s["vintage"]: s["attribution"] for s in store.sources()}
    assert "GADM 4.1" in attributions["pre2025"]
    assert "sapnhap.bando.com.vn" in attributions["post2025"]
    assert "thanglequoc/vietnamese-provinces-database" in attributions["post2025"]


def test_second_build_is_a_quick_no_op(store, mirror):
    started = time.perf_counter()
    wrote = data_step.build(store, "mai_son", mirror=mirror, log=lambda *_: None)
    assert wrote is False
    assert time.perf_counter() - started < 5  # generous: it only hashes a few files


def test_changed_geodata_triggers_a_rebuild(store, geodata_copy):
    before = data_step.fingerprint("mai_son", geodata_copy)
    (geodata_copy / "figures" / "news.csv").write_text("vintage,level\n", encoding="utf-8")
    assert data_step.fingerprint("mai_son", geodata_copy) != before


def test_wrong_checksum_is_refused(tmp_path, mirror):
    fake = tmp_path / "mirror"
    fake.mkdir()
    (fake / "gadm41_VNM_3.json.zip").write_bytes(b"not the GADM file")
    source = upstream.manifest()["gadm41_vnm_3"]
    with pytest.raises(DataError, match="sha256"):
        upstream.locate(source, mirror=fake, cache=tmp_path / "cache")


def test_missing_file_without_url_names_how_to_get_it(tmp_path):
    source = upstream.manifest()["son_la_wards_2025"]
    with pytest.raises(DataError, match="MAISON_DATA_MIRROR"):
        upstream.locate(source, mirror=tmp_path, cache=tmp_path / "cache")


def test_mirror_copy_is_taken_before_any_download(tmp_path, mirror):
    copy = tmp_path / "m"
    copy.mkdir()
    shutil.copy(mirror / "son_la_wards_2025.geojson", copy)
    source = upstream.manifest()["son_la_wards_2025"]
    assert upstream.locate(source, mirror=copy, cache=tmp_path / "c") == copy / source.file


def test_a_failed_build_leaves_the_old_store_whole(gpkg_store, tmp_path, mirror, geodata_copy):
    store = gpkg_store
    target = open_store(tmp_path / "kept.gpkg")
    shutil.copy(store.path, target.path)
    (geodata_copy / "units_pre2025.csv").write_text(
        (geodata_copy / "units_pre2025.csv").read_text(encoding="utf-8").replace("Chiềng Ve", "Chiềng Vê"),
        encoding="utf-8")
    with pytest.raises(DataError, match="VNM.52.3.11_1"):
        data_step.build(target, "mai_son", geodata=geodata_copy, mirror=mirror, force=True,
                        log=lambda *_: None)
    assert len(target.units("pre2025")) == 22
    assert target.meta()["fingerprint"] == store.meta()["fingerprint"]


def test_pipeline_is_general_a_province_scope_builds_204_units(tmp_path, mirror):
    province = open_store(tmp_path / "son_la.gpkg")
    data_step.build(province, "son_la", mirror=mirror, force=True, log=lambda *_: None)
    units = province.units("pre2025", simplified=False)
    assert len(units) == 204
    assert len(province.units("post2025")) == 75
    mai_son = units[units.code.str.match(r"^041\d\d$")]
    assert len(mai_son) == 22  # register units keep GSO codes; others keep GADM ids


@pytest.mark.parametrize("raw, restored", [("ChiềngMung", "Chiềng Mung"),
                                           ("HátLót(Thịtrấn)", "Hát Lót"), ("NàỚt", "Nà Ớt"),
                                           ("HángĐồng", "Háng Đồng")])
def test_gadm_names_get_their_spaces_back(raw, restored):
    assert restore_gadm_name(raw) == restored
