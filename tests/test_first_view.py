"""The map page's first view: SVG written by the server, projected and fitted as Leaflet fits the map."""
import math
import re
import xml.etree.ElementTree as ET

from maison_geo.first_view import WIDTH, Fill, Frame, first_view_svg, mercator, path_data

SVG = "{http://www.w3.org/2000/svg}"
BOUNDS = (103.6967, 20.9604, 104.2906, 21.3814)  # Mai Sơn, west south east north
MAP = "/map?indicator=population&period=2019&vintage=pre2025&scheme=quantiles&k=5&symbol=choropleth"


def _square(west, south, size, code):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _points(d):
    """Absolute points of each ring of path data written as M x y l dx dy ... z."""
    rings = []
    for start, steps in re.findall(r"M([-\d. ]+)l([-\d. ]*)z", d):
        x, y = map(float, start.split())
        ring = [(x, y)]
        numbers = list(map(float, steps.split()))
        for dx, dy in zip(numbers[::2], numbers[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def test_mercator_is_web_mercator_as_pyproj_computes_it():
    from pyproj import Transformer
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    half = math.pi * 6378137  # half the world's width in EPSG:3857 metres
    for lon, lat in ((-180, 0), (104.0, 21.0), (103.6967, 21.3814), (0, -60)):
        mx, my = to_metres.transform(lon, lat)
        x, y = mercator(lon, lat)
        assert math.isclose(x, (mx + half) / (2 * half), abs_tol=1e-12)
        assert math.isclose(y, (half - my) / (2 * half), abs_tol=1e-12)


def test_the_bounds_fill_the_view_box_corner_to_corner():
    frame = Frame(BOUNDS)
    assert frame.point(BOUNDS[0], BOUNDS[3]) == (0, 0)  # north-west, in tenths
    x, y = frame.point(BOUNDS[2], BOUNDS[1])
    assert x == WIDTH * 10 and math.isclose(y / 10, frame.height, abs_tol=0.1)
    # Mercator stretches north-south: the box is taller than the degrees' ratio times the cosine
    degrees = (BOUNDS[3] - BOUNDS[1]) / ((BOUNDS[2] - BOUNDS[0]) * math.cos(math.radians(21.17)))
    assert math.isclose(frame.height / WIDTH, degrees, rel_tol=0.01)


def test_relative_steps_land_exactly_on_the_projected_points():
    frame = Frame(BOUNDS)
    feature = _square(103.8, 21.0, 0.1, "04105")
    ring = feature["geometry"]["coordinates"][0]
    [drawn] = _points(path_data(feature["geometry"], frame))
    assert drawn == [tuple(v / 10 for v in frame.point(lon, lat)) for lon, lat in ring[:-1]]


def test_holes_and_parts_are_rings_of_one_path():
    frame = Frame(BOUNDS)
    outer = _square(103.8, 21.0, 0.2, "a")["geometry"]["coordinates"][0]
    hole = _square(103.85, 21.05, 0.05, "a")["geometry"]["coordinates"][0]
    other = _square(104.1, 21.2, 0.05, "a")["geometry"]["coordinates"][0]
    d = path_data({"type": "MultiPolygon", "coordinates": [[outer, hole], [other]]}, frame)
    assert d.count("M") == 3 and d.count("z") == 3


def test_units_are_filled_by_class_no_data_hatched_illustrative_dashed():
    units = {"type": "FeatureCollection",
             "features": [_square(103.8, 21.0, 0.1, "04105"), _square(103.9, 21.0, 0.1, "04108"),
                          _square(104.0, 21.0, 0.1, "04111")]}
    outline = {"type": "FeatureCollection", "features": [_square(103.7, 20.97, 0.5, None)]}
    fills = {"04105": Fill("#54278f"), "04108": Fill("#cbc9e2", dashed=True)}
    svg = ET.fromstring(str(first_view_svg(units, outline, fills, BOUNDS, "#c0c0c0")))
    assert svg.get("aria-hidden") == "true" and svg.get("preserveAspectRatio") == "xMidYMid meet"
    paths = {p.get("data-code"): p for p in svg.iter(f"{SVG}path")}
    assert paths["04105"].get("fill") == "#54278f" and paths["04105"].get("class") == "unit"
    assert paths["04108"].get("class") == "unit dashed"
    assert paths["04111"].get("class") == "unit no-data" and paths["04111"].get("fill") is None
    assert [p.get("class") for p in svg.iter(f"{SVG}path")][-1] == "outline"
    assert svg.find(f".//{SVG}pattern/{SVG}rect").get("fill") == "#c0c0c0"


def test_the_map_page_writes_its_first_view_and_loads_its_script_after(client):
    html = client.get(MAP).get_data(as_text=True)
    svg = re.search(r'<svg class="first-view".*?</svg>', html, re.S).group(0)
    assert len(re.findall(r'<path class="unit', svg)) == 22
    assert html.index('class="first-view"') < html.index("first-frame")  # the view, then its loader
    assert re.search(r'<link rel="preload" href="[^"]*/static/bundle/map.js\?v=\w+" as="script">', html)
    assert not re.search(r'<script src="[^"]*bundle/map.js', html)  # no script blocks the first frame


def test_a_circle_map_has_no_first_view(client):
    html = client.get("/map?indicator=ban_count&vintage=pre2025&symbol=circles").get_data(as_text=True)
    assert 'class="first-view"' not in html
    assert re.search(r'<script src="[^"]*bundle/map.js', html)
