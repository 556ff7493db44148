"""Access to the store and catalogue of the running app."""
from flask import current_app

from ..errors import MaisonError


class StoreMissing(MaisonError):
    status = 503

    def __init__(self, path):
        super().__init__(f"the data store {path} has not been built; run `make data`")


def store():
    found = current_app.extensions["maison"]["store"]
    if not found.exists():
        raise StoreMissing(found.path)
    return found


def catalogue():
    return current_app.extensions["maison"]["catalogue"]
