"""What a person sees: the map in headless Chromium, with every other host blocked."""
import re

import pytest

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Watch, free_port, hover_unit, start_server, wait_for_map

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(store):
    import os
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    port = free_port()
    process = start_server(store.path, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser(server):
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    assert page.watch.outside == [], "requests left localhost"
    assert page.watch.errors == [], "console errors"
    context.close()


def test_map_draws_22_communes_with_legend_and_table(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server}/map")
    wait_for_map(page)
    assert page.locator("path.leaflet-interactive").count() == 22
    assert page.locator("#legend .legend-classes li.class").count() >= 3
    assert page.locator("#legend .legend-classes li.no-data").count() == 1
    assert page.locator("#values-table tbody tr").count() == 22
    assert page.locator(".map-banner.illustrative").is_visible()
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)


def test_hover_shows_name_and_value_and_highlights_the_row(page, server):
    page.goto(f"{server}/map?indicator=ban_gate_pct&period=2024")
    wait_for_map(page)
    hover_unit(page, "04132")
    tooltip = page.locator(".leaflet-tooltip.unit-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Chiềng Mai" in text and "81,82 %" in text and "minh họa" in text
    assert "hover" in page.locator('#values-table tr[data-code="04132"]').get_attribute("class")


def test_click_opens_the_profile(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    point = hover_unit(page, "04141")
    page.mouse.click(*point)
    page.wait_for_url(re.compile(r"/communes/pre2025/04141$"))
    assert "Chiềng Nơi" in page.locator("h1").inner_text()
    wait_for_map(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "profile.png"), full_page=True)


def test_language_switch_and_it_is_remembered(page, server):
    page.goto(f"{server}/map")
    assert page.locator("#legend").get_attribute("aria-label") == "Chú giải"
    page.locator("header nav.lang a[hreflang=en]").click()
    page.wait_for_load_state()
    assert "Values by commune" in page.locator("#table-panel h2").inner_text()
    page.goto(f"{server}/eras")
    assert "before and after" in page.locator("h1").inner_text()
    wait_for_map(page)


def test_picking_an_indicator_reloads_a_shareable_url(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    with page.expect_navigation():
        page.select_option("#indicator", "hh_grid_pct")
    assert "indicator=hh_grid_pct" in page.url
    wait_for_map(page)
    assert page.locator("#legend h2").inner_text().startswith("Tỷ lệ hộ dùng điện lưới")
    shared = page.url
    page.goto(shared)
    assert page.locator("#indicator").input_value() == "hh_grid_pct"


def test_post2025_shows_8_communes(page, server):
    page.goto(f"{server}/map?vintage=post2025&indicator=population")
    wait_for_map(page)
    assert page.locator("path.leaflet-interactive").count() == 8
    assert "1681/NQ-UBTVQH15" in page.locator("p.era").inner_text()


def test_a_phone_screen_has_no_sideways_scroll(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    watch = Watch(page)
    for url in ("/map", "/communes/pre2025/04132", "/compare?codes=04123,04132", "/eras"):
        page.goto(server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 361, url
    page.goto(f"{server}/map")
    wait_for_map(page)
    assert page.locator(".map-wrap").bounding_box()["height"] > 250
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    assert watch.outside == [] and watch.errors == []
    context.close()


def test_the_keyboard_reaches_pickers_and_table_links(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert {"indicator", "period", "vintage", "scheme", "k"} <= reached
    assert "A" in reached


def test_split_view_maps_move_together(page, server):
    page.goto(f"{server}/split?indicator=households&periods=2019,2024")
    wait_for_map(page, 2)
    page.evaluate("window.maisonMaps[0].map.setView([21.2, 104.05], 12)")
    page.wait_for_timeout(200)
    views = page.evaluate("window.maisonMaps.map(s => [s.map.getCenter(), s.map.getZoom()])")
    (first, zoom), (second, other_zoom) = views
    assert zoom == other_zoom == 12
    assert abs(first["lat"] - second["lat"]) < 1e-3 and abs(first["lng"] - second["lng"]) < 1e-3
    assert abs(second["lat"] - 21.2) < 1e-3
    assert page.locator("section.shared-legend").count() == 1


def test_compare_from_the_map_table(page, server):
    page.goto(f"{server}/map")
    page.check('#values-table input[value="04123"]')
    page.check('#values-table input[value="04132"]')
    with page.expect_navigation():
        page.click("#compare-form button[type=submit]")
    assert "codes=04123" in page.url and "codes=04132" in page.url
    headers = page.locator("#compare-table thead th").all_inner_texts()
    assert any("Chiềng Mung" in h for h in headers) and any("Chiềng Mai" in h for h in headers)
