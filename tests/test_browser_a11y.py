"""Accessibility checked by axe-core (bundled by axe-playwright-python, no CDN) over every main page, in
both languages, on a desktop (1366x768) and a phone (360x740): no violation of impact serious or
critical. The moderate ones are written to test-artifacts/axe-moderate.txt and discussed in the README.
One server, one browser, one logged-in (admin) context per size and language."""
import os

import pytest

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Server, Watch, wait_for_map, wait_until

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 360, "height": 740}}
PASSWORD = "axe-admin-password"
# (path, maps the page draws): every main page of the viewer
PAGES = [
    ("/map", 1), ("/communes/pre2025/04108", 1), ("/compare?codes=04105&codes=04108&codes=04141", 1), ("/split?indicator=households&periods=2019,2024", 0),
    ("/progress", 0), ("/eras", 0), ("/plan?budget=50+t%E1%BB%B7", 1), ("/plan/scenarios", 0),
    ("/login", 0), ("/imports", 0), ("/versions", 0), ("/audit", 0), ("/api/docs", 0), ("/ogc", 0),
]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def server(store):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test-deps does)")
    running = Server(store.path)
    from maison_geo.userdata import UserData
    UserData(running.userdata_location).add_user("admin", "admin", PASSWORD)
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def browser(server):
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def logged_in_page(browser, server, size):
    context = browser.new_context(viewport=SIZES[size], has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.watch = Watch(page)
    page.goto(f"{server}/login")
    page.fill("#name", "admin")
    page.fill("#password", PASSWORD)
    page.locator("form.form-grid button[type=submit]").click()
    page.wait_for_load_state()
    return page


def settle(page, maps):
    """Until the page's maps have drawn and every chart is in place."""
    if maps:
        wait_for_map(page, maps, timeout=40)
    wait_until(page, "(window.maisonMaps || []).every(s => s.ready)", timeout=40)
    wait_until(page, "document.readyState === 'complete'")
    page.wait_for_timeout(150)


def summary(result):
    lines = []
    for violation in result.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
        lines.append(f"{violation['impact']:9} {violation['id']}: {violation['help']} "
                     f"({len(violation['nodes'])} nodes: {targets})")
    return lines


@pytest.mark.parametrize("size, lang", [("desktop", "vi"), ("phone", "vi"), ("desktop", "en"), ("phone", "en")])
def test_no_serious_or_critical_axe_violation_on_any_page(browser, server, size, lang):
    axe = axe_api.Axe()
    page = logged_in_page(browser, server, size)
    blocking, moderate = [], []
    try:
        for path, maps in PAGES:
            joiner = "&" if "?" in path else "?"
            response = page.goto(f"{server}{path}{joiner}lang={lang}")
            assert response.status == 200, f"{path}: {response.status}"
            settle(page, maps)
            if path == "/map":  # the value card's text is checked too: open it from the keyboard
                page.locator(".leaflet-container").focus()
                page.keyboard.press("ArrowRight")
                page.keyboard.press("Enter")
                page.locator(".unit-card").wait_for()
                page.wait_for_timeout(500)  # past the popup's fade-in
                page.screenshot(path=str(ARTIFACTS / f"a11y-map-card-{size}-{lang}.png"))
            for line in summary(axe.run(page)):
                (blocking if line.split()[0] in BLOCKING else moderate).append(f"{path}: {line}")
        page.watch.check()
    finally:
        page.context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{size}-{lang}.txt").write_text("\n".join(blocking + moderate) + "\n")
    assert blocking == [], "axe-core, serious or critical:\n" + "\n".join(blocking)


def open_map(browser, server, path, size="desktop", lang="vi"):
    context = browser.new_context(viewport=SIZES[size], has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.watch = Watch(page)
    page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
    settle(page, 1)
    return page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_commune_is_reached_by_the_keyboard_west_to_east(browser, server, lang):
    page = open_map(browser, server, "/map?indicator=hh_grid_pct", lang=lang)
    try:
        valued = page.evaluate("Object.keys(window.maisonMap.byCode).filter(c => c in window.maisonMap.byCode && "
                               "document.querySelector('#values-table tr[data-code=\"' + c + '\"]')).length")
        assert page.locator(".leaflet-container").get_attribute("aria-describedby") == "values-caption"
        # Tab from the page's start reaches the map
        page.locator("body").focus()
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('leaflet-container')"):
                break
        else:
            pytest.fail("Tab never reached the map")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        seen, longitudes = [], []
        for _ in range(valued):
            page.keyboard.press("ArrowRight")
            code = page.evaluate("window.maisonMap.focused")
            seen.append(code)
            longitudes.append(page.evaluate("c => window.maisonMap.byCode[c].getBounds().getCenter().lng", code))
            assert page.evaluate("c => window.maisonMap.byCode[c].options.weight", code) == 3.5  # its outline
        assert len(set(seen)) == valued > 10, "every commune with a value, each once"
        assert longitudes == sorted(longitudes), "west to east"
        spoken = page.locator(".map-live").inner_text()
        name = page.locator(f'#values-table tr[data-code="{seen[-1]}"] td').nth(1).inner_text().strip()
        assert name.split("\n")[0] in spoken
        assert ("Nhóm:" if lang == "vi" else "Class:") in spoken
        assert ("Nguồn" if lang == "vi" else "Source") in spoken
        page.keyboard.press("Enter")
        card = page.locator(".unit-card")
        assert card.is_visible() and name.split("\n")[0] in card.inner_text()
        assert page.locator(".value-card a").get_attribute("href").endswith(seen[-1])
        page.keyboard.press("Escape")
        page.locator(".unit-card").wait_for(state="detached", timeout=3000)
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/communes/*/{seen[-1]}*")
        page.watch.check()
    finally:
        page.context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_eras_map_names_each_new_commune_not_only_its_colour(browser, server, size):
    page = open_map(browser, server, "/eras", size=size)
    try:
        names = page.evaluate("""() => Array.from(document.querySelectorAll('#eras-table tbody tr'))
            .map(r => r.cells[0].textContent.trim())""")
        shown = page.evaluate("""() => Array.from(document.querySelectorAll('.unit-label:not(.former) span'))
            .filter(s => !s.classList.contains('label-hidden')).map(s => s.textContent.trim())""")
        assert len(names) == 8
        assert all(any(name.endswith(label) or label in name for label in shown) for name in names), (names, shown)
        page.watch.check()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_phone_the_map_comes_first_with_its_options_and_legend_folded(browser, server, lang):
    page = open_map(browser, server, "/map?indicator=hh_grid_pct", size="phone", lang=lang)
    try:
        from test_browser import screenshot
        page.screenshot(path=str(ARTIFACTS / f"a11y-phone-map-{lang}.png"))
        box = page.locator("#map-panel .map-wrap").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740, f"the map is not on the first screen: {box}"
        assert box["height"] >= 300
        options = page.locator("details.options")
        assert options.locator("summary").inner_text().strip() == ("Tùy chọn" if lang == "vi" else "Options")
        assert not page.locator("#indicator").is_visible()
        options.locator("summary").click()
        assert page.locator("#indicator").is_visible() and page.locator("#k").is_visible()
        options.locator("summary").click()
        key = page.locator("#map-panel .map-wrap details.legend-key")
        assert key.count() == 1 and not page.locator(".legend-classes li.class").first.is_visible()
        key.locator("summary").click()
        page.screenshot(path=str(ARTIFACTS / f"a11y-phone-map-legend-{lang}.png"))
        first = page.locator(".legend-classes li.class").first.bounding_box()
        assert first and box["y"] <= first["y"] <= box["y"] + box["height"], "the open legend lies on the map"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, f"a11y-phone-map-full-{lang}.png")
        key.locator("summary").click()
        page.locator(".leaflet-container").focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.locator(".unit-card").wait_for()
        page.wait_for_timeout(500)
        covered = page.evaluate("""() => { const r = document.querySelector('.unit-card .value-card').getBoundingClientRect();
            return [[r.left + 4, r.top + 4], [r.right - 4, r.top + 4], [r.left + 4, r.bottom - 4]]
              .filter(([x, y]) => !document.elementFromPoint(x, y).closest('.unit-card')).length }""")
        assert covered == 0, "nothing lies over the value card's corners"
        page.watch.check()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_page_scrolls_sideways_on_a_phone_and_wide_tables_keep_their_first_column(browser, server, lang):
    page = logged_in_page(browser, server, "phone")
    wide, sideways = [], []
    try:
        for path, maps in PAGES:
            page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
            settle(page, maps)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                sideways.append(f"{path}: {width} px")
            wide += page.evaluate("""() => Array.from(document.querySelectorAll('.table-scroll'))
                .filter(b => b.scrollWidth > b.clientWidth + 1 && b.offsetParent)
                .map(b => [b.querySelector('tr > :first-child') ? getComputedStyle(b.querySelector('tr > :first-child')).position : 'none',
                           b.getAttribute('tabindex')])""")
        assert sideways == [], f"pages wider than the phone: {sideways}"
        assert wide, "some table is wider than a phone (else this check checks nothing)"
        assert all(position == "sticky" and tabindex == "0" for position, tabindex in wide), wide
        page.watch.check()
    finally:
        page.context.close()
