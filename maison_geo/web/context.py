"""Access to the store and catalogue of the running app."""
import json
import os

from flask import current_app, g

from ..errors import MaisonError


class StoreMissing(MaisonError):
    status = 503

    def __init__(self, location):
        super().__init__(f"the data store {location} has not been built; run `make data`")


def store():
    found = current_app.extensions["maison"]["store"]
    if not found.exists():
        raise StoreMissing(found.location)
    return found


def catalogue():
    """The indicator catalogue with its targets: from indicators.json, then the TARGETS_PATH file when
    configured, then those editors set (the latest version of each), read once per request."""
    if "catalogue" not in g:
        base = _configured_catalogue()
        userdata = current_app.extensions["maison"]["store"].userdata
        set_by_editors = {key: {"value": t["value"], "year": t["year"], "source": t["source"]}
                          for key, t in userdata.targets().items() if key in base.keys()}
        g.catalogue = base.with_targets(set_by_editors) if set_by_editors else base
    return g.catalogue


def _configured_catalogue():
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
