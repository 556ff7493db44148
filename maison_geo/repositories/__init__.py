"""Repositories: what people type, upload and decide, behind small interfaces over one Database
(maison_geo.db: a SQLite file by default, PostgreSQL when MAISON_DATABASE_URL is set).

Accounts (users, tokens, login throttling), AuditLog, FigureVersions (uploads, versions, imported
figures), Targets share one schema, "userdata"; Scenarios (the planner's plans, unit-cost and weight
overrides) has its own. No other module opens a database file.
"""
from datetime import datetime

from ..errors import MaisonError


class UserDataError(MaisonError):
    """A request about accounts or versions that cannot be done as asked; the text is a msgid."""

    def __init__(self, text, **params):
        self.text, self.params = text, params
        super().__init__(text % params if params else text)

    def render(self, translate=None):
        text = (translate or (lambda s: s))(self.text)
        return text % self.params if self.params else text


def now():
    return datetime.now().astimezone().isoformat(timespec="seconds")


def is_past(stamp):
    """True when an ISO time (with its offset) is now or earlier."""
    return stamp is not None and datetime.fromisoformat(stamp) <= datetime.now().astimezone()


class Repository:
    """A part of one schema in one Database; the schema is brought up to date on first use."""
    schema = ""
    steps = {}

    def __init__(self, db):
        self.db = db

    def exists(self):
        return self.db.exists(self.schema)

    def _read(self):
        self.db.migrate(self.schema, self.steps)
        return self.db.read()

    def _write(self):
        self.db.migrate(self.schema, self.steps)
        return self.db.write()
