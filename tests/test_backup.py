"""python -m maison_geo backup / restore: round trips on SQLite files and on PostgreSQL."""
import shutil
import sqlite3
import zipfile
from contextlib import closing

import pytest

from maison_geo.__main__ import main
from maison_geo.store import open_store
from postgres import needs_postgres, scratch_database


def rows(path, table="t"):
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute(f"SELECT x FROM {table} ORDER BY rowid")]


def write(path, value, wal=False):
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (value,))


@pytest.fixture()
def files(gpkg_store, tmp_path, monkeypatch):
    found = {"store": tmp_path / "live" / "maison.gpkg", "userdata": tmp_path / "live" / "userdata.sqlite",
             "planning": tmp_path / "live" / "planning.sqlite"}
    found["store"].parent.mkdir()
    shutil.copy(gpkg_store.path, found["store"])
    write(found["userdata"], "account before", wal=True)
    write(found["planning"], "plan before")
    monkeypatch.delenv("MAISON_DATABASE_URL", raising=False)
    monkeypatch.setenv("MAISON_STORE", str(found["store"]))
    monkeypatch.setenv("MAISON_USERDATA", str(found["userdata"]))
    monkeypatch.setenv("MAISON_PLANNING_DB", str(found["planning"]))
    return found


def test_sqlite_round_trip_puts_every_file_back(files, tmp_path, capsys):
    archive = tmp_path / "backup.zip"
    held = sqlite3.connect(files["userdata"])  # a live reader: the WAL is not checkpointed on close
    held.execute("SELECT count(*) FROM t").fetchone()
    write(files["userdata"], "account in the log", wal=True)
    assert main(["backup", str(archive)]) == 0
    held.close()
    assert "planning.sqlite, store.gpkg, userdata.sqlite" in capsys.readouterr().out
    write(files["userdata"], "account after", wal=True)
    write(files["planning"], "plan after")
    with closing(sqlite3.connect(files["store"])) as conn, conn:
        conn.execute("UPDATE meta SET value = '\"changed\"' WHERE key = 'scope'")
    store = open_store(files["store"])
    changed = store.data_version()
    assert store.meta()["scope"] == "changed"

    assert main(["restore", str(archive)]) == 0
    assert rows(files["userdata"]) == ["account before", "account in the log"]
    assert rows(files["planning"]) == ["plan before"]
    assert store.meta()["scope"] == "mai_son" and store.data_version() != changed
    assert not list(files["store"].parent.glob("*.restoring"))


def test_a_damaged_backup_changes_nothing(files, tmp_path, capsys):
    archive = tmp_path / "backup.zip"
    assert main(["backup", str(archive)]) == 0
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data[:1000] if item.filename == "userdata.sqlite" else data)
    write(files["planning"], "plan after")
    assert main(["restore", str(damaged)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert rows(files["planning"]) == ["plan before", "plan after"]
    assert not list(files["store"].parent.glob("*.restoring"))


def test_restore_refuses_a_file_that_is_no_backup(files, tmp_path, capsys):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as out:
        out.writestr("notes.txt", "hello")
    assert main(["restore", str(other)]) == 1
    assert main(["restore", str(files["planning"])]) == 1
    assert rows(files["planning"]) == ["plan before"]


@needs_postgres
def test_postgres_round_trip_with_pg_dump(mirror, monkeypatch, tmp_path):
    from maison_geo import build as data_step
    with scratch_database() as url:
        monkeypatch.setenv("MAISON_DATABASE_URL", url)
        pg_store = open_store(url)
        data_step.build(pg_store, "mai_son", mirror=mirror, log=lambda *_: None)
        with pg_store.db.write() as conn:
            conn.execute("CREATE TABLE accounts (name TEXT)")
            conn.execute("INSERT INTO accounts VALUES ('admin')")
        version, meta = pg_store.data_version(), pg_store.meta()
        archive = tmp_path / "maison.dump"
        assert main(["backup", str(archive)]) == 0
        assert archive.read_bytes().startswith(b"PGDMP")

        dataset = data_step.assemble("mai_son", mirror=mirror)
        dataset.meta["scope"] = "changed"
        pg_store.replace(dataset)
        with pg_store.db.write() as conn:
            conn.execute("DELETE FROM accounts")
        assert pg_store.meta()["scope"] == "changed"

        assert main(["restore", str(archive)]) == 0
        assert pg_store.meta() == meta and pg_store.data_version() == version
        with pg_store.db.read() as conn:
            assert conn.scalar("SELECT name FROM accounts") == "admin"
        assert len(pg_store.units("pre2025", bbox=(104.0, 21.1, 104.1, 21.2))) > 0
        assert main(["restore", str(tmp_path / "missing.dump")]) == 1
