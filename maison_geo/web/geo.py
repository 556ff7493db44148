"""Geometry for the pages, computed once per store build: GeoJSON bytes (gzipped), outline, labels."""
import gzip
import json
import threading

from flask import Response, request, url_for

from .context import store

_cache = {}
_lock = threading.Lock()
LABEL_LIMIT = 300  # above this many units, names would only clutter the map and an outline adds nothing
OVERVIEW_LIMIT = 1000  # above this many units a map starts from the overview, with detail on zooming in
LOCATOR_PAD = 0.1  # degrees (~11 km) at least around a unit on its locator map among many units
MAP_PROPERTIES = ("code", "name", "unit_type")  # all a map needs: styles and tooltips come with the page
INLINE_BYTES = 64 * 1024  # a map's first geometry up to this size (raw) goes inside its page


def _memo(key, make):
    stamp = store().meta().get("fingerprint")
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
    value = make()
    with _lock:
        _cache[key] = (stamp, value)
    return value


memo = _memo  # for the other modules of the web layer: a value computed once per store build


def _encode(collection):
    raw = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return raw, gzip.compress(raw, 6)


def units_payload(vintage, full=False, attribution=None, extra=None, properties=None, bbox=None):
    """properties: the columns to keep (default all but the name variants); bbox: only the units that
    reach into (west, south, east, north), computed afresh (a zoomed-in map asks for many boxes)."""
    def make():
        frame = _units_in(vintage, bbox, simplified=not full)
        kept = list(properties) if properties else [c for c in frame.columns if c not in ("geometry", "name_variants")]
        collection = json.loads(frame[kept + ["geometry"]].to_json(drop_id=True))
        collection.update(extra or {})
        collection["attribution"] = attribution or []
        return _encode(collection)
    return make() if bbox else _memo(("units", vintage, full, tuple(properties or ())), make)


def lean_units_payload(vintage):
    """What the map's lean unit URL (/api/units?properties=code,name,unit_type) answers."""
    from ..units import REFORM_DATE
    return units_payload(vintage, attribution=attribution(vintage), extra={"vintage": vintage, "reform_date": REFORM_DATE},
                         properties=list(MAP_PROPERTIES))


def inline_geometry(vintage, sources):
    """{URL: data} of a map's first fetches (units and outline) when they are small enough to go inside
    the page: the map draws with no request after the page's own. Else {}."""
    if sources.get("overview"):
        return {}
    found = {sources["geojson"]: lean_units_payload(vintage)}
    if sources.get("outline"):
        found[sources["outline"]] = outline_payload(vintage)
    if sum(len(raw) for raw, _ in found.values()) > INLINE_BYTES:
        return {}
    return {url: json.loads(raw) for url, (raw, _) in found.items()}


def overview_payload(vintage, attribution=None, bbox=None, grid=None):
    """The units as quantized TopoJSON on a grid (see overview.py): by default all of them on a grid
    fit to their extent (cached); with bbox and grid, those reaching into the box on that grid."""
    def make():
        from ..overview import overview_topology
        topology = overview_topology(_units_in(vintage, bbox), MAP_PROPERTIES, grid)
        topology.update({"vintage": vintage, "attribution": attribution or []})
        return _encode(topology)
    return make() if bbox or grid else _memo(("overview", vintage), make)


def _units_in(vintage, bbox=None, simplified=True):
    """The units of an era, only those reaching into bbox (west, south, east, north) when given."""
    return store().units(vintage, simplified=simplified, bbox=tuple(bbox) if bbox else None)


def _lean_units_url(vintage, **args):
    return url_for("api.units", vintage=vintage, properties=",".join(MAP_PROPERTIES), **args)


def unit_properties(vintage):
    return [c for c in store().units(vintage).columns if c not in ("geometry", "name_variants")]


def map_sources(vintage):
    """The URLs a map fetches: lean unit geometry (for many units: an overview first, the geometry of
    the part in view once zoomed in), and the outline where there are few enough units."""
    count = unit_count(vintage)
    return {"geojson": _lean_units_url(vintage), "match": url_for("api.match", vintage=vintage),
            "outline": url_for("api.outline", vintage=vintage) if count <= LABEL_LIMIT else None,
            "overview": url_for("api.units", vintage=vintage, format="topojson") if count > OVERVIEW_LIMIT else None}


def attribution(vintage):
    """Who drew the boundaries of an era: every map credits them."""
    return [s["attribution"] for s in store().sources() if s["vintage"] == vintage]


def locator_view(vintage, code):
    """(sources, bounds) of a profile's small locator map: the whole scope where it is small enough
    to read (the district); among hundreds of units, only the unit's neighbourhood, fetched by box."""
    if unit_count(vintage) <= LABEL_LIMIT:
        return map_sources(vintage), bounds(vintage)
    frame = store().units(vintage)
    west, south, east, north = (float(b) for b in frame[frame.code == code].total_bounds)
    pad = max(LOCATOR_PAD, 1.5 * (east - west), 1.5 * (north - south))
    box = [max(west - pad, -180), max(south - pad, -90), min(east + pad, 180), min(north + pad, 90)]
    url = _lean_units_url(vintage, bbox=",".join(f"{b:.4f}" for b in box))
    return {"geojson": url, "outline": None, "overview": None}, box


def outline_payload(vintage):
    def make():
        import shapely
        shape = shapely.coverage_union_all(store().units(vintage).geometry.values)
        return _encode({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"vintage": vintage},
             "geometry": json.loads(_geojson(shape))}]})
    return _memo(("outline", vintage), make)


def _geojson(shape):
    import shapely
    return shapely.to_geojson(shapely.set_precision(shape, 1e-5))


def labels(vintage):
    def make():
        frame = store().units(vintage)
        if len(frame) > LABEL_LIMIT:
            return []
        from ..labels import label_points
        return label_points(frame)
    return _memo(("labels", vintage), make)


def bounds(vintage):
    return _memo(("bounds", vintage), lambda: [float(b) for b in store().units(vintage).total_bounds])


def unit_count(vintage):
    return _memo(("count", vintage), lambda: len(store().unit_records(vintage)))


def json_response(payload, cache_seconds=3600):
    """Pre-encoded JSON, gzipped when the client accepts it, cached and revalidated by ETag."""
    raw, packed = payload
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(packed if use_gzip else raw, mimetype="application/json")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = cache_seconds
    return response  # ETag and 304: web.caching, as for every answer
