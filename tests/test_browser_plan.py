"""The planner page in the real browser, on a desktop and a 360 px phone: the summary first and within
about three screens, the details folded, nothing wider than the screen, the map drawn."""
import pytest

from browser import close, open_page, wait_for_map
from test_browser import screenshot

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

DESKTOP, PHONE = {"width": 1366, "height": 768}, {"width": 360, "height": 740}
PLAN = "/plan?budget=50+t%E1%BB%B7"


@pytest.mark.parametrize("size, lang", [("desktop", "vi"), ("phone", "vi"), ("desktop", "en"), ("phone", "en")])
def test_the_page_reads_as_a_summary_first(browser, server, size, lang):
    viewport = DESKTOP if size == "desktop" else PHONE
    page = open_page(browser, f"{server}{PLAN}&lang={lang}", viewport, has_touch=size == "phone")
    try:
        screenshot(page, f"plan-{size}-{lang}.png")
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways: {width} px"
        if size == "desktop":
            assert height <= 3.2 * viewport["height"], f"{height} px before unfolding"
        order = page.evaluate("""() => ['#plan-headline', '#by-intervention', '#frontier', '#map-panel',
            '#plan-details'].map(s => document.querySelector(s).getBoundingClientRect().top)""")
        assert order == sorted(order)
        assert not page.locator("#plan-table").is_visible() and not page.locator("#milp-status").is_visible()
        page.locator("#plan-details > summary").click()
        assert page.locator("#plan-table").is_visible() and page.locator("#milp-status").is_visible()
        headline = page.locator("#plan-headline").inner_text()
        assert ("50 tỷ đồng" in headline) if lang == "vi" else ("VND 50 billion" in headline)
        assert page.locator("#frontier circle.point").count() == 12
    finally:
        close(page)


def test_the_budget_box_takes_an_amount_as_people_write_it(browser, server):
    page = open_page(browser, f"{server}{PLAN}", PHONE, has_touch=True)
    try:
        page.fill("input[name=budget]", "2,5 tỷ")
        page.locator("#plan-form button[type=submit]").click()
        page.wait_for_url("**/plan?**")
        wait_for_map(page)
        assert page.locator("#budget-text").inner_text() == "2,5 tỷ đồng"
        assert page.locator("#budget-words").inner_text() == "hai tỷ năm trăm triệu đồng"
        assert page.locator("#by-intervention").is_visible()
    finally:
        close(page)
