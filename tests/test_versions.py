"""Dataset versions: atomic commits, restore, precedence of imported figures, a kill mid-import."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from fixtures.entry import EVIL, add_accounts, api_upload, csrf_token, login, make_app

from maison_geo import figures as fg
from maison_geo.figures import Figure
from maison_geo.store import Store
from maison_geo.store.layered import LayeredStore
from maison_geo.userdata import ImportedFigure, UserData
from maison_geo.values import FigureIndex, indicator_values

REPO = Path(__file__).resolve().parent.parent


def fig(code, value, indicator="households", period=2024, status="reported", vintage="pre2025"):
    return Figure(vintage, "unit", code, indicator, period, value, status, "Báo cáo xã")


def commit(data, figures, user="lan", **kw):
    kw.setdefault("vintage", "pre2025")
    kw.setdefault("status", "reported")
    kw.setdefault("source", "Báo cáo xã")
    return data.commit_import(user, figures, **kw)


def active(data, vintage=None):
    return {(f.code, f.indicator, f.period): f.value for f in data.active_figures(vintage)}


# ---- the user-data file ----------------------------------------------------------------------------

def test_commits_layer_and_every_version_stays_queryable(database_location):
    data = UserData(database_location)
    assert data.head() == 0 and data.active_figures() == [] and not data.exists()
    first = commit(data, [fig("04105", 5300), fig("04108", 1500)], file_name="a.csv", sha256="aa", rows_read=2)
    second = commit(data, [fig("04108", 1600), fig("04120", 900)], file_name="C:\\Users\\lan\\b.csv")
    assert (first["id"], second["id"], data.head()) == (1, 2, 2)
    assert second["file_name"] == "b.csv" and second["figures_written"] == 2 and second["figures_active"] == 3
    assert active(data) == {("04105", "households", 2024): 5300, ("04108", "households", 2024): 1600,
                            ("04120", "households", 2024): 900}
    assert {(f.code, f.value) for f in data.version_figures(1)} == {("04105", 5300), ("04108", 1500)}
    assert {(f.code, f.value) for f in data.version_figures(2, introduced_only=True)} == {("04108", 1600),
                                                                                         ("04120", 900)}
    origin = {f.code: f.version for f in data.active_figures()}
    assert origin == {"04105": 1, "04108": 2, "04120": 2}
    assert [v["id"] for v in data.versions()] == [2, 1] and data.versions()[0]["active"]


def test_restore_makes_a_new_version_equal_to_the_old_one(database_location):
    data = UserData(database_location)
    commit(data, [fig("04105", 5300)])
    commit(data, [fig("04105", 5400), fig("04108", 1500)])
    before = active(data)
    restored = data.restore(1, "admin", note="sai số liệu")
    assert restored["id"] == 3 and restored["action"] == "restore" and restored["restored_from"] == 1
    assert active(data) == {("04105", "households", 2024): 5300}
    assert {(f.code, f.value) for f in data.version_figures(2)} == {(k[0], v) for k, v in before.items()}
    data.restore(0, "admin")
    assert data.head() == 4 and data.active_figures() == []
    data.restore(2, "admin")
    assert active(data) == before
    actions = [(e["action"], e["detail"].get("restored_from")) for e in data.audit_log()]
    assert actions[:3] == [("restore", 2), ("restore", 0), ("restore", 1)]
    assert ("import", None) in actions


def test_restore_of_a_missing_version_is_refused(database_location):
    from maison_geo.errors import NotFound
    data = UserData(database_location)
    with pytest.raises(NotFound):
        data.restore(7, "admin")
    assert data.head() == 0


def test_a_failed_commit_leaves_the_previous_version_whole(database_location):
    data = UserData(database_location)
    commit(data, [fig("04105", 5300)])

    def broken():
        yield fig("04108", 1)
        raise RuntimeError("disk on fire")
    with pytest.raises(RuntimeError):
        commit(data, broken())
    assert data.head() == 1 and active(data) == {("04105", "households", 2024): 5300}
    assert [e["action"] for e in data.audit_log()] == ["import"]


def test_two_commits_at_the_same_time_both_land(database_location):
    data = UserData(database_location)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(code, value):
        def slow():
            for i in range(25):
                time.sleep(0.01)  # holds the transaction open while the other one waits for it
                yield fig(code, value, period=2000 + i)
        try:
            barrier.wait(10)
            results.append(commit(UserData(database_location), slow())["id"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=run, args=args) for args in (("04105", 1), ("04108", 2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and sorted(results) == [1, 2]
    assert len(data.active_figures()) == 50


KILLED_IMPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from maison_geo.figures import Figure
    from maison_geo.userdata import UserData

    def figures():
        for i in range(400):
            if i == 200:
                Path(sys.argv[2]).write_text("half")
                time.sleep(60)
            code = f"{4105 + 3 * (i % 20):05d}"
            yield Figure("pre2025", "unit", code, "households", 2000 + i // 20, 9999, "official", "killed")
    UserData(sys.argv[1]).commit_import("lan", figures(), vintage="pre2025", status="official", source="killed")
""")


