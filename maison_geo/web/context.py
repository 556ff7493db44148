"""Access to the store and catalogue of the running app."""
import json
import os

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
    """The indicator catalogue, with targets from TARGETS_PATH (a JSON file) when configured."""
    state = current_app.extensions["maison"]
    path = current_app.config.get("TARGETS_PATH")
    if not path:
        return state["catalogue"]
    stamp = os.stat(path).st_mtime_ns if os.path.exists(path) else None
    cached = state.get("targeted")
    if cached is None or cached[0] != stamp:
        targets = {}
        if stamp is not None:
            with open(path, encoding="utf-8") as f:
                targets = json.load(f)
        cached = (stamp, state["catalogue"].with_targets(targets))
        state["targeted"] = cached
    return cached[1]
