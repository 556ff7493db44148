"""What a person sees: the real server (server.py) in real headless Chromium, every other host blocked.

Each page fixture records requests to hosts other than localhost (aborted) and console errors / uncaught
exceptions; both lists must be empty at the end of every test. Screenshots go to test-artifacts/.
"""
import re

import pytest

from browser import ARTIFACTS, Watch, hover_unit, wait_for_map, wait_until

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

UNITS_PRE2025, UNITS_POST2025 = 22, 8


def new_page(browser, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = Watch(page)
    return page


@pytest.fixture()
def page(browser):
    page = new_page(browser)
    yield page
    try:
        page.watch.check()
    finally:
        page.context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_the_watch_catches_outside_requests_and_errors(browser, server):
    """The guard itself: a request to another host is aborted and recorded, a console error is seen.
    (On the app's pages the Content-Security-Policy would stop such a request before the network, as a
    console error; a blank page has no policy, so here the request reaches the route.)"""
    page = new_page(browser)
    try:
        page.set_content('<img src="http://tiles.example.org/1/2/3.png"><script>console.error("deliberate")</script>')
        wait_until(page, "document.querySelector('img').complete")
        assert page.watch.outside == ["http://tiles.example.org/1/2/3.png"]
        assert any("deliberate" in e for e in page.watch.errors)
        with pytest.raises(AssertionError):
            page.watch.check()
    finally:
        page.context.close()


def test_map_draws_22_communes_with_legend_and_table(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    assert page.evaluate("window.maisonMap.ready === true && window.maisonMap.drawn") == UNITS_PRE2025
    assert page.locator("#map-panel path.leaflet-interactive").count() == UNITS_PRE2025
    assert page.locator("#map-error").is_hidden()
    legend = page.locator("aside#legend")
    assert legend.is_visible()
    assert legend.locator("ul.legend-classes li.class").count() >= 3
    no_data = legend.locator("ul.legend-classes li.no-data")
    assert no_data.count() == 1 and "Không có số liệu" in no_data.inner_text()
    assert page.locator("table#values-table tbody tr").count() == UNITS_PRE2025
    screenshot(page, "map.png")


def test_hover_shows_name_and_value(page, server):
    page.goto(f"{server}/map?indicator=ban_gate_pct&period=2024")
    wait_for_map(page)
    tooltip = page.locator(".leaflet-tooltip.unit-tooltip")
    assert tooltip.count() == 0
    hover_unit(page, "04132")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    row = page.locator('#values-table tr[data-code="04132"]')
    value = row.locator("td.num").first.inner_text().strip()
    assert re.search(r"\d", value), value
    assert "Chiềng Mai" in text and value in text, (text, value)
    assert "Xếp hạng: " in text and "Nguồn: " in text  # rank and source
    assert "hover" in row.get_attribute("class")  # the table row lights up with the polygon


def test_a_status_map_has_category_legend_and_tooltips_with_the_fact(page, server):
    page.goto(f"{server}/map?indicator=ntm_status&period=2024")
    wait_for_map(page)
    legend = " ".join(page.locator("#legend").inner_text().split())
    assert "Nông thôn mới nâng cao (2 xã)" in legend and "Không có số liệu (16 xã)" in legend
    assert page.locator("#scheme").count() == 0  # no classing scheme for categories
    hover_unit(page, "04120")
    tooltip = page.locator(".leaflet-tooltip.unit-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Nông thôn mới nâng cao từ 27/12/2020 · Báo Sơn La" in text and "giữ nguyên" in text, text
    screenshot(page, "ntm_status_2024.png")


def test_click_opens_the_profile(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    point = hover_unit(page, "04141")
    with page.expect_navigation():
        page.mouse.click(*point)
    assert re.search(r"/communes/pre2025/04141$", page.url), page.url
    assert "Chiềng Nơi" in page.locator("h1").inner_text()
    wait_for_map(page)  # the locator map
    assert page.locator("#profile-table tbody tr").count() > 0
    screenshot(page, "profile.png")


def test_language_switch_and_it_is_remembered(page, server):
    page.goto(f"{server}/map")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("#legend").get_attribute("aria-label") == "Chú giải"
    with page.expect_navigation():
        page.locator("header.site nav.lang a[hreflang=en]").click()
    assert "lang=en" in page.url
    wait_for_map(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#legend").get_attribute("aria-label") == "Legend"
    assert page.locator("#table-panel h2").inner_text() == "Values by commune"
    assert "No data" in page.locator("#legend li.no-data").inner_text()
    # the next page, without ?lang=, is still in English
    with page.expect_navigation():
        page.locator("header.site nav.main a[href='/eras']").click()
    assert "lang=" not in page.url
    assert "before and after" in page.locator("h1").inner_text()
    assert page.locator("header.site nav.lang a[hreflang=vi]").count() == 1
    wait_for_map(page)


def test_picking_an_indicator_reloads_a_shareable_url(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    with page.expect_navigation():
        page.select_option("select#indicator", "hh_grid_pct")
    assert "indicator=hh_grid_pct" in page.url
    wait_for_map(page)
    title = page.locator("#legend h2").inner_text()
    assert title.startswith("Tỷ lệ hộ dùng điện lưới")
    shared = page.url
    other = new_page(page.context.browser)  # someone opening the shared link
    try:
        other.goto(shared)
        wait_for_map(other)
        assert other.locator("select#indicator").input_value() == "hh_grid_pct"
        assert other.locator("#legend h2").inner_text() == title
        other.watch.check()
    finally:
        other.context.close()


def test_post2025_shows_8_communes(page, server):
    page.goto(f"{server}/map?vintage=post2025&indicator=population")
    wait_for_map(page)
    assert page.locator("#map-panel path.leaflet-interactive:not(.value-circle)").count() == UNITS_POST2025
    assert page.locator("#map-panel path.value-circle").count() == UNITS_POST2025  # population: circles
    assert page.evaluate("window.maisonMap.drawn") == UNITS_POST2025
    assert page.locator("table#values-table tbody tr").count() == UNITS_POST2025
    assert "1681/NQ-UBTVQH15" in page.locator("p.era").inner_text()


def test_a_phone_screen_has_no_sideways_scroll(browser, server):
    page = new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        for url in ("/map", "/communes/pre2025/04132", "/map?vintage=post2025", "/eras"):
            page.goto(server + url)
            wait_for_map(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 361, f"{url}: page is {width} px wide on a 360 px screen"
        page.goto(f"{server}/map")
        wait_for_map(page)
        box = page.locator("#map-panel .map-wrap").bounding_box()
        assert box["width"] > 300 and box["height"] > 250, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 361, box
        assert page.locator("#map-panel path.leaflet-interactive").first.is_visible()
        screenshot(page, "phone.png")
        page.watch.check()
    finally:
        page.context.close()


def test_the_keyboard_reaches_pickers_and_table_links(page, server):
    page.goto(f"{server}/map")
    wait_for_map(page)
    reached, table_link = set(), None
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const el = document.activeElement;
            return [el.id || el.tagName, !!el.closest("#values-table tbody") && el.tagName === "A",
                    el.getAttribute("href")]; }""")
        reached.add(focused[0])
        if focused[1]:
            table_link = focused[2]
            break
    assert {"indicator", "period", "vintage", "scheme", "k"} <= reached, reached
    assert table_link and table_link.startswith("/communes/pre2025/"), reached
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(table_link)


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
    wait_for_map(page)
    page.check('#values-table input[value="04123"]')
    page.check('#values-table input[value="04132"]')
    with page.expect_navigation():
        page.click("#compare-form button[type=submit]")
    assert "codes=04123" in page.url and "codes=04132" in page.url
    headers = page.locator("#compare-table thead th").all_inner_texts()
    assert any("Chiềng Mung" in h for h in headers) and any("Chiềng Mai" in h for h in headers)


def test_compare_picks_communes_on_its_map(page, server):
    page.goto(f"{server}/compare?codes=04123")
    wait_for_map(page)
    point = hover_unit(page, "04132")
    assert point, "no point of Chiềng Mai could be hovered"
    page.mouse.click(*point)
    ticked = page.evaluate("Array.from(document.querySelectorAll('#pick-form input[name=codes]:checked'), b => b.value)")
    assert sorted(ticked) == ["04123", "04132"]
    fill = page.evaluate("window.maisonMap.byCode['04132'].options.fillColor")
    page.uncheck('#pick-form input[value="04123"]')
    unpicked = page.evaluate("window.maisonMap.byCode['04123'].options.fillColor")
    assert fill != unpicked
    page.check('#pick-form input[value="04123"]')
    screenshot(page, "compare-picker.png")
    with page.expect_navigation():
        page.click("#pick-form button[type=submit]")
    headers = page.locator("#compare-table thead th").all_inner_texts()
    assert any("Chiềng Mung" in h for h in headers) and any("Chiềng Mai" in h for h in headers)
