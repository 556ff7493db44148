"""The eras of the administrative units and the scopes a build selects, as data (geodata/eras.json,
geodata/scopes.json), loaded once. Code asks this registry instead of naming an era or a place."""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from . import paths
from .errors import DataError, InvalidChoice

DEFAULT_SCOPE = "mai_son"


@dataclass(frozen=True)
class Era:
    """One set of units in force between two dates (start inclusive, end exclusive; None: open)."""
    key: str
    label_vi: str
    label_en: str
    start: Optional[str]
    end: Optional[str]
    register: str              # geodata file of the unit register
    boundary_source: str       # sources.json entry of the boundaries
    crosswalk: Optional[str]   # geodata file: units of the previous era → units of this one
    words: tuple = ()          # how people write the era in a file: "truoc", "sau", ...

    def label(self, lang="vi"):
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Parent:
    level: str
    code: str
    names: tuple  # ((era key, name), ...)

    def name(self, era_key):
        return dict(self.names).get(era_key, "")


@dataclass(frozen=True)
class Scope:
    """Which units a build selects, and the unit they belong to (None for a whole country)."""
    name: str
    label: str
    parent: Optional[Parent]
    gadm_filter: tuple
    wards_2025_filter: Optional[tuple]
    expected_units: tuple  # ((era key, count), ...)

    @property
    def parent_code(self):
        return self.parent.code if self.parent else None

    def parent_name(self, era_key):
        return self.parent.name(era_key) if self.parent else ""

    def expected(self, era_key):
        return dict(self.expected_units).get(era_key)


@lru_cache(maxsize=8)
def _registry(geodata):
    with open(Path(geodata) / "eras.json", encoding="utf-8") as f:
        data = json.load(f)
    found = tuple(Era(**{**e, "words": tuple(e.get("words", ()))}) for e in data["eras"])
    _check(found, data["default"])
    return found, data["default"]


def _check(found, default):
    """Keys once each, the default one of them, each era ending when the next begins."""
    keys = [e.key for e in found]
    if len(set(keys)) != len(keys) or default not in keys:
        raise DataError(f"eras.json: eras {keys} with default {default!r}")
    for before, after in zip(found, found[1:]):
        if before.end != after.start:
            raise DataError(f"eras.json: {before.key} ends {before.end} but {after.key} begins {after.start}")


def _geodata(geodata):
    return str(geodata or paths.GEODATA)


def eras(geodata=None):
    """Every era, oldest first."""
    return _registry(_geodata(geodata))[0]


def keys(geodata=None):
    return tuple(e.key for e in eras(geodata))


def era(key, geodata=None):
    """The era of a key, or InvalidChoice naming the valid keys."""
    for found in eras(geodata):
        if found.key == key:
            return found
    raise InvalidChoice("vintage", key, keys(geodata))


def default_era(geodata=None):
    return era(_registry(_geodata(geodata))[1], geodata)


def previous(current, geodata=None):
    """The era before (an Era or a key), or None for the first."""
    order = keys(geodata)
    at = order.index(_key(current))
    return era(order[at - 1], geodata) if at else None


def following(current, geodata=None):
    """The era after (an Era or a key), or None for the last."""
    order = keys(geodata)
    at = order.index(_key(current))
    return era(order[at + 1], geodata) if at + 1 < len(order) else None


def other(current, geodata=None):
    """The era a switch leads to: the next one, or the previous one from the last."""
    return following(current, geodata) or previous(current, geodata)


def crosswalk_into(current, rows, geodata=None):
    """The crosswalk rows (a store's, of every era) that lead into this era: those in force from its start."""
    start = era(_key(current), geodata).start
    return [r for r in rows if r.get("effective_date", start) == start]


def by_source(source_name, geodata=None):
    """The era whose boundaries come from this upstream source."""
    for found in eras(geodata):
        if found.boundary_source == source_name:
            return found
    raise KeyError(f"no era has the boundary source {source_name!r}")


def from_word(word, geodata=None):
    """The era a person's word names ('truoc 1/7', 'sau sáp nhập'), or None."""
    for found in eras(geodata):
        if word.startswith(found.words):
            return found
    return None


def reform_date(geodata=None):
    """The day the latest era began."""
    return eras(geodata)[-1].start


@lru_cache(maxsize=8)
def _scopes(geodata):
    with open(Path(geodata) / "scopes.json", encoding="utf-8") as f:
        return {name: _scope(name, raw) for name, raw in json.load(f).items()}


def _scope(name, raw):
    parent = raw.get("parent")
    wards = raw.get("wards_2025_filter")
    return Scope(name, raw["label"],
                 Parent(parent["level"], parent["code"], tuple(parent["names"].items())) if parent else None,
                 tuple(raw.get("gadm_filter", {}).items()), None if wards is None else tuple(wards.items()),
                 tuple(raw.get("expected_units", {}).items()))


def scopes(geodata=None):
    return _scopes(_geodata(geodata))


def scope(name, geodata=None):
    found = scopes(geodata)
    if name not in found:
        raise ValueError(f"unknown scope {name!r}; choose one of {', '.join(found)}")
    return found[name]


def scope_of(store):
    """The scope a store was built for (the default scope for a store that does not say)."""
    return scope(store.meta().get("scope") or DEFAULT_SCOPE)


def _key(current):
    return current.key if isinstance(current, Era) else current
