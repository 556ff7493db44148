"""OGC API – Features (Part 1, Core) as plain Python, like a pygeoapi provider: the collections (the
units of each era; each indicator × era) and their features. The web layer (web/ogc.py) adds links,
media types and HTML.

An indicator's features are the units with the indicator's value, status and source for every period
(value_2024, status_2024, source_2024...), or for one period when asked (value, status, source).
Every such feature says whether any value it carries is illustrative, with the notice.
"""
import re
from dataclasses import dataclass

import shapely
from shapely.geometry import mapping

from .errors import InvalidChoice, NotFound
from .units import VINTAGES
from .values import ILLUSTRATIVE_NOTICE, indicator_values

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
UNIT_FIELDS = ("code", "name", "full_name", "unit_type", "vintage", "area_km2")
PER_PERIOD = ("value", "status", "source")


@dataclass(frozen=True)
class Collection:
    id: str
    vintage: str
    indicator: object = None  # an Indicator, None for the units themselves


class Provider:
    """The collections and features of one store and catalogue. index_of(vintage): the FigureIndex
    of an era (the web layer caches it per store build)."""

    def __init__(self, store, catalogue, index_of):
        self.store, self.catalogue, self.index_of = store, catalogue, index_of

    def collections(self):
        found = [Collection(f"units-{v}", v) for v in VINTAGES]
        return found + [Collection(f"{i.key}-{v}", v, i) for i in self.catalogue.mappable() for v in VINTAGES]

    def collection(self, collection_id):
        for found in self.collections():
            if found.id == collection_id:
                return found
        raise NotFound(f"no collection is called {collection_id!r}; see /ogc/collections")

    def periods(self, collection):
        if collection.indicator is None:
            return []
        return self.index_of(collection.vintage).periods(collection.indicator)

    def bbox(self, collection):
        return [float(b) for b in self.store.units(collection.vintage).total_bounds]

    def fields(self, collection, period=None, periods=None):
        """The property names of the collection's features, in order."""
        if collection.indicator is None:
            return list(UNIT_FIELDS)
        base = list(UNIT_FIELDS) + ["indicator", "unit"]
        if period is not None:
            return base + ["period", "value", "numerator", "denominator", "status", "source",
                           "illustrative", "notice"]
        chosen = self.periods(collection) if periods is None else periods
        return base + [f"{name}_{p}" for p in chosen for name in PER_PERIOD] + ["illustrative", "notice"]

    def check_period(self, collection, period):
        if period is None:
            return None
        choices = self.periods(collection)
        if collection.indicator is None or period not in choices:
            raise InvalidChoice("period", period, choices,
                                where=f"collection {collection.id}" if not choices else "")
        return period

    def features(self, collection, bbox=None, period=None, periods=None, properties=None, simplified=False,
                 lang="vi", limit=None, offset=0, code=None):
        """(features in code order from offset, at most limit of them; how many matched; the property
        names). bbox: (w, s, e, n) in CRS84; code: only that unit. Only the page is built."""
        fields = self.fields(collection, period, periods)
        for name in properties or ():
            if name not in fields:
                raise InvalidChoice("properties", name, fields)
        frame = self.store.units(collection.vintage, simplified=simplified,
                                 bbox=tuple(bbox) if bbox else None).sort_values("code")
        if code is not None:
            frame = frame[frame.code == code]
        matched = len(frame)
        frame = frame.iloc[offset:None if limit is None else offset + limit]
        values = self._values(collection, period, periods, lang, set(frame.code)) if collection.indicator else {}
        kept = list(properties) if properties else fields
        shapes = shapely.set_precision(frame.geometry.values, 1e-7)  # 1 cm: no 17-digit coordinates
        features = []
        for row, geometry in zip(frame.itertuples(), shapes):
            props = {name: _plain(getattr(row, name, None)) for name in UNIT_FIELDS}
            props.update(values.get(row.code, {}))
            features.append({"type": "Feature", "id": row.code, "geometry": mapping(geometry),
                             "properties": {name: props.get(name) for name in kept}})
        return features, matched, kept

    def feature(self, collection, code, **options):
        features, _, _ = self.features(collection, code=code, **options)
        if not features:
            raise NotFound(f"no feature {code!r} in collection {collection.id}")
        return features[0]

    def _values(self, collection, period, periods, lang, codes):
        indicator, index = collection.indicator, self.index_of(collection.vintage)
        chosen = [period] if period is not None else (self.periods(collection) if periods is None else periods)
        out = {}
        for p in chosen:
            table = indicator_values(self.store, self.catalogue, indicator.key, p, collection.vintage, index=index)
            for row in (r for r in table.rows if r.unit.code in codes):
                data = row.to_dict()
                entry = out.setdefault(row.unit.code, {"indicator": indicator.key,
                                                       "unit": indicator.unit_label(lang),
                                                       "illustrative": False})
                if period is not None:
                    entry.update({k: data[k] for k in ("value", "numerator", "denominator", "status", "source")})
                    entry["period"] = p
                else:
                    entry.update({f"{k}_{p}": data[k] for k in PER_PERIOD})
                entry["illustrative"] = entry["illustrative"] or data["illustrative"]
        for entry in out.values():
            entry["notice"] = ILLUSTRATIVE_NOTICE if entry["illustrative"] else None
        return out


def _plain(value):
    """numpy scalars as Python numbers (JSON); floats to 4 decimals."""
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 4) if isinstance(value, float) else value


_INSTANT = re.compile(r"^(\d{4})(-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?$")


def parse_datetime(text):
    """OGC datetime → (first year, last year); an instant is one year, '..' an open end."""
    parts = text.split("/")
    if len(parts) > 2:
        raise ValueError("an instant (2024, 2024-06-30) or an interval (2019/2024, ../2024)")
    years = []
    for part in parts:
        if part in ("..", "") and len(parts) == 2:
            years.append(None)
            continue
        match = _INSTANT.match(part)
        if not match:
            raise ValueError("an instant (2024, 2024-06-30) or an interval (2019/2024, ../2024)")
        years.append(int(match[1]))
    if len(years) == 1:
        return years[0], years[0]
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        raise ValueError("the interval ends before it starts")
    return years[0], years[1]


def parse_bbox(text):
    """minx,miny,maxx,maxy in CRS84 (a 6-number 3D box keeps its horizontal part)."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        raise ValueError("four numbers are needed: west,south,east,north (CRS84)") from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        raise ValueError("four numbers are needed: west,south,east,north (CRS84)")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("longitudes within ±180, latitudes within ±90, south ≤ north")
    if west > east:
        raise ValueError("a box across the antimeridian (west > east) is not supported here")
    return west, south, east, north
