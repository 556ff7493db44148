"""Accounts: users and their roles, API tokens, login throttling. Only hashes of passwords and tokens
are stored; the session stamp changes with the password and with every end of the sessions."""
import hashlib
import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from . import Repository, UserDataError, is_past, now
from .audit import audit_entry
from .schema import USERDATA_STEPS

ROLES = ("viewer", "editor", "admin")  # each can do what the ones before it can
MIN_PASSWORD = 8
TOKEN_PREFIX = "msg_"
TOKEN_DAYS = 365       # a new token's life unless told otherwise
MAX_TOKEN_DAYS = 3650

# A hash to check against when the user does not exist, so that the time taken does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


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


class Accounts(Repository):
    schema, steps = "userdata", USERDATA_STEPS

    # ---- users -------------------------------------------------------------------------------

    def add_user(self, name, role, password, actor="cli"):
        name, role, password = check_name(name), check_role(role), check_password(password)
        hashed = generate_password_hash(password)
        with self._write() as conn:
            if _by_name(conn, name):
                raise UserDataError("A user called %(name)s already exists.", name=name)
            conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                         (name, role, hashed, now()))
            audit_entry(conn, actor, "user.add", name, {"role": role})
        return self.user(name)

    def users(self):
        with self._read() as conn:
            return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY lower(name)")]

    def user(self, name_or_id):
        with self._read() as conn:
            if isinstance(name_or_id, int):
                row = conn.execute("SELECT * FROM users WHERE id = ?", (name_or_id,)).fetchone()
            else:
                row = _by_name(conn, name_or_id)
        return _user(row) if row else None

    def _existing(self, conn, name):
        row = _by_name(conn, name)
        if row is None:
            raise UserDataError("There is no user called %(name)s.", name=name)
        return row

    def set_role(self, name, role, actor):
        role = check_role(role)
        with self._write() as conn:
            row = self._existing(conn, name)
            if row["role"] == "admin" and role != "admin":
                _keep_an_admin(conn, row["id"])
            conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, row["id"]))
            audit_entry(conn, actor, "user.role", row["name"], {"from": row["role"], "to": role})

    def set_active(self, name, active, actor):
        with self._write() as conn:
            row = self._existing(conn, name)
            if not active and row["role"] == "admin":
                _keep_an_admin(conn, row["id"])
            conn.execute("UPDATE users SET active = ? WHERE id = ?", (1 if active else 0, row["id"]))
            if not active:
                _end_sessions(conn, row["id"])
                conn.execute("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                             (now(), row["id"]))
            audit_entry(conn, actor, "user.enable" if active else "user.disable", row["name"])

    def set_password(self, name, password, actor):
        hashed = generate_password_hash(check_password(password))
        with self._write() as conn:
            row = self._existing(conn, name)
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, row["id"]))
            _end_sessions(conn, row["id"])
            audit_entry(conn, actor, "user.password", row["name"])

    def end_sessions(self, user_id):
        """Every session cookie of this account stops opening anything (logout: on every device)."""
        with self._write() as conn:
            _end_sessions(conn, user_id)

    def authenticate(self, name, password):
        """The active user with this name and password, or None (taking the same time either way)."""
        row = None
        if self.exists():
            with self._read() as conn:
                row = _by_name(conn, (name or "").strip())
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
            token_id = conn.insert("INSERT INTO tokens (user_id, token_hash, label, created_at, scope, expires_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?)",
                                   (row["id"], token_hash(token), label, now(), scope, expires))
            audit_entry(conn, actor, "token.add", row["name"], {"token_id": token_id, "label": label,
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
            audit_entry(conn, actor, "token.revoke", row["name"], {"token_id": token_id})

    def user_for_token(self, token):
        """The token's user with the token's scope as role, or None: unknown, revoked, expired, or
        its user disabled (token_expired tells the one case a client can act on)."""
        row = self._live_token(token)
        if row is None or is_past(row["expires_at"]) or not row["active"]:
            return None
        user = _user(row)
        if row["scope"] and ROLES.index(row["scope"]) < ROLES.index(user.role):
            user = replace(user, role=row["scope"])
        return user

    def token_expired(self, token):
        row = self._live_token(token)
        return row is not None and is_past(row["expires_at"])

    def _live_token(self, token):
        if not token or not self.exists():
            return None
        with self._read() as conn:
            return conn.execute("SELECT u.*, t.scope, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id "
                                "WHERE t.token_hash = ? AND t.revoked_at IS NULL", (token_hash(token),)).fetchone()

    # ---- login rate limit --------------------------------------------------------------------

    def claim_login_attempt(self, ip, name, window, limit, ip_limit):
        """True when this attempt may check a password; it is then counted as a failure already, in
        the same transaction as the count (attempts sent at once cannot all pass the check), and a
        successful login clears it. False: past `limit` failures for this name and address, or
        `ip_limit` for the address, in the last `window` seconds."""
        name, ip, at = (name or "").strip().casefold(), ip or "", time.time()
        with self._write() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", (at - 24 * 3600,))
            both = conn.scalar("SELECT count(*) FROM login_failures WHERE at > ? AND ip = ? AND name = ?",
                               (at - window, ip, name))
            by_ip = conn.scalar("SELECT count(*) FROM login_failures WHERE at > ? AND ip = ?", (at - window, ip))
            if both >= limit or by_ip >= ip_limit:
                return False
            conn.execute("INSERT INTO login_failures (at, ip, name) VALUES (?, ?, ?)", (at, ip, name))
            return True

    def clear_login_failures(self, ip, name):
        with self._write() as conn:
            conn.execute("DELETE FROM login_failures WHERE ip = ? AND name = ?",
                         (ip or "", (name or "").strip().casefold()))


def _by_name(conn, name):
    return conn.execute("SELECT * FROM users WHERE lower(name) = lower(?)", (name,)).fetchone()


def _keep_an_admin(conn, user_id):
    others = conn.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?", (user_id,))
    if not others:
        raise UserDataError("This is the last active admin; make another admin first.")


def _end_sessions(conn, user_id):
    conn.execute("UPDATE users SET session_gen = session_gen + 1 WHERE id = ?", (user_id,))


def _user(row):
    # In the session cookie; changes with the password and with every end of the sessions
    stamp = hashlib.sha256(f"{row['password_hash']}/{row['session_gen']}".encode()).hexdigest()[:16]
    return User(row["id"], row["name"], row["role"], bool(row["active"]), row["created_at"], stamp)
