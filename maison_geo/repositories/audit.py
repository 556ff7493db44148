"""The audit log: who changed what, when; written in the same transaction as the change it records."""
import json

from . import Repository, now
from .schema import USERDATA_STEPS


def audit_entry(conn, actor, action, target="", detail=None):
    conn.execute("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                 (now(), actor or "", action, target, json.dumps(detail or {}, ensure_ascii=False)))


class AuditLog(Repository):
    schema, steps = "userdata", USERDATA_STEPS

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
            return conn.scalar("SELECT count(*) FROM audit")

    def record(self, actor, action, target="", detail=None):
        """An audit entry for a change stored elsewhere (the planner's scenarios, costs and weights)."""
        with self._write() as conn:
            audit_entry(conn, actor, action, target, detail)
