"""The PostGIS store gives the GeoPackage store's answers (skipped without MAISON_TEST_DATABASE_URL)."""
import pandas as pd
import pytest

from maison_geo import build as data_step
from maison_geo.store import open_store
from maison_geo.store.postgis import BOX, PostGISStore
from postgres import needs_postgres, scratch_database

pytestmark = needs_postgres
BOXES = [(104.0, 21.1, 104.1, 21.2), (103.9, 21.0, 104.3, 21.4), (0, 0, 1, 1)]


@pytest.fixture(scope="module")
def database_url():
    with scratch_database() as url:
        yield url


@pytest.fixture(scope="module")
def pg_store(database_url, mirror):
    built = open_store(database_url)
    assert data_step.build(built, "mai_son", mirror=mirror, log=lambda *_: None)
    return built


def same_frame(ours, theirs):
    assert list(ours.columns) == list(theirs.columns)
    assert ours.crs == theirs.crs and ours.crs.to_epsg() == 4326
    assert len(ours) == len(theirs)
    if len(theirs):  # pyogrio reads an empty answer's text columns as object
        assert dict(ours.dtypes.astype(str)) == dict(theirs.dtypes.astype(str))
        pd.testing.assert_frame_equal(pd.DataFrame(ours.drop(columns="geometry")),
                                      pd.DataFrame(theirs.drop(columns="geometry")))
    assert ours.geometry.geom_equals_exact(theirs.geometry, 0).all()
    assert list(ours.geom_type) == list(theirs.geom_type)


def test_open_store_gives_postgis_for_a_url_without_the_password(database_url):
    found = open_store(database_url.replace("@", ":secret@", 1))
    assert isinstance(found, PostGISStore) and "secret" not in found.location


@pytest.mark.parametrize("vintage", ["pre2025", "post2025"])
@pytest.mark.parametrize("options", [{}, {"simplified": False}, {"source": True}])
def test_units_are_the_geopackages(pg_store, store, vintage, options):
    same_frame(pg_store.units(vintage, **options), store.units(vintage, **options))


@pytest.mark.parametrize("bbox", BOXES)
@pytest.mark.parametrize("simplified", [True, False])
def test_units_in_a_box_are_the_geopackages(pg_store, store, bbox, simplified):
    ours = pg_store.units("pre2025", simplified=simplified, bbox=bbox)
    same_frame(ours, store.units("pre2025", simplified=simplified, bbox=bbox))


def test_every_other_answer_is_the_geopackages(pg_store, store):
    assert pg_store.exists() and store.exists()
    assert {**pg_store.meta(), "built_at": None} == {**store.meta(), "built_at": None}
    for vintage in ("pre2025", "post2025"):
        assert pg_store.unit_records(vintage) == store.unit_records(vintage)
        assert pg_store.figures(vintage) == store.figures(vintage)
    assert pg_store.figures() == store.figures()
    assert pg_store.crosswalk() == store.crosswalk()
    assert pg_store.facts() == store.facts()
    assert pg_store.sources() == store.sources()
    same_frame(pg_store.era_patches(), store.era_patches())


def test_the_data_step_is_idempotent(pg_store, mirror):
    version = pg_store.data_version()
    assert not data_step.build(pg_store, "mai_son", mirror=mirror, log=lambda *_: None)
    assert pg_store.data_version() == version


def test_the_data_command_loads_the_database_of_maison_database_url(pg_store, database_url, monkeypatch,
                                                                   capsys):
    from maison_geo.__main__ import main
    monkeypatch.setenv("MAISON_DATABASE_URL", database_url)
    monkeypatch.setenv("MAISON_STORE", "/nowhere/maison.gpkg")
    assert main(["data"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_failing_replace_leaves_the_previous_data(pg_store, mirror, monkeypatch):
    from maison_geo.store import postgis
    before = (pg_store.data_version(), pg_store.meta(), len(pg_store.figures()), len(pg_store.units("pre2025")))
    dataset = data_step.assemble("mai_son", mirror=mirror)
    dataset.meta["fingerprint"] = "another"

    def broken(conn, name, frame):
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(postgis, "_write_table", broken)
    with pytest.raises(RuntimeError):
        pg_store.replace(dataset)
    assert (pg_store.data_version(), pg_store.meta(), len(pg_store.figures()),
            len(pg_store.units("pre2025"))) == before


def test_another_process_sees_a_replace_at_its_next_read(pg_store, database_url, mirror):
    other = open_store(database_url)
    assert other.meta() == pg_store.meta()
    dataset = data_step.assemble("mai_son", mirror=mirror)
    dataset.meta["note"] = "replaced"
    other.replace(dataset)
    assert pg_store.meta()["note"] == "replaced" and pg_store.data_version() == other.data_version()
    data_step.build(other, "mai_son", mirror=mirror, force=True, log=lambda *_: None)
    assert "note" not in pg_store.meta()


def test_a_box_can_use_the_spatial_index(pg_store):
    with pg_store.db.read() as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT attrs FROM store_units WHERE true" + BOX, (104.0, 21.1, 104.1, 21.2)).fetchall())
        conn.execute("RESET enable_seqscan")
    assert "store_units_geom" in plan


def test_the_app_serves_the_same_units_from_either_store(pg_store, database_url, app, tmp_path):
    from maison_geo import create_app
    on_postgis = create_app({"TESTING": True, "STORE_PATH": database_url, "SECRET_KEY": "tests-" + "0" * 32,
                             "USERDATA_PATH": str(tmp_path / "u.sqlite"),
                             "PLANNING_DB": str(tmp_path / "p.sqlite")}).test_client()
    assert on_postgis.get("/healthz").status_code == 200
    for query in ("vintage=pre2025&bbox=104.0,21.1,104.1,21.2", "vintage=post2025&properties=code,name"):
        ours, theirs = on_postgis.get(f"/api/units?{query}"), app.test_client().get(f"/api/units?{query}")
        assert ours.status_code == theirs.status_code == 200
        assert ours.get_json()["features"] and ours.get_json()["features"] == theirs.get_json()["features"]
    boxed = "/ogc/collections/units-pre2025/items?bbox=104.0,21.1,104.1,21.2"
    assert on_postgis.get(boxed).get_json()["features"] == app.test_client().get(boxed).get_json()["features"]


@needs_postgres
def test_a_request_reads_the_data_version_once(store, monkeypatch):
    """One round trip for the data version per request, not one per store call (there were 9 in
    /api/units); a later request reads it again, so a replace through another process is seen."""
    import postgres

    from maison_geo import create_app
    from maison_geo.store.postgis import PostGISStore
    url = postgres.app_database()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x" * 40})
    reads = []
    real = PostGISStore._rows

    def counted(self, sql, params=()):
        if "store_state" in sql:
            reads.append(sql)
        return real(self, sql, params)
    monkeypatch.setattr(PostGISStore, "_rows", counted)
    client = app.test_client()
    assert client.get("/api/units?vintage=pre2025&lang=en").status_code == 200
    assert len(reads) == 1
    assert client.get("/communes/pre2025/04105?format=json").status_code == 200
    assert len(reads) == 2
