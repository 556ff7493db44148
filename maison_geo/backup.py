"""python -m maison_geo backup FILE / restore FILE, for both backends, from the app's own configuration.

With MAISON_DATABASE_URL everything is in that database: the backup is `pg_dump -Fc`, the restore
`pg_restore --clean --if-exists` in one transaction (all of it or nothing). Otherwise the backup is one
zip of the store GeoPackage, the user-data file and the planner's file, each copied consistently with
SQLite's backup API while the app runs; a restore checks every file first, then puts each in place
with os.replace (a reader sees the old file or the new one, and the data versions change).
"""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import zipfile
from contextlib import closing
from pathlib import Path

from . import paths
from .db import is_url

MANIFEST = "manifest.json"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def sqlite_files():
    """{name in the archive: path}, from the same settings as the app."""
    from .userdata import default_path
    return {"store.gpkg": Path(paths.store_path()), "userdata.sqlite": Path(default_path()),
            "planning.sqlite": planning_path()}


def planning_path():
    return Path(os.environ.get("MAISON_PLANNING_DB") or paths.INSTANCE / "planning.sqlite")


def database_url():
    url = os.environ.get("MAISON_DATABASE_URL")
    if not url and is_url(os.environ.get("MAISON_STORE", "")):
        raise BackupError("MAISON_STORE is a database URL: set MAISON_DATABASE_URL, where everything is")
    return url or None


def backup(target):
    """Write the backup to target; returns what it holds (names or the database)."""
    url = database_url()
    return dump_database(url, target) if url else archive_files(sqlite_files(), target)


def restore(source):
    url = database_url()
    with open(source, "rb") as f:
        is_dump = f.read(len(PG_MAGIC)) == PG_MAGIC
    if bool(url) != is_dump:
        raise BackupError(f"{source} is {'a pg_dump archive' if is_dump else 'not a pg_dump archive'} but "
                          f"the configuration is {'PostgreSQL' if url else 'SQLite files'}")
    return restore_database(url, source) if url else unpack_files(source, sqlite_files())


# ---- SQLite files -------------------------------------------------------------------------------

def archive_files(files, target):
    target = Path(target)
    kept = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, path in files.items():
            if path.is_file():
                _copy_sqlite(path, Path(folder) / name)
                kept[name] = str(path)
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in kept:
                archive.write(Path(folder) / name, name)
            archive.writestr(MANIFEST, json.dumps({"format": 1, "files": kept,
                                                   "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
        os.replace(partial, target)
    return sorted(kept)


def unpack_files(source, files):
    with zipfile.ZipFile(source) as archive:
        try:
            names = json.loads(archive.read(MANIFEST))["files"]
        except KeyError:
            raise BackupError(f"{source} is not a backup of this app (no {MANIFEST})") from None
        unknown = set(names) - set(files)
        if unknown:
            raise BackupError(f"{source} holds files this app does not know: {', '.join(sorted(unknown))}")
        ready = {}
        try:
            for name in names:
                ready[name] = _extract(archive, name, files[name])
            for name, staged in ready.items():
                _put_in_place(staged, files[name])
        finally:
            for staged in ready.values():
                staged.unlink(missing_ok=True)
    return sorted(names)


def _copy_sqlite(path, target):
    """A consistent copy of a live SQLite file, in the rollback journal mode (self-contained)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")


def _extract(archive, name, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    with archive.open(name) as src, open(staged, "wb") as out:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    try:
        with closing(sqlite3.connect(f"file:{staged}?mode=ro", uri=True)) as conn:
            found = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        found = str(exc)
    if found != "ok":
        staged.unlink()
        raise BackupError(f"{name} in the backup is damaged: {found}")
    return staged


def _put_in_place(staged, target):
    """os.replace, once the live file's write-ahead log is emptied (it must not replay on the new file)."""
    if target.is_file():
        with closing(sqlite3.connect(target, timeout=30)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(staged, target)


# ---- PostgreSQL ---------------------------------------------------------------------------------

def dump_database(url, target):
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], url)
    os.replace(partial, target)
    return ["database"]


def restore_database(url, source):
    from .userdata import UserData
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          str(source)], url)
    UserData(url).mark_restored()  # the dump's own counters may equal today's: nothing kept is served again
    return ["database"]


def _run(command, url):
    """A client tool on the database of url; the password goes through the environment, not argv."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    info = conninfo_to_dict(url)
    env = dict(os.environ)
    if info.get("password"):
        env["PGPASSWORD"] = str(info.pop("password"))
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is missing: install Debian's postgresql-client")
    done = subprocess.run([tool, *command[1:], f"--dbname={make_conninfo(**info)}"], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
