"""Targets set by editors: every change a new row (the latest per indicator is in force), audited."""
from . import Repository, now
from .audit import audit_entry
from .schema import USERDATA_STEPS


class Targets(Repository):
    schema, steps = "userdata", USERDATA_STEPS

    def set_target(self, indicator, target, actor):
        """A new version of an indicator's target ({value, year, source}), or None to clear it; audited."""
        entry = target or {}
        with self._write() as conn:
            target_id = conn.insert("INSERT INTO targets (indicator, value, year, source, by, at) "
                                    "VALUES (?, ?, ?, ?, ?, ?)",
                                    (indicator, entry.get("value"), entry.get("year"), entry.get("source") or "",
                                     actor or "", now()))
            audit_entry(conn, actor, "target.set" if target else "target.clear", indicator,
                        {"target_id": target_id, **entry})
            return target_id

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
