"""Scenarios: the planner's saved plans and editors' unit-cost and benefit-weight overrides.

Tables:
  cost_overrides(key PRIMARY KEY, unit_cost_vnd, note, by, at)
  weight_overrides(key PRIMARY KEY, benefit_weight, note, by, at)
  scenarios(name PRIMARY KEY, request JSON, result JSON, by, at)
A scenario keeps both the request (to recompute with today's data and costs) and the result as it was
saved (to reopen exactly what was seen).
"""
import json
from datetime import datetime, timezone

from ..errors import InvalidChoice, MaisonError, NotFound
from . import Repository

MAX_NAME = 120
STEPS = {1: [
    "CREATE TABLE IF NOT EXISTS cost_overrides (key TEXT PRIMARY KEY, unit_cost_vnd {real} NOT NULL, "
    "note TEXT NOT NULL DEFAULT '', by TEXT, at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS weight_overrides (key TEXT PRIMARY KEY, benefit_weight {real} NOT NULL, "
    "note TEXT NOT NULL DEFAULT '', by TEXT, at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS scenarios (name TEXT PRIMARY KEY, request TEXT NOT NULL, result TEXT NOT NULL, "
    "by TEXT, at TEXT NOT NULL)"]}
OVERRIDES = {"cost_overrides": "unit_cost_vnd", "weight_overrides": "benefit_weight"}


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def check_name(name):
    text = " ".join(str(name or "").split())
    if not text:
        raise InvalidChoice("name", name, [], "a scenario needs a name")
    if len(text) > MAX_NAME:
        raise InvalidChoice("name", text[:40] + "…", [], f"at most {MAX_NAME} characters")
    return text


class ScenarioOwned(MaisonError):
    """A saved scenario of another owner: only they or an admin may replace or delete it."""
    status = 403

    def __init__(self, name, owner):
        self.name, self.owner = name, owner
        super().__init__(f"scenario {name!r} belongs to {owner or 'nobody'}")


class Scenarios(Repository):
    schema, steps = "planning", STEPS

    # unit costs and benefit weights an editor set
    def cost_overrides(self):
        return self._overrides("cost_overrides")

    def set_cost(self, key, unit_cost_vnd, note="", by=None):
        self._set("cost_overrides", key, unit_cost_vnd, note, by)

    def reset_cost(self, key):
        self._reset("cost_overrides", key)

    def weight_overrides(self):
        return self._overrides("weight_overrides")

    def set_weight(self, key, benefit_weight, note="", by=None):
        self._set("weight_overrides", key, benefit_weight, note, by)

    def reset_weight(self, key):
        self._reset("weight_overrides", key)

    def _overrides(self, table):
        if not self.exists():
            return {}
        column = OVERRIDES[table]
        with self._read() as conn:
            rows = conn.execute(f"SELECT key, {column}, note, by, at FROM {table}").fetchall()
        return {k: {column: v, "note": n, "by": b, "at": a} for k, v, n, b, a in (r.values() for r in rows)}

    def _set(self, table, key, value, note, by):
        column = OVERRIDES[table]
        with self._write() as conn:
            conn.execute(f"INSERT INTO {table} (key, {column}, note, by, at) VALUES (?, ?, ?, ?, ?) "
                         f"ON CONFLICT(key) DO UPDATE SET {column}=excluded.{column}, "
                         "note=excluded.note, by=excluded.by, at=excluded.at",
                         (key, float(value), note or "", by, _now()))

    def _reset(self, table, key):
        with self._write() as conn:
            conn.execute(f"DELETE FROM {table} WHERE key = ?", (key,))

    # scenarios
    def save(self, name, request, result, by=None, admin=False):
        """Save under name; replacing a scenario of another owner needs admin (ScenarioOwned)."""
        name = check_name(name)
        with self._write() as conn:
            _check_owner(conn, name, by, admin)
            conn.execute("INSERT INTO scenarios (name, request, result, by, at) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET request=excluded.request, result=excluded.result, "
                         "by=excluded.by, at=excluded.at",
                         (name, json.dumps(request, ensure_ascii=False), json.dumps(result, ensure_ascii=False),
                          by, _now()))
        return name

    def list(self):
        if not self.exists():
            return []
        with self._read() as conn:
            rows = conn.execute("SELECT name, request, by, at FROM scenarios ORDER BY at DESC, name").fetchall()
        return [{"name": r["name"], "request": json.loads(r["request"]), "by": r["by"], "at": r["at"]} for r in rows]

    def get(self, name):
        if self.exists():
            with self._read() as conn:
                row = conn.execute("SELECT name, request, result, by, at FROM scenarios WHERE name = ?",
                                   (name,)).fetchone()
            if row:
                return {"name": row["name"], "request": json.loads(row["request"]),
                        "result": json.loads(row["result"]), "by": row["by"], "at": row["at"]}
        raise NotFound(f"no saved scenario is called {name!r}")

    def delete(self, name, by=None, admin=False):
        with self._write() as conn:
            _check_owner(conn, name, by, admin)
            conn.execute("DELETE FROM scenarios WHERE name = ?", (name,))


def _check_owner(conn, name, by, admin):
    row = conn.execute("SELECT by FROM scenarios WHERE name = ?", (name,)).fetchone()
    if row and row["by"] != by and not admin:
        raise ScenarioOwned(name, row["by"])
