"""Figure versions: uploaded files as they came, dataset versions, and the figures each brought.

Version 0 is "no imported figures". Each committed import adds a version whose active figures are
those of the previous head, with the figures of the import replacing any of the same key (vintage,
level, code, indicator, period). Restoring version N adds a version whose active figures are exactly
those of N. Figures are never deleted, so every version stays queryable. An import is one
transaction: a crash or a kill in the middle leaves the previous version whole.
"""
import hashlib
import json
from dataclasses import dataclass

from ..errors import NotFound
from ..figures import Figure
from . import Repository, UserDataError, is_past, now
from .audit import audit_entry
from .schema import USERDATA_STEPS

IMPORT_STATUSES = ("official", "reported")
# Versions are numbered without gaps in every dialect (a PostgreSQL sequence skips a rolled-back one);
# writers go one at a time, so the next number is safe to take.
NEXT_VERSION = "(SELECT coalesce(max(id), 0) + 1 FROM versions)"


class BaseMoved(UserDataError):
    """An import checked against one version while another became active: look at it again."""
    status = 409


class QuotaFull(UserDataError):
    status = 413


@dataclass(frozen=True)
class ImportedFigure(Figure):
    """A figure from a committed import; `version` is the version that brought it (see figures.resolve)."""
    version: int = 0


