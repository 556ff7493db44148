"""User data: accounts, API tokens, uploads, dataset versions, imported figures, targets, audit.

The data step replaces the store as a whole, so nothing a person types or uploads lives there. It
lives in the repositories of maison_geo.repositories, over one Database: its own SQLite file by
default (instance/userdata.sqlite, WAL journal, synchronous=FULL), or the PostgreSQL database of
MAISON_DATABASE_URL. UserData is the four repositories of the "userdata" schema on one Database.
"""
import os
from pathlib import Path

from . import paths
from .db import Database, open_database
from .repositories import UserDataError, now
from .repositories.accounts import ROLES, TOKEN_DAYS, Accounts, User
from .repositories.audit import AuditLog
from .repositories.figure_versions import (IMPORT_STATUSES, BaseMoved, FigureVersions, ImportedFigure, QuotaFull,
                                           clean_file_name)
from .repositories.targets import Targets

__all__ = ["ROLES", "TOKEN_DAYS", "IMPORT_STATUSES", "BaseMoved", "ImportedFigure", "QuotaFull", "User",
           "UserData", "UserDataError", "clean_file_name", "default_location", "default_path", "now"]


def default_location():
    """$MAISON_DATABASE_URL when set (everything in PostgreSQL), else $MAISON_USERDATA, else
    instance/userdata.sqlite."""
    return (os.environ.get("MAISON_DATABASE_URL") or os.environ.get("MAISON_USERDATA")
            or str(paths.INSTANCE / "userdata.sqlite"))


def default_path():
    return Path(os.environ.get("MAISON_USERDATA") or paths.INSTANCE / "userdata.sqlite")


class UserData(Accounts, AuditLog, FigureVersions, Targets):
    def __init__(self, location=None):
        db = location if isinstance(location, Database) else open_database(location or default_location())
        super().__init__(db)

    @property
    def location(self):
        return self.db.location
