"""A whole country on one screen: units as quantized TopoJSON on a grid of about a pixel.

At the zoom that shows all of Vietnam a pixel is some 2.5 km wide, so coordinates every 90 m (the web
geometry) are mostly invisible weight. The overview snaps the coverage-simplified units to a grid fit to
the extent, and writes each ring as one TopoJSON arc of delta-encoded integers (no shared arcs: a
coverage snapped to one grid keeps its shared borders identical anyway). A unit that snaps to nothing
keeps one grid cell at a point inside it, so every unit stays on the map and can be hovered.
"""
import numpy as np
import shapely

GRID_STEPS = 700  # grid cells across the larger side of the extent: about a pixel on a map 700 px tall


def grid_for(bounds, steps=GRID_STEPS):
    """Grid size in degrees for an extent (minx, miny, maxx, maxy)."""
    return max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / steps


def overview_topology(frame, properties=("code", "name", "unit_type"), grid=None):
    """TopoJSON (quantized, one object `units`) of a GeoDataFrame of polygons in lon/lat."""
    if frame.empty:
        return {"type": "Topology", "objects": {"units": {"type": "GeometryCollection", "geometries": []}},
                "arcs": []}
    bounds = [float(b) for b in frame.total_bounds]
    grid = grid or grid_for(bounds)
    origin = np.array(bounds[:2])
    snapped = shapely.set_precision(frame.geometry.simplify_coverage(grid / 2).values, grid)
    inside = frame.geometry.representative_point().values
    arcs, geometries = [], []
    for shape, point, props in zip(snapped, inside, frame[list(properties)].to_dict("records")):
        polygons = [_rings(p, origin, grid) for p in _polygons(shape)] or [[_cell(point, origin, grid)]]
        refs = []
        for rings in polygons:
            refs.append(list(range(len(arcs), len(arcs) + len(rings))))
            arcs.extend(rings)
        geometries.append(_geometry(refs, props))
    return {"type": "Topology", "bbox": bounds,
            "transform": {"scale": [grid, grid], "translate": [float(origin[0]), float(origin[1])]},
            "objects": {"units": {"type": "GeometryCollection", "geometries": geometries}},
            "arcs": arcs}


def _polygons(shape):
    if shape.is_empty:
        return []
    if shape.geom_type == "Polygon":
        return [shape]
    return [part for part in getattr(shape, "geoms", []) if part.geom_type == "Polygon"]


def _rings(polygon, origin, grid):
    return [_arc(np.asarray(ring.coords), origin, grid) for ring in (polygon.exterior, *polygon.interiors)]


def _arc(coords, origin, grid):
    """A closed ring as quantized positions, the first absolute and the rest as deltas."""
    cells = np.rint((coords[:, :2] - origin) / grid).astype(np.int64)
    deltas = np.diff(cells, axis=0, prepend=np.zeros((1, 2), np.int64))
    return deltas.tolist()


def _cell(point, origin, grid):
    x, y = np.rint((np.array([point.x, point.y]) - origin) / grid).astype(np.int64).tolist()
    return [[x, y], [1, 0], [0, 1], [-1, 0], [0, -1]]


def _geometry(refs, props):
    """refs: per polygon, the arc index of each of its rings (one arc per ring)."""
    polygons = [[[arc] for arc in rings] for rings in refs]
    if len(polygons) == 1:
        return {"type": "Polygon", "arcs": polygons[0], "properties": props}
    return {"type": "MultiPolygon", "arcs": polygons, "properties": props}


def decode_ring(topology, index):
    """An arc back to lon/lat positions (used by tests and by anyone checking the encoding)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    cells = np.cumsum(np.array(topology["arcs"][index], dtype=np.int64), axis=0)
    return cells * np.array(scale) + np.array(translate)
