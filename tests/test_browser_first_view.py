"""The map page's first view in real Chromium: SVG from the server, painted before any script, lying
exactly where the interactive map then draws, in the same colours; the table follows; no script needed."""
import pytest

from browser import Watch, close, wait_for_map

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

MAP = "/map?indicator=population&period=2019&vintage=pre2025&scheme=quantiles&k=5&symbol=choropleth"
CODES = ("04105", "04138", "04165")  # Hát Lót (a small town), Cò Nòi, Tà Hộc (east edge)
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 360, "height": 740}}
# Each unit's box and paint, relative to the map's box: the options panel above the map may differ.
SEEN = """([codes, leaflet]) => {
  const container = document.querySelector(".folium-map").getBoundingClientRect();
  return codes.map(code => {
    const path = leaflet ? window.maisonMap.byCode[code]._path
                         : document.querySelector(`.first-view path[data-code="${code}"]`);
    const box = path.getBoundingClientRect(), style = getComputedStyle(path);
    return {box: [box.left - container.left, box.top - container.top, box.width, box.height],
            fill: style.fill, fillOpacity: style.fillOpacity, stroke: style.stroke, strokeWidth: style.strokeWidth};
  });
}"""


def _open(browser, server, size, scripts=True, block=()):
    context = browser.new_context(viewport=SIZES[size], java_script_enabled=scripts)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.watch = Watch(page)
    for pattern in block:
        page.route(pattern, lambda route: route.abort())
    page.goto(server + MAP)
    return page


@pytest.mark.parametrize("size", SIZES)
def test_the_first_view_lies_exactly_under_the_interactive_map_in_its_colours(browser, server, size):
    still = _open(browser, server, size, scripts=False)
    try:
        first = still.evaluate(SEEN, [list(CODES), False])
    finally:
        still.context.close()
    live = _open(browser, server, size)
    try:
        wait_for_map(live)
        drawn = live.evaluate(SEEN, [list(CODES), True])
        assert live.evaluate("document.querySelectorAll('.first-view').length") == 0  # replaced, not doubled
    finally:
        close(live)
    for code, before, after in zip(CODES, first, drawn):
        moved = [abs(a - b) for a, b in zip(before.pop("box"), after.pop("box"))]
        assert max(moved) <= 1.5, (size, code, moved)  # Leaflet rounds its points to whole pixels
        assert before == after, (size, code)


def test_without_script_the_page_shows_the_map_and_the_whole_table(browser, server):
    page = _open(browser, server, "desktop", scripts=False)
    try:
        units = page.evaluate("""() => [...document.querySelectorAll('.first-view path.unit')]
            .filter(p => p.getBoundingClientRect().width > 0).length""")
        assert units == 22
        assert page.locator("#values-table tbody tr").count() == 22
        assert page.locator("#values-table").is_visible()
    finally:
        page.context.close()


def test_the_table_follows_the_map_and_comes_even_when_the_map_script_fails(browser, server):
    page = _open(browser, server, "desktop")
    try:
        wait_for_map(page)
        assert page.evaluate("document.documentElement.classList.contains('first-frame')") is False
        assert page.locator("#values-table").is_visible()
    finally:
        close(page)
    broken = _open(browser, server, "desktop", block=["**/static/bundle/map.js*"])
    try:
        broken.wait_for_function("!document.documentElement.classList.contains('first-frame')")
        assert broken.locator("#values-table").is_visible()
        assert broken.evaluate("document.querySelectorAll('.first-view path.unit').length") == 22
    finally:
        broken.context.close()


def test_on_a_phone_the_options_are_folded_before_any_file_of_script_runs(browser, server):
    page = _open(browser, server, "phone", block=["**/static/bundle/map.js*", "**/static/site.js*"])
    try:
        page.wait_for_selector(".first-view")
        assert page.evaluate("document.querySelector('#view-form details.options').open") is False
        top = page.evaluate("document.querySelector('.first-view').getBoundingClientRect().top")
        assert top < 740 / 2, top  # the map starts in the first half of the first screen
    finally:
        page.context.close()
