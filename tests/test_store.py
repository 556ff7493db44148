"""The Store interface on the GeoPackage: location, data_version, units(bbox=...)."""
import os
import shutil

import pytest
from shapely.geometry import box

from maison_geo.store import geopackage, open_store
from maison_geo.store.layered import LayeredStore
from maison_geo.userdata import UserData

INSIDE_MAI_SON = (104.0, 21.1, 104.1, 21.2)


@pytest.fixture()
def store(gpkg_store):
    """Tests of the GeoPackage store itself (the PostGIS one has test_store_postgis)."""
    return gpkg_store


def test_location_is_the_file(store):
    assert store.location == str(store.path)


@pytest.mark.parametrize("held", [False, True], ids=["read through the R-tree", "layer in memory"])
@pytest.mark.parametrize("vintage, simplified", [("pre2025", True), ("post2025", False)])
def test_bbox_keeps_the_units_whose_geometry_intersects_the_box_in_order(store, vintage, simplified, held,
                                                                          monkeypatch):
    every = store.units(vintage, simplified=simplified)
    fresh = open_store(store.path)
    if held:
        fresh.units(vintage, simplified=simplified)
        monkeypatch.setattr(geopackage.pyogrio, "read_dataframe", None)  # no second read of the file
    boxed = fresh.units(vintage, simplified=simplified, bbox=INSIDE_MAI_SON)
    expected = every[every.intersects(box(*INSIDE_MAI_SON))].reset_index(drop=True)
    assert 0 < len(boxed) < len(every)
    assert list(boxed.code) == list(expected.code)
    assert list(boxed.columns) == list(every.columns) and boxed.crs == every.crs
    assert boxed.geom_equals_exact(expected.geometry, 0).all()


def test_a_box_far_away_gives_no_units(store):
    found = store.units("pre2025", bbox=(0, 0, 1, 1))
    assert len(found) == 0 and "code" in found.columns


def test_data_version_changes_when_the_file_is_replaced(gpkg_store, tmp_path):
    store = gpkg_store
    copy = open_store(tmp_path / "maison.gpkg")
    assert copy.data_version() is None
    shutil.copy(store.path, copy.path)
    first = copy.data_version()
    assert first is not None and copy.data_version() == first
    replacement = tmp_path / "other.gpkg"
    shutil.copy(store.path, replacement)
    os.replace(replacement, copy.path)
    assert copy.data_version() != first


def test_layered_store_has_no_side_doors(store, tmp_path):
    layered = LayeredStore(store, UserData(tmp_path / "u.sqlite"))
    assert layered.location == store.location
    assert layered.data_version()[0] == store.data_version()
    for leak in ("path", "_cache", "_query"):
        assert not hasattr(layered, leak)
    assert list(layered.units("pre2025", bbox=INSIDE_MAI_SON).code) == \
        list(store.units("pre2025", bbox=INSIDE_MAI_SON).code)
