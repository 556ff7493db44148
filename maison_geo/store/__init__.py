"""Storage behind one small interface: the web layer and the core only ever see a Store."""
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Dataset:
    """Everything the data step writes, replaced as a whole."""
    units: object          # GeoDataFrame, full geometry, both vintages
    web_units: object      # GeoDataFrame, coverage-simplified for the web
    figures: list          # [Figure]
    crosswalk: list        # [{old_code, new_code, merge, legal_basis, effective_date}]
    facts: list = field(default_factory=list)    # dated commune facts from news
    sources: list = field(default_factory=list)  # [{name, file, sha256, attribution, licence, ...}]
    meta: dict = field(default_factory=dict)     # build fingerprint, scope, built_at
    era_patches: object = None  # GeoDataFrame: where the 2025 outline differs from the old one
    source_units: object = None  # GeoDataFrame: the geometry as read upstream, before coverage cleaning


class Store(ABC):
    location = None  # where it is: a file path or a database URL without its password

    def data_version(self):
        """A value that changes whenever a replace happened; None when the store cannot tell."""
        return None

    def pin(self, version):
        """Until unpin(), this thread's reads take `version` (the data version of a request, read once
        at its start) instead of asking again; a store that reads no version for its caches ignores it."""

    def unpin(self):
        """Reads ask for the data version again."""

    @abstractmethod
    def exists(self):
        """True when a complete store has been written."""

    @abstractmethod
    def meta(self):
        """dict of build metadata (fingerprint, scope, built_at); {} when empty."""

    @abstractmethod
    def units(self, vintage, simplified=True, source=False, bbox=None):
        """GeoDataFrame of one vintage's units (web-simplified unless asked for full geometry; source:
        as read upstream, before the coverage was cleaned), in EPSG:4326; bbox (minx, miny, maxx, maxy):
        only the units whose geometry intersects that box, in the same order."""

    @abstractmethod
    def unit_records(self, vintage):
        """[Unit] of one vintage, without geometry, in code order."""

    @abstractmethod
    def figures(self, vintage=None):
        """[Figure], every status, optionally of one vintage."""

    @abstractmethod
    def crosswalk(self):
        """[dict] old unit → new unit rows."""

    @abstractmethod
    def facts(self):
        """[dict] dated commune facts."""

    @abstractmethod
    def sources(self):
        """[dict] where the boundaries came from, with attribution."""

    @abstractmethod
    def era_patches(self):
        """GeoDataFrame of the patches where the two eras' outlines differ (may be empty)."""

    @abstractmethod
    def replace(self, dataset):
        """Write a whole Dataset atomically: readers see the old store or the new, never a mix."""


def figure_from_row(row):
    """A Figure from a stored row (its row id and a missing denominator's NaN dropped)."""
    import math

    from ..figures import Figure
    row = dict(row)
    row.pop("fid", None)
    if isinstance(row.get("denominator"), float) and math.isnan(row["denominator"]):
        row["denominator"] = None
    return Figure(**row)


def open_store(location):
    """A Store for a location: a path ending in .gpkg (the embedded default) or a postgresql:// URL."""
    from ..db import is_url
    if is_url(location):
        from ..db import open_database
        from .postgis import PostGISStore
        return PostGISStore(open_database(location))
    from .geopackage import GeoPackageStore
    path = Path(location)
    if path.suffix != ".gpkg":
        raise ValueError(f"unsupported store {location!r}: give a .gpkg path")
    return GeoPackageStore(path)
