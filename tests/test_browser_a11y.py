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
# more pages seen on a phone: the progress map (once a target is set), the statuses of the two eras
PHONE_PAGES = [("/progress?indicator=hh_grid_pct", 1), ("/eras?indicator=ntm_status", 1),
               ("/compare?codes=04105&codes=04108&codes=04141&codes=04120", 1)]
# the pages whose pickers fold into one "Options" panel on a phone, and the picker that folds
FOLDED = [("/map?indicator=hh_grid_pct", "#indicator"), ("/progress?indicator=hh_grid_pct", "select[name=indicator]"),
          ("/compare?codes=04105&codes=04108", "fieldset.unit-picker"), ("/split?indicator=households", "select[name=indicator]"),
          ("/eras?indicator=ntm_status", "#eras-indicator"), ("/plan?budget=50+t%E1%BB%B7", "select[name=objective]")]


@pytest.fixture(scope="module")
def server(store):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test-deps does)")
    running = Server(store.location)
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


def tab_to_map(page, index=0):
    """Tab from the page's start until the index-th map has the focus."""
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("i => document.activeElement === document.querySelectorAll('.leaflet-container')[i]", index):
            return
    pytest.fail("Tab never reached the map")


def walk(page, state="window.maisonMap"):
    """Every commune the map's arrow keys reach, in order, with what the live region said for each."""
    count = page.evaluate(f"Object.keys({state}.byCode).length")
    seen = []
    for _ in range(count):
        page.keyboard.press("ArrowRight")
        code = page.evaluate(f"{state}.focused")
        live = page.evaluate("() => document.activeElement.parentNode.querySelector('.map-live').textContent")
        seen.append((code, live))
    return count, seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_commune_is_reached_by_the_keyboard_west_to_east(browser, server, lang):
    # poverty: two communes with a value, twenty without; every one of them is reached
    page = open_map(browser, server, "/map?indicator=poverty_rate_pct", lang=lang)
    no_data = "Không có số liệu" if lang == "vi" else "No data"
    try:
        empty = page.evaluate("Array.from(document.querySelectorAll('#values-table tr[data-status=\"none\"]')).map(r => r.dataset.code)")
        assert 0 < len(empty) < page.evaluate("Object.keys(window.maisonMap.byCode).length"), "communes with and without a value"
        assert page.locator(".leaflet-container").get_attribute("aria-describedby") == "values-caption"
        tab_to_map(page)
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        count, seen = walk(page)
        codes = [code for code, _ in seen]
        assert len(set(codes)) == count == len(codes) >= 22, "every commune, each once"
        longitudes = [page.evaluate("c => window.maisonMap.byCode[c].getBounds().getCenter().lng", c) for c in codes]
        assert longitudes == sorted(longitudes), "west to east"
        assert page.evaluate("c => window.maisonMap.byCode[c].options.weight", codes[-1]) == 3.5  # its outline
        for code, spoken in seen:
            name = page.locator(f'#values-table tr[data-code="{code}"] td').nth(1).inner_text().strip().split("\n")[0]
            assert name.split(" (")[0] in spoken, (code, spoken)
            if code in empty:
                assert no_data in spoken, (code, spoken)
            else:
                assert ("Nhóm:" if lang == "vi" else "Class:") in spoken and ("Nguồn" if lang == "vi" else "Source") in spoken
        # back to a commune without a value: its card says so and links to its profile
        blank = next(i for i, (code, _) in enumerate(seen) if code in empty)
        for _ in range(len(seen) - 1 - blank):
            page.keyboard.press("ArrowLeft")
        assert page.evaluate("window.maisonMap.focused") == seen[blank][0]
        page.keyboard.press("Enter")
        card = page.locator(".unit-card")
        assert card.is_visible() and no_data in card.inner_text()
        assert page.locator(".value-card a").get_attribute("href").endswith(seen[blank][0])
        page.keyboard.press("Escape")
        page.locator(".unit-card").wait_for(state="detached", timeout=3000)
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/communes/*/{seen[blank][0]}*")
        page.watch.check()
    finally:
        page.context.close()


def test_no_data_is_hatched_on_the_map_as_in_the_legend(browser, server):
    page = open_map(browser, server, "/map?indicator=poverty_rate_pct")
    try:
        fills = page.evaluate("""() => Object.values(window.maisonMap.byCode).map(l => l.getElement().getAttribute('fill'))""")
        hatched = [f for f in fills if f.startswith("url(#")]
        assert hatched and len(hatched) < len(fills), fills
        pattern = page.locator(hatched[0][4:-1])
        assert pattern.evaluate("p => p.tagName") == "pattern" and pattern.locator("line").count() == 1
        page.watch.check()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_compare_map_ticks_a_commune_from_the_keyboard(browser, server, lang):
    page = open_map(browser, server, "/compare?codes=04105&codes=04108", lang=lang)
    chosen, not_chosen = ("Đã chọn", "Chưa chọn") if lang == "vi" else ("Chosen", "Not chosen")
    try:
        tab_to_map(page)
        assert "Enter" in page.evaluate("document.activeElement.getAttribute('aria-label')")
        count, seen = walk(page)
        assert len({code for code, _ in seen}) == count >= 22
        for code, spoken in seen:
            assert (chosen if code in ("04105", "04108") else not_chosen) in spoken, (code, spoken)
        code = seen[-1][0]
        box = page.locator(f'input[name=codes][value="{code}"]')
        before = box.is_checked()
        page.keyboard.press("Enter")
        assert box.is_checked() != before
        live = page.locator(".map-live").text_content()
        assert (not_chosen if before else chosen) in live
        page.keyboard.press("Enter")
        assert box.is_checked() == before
        page.watch.check()
    finally:
        page.context.close()


def test_the_eras_map_is_walked_by_the_keyboard(browser, server):
    page = open_map(browser, server, "/eras")
    try:
        tab_to_map(page)
        count, seen = walk(page)
        names = page.evaluate("() => Array.from(document.querySelectorAll('#eras-table tbody tr')).map(r => r.dataset.code)")
        assert count == 8 and sorted(code for code, _ in seen) == sorted(names)
        assert all(spoken.endswith("(2025)") for _, spoken in seen), seen
        page.keyboard.press("Enter")
        assert page.locator(".value-card a").get_attribute("href").endswith("/post2025/" + seen[-1][0])
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/communes/post2025/{seen[-1][0]}*")
        page.watch.check()
    finally:
        page.context.close()


def set_target(page, server, indicator):
    page.goto(f"{server}/progress?indicator={indicator}&lang=vi")
    form = page.locator("#target-form")
    form.locator("input[name=value]").fill("90")
    form.locator("input[name=year]").fill("2030")
    form.locator("input[name=source]").fill("Nghị quyết thử nghiệm")
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("path", ["/progress?indicator=hh_grid_pct", "/split?indicator=households&periods=2019,2024",
                                  "/plan?budget=50+t%E1%BB%B7", "/eras?indicator=ntm_status"])
def test_every_map_of_every_page_is_walked_by_the_keyboard(browser, server, path):
    page = logged_in_page(browser, server, "desktop")
    try:
        if path.startswith("/progress"):
            set_target(page, server, "hh_grid_pct")
        page.goto(f"{server}{path}&lang=vi")
        settle(page, 1)
        maps = page.evaluate("window.maisonMaps.length")
        assert maps == (2 if path.startswith("/split") else 1)
        for index in range(maps):
            tab_to_map(page, index)
            count, seen = walk(page, f"window.maisonMaps[{index}]")
            assert count >= 22 and len({code for code, _ in seen}) == count, path
            assert all(spoken for _, spoken in seen)
            page.keyboard.press("Enter")
            page.locator(".unit-card").first.wait_for()
            page.keyboard.press("Escape")
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
    wide, sideways, loose = [], [], []
    try:
        set_target(page, server, "hh_grid_pct")  # the progress page's map and table are seen too
        for path, maps in PAGES + PHONE_PAGES:
            page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
            settle(page, maps)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                sideways.append(f"{path}: {width} px")
            loose += [f"{path}: {t}" for t in page.evaluate("""() => Array.from(document.querySelectorAll('table'))
                .filter(t => t.offsetParent && !t.closest('.table-scroll') && t.getBoundingClientRect().right > 361)
                .map(t => t.id || t.className || t.outerHTML.slice(0, 60))""")]
            wide += page.evaluate("""() => Array.from(document.querySelectorAll('.table-scroll'))
                .filter(b => b.scrollWidth > b.clientWidth + 1 && b.offsetParent)
                .map(b => [b.querySelector('tr > :first-child') ? getComputedStyle(b.querySelector('tr > :first-child')).position : 'none',
                           b.getAttribute('tabindex')])""")
        assert sideways == [], f"pages wider than the phone: {sideways}"
        assert loose == [], f"tables wider than the phone outside a scrolling box: {loose}"
        assert wide, "some table is wider than a phone (else this check checks nothing)"
        assert all(position == "sticky" and tabindex == "0" for position, tabindex in wide), wide
        page.watch.check()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_phone_every_page_folds_its_pickers_into_one_options_panel(browser, server, lang):
    page = logged_in_page(browser, server, "phone")
    folded = []
    try:
        set_target(page, server, "hh_grid_pct")
        for path, picker in FOLDED:
            page.goto(f"{server}{path}&lang={lang}")
            settle(page, 1)
            options = page.locator("details.options")
            summary = options.locator("summary").first
            words = summary.inner_text().strip() if options.count() == 1 and summary.is_visible() else None
            folded.append((path, words, page.locator(picker).first.is_visible()))
            if words:
                summary.click()
                assert page.locator(picker).first.is_visible(), path
                summary.click()
            top = page.locator(".map-wrap").first.bounding_box()["y"] + page.evaluate("window.scrollY")
            assert path.startswith("/plan") or top < 740, f"{path}: the map starts below the first screen ({top} px)"
        page.screenshot(path=str(ARTIFACTS / f"a11y-phone-options-{lang}.png"))
        word = "tùy chọn" if lang == "vi" else "options"  # the planner's says "More options: …"
        assert all(words and word in words.lower() and not shown for _, words, shown in folded), folded
        page.watch.check()
    finally:
        page.context.close()


def test_on_a_desktop_the_planner_can_still_open_its_options(browser, server):
    page = logged_in_page(browser, server, "desktop")
    try:
        page.goto(f"{server}/plan?budget=50+t%E1%BB%B7&lang=vi")
        settle(page, 1)
        page.locator("details.options > summary").click()
        assert page.locator("select[name=objective]").is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_phone_the_legend_is_a_folded_overlay_on_every_single_map(browser, server, lang):
    page = logged_in_page(browser, server, "phone")
    try:
        set_target(page, server, "hh_grid_pct")
        for path in ("/progress?indicator=hh_grid_pct", "/eras?indicator=", "/eras?indicator=ntm_status",
                     "/plan?budget=50+t%E1%BB%B7"):
            page.goto(f"{server}{path}&lang={lang}")
            settle(page, 1)
            key = page.locator("#map-panel .map-wrap details.legend-key")
            assert key.count() == 1, path
            assert not page.locator("#map-panel .legend-classes li").first.is_visible(), path
            key.locator("summary").click()
            box = page.locator("#map-panel .map-wrap").bounding_box()
            first = page.locator("#map-panel .legend-classes li").first.bounding_box()
            assert first and box["y"] <= first["y"] <= box["y"] + box["height"], f"{path}: the open legend lies on the map"
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
            page.screenshot(path=str(ARTIFACTS / f"a11y-phone-legend-{path[1:].split('?')[0]}-{len(path)}-{lang}.png"))
        page.watch.check()
    finally:
        page.context.close()
