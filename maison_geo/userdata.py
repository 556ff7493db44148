"""User data in its own SQLite file: accounts, API tokens, uploads, dataset versions, imported figures, audit.

The data step replaces the GeoPackage store as a whole, so nothing a person types or uploads lives
there. This file is written only here, in SQLite transactions (WAL journal, synchronous=FULL): an
import is one transaction, so a crash or a kill in the middle leaves the previous version whole.

Versions: version 0 is "no imported figures". Each committed import adds a version whose active
figures are those of the previous head, with the figures of the import replacing any of the same
key (vintage, level, code, indicator, period). Restoring version N adds a version whose active
figures are exactly those of N. Figures are never deleted, so every version stays queryable.
"""
import hashlib
import json
import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from . import paths
from .errors import MaisonError, NotFound
from .figures import Figure

ROLES = ("viewer", "editor", "admin")  # each can do what the ones before it can
IMPORT_STATUSES = ("official", "reported")
MIN_PASSWORD = 8
SCHEMA_VERSION = 2
TOKEN_PREFIX = "msg_"
TOKEN_DAYS = 365       # a new token's life unless told otherwise
MAX_TOKEN_DAYS = 3650

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS login_failures (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    ip TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('import', 'restore')),
    upload_id INTEGER REFERENCES uploads(id),
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    vintage TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    restored_from INTEGER,
    rows_read INTEGER NOT NULL DEFAULT 0,
    figures_written INTEGER NOT NULL DEFAULT 0,
    figures_active INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id),
    vintage TEXT NOT NULL,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period INTEGER NOT NULL,
    value REAL NOT NULL,
    denominator REAL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    row INTEGER,
    UNIQUE (version_id, vintage, level, code, indicator, period)
);
CREATE TABLE IF NOT EXISTS members (
    version_id INTEGER NOT NULL,
    figure_id INTEGER NOT NULL,
    PRIMARY KEY (version_id, figure_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    indicator TEXT NOT NULL,
    value REAL,
    year INTEGER,
    source TEXT NOT NULL DEFAULT '',
    by TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS targets_by_indicator ON targets (indicator, id);
"""
# Changes to a file made by an earlier version, by the user_version they bring the file to.
MIGRATIONS = {
    2: ["ALTER TABLE users ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 0",  # +1 ends every session
        "ALTER TABLE tokens ADD COLUMN scope TEXT",  # a role at most; NULL (older tokens): the account's
        "ALTER TABLE tokens ADD COLUMN expires_at TEXT"],
}


class UserDataError(MaisonError):
    """A request about accounts or versions that cannot be done as asked; the text is a msgid."""

    def __init__(self, text, **params):
        self.text, self.params = text, params
        super().__init__(text % params if params else text)

    def render(self, translate=None):
        text = (translate or (lambda s: s))(self.text)
        return text % self.params if self.params else text


class BaseMoved(UserDataError):
    """An import checked against one version while another became active: look at it again."""
    status = 409


class QuotaFull(UserDataError):
    status = 413


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool = True
    created_at: str = ""
    stamp: str = field(default="", repr=False, compare=False)  # changes with the password and each logout

    def can(self, role):
        """True when this user has the given role or a stronger one."""
        return self.active and ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class ImportedFigure(Figure):
    """A figure from a committed import; `version` is the version that brought it (see figures.resolve)."""
    version: int = 0


def default_path():
    return Path(os.environ.get("MAISON_USERDATA") or paths.INSTANCE / "userdata.sqlite")


def now():
    return datetime.now().astimezone().isoformat(timespec="seconds")


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_role(role):
    if role not in ROLES:
        raise UserDataError("Role %(role)s is not valid; choose one of: %(roles)s.", role=role,
                            roles=", ".join(ROLES))
    return role


def check_name(name):
    name = (name or "").strip()
    if not name or len(name) > 64 or any(ch.isspace() or ord(ch) < 32 for ch in name):
        raise UserDataError("A user name is 1 to 64 characters without spaces.")
    return name


def check_password(password):
    if len(password or "") < MIN_PASSWORD:
        raise UserDataError("A password needs at least %(n)s characters.", n=MIN_PASSWORD)
    return password


# A hash to check against when the user does not exist, so that the time taken does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


class UserData:
    def __init__(self, path=None):
        self.path = Path(path or default_path())
        self._figure_cache = (None, None)

    # ---- connections -------------------------------------------------------------------------

    def exists(self):
        return self.path.is_file() and self.path.stat().st_size > 0

    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        _wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = conn.execute("PRAGMA user_version").fetchone()[0]  # another connection may have done it
                statements = [s for s in SCHEMA.split(";") if s.strip()] if found < 1 else []
                for version in range(max(found, 1) + 1, SCHEMA_VERSION + 1):
                    statements += MIGRATIONS[version]
                for statement in statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {max(found, SCHEMA_VERSION)}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return conn

    @contextmanager
    def _read(self):
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self):
        """One transaction: everything in the block is committed together, or nothing is."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def _audit(self, conn, actor, action, target="", detail=None):
        conn.execute("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                     (now(), actor or "", action, target, json.dumps(detail or {}, ensure_ascii=False)))

    # ---- users -------------------------------------------------------------------------------

    def add_user(self, name, role, password, actor="cli"):
        name, role, password = check_name(name), check_role(role), check_password(password)
        hashed = generate_password_hash(password)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UserDataError("A user called %(name)s already exists.", name=name)
            conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                         (name, role, hashed, now()))
            self._audit(conn, actor, "user.add", name, {"role": role})
        return self.user(name)

    def users(self):
        with self._read() as conn:
            return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]

    def user(self, name_or_id):
        column = "id" if isinstance(name_or_id, int) else "name"
        with self._read() as conn:
            row = conn.execute(f"SELECT * FROM users WHERE {column} = ?", (name_or_id,)).fetchone()
        return _user(row) if row else None

    def _existing(self, conn, name):
        row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UserDataError("There is no user called %(name)s.", name=name)
        return row

    def set_role(self, name, role, actor):
        role = check_role(role)
        with self._write() as conn:
            row = self._existing(conn, name)
            if row["role"] == "admin" and role != "admin":
                self._keep_an_admin(conn, row["id"])
            conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, row["id"]))
            self._audit(conn, actor, "user.role", row["name"], {"from": row["role"], "to": role})

    def set_active(self, name, active, actor):
        with self._write() as conn:
            row = self._existing(conn, name)
            if not active and row["role"] == "admin":
                self._keep_an_admin(conn, row["id"])
            conn.execute("UPDATE users SET active = ? WHERE id = ?", (1 if active else 0, row["id"]))
            if not active:
                _end_sessions(conn, row["id"])
                conn.execute("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                             (now(), row["id"]))
            self._audit(conn, actor, "user.enable" if active else "user.disable", row["name"])

    def set_password(self, name, password, actor):
        hashed = generate_password_hash(check_password(password))
        with self._write() as conn:
            row = self._existing(conn, name)
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, row["id"]))
            _end_sessions(conn, row["id"])
            self._audit(conn, actor, "user.password", row["name"])

    def end_sessions(self, user_id):
        """Every session cookie of this account stops opening anything (logout: on every device)."""
        with self._write() as conn:
            _end_sessions(conn, user_id)

    def _keep_an_admin(self, conn, user_id):
        others = conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?",
                              (user_id,)).fetchone()[0]
        if not others:
            raise UserDataError("This is the last active admin; make another admin first.")

    def authenticate(self, name, password):
        """The active user with this name and password, or None (taking the same time either way)."""
        if not self.exists():
            check_password_hash(_DUMMY_HASH, password or "")
            return None
        with self._read() as conn:
            row = conn.execute("SELECT * FROM users WHERE name = ?", ((name or "").strip(),)).fetchone()
        if row is None:
            check_password_hash(_DUMMY_HASH, password or "")
            return None
        if not check_password_hash(row["password_hash"], password or "") or not row["active"]:
            return None
        return _user(row)

    # ---- API tokens --------------------------------------------------------------------------

    def add_token(self, name, actor="cli", label="", scope=None, days=TOKEN_DAYS):
        """A new API token for the user; only its hash is stored, so this is the one time it is seen.
        scope: the most it may do (a role, at most the account's; default the account's role);
        it stops working after `days`."""
        if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
            raise UserDataError("A token lives 1 to %(max)s days.", max=MAX_TOKEN_DAYS)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._write() as conn:
            row = self._existing(conn, name)
            if not row["active"]:
                raise UserDataError("User %(name)s is disabled.", name=name)
            scope = check_role(scope or row["role"])
            if ROLES.index(scope) > ROLES.index(row["role"]):
                raise UserDataError("A token of %(name)s can do at most what the account can (%(role)s).",
                                    name=row["name"], role=row["role"])
            expires = (datetime.now().astimezone() + timedelta(days=days)).isoformat(timespec="seconds")
            cur = conn.execute("INSERT INTO tokens (user_id, token_hash, label, created_at, scope, expires_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (row["id"], token_hash(token), label, now(), scope, expires))
            self._audit(conn, actor, "token.add", row["name"], {"token_id": cur.lastrowid, "label": label,
                                                                "scope": scope, "expires_at": expires})
        return token

    def tokens(self):
        with self._read() as conn:
            return [dict(r) for r in conn.execute(
                "SELECT t.id, u.name AS user_name, t.label, t.created_at, t.revoked_at, "
                "coalesce(t.scope, u.role) AS scope, t.expires_at FROM tokens t "
                "JOIN users u ON u.id = t.user_id ORDER BY t.id")]

    def revoke_token(self, token_id, actor):
        with self._write() as conn:
            row = conn.execute("SELECT t.id, u.name FROM tokens t JOIN users u ON u.id = t.user_id "
                               "WHERE t.id = ?", (token_id,)).fetchone()
            if row is None:
                raise UserDataError("There is no token %(id)s.", id=token_id)
            conn.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now(), token_id))
            self._audit(conn, actor, "token.revoke", row["name"], {"token_id": token_id})

    def user_for_token(self, token):
        """The token's user with the token's scope as role, or None: unknown, revoked, expired, or
        its user disabled (token_expired tells the one case a client can act on)."""
        if not token or not self.exists():
            return None
        with self._read() as conn:
            row = conn.execute("SELECT u.*, t.scope FROM tokens t JOIN users u ON u.id = t.user_id "
                               "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = 1 AND "
                               "(t.expires_at IS NULL OR julianday(t.expires_at) > julianday('now'))",
                               (token_hash(token),)).fetchone()
        if row is None:
            return None
        user = _user(row)
        if row["scope"] and ROLES.index(row["scope"]) < ROLES.index(user.role):
            user = replace(user, role=row["scope"])
        return user

    def token_expired(self, token):
        if not token or not self.exists():
            return False
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM tokens WHERE token_hash = ? AND revoked_at IS NULL AND "
                                "julianday(expires_at) <= julianday('now')", (token_hash(token),)).fetchone() is not None

    # ---- login rate limit --------------------------------------------------------------------

    def claim_login_attempt(self, ip, name, window, limit, ip_limit):
        """True when this attempt may check a password; it is then counted as a failure already, in
        the same transaction as the count (attempts sent at once cannot all pass the check), and a
        successful login clears it. False: past `limit` failures for this name and address, or
        `ip_limit` for the address, in the last `window` seconds."""
        name, ip, at = (name or "").strip().casefold(), ip or "", time.time()
        with self._write() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", (at - 24 * 3600,))
            both = conn.execute("SELECT count(*) FROM login_failures WHERE at > ? AND ip = ? AND name = ?",
                                (at - window, ip, name)).fetchone()[0]
            by_ip = conn.execute("SELECT count(*) FROM login_failures WHERE at > ? AND ip = ?",
                                 (at - window, ip)).fetchone()[0]
            if both >= limit or by_ip >= ip_limit:
                return False
            conn.execute("INSERT INTO login_failures (at, ip, name) VALUES (?, ?, ?)", (at, ip, name))
            return True

    def clear_login_failures(self, ip, name):
        with self._write() as conn:
            conn.execute("DELETE FROM login_failures WHERE ip = ? AND name = ?",
                         (ip or "", (name or "").strip().casefold()))

    # ---- audit -------------------------------------------------------------------------------

    def audit_log(self, limit=500, offset=0):
        if not self.exists():
            return []
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
            return [{**dict(r), "detail": json.loads(r["detail"] or "{}")} for r in rows]

    def audit_count(self):
        if not self.exists():
            return 0
        with self._read() as conn:
            return conn.execute("SELECT count(*) FROM audit").fetchone()[0]

    # ---- uploads -----------------------------------------------------------------------------

    def save_upload(self, user_name, file_name, content, retention_days=None, quota_bytes=None):
        """Keep an uploaded file as it came, whether it is committed or not. Uploads that never made
        a version are dropped after retention_days (the files of versions are kept for good); past
        quota_bytes of such uploads for this user, QuotaFull and nothing is written."""
        with self._write() as conn:
            if retention_days is not None:
                conn.execute("DELETE FROM uploads WHERE julianday(at) < julianday('now') - ? AND id NOT IN "
                             "(SELECT upload_id FROM versions WHERE upload_id IS NOT NULL)", (retention_days,))
            if quota_bytes is not None:
                used = conn.execute("SELECT coalesce(sum(size), 0) FROM uploads WHERE user_name = ? AND id NOT IN "
                                    "(SELECT upload_id FROM versions WHERE upload_id IS NOT NULL)",
                                    (user_name,)).fetchone()[0]
                if used + len(content) > quota_bytes:
                    raise QuotaFull("Your uploads that were not imported take %(used)s MB of your upload quota of %(quota)s MB: "
                                    "this file would go past it. They are deleted %(days)s days after upload; "
                                    "until then, ask an admin to raise UPLOAD_QUOTA_MB.",
                                    used=f"{used / 2 ** 20:.1f}", quota=f"{quota_bytes / 2 ** 20:g}",
                                    days=retention_days if retention_days is not None else "–")
            cur = conn.execute("INSERT INTO uploads (at, user_name, file_name, sha256, size, content) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (now(), user_name, clean_file_name(file_name), hashlib.sha256(content).hexdigest(),
                                len(content), sqlite3.Binary(content)))
            return cur.lastrowid

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
            return self._version_in(conn, version_id)

    def _version_in(self, conn, version_id):
        row = conn.execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no version {version_id}")
        return _version(row, _head(conn))

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
                return self._version_in(conn, done["id"])
            if base is not None and int(base) != head:
                raise BaseMoved("Version %(head)s was saved after this file was checked against version "
                                "%(base)s: check it again against the data as they are now.", head=head, base=base)
            cur = conn.execute(
                "INSERT INTO versions (at, user_name, action, upload_id, file_name, sha256, vintage, status, "
                "source, note, rows_read, counts) VALUES (?, ?, 'import', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), user_name, upload_id, clean_file_name(file_name), sha256, vintage, status, source,
                 note, rows_read, json.dumps(counts or {}, ensure_ascii=False)))
            vid = cur.lastrowid
            written = 0
            for fig in figures:
                conn.execute(
                    "INSERT INTO figures (version_id, vintage, level, code, indicator, period, value, "
                    "denominator, status, source, note, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (vid, fig.vintage, fig.level, fig.code, fig.indicator, int(fig.period), float(fig.value),
                     None if fig.denominator is None else float(fig.denominator), fig.status, fig.source,
                     fig.note or "", getattr(fig, "row", None)))
                written += 1
            if not written:
                raise UserDataError("An import needs at least one value.")
            conn.execute(
                "INSERT INTO members (version_id, figure_id) "
                "SELECT ?, m.figure_id FROM members m JOIN figures f ON f.id = m.figure_id "
                "WHERE m.version_id = ? AND NOT EXISTS (SELECT 1 FROM figures n WHERE n.version_id = ? "
                "AND n.vintage = f.vintage AND n.level = f.level AND n.code = f.code "
                "AND n.indicator = f.indicator AND n.period = f.period)", (vid, head, vid))
            conn.execute("INSERT INTO members (version_id, figure_id) SELECT ?, id FROM figures "
                         "WHERE version_id = ?", (vid, vid))
            active = _member_count(conn, vid)
            conn.execute("UPDATE versions SET figures_written = ?, figures_active = ? WHERE id = ?",
                         (written, active, vid))
            self._audit(conn, user_name, "import", f"version {vid}",
                        {"version": vid, "file_name": clean_file_name(file_name), "sha256": sha256,
                         "vintage": vintage, "status": status, "figures": written, "previous": head})
        return self.version(vid)

    def restore(self, version_id, user_name, note=""):
        """A new version whose active figures are those of version_id (0: no imported figures)."""
        version_id = int(version_id)
        with self._write() as conn:
            if version_id != 0 and not conn.execute("SELECT 1 FROM versions WHERE id = ?",
                                                    (version_id,)).fetchone():
                raise NotFound(f"there is no version {version_id}")
            head = _head(conn)
            cur = conn.execute("INSERT INTO versions (at, user_name, action, note, restored_from) "
                               "VALUES (?, ?, 'restore', ?, ?)", (now(), user_name, note, version_id))
            vid = cur.lastrowid
            conn.execute("INSERT INTO members (version_id, figure_id) SELECT ?, figure_id FROM members "
                         "WHERE version_id = ?", (vid, version_id))
            conn.execute("UPDATE versions SET figures_active = ? WHERE id = ?", (_member_count(conn, vid), vid))
            self._audit(conn, user_name, "restore", f"version {vid}",
                        {"version": vid, "restored_from": version_id, "previous": head, "note": note})
        return self.version(vid)

    def version_figures(self, version_id, vintage=None, introduced_only=False):
        """The active figures of a version (or only those its import brought)."""
        if not self.exists():
            return []
        with self._read() as conn:
            if introduced_only:
                sql, params = "SELECT * FROM figures f WHERE f.version_id = ?", [version_id]
            else:
                sql = "SELECT f.* FROM members m JOIN figures f ON f.id = m.figure_id WHERE m.version_id = ?"
                params = [version_id]
            if vintage:
                sql += " AND f.vintage = ?"
                params.append(vintage)
            sql += " ORDER BY f.vintage, f.indicator, f.period, f.code"
            return [_figure(r) for r in conn.execute(sql, params)]

    def data_version(self):
        """(active version, latest target, file identity): another value whenever the active figures or
        the editors' targets may differ (web.caching keys its responses by it). One read."""
        if not self.exists():
            return 0, 0, None
        with self._read() as conn:
            head, target = conn.execute("SELECT (SELECT coalesce(max(id), 0) FROM versions), "
                                        "(SELECT coalesce(max(id), 0) FROM targets)").fetchone()
        return head, target, self.path.stat().st_ino

    def active_figures(self, vintage=None):
        """The figures of the active version, cached until another version becomes active."""
        head = self.head()
        if head == 0:
            return []
        stamp = (head, self.path.stat().st_ino)
        cached, figures = self._figure_cache
        if cached != stamp:
            figures = self.version_figures(head)
            self._figure_cache = (stamp, figures)
        return [f for f in figures if vintage is None or f.vintage == vintage]


    def record(self, actor, action, target="", detail=None):
        """An audit entry for a change stored elsewhere (the planner's scenarios, costs and weights)."""
        with self._write() as conn:
            self._audit(conn, actor, action, target, detail)

    # ---- targets set by editors ----------------------------------------------------------------

    def set_target(self, indicator, target, actor):
        """A new version of an indicator's target ({value, year, source}), or None to clear it; audited."""
        entry = target or {}
        with self._write() as conn:
            cur = conn.execute("INSERT INTO targets (indicator, value, year, source, by, at) VALUES (?, ?, ?, ?, ?, ?)",
                               (indicator, entry.get("value"), entry.get("year"), entry.get("source") or "",
                                actor or "", now()))
            self._audit(conn, actor, "target.set" if target else "target.clear", indicator,
                        {"target_id": cur.lastrowid, **entry})
            return cur.lastrowid

    def targets(self):
        """{indicator: {value, year, source, by, at, id}} of every indicator whose latest version sets one."""
        if not self.exists():
            return {}
        with self._read() as conn:
            rows = conn.execute("SELECT t.* FROM targets t JOIN (SELECT indicator, MAX(id) AS id FROM targets "
                                "GROUP BY indicator) latest ON latest.id = t.id").fetchall()
        return {r["indicator"]: _target(r) for r in rows if r["value"] is not None}

    def target_history(self, indicator):
        if not self.exists():
            return []
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM targets WHERE indicator = ? ORDER BY id DESC", (indicator,)).fetchall()
        return [_target(r) for r in rows]


