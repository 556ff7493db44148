"""The store in PostgreSQL + PostGIS (MAISON_DATABASE_URL): the same answers as the GeoPackage store.

The unit layers share one table (a layer column, attributes as JSONB, geometry(Geometry, 4326) under a
GiST index); figures, crosswalk, facts and sources are one JSONB row per table row; store_columns keeps
every layer's and table's columns in order with their types. replace() is one transaction that also
moves store_state on (a counter and a random token): reads are cached per that data version, checked
with one query per call, so every process sees a replace at its next request.
"""
import json
import threading

import geopandas as gpd
import pandas as pd
import shapely

from ..units import Unit, check_vintage
from . import Store, figure_from_row

TABLES = ("figures", "crosswalk", "facts", "sources")
SCHEMA = {1: [
    "CREATE EXTENSION IF NOT EXISTS postgis",
    "CREATE TABLE IF NOT EXISTS store_units (layer TEXT NOT NULL, ordinal INTEGER NOT NULL, vintage TEXT, "
    "attrs JSONB NOT NULL, geom geometry(Geometry, 4326), PRIMARY KEY (layer, ordinal))",
    "CREATE INDEX IF NOT EXISTS store_units_geom ON store_units USING GIST (geom)",
    "CREATE INDEX IF NOT EXISTS store_units_vintage ON store_units (layer, vintage, ordinal)",
    *[f"CREATE TABLE IF NOT EXISTS store_{name} (ordinal INTEGER PRIMARY KEY, data JSONB NOT NULL)"
      for name in TABLES],
    "CREATE TABLE IF NOT EXISTS store_meta (ordinal INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value JSONB)",
    "CREATE TABLE IF NOT EXISTS store_columns (name TEXT PRIMARY KEY, columns JSONB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS store_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "version BIGINT NOT NULL, token TEXT NOT NULL)",
    "INSERT INTO store_state (id, version, token) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING",
]}
BOX = " AND ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))"


class PostGISStore(Store):
    def __init__(self, database):
        self.db = database
        self._lock = threading.Lock()
        self._cache = {}
        self._pinned = threading.local()

    @property
    def location(self):
        return self.db.location

    def _conn(self, write=False):
        self.db.migrate("store", SCHEMA)
        return self.db.write() if write else self.db.read()

    def _rows(self, sql, params=()):
        with self._conn() as conn:
            return conn.execute(sql, params).fetchall()

    def data_version(self):
        """(replaces so far, the last replace's random token): a restored dump brings its own token."""
        pinned = getattr(self._pinned, "version", None)
        if pinned is not None:
            return pinned
        row = self._rows("SELECT version, token FROM store_state WHERE id = 1")[0]
        return row["version"], row["token"]

    def pin(self, version):
        self._pinned.version = version

    def unpin(self):
        self._pinned.version = None

    def _cached(self, key, load):
        stamp = self.data_version()
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
        value = load()
        with self._lock:
            self._cache[key] = (stamp, value)
        return value

    def exists(self):
        return bool(self.meta().get("fingerprint"))

    def meta(self):
        return dict(self._cached(("meta",), lambda: {
            r["key"]: r["value"] for r in self._rows("SELECT key, value FROM store_meta ORDER BY ordinal")}))

    def _columns(self):
        return self._cached(("columns",), lambda: {
            r["name"]: r["columns"] for r in self._rows("SELECT name, columns FROM store_columns")})

    def _frame(self, layer, vintage=None, bbox=None):
        columns = self._columns().get(layer)
        if columns is None:
            raise LookupError(f"the store {self.location} has no layer {layer!r}")
        sql, params = "SELECT attrs, ST_AsBinary(geom) AS wkb FROM store_units WHERE layer = ?", [layer]
        if vintage is not None:
            sql, params = sql + " AND vintage = ?", params + [vintage]
        if bbox is not None:
            sql, params = sql + BOX, params + [float(b) for b in bbox]
        return _geoframe(self._rows(sql + " ORDER BY ordinal", params), columns)

    def units(self, vintage, simplified=True, source=False, bbox=None):
        check_vintage(vintage)
        layer = "units_source" if source else "units_web" if simplified else "units"
        if bbox is not None:
            return self._frame(layer, vintage, bbox)
        return self._cached(("units", layer, vintage), lambda: self._frame(layer, vintage))

    def unit_records(self, vintage):
        check_vintage(vintage)

        def load():
            rows = sorted((r["attrs"] for r in self._rows(
                "SELECT attrs FROM store_units WHERE layer = 'units' AND vintage = ?", (vintage,))),
                key=lambda a: a["code"])
            return [Unit(a["vintage"], a["code"], a["name"], a["full_name"], a["unit_type"],
                         tuple(v for v in (a.get("name_variants") or "").split("|") if v)) for a in rows]
        return list(self._cached(("unit_records", vintage), load))

    def _table(self, name):
        def load():
            columns = self._columns().get(name, [])
            return [{"fid": r["ordinal"], **{c: _cast(r["data"].get(c), kind) for c, kind in columns}}
                    for r in self._rows(f"SELECT ordinal, data FROM store_{name} ORDER BY ordinal")]
        return self._cached((name,), load)

    def figures(self, vintage=None):
        return [figure_from_row(r) for r in self._table("figures") if vintage is None or r["vintage"] == vintage]

    def crosswalk(self):
        return self._table("crosswalk")

    def facts(self):
        return self._table("facts")

    def sources(self):
        return self._table("sources")

    def era_patches(self):
        if "era_patches" not in self._columns():
            return None
        return self._cached(("era_patches",), lambda: self._frame("era_patches"))

    def replace(self, dataset):
        """One transaction: readers see the old data until it commits; a failure leaves the old data."""
        layers = {"units": dataset.units, "units_web": dataset.web_units,
                  "units_source": dataset.source_units, "era_patches": dataset.era_patches}
        tables = {"figures": pd.DataFrame([f.to_dict() for f in dataset.figures]),
                  "crosswalk": pd.DataFrame(dataset.crosswalk), "facts": pd.DataFrame(dataset.facts),
                  "sources": pd.DataFrame(dataset.sources)}
        with self._conn(write=True) as conn:
            for table in ("store_units", "store_meta", "store_columns", *(f"store_{n}" for n in TABLES)):
                conn.execute(f"DELETE FROM {table}")
            ordinal = 0
            for layer, frame in layers.items():
                if frame is not None and (layer != "era_patches" or len(frame)):
                    ordinal = _write_layer(conn, layer, frame, ordinal)
            for name, frame in tables.items():
                _write_table(conn, name, frame)
            conn.executemany("INSERT INTO store_meta (ordinal, key, value) VALUES (?, ?, ?::jsonb)",
                             [(i, k, json.dumps(v)) for i, (k, v) in enumerate(dataset.meta.items(), 1)])
            conn.execute("UPDATE store_state SET version = version + 1, token = gen_random_uuid()::text "
                         "WHERE id = 1")
            conn.execute("ANALYZE store_units")


