"""A map's first view as SVG written into its page: the communes drawn before any script has run.

The SVG is projected like Leaflet's map (Web Mercator) and fitted to the same bounds, so once the
script has drawn the interactive map over it, nothing moves. Styles come from the page's CSS
(`.first-view` in map.css), the same as the script's, so the colours do not change either.
"""
import math
from typing import NamedTuple

from markupsafe import Markup, escape

WIDTH = 1000.0  # viewBox units across the bounds; coordinates are written to 0.1 of them


class Fill(NamedTuple):
    colour: str
    dashed: bool = False  # an illustrative value: dashed outline, as on the interactive map


def mercator(lon, lat):
    """Web Mercator on the unit square (x east, y south), as Leaflet projects."""
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180.0) / 360.0, (1 - y / math.pi) / 2


class Frame:
    """From (lon, lat) to viewBox units, the bounds (west, south, east, north) filling the box."""

    def __init__(self, bounds):
        west, south, east, north = bounds
        self.x0, self.y0 = mercator(west, north)
        x1, y1 = mercator(east, south)
        self.scale = WIDTH / (x1 - self.x0)
        self.height = (y1 - self.y0) * self.scale

    def point(self, lon, lat):
        """In tenths of a viewBox unit, as integers: relative steps between them stay exact."""
        x, y = mercator(lon, lat)
        return round((x - self.x0) * self.scale * 10), round((y - self.y0) * self.scale * 10)

    def view_box(self):
        return f"0 0 {WIDTH:g} {round(self.height, 1):g}"


def path_data(geometry, frame):
    """SVG path data of a (Multi)Polygon: every ring closed, holes cut by the even-odd rule."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = [frame.point(lon, lat) for lon, lat in ring[:-1]]
            if len(points) >= 3:
                steps = [f"{_tenths(x - px)} {_tenths(y - py)}" for (px, py), (x, y) in zip(points, points[1:])]
                rings.append(f"M{_tenths(points[0][0])} {_tenths(points[0][1])}l" + " ".join(steps) + "z")
    return "".join(rings)


def _tenths(n):
    return f"{n / 10:g}"


def first_view_svg(units, outline, fills, bounds, no_data):
    """units: a GeoJSON FeatureCollection with properties.code; outline: one or None; fills: {code:
    Fill}, a unit without one is no data, hatched on the `no_data` colour. Returns the <svg> as Markup."""
    frame = Frame(bounds)
    paths = []
    for feature in units["features"]:
        code = feature["properties"]["code"]
        fill = fills.get(code)
        kind = "unit" if fill else "unit no-data"
        style = f' fill="{escape(fill.colour)}"' if fill else ""
        dashed = " dashed" if fill and fill.dashed else ""
        paths.append(f'<path class="{kind}{dashed}" data-code="{escape(code)}"{style} '
                     f'd="{path_data(feature["geometry"], frame)}"/>')
    for feature in (outline or {}).get("features", []):
        paths.append(f'<path class="outline" d="{path_data(feature["geometry"], frame)}"/>')
    return Markup(
        f'<svg class="first-view" viewBox="{frame.view_box()}" preserveAspectRatio="xMidYMid meet" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<defs><pattern id="first-view-no-data" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="' + str(escape(no_data)) + '"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" class="no-data-hatch"></line></pattern></defs>'
        + "".join(paths) + "</svg>")