def test_a_process_killed_mid_import_leaves_the_store_consistent(tmp_path, database_location):
    path = database_location
    data = UserData(path)
    commit(data, [fig("04105", 5300), fig("04108", 1500)])
    marker = tmp_path / "half"
    process = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(path), str(marker)], cwd=REPO)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert process.poll() is None and time.monotonic() < deadline, "the import did not start"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    with data.db.read() as conn:
        if data.db.dialect == "sqlite":
            assert conn.scalar("PRAGMA integrity_check") == "ok"
        assert conn.scalar("SELECT count(*) FROM figures WHERE source = 'killed'") == 0
    fresh = UserData(path)
    assert fresh.head() == 1
    assert active(fresh) == {("04105", "households", 2024): 5300, ("04108", "households", 2024): 1500}
    assert commit(fresh, [fig("04120", 900)])["id"] == 2  # and the next import goes through


# ---- precedence of imported figures -------------------------------------------------------------------

def test_imported_figures_win_over_authored_ones_and_the_latest_import_first():
    authored = Figure("pre2025", "unit", "04105", "population", 2019, 16931, "official", "census")
    imported = ImportedFigure("pre2025", "unit", "04105", "population", 2019, 17000, "reported", "xã", version=3)
    later = ImportedFigure("pre2025", "unit", "04105", "population", 2019, 17100, "reported", "xã", version=4)
    assert fg.resolve([authored, imported])[authored.key] is imported
    assert fg.resolve([imported, authored])[authored.key] is imported
    assert fg.resolve([later, imported, authored])[authored.key] is later
    made = Figure("pre2025", "unit", "04105", "population", 2019, 1, "illustrative", "demo")
    assert fg.resolve([made, authored])[authored.key] is authored  # authored figures as before


class MemoryStore(Store):
    """A base store in memory, to test the layering without building a GeoPackage."""

    def __init__(self, base):
        self.base_store, self.replaced = base, []

    def exists(self):
        return True

    def meta(self):
        return {"fingerprint": "x"}

    def units(self, vintage, simplified=True, source=False, bbox=None):
        return self.base_store.units(vintage, simplified, source, bbox)

    def unit_records(self, vintage):
        return self.base_store.unit_records(vintage)

    def figures(self, vintage=None):
        return self.base_store.figures(vintage)

    def crosswalk(self):
        return self.base_store.crosswalk()

    def facts(self):
        return []

    def sources(self):
        return self.base_store.sources()

    def era_patches(self):
        return None

    def replace(self, dataset):
        self.replaced.append(dataset)


