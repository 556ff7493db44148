"""All of Vietnam (11,163 units) in real headless Chromium: the overview first, detail on zooming in."""
import os
import re

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, Server, Watch, wait_for_map, wait_until
from maison_geo.build import build
from maison_geo.maps import NO_DATA_COLOR
from maison_geo.store import open_store

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
VIETNAM_UNITS = 11163


@pytest.fixture(scope="module")
def country(tmp_path_factory, mirror):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test-deps does)")
    store = open_store(tmp_path_factory.mktemp("vietnam") / "vietnam.gpkg")
    build(store, "vietnam", mirror=mirror, force=True, log=lambda *_: None)
    running = Server(store.location, timeout=120)
    yield running.url
    running.stop()


@pytest.fixture()
def page(country):
    with playwright_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60000)
        page.watch = Watch(page)
        yield page
        page.watch.check()
        browser.close()


TOOLTIP_TEXT = "document.querySelector('.unit-tooltip') && document.querySelector('.unit-tooltip').textContent"


def _screen_point(page, lat, lon):
    """Where a place is on the page, for the mouse."""
    return page.evaluate("""([lat, lon]) => {
        const map = window.maisonMap.map, pt = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + pt.x, box.top + pt.y];
    }""", [lat, lon])


def _hover_centre(page, code):
    lat, lon = page.evaluate("""code => {
        const centre = window.maisonMap.byCode[code].getBounds().getCenter();
        return [centre.lat, centre.lng];
    }""", code)
    page.mouse.move(*_screen_point(page, lat, lon))
    return wait_until(page, TOOLTIP_TEXT, timeout=10)


def _hover_canvas_at(page, point):
    """The tooltip's text once the mouse has come to point from outside the map. Leaflet's canvas
    throttles mouse moves: a last small move after a pause makes sure one lands there."""
    page.mouse.move(5, 5)
    page.mouse.move(*point, steps=4)
    page.wait_for_timeout(300)
    page.mouse.move(point[0], point[1] + 0.5)
    wait_until(page, TOOLTIP_TEXT, timeout=10)
    page.wait_for_timeout(300)
    return page.evaluate(TOOLTIP_TEXT)


def _canvas_pixel(page, lat, lon):
    """The colour the map's canvas holds at a place (what the units drawn there filled it with)."""
    return page.evaluate("""([lat, lon]) => {
        const map = window.maisonMap.map, canvas = map.getPanes().overlayPane.querySelector("canvas");
        const box = canvas.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
        const pt = map.latLngToContainerPoint([lat, lon]);
        const x = (frame.left + pt.x - box.left) * canvas.width / box.width;
        const y = (frame.top + pt.y - box.top) * canvas.height / box.height;
        return Array.from(canvas.getContext("2d").getImageData(Math.round(x), Math.round(y), 1, 1).data);
    }""", [lat, lon])


def test_country_overview_then_detail(page, country):
    page.goto(f"{country}/map?indicator=population&period=2019")
    wait_for_map(page, timeout=90)
    assert page.evaluate("window.maisonMap.drawn") == VIETNAM_UNITS
    assert page.locator("#values-table tbody tr").count() == 22  # the units with a value, not 11,163
    assert page.locator(".table-note").count() == 1
    page.evaluate("""() => { window.detailSeen = 0;
        document.addEventListener('maison:detail', e => { window.detailSeen = e.detail.drawn; }); }""")
    page.evaluate("window.maisonMap.map.setView([21.2, 104.0], window.maisonMap.map.getZoom() + 3) && 0")
    shown = wait_until(page, "window.detailSeen", timeout=60)
    assert 22 < shown < VIETNAM_UNITS
    assert "Chiềng Nơi" in _hover_centre(page, "04141")
    page.mouse.move(5, 5)
    page.evaluate("window.maisonMap.map.setZoom(window.maisonMap.map.getZoom() - 3) && 0")
    wait_until(page, f"window.maisonMap.shown.count === {VIETNAM_UNITS} && !!window.maisonMap.shown.group",
               timeout=30)


def test_country_overview_hover_names_a_unit_without_data(page, country):
    """Units without a value are drawn as a few shared paths; hovering still finds the one under the mouse."""
    page.goto(f"{country}/map?indicator=population&period=2019")
    wait_for_map(page, timeout=90)
    grey = int(NO_DATA_COLOR[1:3], 16)
    *colour, alpha = _canvas_pixel(page, 12.9, 107.6)  # inside a large commune of Gia Lai, no value
    assert all(abs(c - grey) <= 6 for c in colour) and 150 < alpha < 210, (colour, alpha)
    lat, lon = 12.7, 108.05  # Đắk Lắk: large communes, none with a value
    point = _screen_point(page, lat, lon)
    text = _hover_canvas_at(page, point)
    near = page.request.get(f"{country}/api/units?properties=name&bbox={lon - 0.03},{lat - 0.03},"
                            f"{lon + 0.03},{lat + 0.03}").json()["features"]  # within two grid steps
    assert "Không có số liệu" in text
    assert any(f["properties"]["name"] in text for f in near), (text, [f["properties"]["name"] for f in near])
    with page.expect_navigation():
        page.mouse.click(*point)
    assert "/communes/pre2025/" in page.url


def test_country_profile_locator_shows_the_neighbourhood(page, country):
    page.goto(f"{country}/communes/pre2025/VNM.35.4.8_1")
    wait_for_map(page, timeout=60)
    drawn, located = page.evaluate("[window.maisonMap.drawn, Object.keys(window.maisonMap.byCode)]")
    assert "VNM.35.4.8_1" in located and 1 < drawn < 300, drawn
    zoom = page.evaluate("window.maisonMap.map.getZoom()")
    assert zoom >= 9, zoom  # a district's worth of communes, not the whole country


def _crowded_cell(topology):
    """The centre (lat, lon) of the overview's grid cell kept by the most tiny units, and their names."""
    cells = {}
    for geometry in topology["objects"]["units"]["geometries"]:
        arc = topology["arcs"][geometry["arcs"][0][0]] if geometry["type"] == "Polygon" else None
        if arc and len(arc) == 5 and arc[1:] == [[1, 0], [0, 1], [-1, 0], [0, -1]]:
            cells.setdefault(tuple(arc[0]), []).append(geometry["properties"]["name"])
    (column, row), names = max(cells.items(), key=lambda item: len(item[1]))
    scale, shift = topology["transform"]["scale"], topology["transform"]["translate"]
    return (shift[1] + (row + 0.5) * scale[1], shift[0] + (column + 0.5) * scale[0]), names


def test_country_overview_hover_says_when_units_share_a_spot(page, country):
    """Tiny wards snapped to one cell of the overview: the tooltip names one and says how many more."""
    (lat, lon), names = _crowded_cell(page.request.get(f"{country}/api/units?format=topojson").json())
    assert len(names) > 2
    page.goto(f"{country}/map?indicator=population&period=2019")
    wait_for_map(page, timeout=90)
    text = _hover_canvas_at(page, _screen_point(page, lat, lon))
    more = re.search(r"Còn (\d+) đơn vị khác", text)
    assert more and int(more.group(1)) >= len(names) - 1, text
    assert any(name in text for name in names), (text, names)
