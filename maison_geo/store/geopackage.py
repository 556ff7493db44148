"""The embedded store: one GeoPackage (SQLite) file that QGIS opens as it is."""
import json
import os
import sqlite3
import threading

import numpy as np
import pandas as pd
import pyogrio
from shapely.geometry import box

from ..units import Unit, check_vintage
from . import Store, figure_from_row



class GeoPackageStore(Store):
    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._cache = {}

    @property
    def location(self):
        return str(self.path)

    def data_version(self):
        """The file's identity: a rebuild or a restore replaces the file (os.replace)."""
        if not self.path.is_file():
            return None
        found = self.path.stat()
        return found.st_mtime_ns, found.st_ino

    def exists(self):
        return self.path.is_file() and bool(self.meta().get("fingerprint"))

    def _query(self, sql, params=()):
        uri = f"file:{self.path}?mode=ro"
        with sqlite3.connect(uri, uri=True) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql, params)]

    def _cached(self, key, load):
        """Reads are cached until the file changes (a rebuild replaces it)."""
        stamp = self.path.stat().st_mtime_ns
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
        value = load()
        with self._lock:
            self._cache[key] = (stamp, value)
        return value

    def meta(self):
        """Read on every request (store(), ETags, caches): kept until the file changes."""
        if not self.path.is_file():
            return {}
        try:
            return dict(self._cached(("meta",), lambda: {
                r["key"]: json.loads(r["value"]) for r in self._query("SELECT key, value FROM meta")}))
        except sqlite3.DatabaseError:
            return {}

    def units(self, vintage, simplified=True, source=False, bbox=None):
        """source: the geometry as read upstream, before the coverage was cleaned (full detail); bbox:
        from the layer already in memory (its STRtree) when it is, else read through the GeoPackage's
        R-tree, not cached (a zoomed-in map asks for many boxes)."""
        check_vintage(vintage)
        layer = "units_source" if source else "units_web" if simplified else "units"
        where = f"vintage = '{vintage}'"
        if bbox is None:
            return self._cached(("units", layer, vintage),
                                lambda: pyogrio.read_dataframe(self.path, layer=layer, where=where))
        held = self._held(("units", layer, vintage))
        if held is not None:
            hits = held.sindex.query(box(*bbox), predicate="intersects")
            return held.iloc[np.sort(hits)].reset_index(drop=True)
        found = pyogrio.read_dataframe(self.path, layer=layer, where=where,
                                       bbox=tuple(float(b) for b in bbox), fid_as_index=True)
        return found.sort_index().reset_index(drop=True)

    def _held(self, key):
        """What _cached keeps under key for the file as it is now, else None (nothing is read)."""
        stamp = self.path.stat().st_mtime_ns
        with self._lock:
            hit = self._cache.get(key)
        return hit[1] if hit and hit[0] == stamp else None

    def unit_records(self, vintage):
        check_vintage(vintage)
        units = self._cached(("unit_records", vintage), lambda: [
            Unit(r["vintage"], r["code"], r["name"], r["full_name"], r["unit_type"],
                 tuple(v for v in (r["name_variants"] or "").split("|") if v))
            for r in self._query("SELECT vintage, code, name, full_name, unit_type, name_variants FROM units "
                                 "WHERE vintage = ? ORDER BY code", (vintage,))])
        return list(units)  # Units are frozen; the list is the caller's to change

    def figures(self, vintage=None):
        rows = self._cached(("figures",), lambda: self._query("SELECT * FROM figures"))
        return [figure_from_row(r) for r in rows if vintage is None or r["vintage"] == vintage]

    def crosswalk(self):
        return self._cached(("crosswalk",), lambda: self._query("SELECT * FROM crosswalk"))

    def facts(self):
        return self._cached(("facts",), lambda: self._query("SELECT * FROM facts"))

    def sources(self):
        return self._cached(("sources",), lambda: self._query("SELECT * FROM sources"))

    def era_patches(self):
        def load():
            if "era_patches" not in {name for name, _ in pyogrio.list_layers(self.path)}:
                return None
            return pyogrio.read_dataframe(self.path, layer="era_patches")
        return self._cached(("era_patches",), load)

    def replace(self, dataset):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.stem + ".building.gpkg")
        partial.unlink(missing_ok=True)
        pyogrio.write_dataframe(dataset.units, partial, layer="units", driver="GPKG")
        pyogrio.write_dataframe(dataset.web_units, partial, layer="units_web", driver="GPKG")
        if dataset.source_units is not None:
            pyogrio.write_dataframe(dataset.source_units, partial, layer="units_source", driver="GPKG")
        if dataset.era_patches is not None and len(dataset.era_patches):
            pyogrio.write_dataframe(dataset.era_patches, partial, layer="era_patches", driver="GPKG")
        tables = {
            "figures": pd.DataFrame([f.to_dict() for f in dataset.figures]),
            "crosswalk": pd.DataFrame(dataset.crosswalk),
            "facts": pd.DataFrame(dataset.facts),
            "sources": pd.DataFrame(dataset.sources),
            "meta": pd.DataFrame({"key": list(dataset.meta),
                                  "value": [json.dumps(v) for v in dataset.meta.values()]}),
        }
        for name, frame in tables.items():
            pyogrio.write_dataframe(frame, partial, layer=name, driver="GPKG")
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, self.path)