def _kind(dtype):
    """The type a column reads back as (a GeoPackage keeps numbers and booleans, the rest is text)."""
    return str(dtype) if pd.api.types.is_numeric_dtype(dtype) else "str"


def _cast(value, kind):
    if value is None:
        return None
    if kind.startswith("float"):
        return float(value)
    return int(value) if kind.startswith(("int", "uint", "bool")) else value


def _records(frame):
    """Rows as plain Python values, missing ones None (JSON has no NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _columns_row(conn, name, columns):
    conn.execute("INSERT INTO store_columns (name, columns) VALUES (?, ?::jsonb)", (name, json.dumps(columns)))


def _write_layer(conn, layer, frame, ordinal):
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise ValueError(f"{layer}: the store keeps EPSG:4326 geometry, not {frame.crs}")
    attributes = frame.drop(columns=frame.geometry.name)
    _columns_row(conn, layer, [(c, _kind(attributes[c].dtype)) for c in attributes.columns])
    shapes = shapely.to_wkb(shapely.set_srid(frame.geometry.values, 4326), hex=True, include_srid=True)
    vintages = attributes["vintage"] if "vintage" in attributes else [None] * len(frame)
    with conn.raw.cursor().copy("COPY store_units (layer, ordinal, vintage, attrs, geom) FROM STDIN") as copy:
        for attrs, vintage, shape in zip(_records(attributes), vintages, shapes):
            ordinal += 1
            copy.write_row((layer, ordinal, vintage, json.dumps(attrs, allow_nan=False), shape))
    return ordinal


def _write_table(conn, name, frame):
    _columns_row(conn, name, [(c, _kind(frame[c].dtype)) for c in frame.columns])
    with conn.raw.cursor().copy(f"COPY store_{name} (ordinal, data) FROM STDIN") as copy:
        for ordinal, row in enumerate(_records(frame), 1):
            copy.write_row((ordinal, json.dumps(row, allow_nan=False)))


def _geoframe(rows, columns):
    data = {c: pd.Series([r["attrs"].get(c) for r in rows], dtype=kind) for c, kind in columns}
    data["geometry"] = gpd.GeoSeries.from_wkb([r["wkb"] for r in rows], crs="EPSG:4326")
    return gpd.GeoDataFrame(data, geometry="geometry", crs="EPSG:4326")