def clean_file_name(name):
    """The last part of a client's file name, without control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ord(ch) >= 32 and ch != "\x7f")[:200]


class FigureVersions(Repository):
    schema, steps = "userdata", USERDATA_STEPS

    def __init__(self, db):
        super().__init__(db)
        self._figure_cache = (None, None)

    # ---- uploads -----------------------------------------------------------------------------

    def save_upload(self, user_name, file_name, content, retention_days=None, quota_bytes=None):
        """Keep an uploaded file as it came, whether it is committed or not. Uploads that never made
        a version are dropped after retention_days (the files of versions are kept for good); past
        quota_bytes of such uploads for this user, QuotaFull and nothing is written."""
        unused = ("FROM uploads WHERE id NOT IN (SELECT upload_id FROM versions WHERE upload_id IS NOT NULL)")
        with self._write() as conn:
            if retention_days is not None:
                old = [r["id"] for r in conn.execute(f"SELECT id, at {unused}")
                       if is_past(_days_after(r["at"], retention_days))]
                for upload_id in old:
                    conn.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))
            if quota_bytes is not None:
                used = conn.scalar(f"SELECT coalesce(sum(size), 0) {unused} AND user_name = ?", (user_name,))
                if used + len(content) > quota_bytes:
                    raise QuotaFull("Your uploads that were not imported take %(used)s MB of your upload quota of %(quota)s MB: "
                                    "this file would go past it. They are deleted %(days)s days after upload; "
                                    "until then, ask an admin to raise UPLOAD_QUOTA_MB.",
                                    used=f"{used / 2 ** 20:.1f}", quota=f"{quota_bytes / 2 ** 20:g}",
                                    days=retention_days if retention_days is not None else "–")
            return conn.insert("INSERT INTO uploads (at, user_name, file_name, sha256, size, content) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (now(), user_name, clean_file_name(file_name), hashlib.sha256(content).hexdigest(),
                                len(content), bytes(content)))

    def upload(self, upload_id):
        with self._read() as conn:
            row = conn.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no upload {upload_id}")
        data = dict(row)
        data["content"] = bytes(data["content"])
        return data

    # ---- versions ----------------------------------------------------------------------------

    def head(self):
        """The id of the active version; 0 when nothing was ever imported."""
        if not self.exists():
            return 0
        with self._read() as conn:
            return _head(conn)

    def versions(self):
        if not self.exists():
            return []
        with self._read() as conn:
            head = _head(conn)
            return [_version(r, head) for r in conn.execute("SELECT * FROM versions ORDER BY id DESC")]

    def version(self, version_id):
        with self._read() as conn:
            return _version_in(conn, version_id)

    def commit_import(self, user_name, figures, *, vintage, status, source, note="", upload_id=None,
                      file_name="", sha256="", rows_read=0, counts=None, base=None):
        """Write one import as a new version, atomically. figures: an iterable of Figure (consumed
        inside the transaction). Returns the new version; for an upload already committed, the
        version it made (a confirm sent twice makes one version). base: the version the figures were
        checked against; BaseMoved when another is active by the time of writing."""
        if status not in IMPORT_STATUSES:
            raise UserDataError("Status %(status)s is not valid; choose official or reported.", status=status)
        with self._write() as conn:
            head = _head(conn)
            done = upload_id is not None and conn.execute(
                "SELECT id FROM versions WHERE upload_id = ? AND action = 'import'", (upload_id,)).fetchone()
            if done:
                return _version_in(conn, done["id"])
            if base is not None and int(base) != head:
                raise BaseMoved("Version %(head)s was saved after this file was checked against version "
                                "%(base)s: check it again against the data as they are now.", head=head, base=base)
            vid = conn.insert(
                f"INSERT INTO versions (id, at, user_name, action, upload_id, file_name, sha256, vintage, status, "
                f"source, note, rows_read, counts) VALUES ({NEXT_VERSION}, ?, ?, 'import', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), user_name, upload_id, clean_file_name(file_name), sha256, vintage, status, source,
                 note, rows_read, json.dumps(counts or {}, ensure_ascii=False)))
            rows = [(vid, fig.vintage, fig.level, fig.code, fig.indicator, int(fig.period), float(fig.value),
                     None if fig.denominator is None else float(fig.denominator), fig.status, fig.source,
                     fig.note or "", getattr(fig, "row", None)) for fig in figures]
            if not rows:
                raise UserDataError("An import needs at least one value.")
            conn.executemany(
                "INSERT INTO figures (version_id, vintage, level, code, indicator, period, value, "
                "denominator, status, source, note, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute(
                "INSERT INTO members (version_id, figure_id) "
                "SELECT ?, m.figure_id FROM members m JOIN figures f ON f.id = m.figure_id "
                "WHERE m.version_id = ? AND NOT EXISTS (SELECT 1 FROM figures n WHERE n.version_id = ? "
                "AND n.vintage = f.vintage AND n.level = f.level AND n.code = f.code "
                "AND n.indicator = f.indicator AND n.period = f.period)", (vid, head, vid))
            conn.execute("INSERT INTO members (version_id, figure_id) SELECT ?, id FROM figures "
                         "WHERE version_id = ?", (vid, vid))
            conn.execute("UPDATE versions SET figures_written = ?, figures_active = ? WHERE id = ?",
                         (len(rows), _member_count(conn, vid), vid))
            audit_entry(conn, user_name, "import", f"version {vid}",
                        {"version": vid, "file_name": clean_file_name(file_name), "sha256": sha256,
                         "vintage": vintage, "status": status, "figures": len(rows), "previous": head})
        return self.version(vid)

    def restore(self, version_id, user_name, note=""):
        """A new version whose active figures are those of version_id (0: no imported figures)."""
        version_id = int(version_id)
        with self._write() as conn:
            if version_id != 0 and not conn.execute("SELECT 1 FROM versions WHERE id = ?",
                                                    (version_id,)).fetchone():
                raise NotFound(f"there is no version {version_id}")
            head = _head(conn)
            vid = conn.insert(f"INSERT INTO versions (id, at, user_name, action, note, restored_from) "
                              f"VALUES ({NEXT_VERSION}, ?, ?, 'restore', ?, ?)", (now(), user_name, note, version_id))
            conn.execute("INSERT INTO members (version_id, figure_id) SELECT ?, figure_id FROM members "
                         "WHERE version_id = ?", (vid, version_id))
            conn.execute("UPDATE versions SET figures_active = ? WHERE id = ?", (_member_count(conn, vid), vid))
            audit_entry(conn, user_name, "restore", f"version {vid}",
                        {"version": vid, "restored_from": version_id, "previous": head, "note": note})
        return self.version(vid)

    def version_figures(self, version_id, vintage=None, introduced_only=False):
        """The active figures of a version (or only those its import brought)."""
        if not self.exists():
            return []
        with self._read() as conn:
            if introduced_only:
                sql = "SELECT * FROM figures f WHERE f.version_id = ?"
            else:
                sql = "SELECT f.* FROM members m JOIN figures f ON f.id = m.figure_id WHERE m.version_id = ?"
            params = [version_id]
            if vintage:
                sql += " AND f.vintage = ?"
                params.append(vintage)
            sql += " ORDER BY f.vintage, f.indicator, f.period, f.code"
            return [_figure(r) for r in conn.execute(sql, params)]

    def data_version(self):
        """(active version, latest target, generation, identity): another value whenever the active
        figures or the editors' targets may differ (web.caching keys its responses by it). One read."""
        if not self.exists():
            return 0, 0, None, None
        with self._read() as conn:
            row = conn.execute("SELECT (SELECT coalesce(max(id), 0) FROM versions) AS head, "
                               "(SELECT coalesce(max(id), 0) FROM targets) AS target, "
                               "(SELECT value FROM maison_state WHERE key = 'generation') AS generation").fetchone()
        return row[0], row[1], row[2], self.db.identity()

    def mark_restored(self):
        """After a restore of the whole database: nothing cached before may be served again."""
        import secrets
        with self._write() as conn:
            conn.execute("UPDATE maison_state SET value = ? WHERE key = 'generation'", (secrets.token_hex(8),))

    def active_figures(self, vintage=None):
        """The figures of the active version, cached until another version becomes active."""
        stamp = self.data_version()
        if stamp[0] == 0:
            return []
        stamp = (stamp[0],) + stamp[2:]
        cached, figures = self._figure_cache
        if cached != stamp:
            figures = self.version_figures(stamp[0])
            self._figure_cache = (stamp, figures)
        return [f for f in figures if vintage is None or f.vintage == vintage]


def _days_after(stamp, days):
    from datetime import datetime, timedelta
    return (datetime.fromisoformat(stamp) + timedelta(days=days)).isoformat()


def _head(conn):
    return conn.scalar("SELECT coalesce(max(id), 0) FROM versions")


def _member_count(conn, vid):
    return conn.scalar("SELECT count(*) FROM members WHERE version_id = ?", (vid,))


def _version_in(conn, version_id):
    row = conn.execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no version {version_id}")
    return _version(row, _head(conn))


def _version(row, head):
    data = dict(row)
    data["counts"] = json.loads(data.get("counts") or "{}")
    data["active"] = data["id"] == head
    return data


def _figure(row):
    return ImportedFigure(row["vintage"], row["level"], row["code"], row["indicator"], row["period"],
                          row["value"], row["status"], row["source"], row["note"] or "",
                          row["denominator"], version=row["version_id"])