def _target(row):
    return {"id": row["id"], "value": row["value"], "year": row["year"], "source": row["source"],
            "by": row["by"], "at": row["at"]}


def clean_file_name(name):
    """The last part of a client's file name, without control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ord(ch) >= 32 and ch != "\x7f")[:200]


def _wal(conn, wait=30.0):
    """Switch the file to the WAL journal. Changing the journal mode does not wait on a busy file as
    other statements do (two first connections at once), so wait here."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _head(conn):
    return conn.execute("SELECT coalesce(max(id), 0) FROM versions").fetchone()[0]


def _member_count(conn, vid):
    return conn.execute("SELECT count(*) FROM members WHERE version_id = ?", (vid,)).fetchone()[0]


def _end_sessions(conn, user_id):
    conn.execute("UPDATE users SET session_gen = session_gen + 1 WHERE id = ?", (user_id,))


def _user(row):
    # In the session cookie; changes with the password and with every end of the sessions
    stamp = hashlib.sha256(f"{row['password_hash']}/{row['session_gen']}".encode()).hexdigest()[:16]
    return User(row["id"], row["name"], row["role"], bool(row["active"]), row["created_at"], stamp)


def _version(row, head):
    data = dict(row)
    data["counts"] = json.loads(data.get("counts") or "{}")
    data["active"] = data["id"] == head
    return data


def _figure(row):
    return ImportedFigure(row["vintage"], row["level"], row["code"], row["indicator"], row["period"],
                          row["value"], row["status"], row["source"], row["note"] or "",
                          row["denominator"], version=row["version_id"])