def test_layered_store_shows_the_active_version_over_the_build(store, catalogue, tmp_path, database_location):
    data = UserData(database_location)
    layered = LayeredStore(MemoryStore(store), data)
    census = indicator_values(layered, catalogue, "population", 2019, "pre2025")
    assert {r.unit.code: r.value for r in census.rows}["04105"] == 16931
    commit(data, [fig("04105", 17000, indicator="population", period=2019)])
    rows = {r.unit.code: r for r in indicator_values(layered, catalogue, "population", 2019, "pre2025").rows}
    assert rows["04105"].value == 17000 and rows["04105"].status == "reported"  # reported import > official build
    assert rows["04108"].status == "official"
    # the 2025 communes aggregate the imported figure too
    post = {r.unit.code: r.value for r in indicator_values(layered, catalogue, "population", 2019, "post2025").rows}
    assert post["04105"] == 45_734 + 69
    data.restore(0, "admin")
    assert FigureIndex(layered, catalogue, "pre2025").get("unit", "04105", "population", 2019).value == 16931


def test_a_rebuild_replaces_the_base_only(store, tmp_path, database_location):
    data = UserData(database_location)
    base = MemoryStore(store)
    layered = LayeredStore(base, data)
    commit(data, [fig("04105", 5300)])
    layered.replace("a new dataset")
    assert base.replaced == ["a new dataset"] and data.head() == 1
    assert any(isinstance(f, ImportedFigure) for f in layered.figures("pre2025"))
    assert layered.exists() and layered.meta() == {"fingerprint": "x"}
    assert LayeredStore(store, data).location == store.location


# ---- the web pages of versions ------------------------------------------------------------------------

@pytest.fixture()
def app(store, tmp_path):
    app = make_app(store, tmp_path)
    app.tokens = add_accounts(app)
    return app


def test_version_pages_show_view_and_restore(app):
    editor, admin = app.test_client(), app.test_client()
    csv_text = "Mã;Số hộ\n04105;5.300\n04108;=HYPERLINK(\"http://x\")\n"
    assert api_upload(editor, csv_text.encode(), token=app.tokens["lan"], period=2024).status_code == 422
    ok = api_upload(editor, "Mã;Số hộ\n04105;5.300\n".encode(), "đợt 1.csv", token=app.tokens["lan"], period=2024,
                    source="=HYPERLINK(\"http://evil\")", note=EVIL)
    assert ok.status_code == 201
    api_upload(editor, "Mã;Số hộ\n04105;5.400\n".encode(), token=app.tokens["lan"], period=2024)
    login(editor, "lan")
    listing = editor.get("/versions")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "đợt 1.csv" in html and EVIL not in html
    assert "/versions/1/restore" not in html  # an editor sees no restore button
    page = editor.get("/versions/1?lang=vi").get_data(as_text=True)
    assert "5.300" in page and EVIL not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    csv_response = editor.get("/versions/1?format=csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_body = csv_response.get_data(as_text=True)
    assert "'=HYPERLINK" in csv_body  # a spreadsheet will not run it
    assert editor.get("/versions/1/file").data == "Mã;Số hộ\n04105;5.300\n".encode()
    token = csrf_token(editor, "/versions")
    assert editor.post("/versions/1/restore", data={"csrf_token": token}).status_code == 403
    login(admin, "admin")
    assert admin.post("/versions/1/restore", data={"note": "x"}).status_code == 400  # no CSRF token
    token = csrf_token(admin, "/versions")
    restored = admin.post("/versions/1/restore", data={"csrf_token": token, "note": "quay lại đợt 1"})
    assert restored.status_code == 302 and restored.headers["Location"].endswith("/versions/3")
    values = admin.get("/api/values?indicator=households&period=2024").get_json()
    assert {r["code"]: r["value"] for r in values["rows"]}["04105"] == 5300
    body = admin.get("/versions?format=json").get_json()
    assert body["head"] == 3 and body["versions"][0]["restored_from"] == 1
    assert admin.get("/versions/99").status_code == 404
    assert admin.get("/versions/1?format=xml").status_code == 400
