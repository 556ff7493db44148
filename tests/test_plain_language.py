"""Plain Vietnamese on every page: every GET route of the URL map that answers HTML is rendered in
Vietnamese, logged in as admin, with a saved scenario, an import and a target in the store; its VISIBLE
text (tags, scripts, styles and attribute values stripped) must hold no catalogue key, no `python -m`,
no ISO timestamp and no English sentence."""
import io
import json
import re
from html.parser import HTMLParser

import pytest
from fixtures.entry import add_accounts, api_upload, login, make_app

from maison_geo.indicators import Catalogue
from maison_geo.planning.interventions import load_interventions

HOUSEHOLDS = "Mã;Tên xã;Số hộ\n04105;Hát Lót;5.300\n04108;Chiềng Sung;1.600\n".encode()
# Proper names and abbreviations that are the same in both languages.
ALLOWED = {"GADM", "OGC", "API", "PDF", "CSV", "XLSX", "JSON", "GeoJSON", "Leaflet", "QGIS", "OpenAPI",
           "OpenStreetMap", "SVG", "PNG", "HTML", "URL", "GeoPackage", "WGS", "EPSG", "MILP", "HiGHS"}
ENGLISH = set("""the of and to is in for from with on by not this that are be run these those was were
will can may must should could would has have had an its it their there which what when where who how
your you our we they does do did as at or if then than also only all any each every no yes please
use used using see click here more about after before into out over under up down""".split())
STATUS_KEYS = {"official", "reported", "illustrative", "achieved", "advanced", "met", "on_track", "behind",
               "no_data", "above", "below", "equal"}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|[+-]\d{2}:\d{2}\b(?!\d)|\bUTC\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-zÀ-ỹĐđ]+(?:['’][a-z]+)?")


class _Visible(HTMLParser):
    """The text a reader sees: no scripts, styles, templates or attribute values. Text in <code> is what a
    script sends or a reader types (API paths, parameters, identifiers), shown as code: it is left out."""
    HIDDEN = {"script", "style", "template", "svg", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
        elif tag in ("br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "option", "dt", "dd",
                     "label", "button", "a", "span", "caption", "summary", "figcaption", "title"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.depth = max(0, self.depth - 1)
        else:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html):
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def _keys():
    catalogue = Catalogue.load()
    keys = set(catalogue.keys())
    for item in catalogue:
        keys.update(item.inputs)
    keys.update(i.key for i in load_interventions())
    return keys


def english_runs(text):
    """Runs of 4+ unaccented Latin words of which 2+ are common English words: an English sentence."""
    found = []
    for line in text.splitlines():
        words = WORD.findall(line)
        run = []
        for word in words + [""]:
            if word and word.isascii() and word not in ALLOWED:
                run.append(word)
                continue
            if len(run) >= 4 and sum(w.lower() in ENGLISH for w in run) >= 2:
                found.append(" ".join(run))
            run = []
    return found


QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def problems(html, keys):
    """What a page shows that a planner should not read. A quoted title (a citation) is a name, not a sentence."""
    text = QUOTED.sub("“”", visible_text(html))
    found = []
    if "python -m" in html:
        found.append("python -m")
    found += [f"time {m.group(0)!r}" for m in ISO_TIME.finditer(text)]
    for match in SNAKE.finditer(text):
        found.append(f"key {match.group(0)!r}")
    tokens = set(re.findall(r"\b[a-z][a-z0-9_]*\b", text))
    found += [f"key {k!r}" for k in sorted((keys | STATUS_KEYS) & tokens) if "_" not in k]
    found += [f"English {run!r}" for run in english_runs(text)]
    return found


@pytest.fixture(scope="module")
def site(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain")
    app = make_app(store, folder, PLANNING_DB=str(folder / "planning.sqlite"))
    tokens = add_accounts(app)
    web = app.test_client()
    assert login(web, "admin").status_code == 302
    auth = {"Authorization": f"Bearer {tokens['admin']}"}
    assert api_upload(web, HOUSEHOLDS, token=tokens["admin"], period=2024, lang=None).status_code == 201
    assert web.put("/api/targets/hh_grid_pct", json={"value": 99, "year": 2030, "source": "Nghị quyết huyện"},
                   headers=auth).status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/plan").get_data(as_text=True)).group(1)
    saved = web.post("/plan/scenarios", data={"name": "Kịch bản A", "query": "budget=20000000000",
                                              "csrf_token": token})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    return app, web


ARGUMENTS = {
    "vintage": ["pre2025", "post2025"], "code": None, "name": ["Kịch bản A"], "version_id": [1, 2],
    "collectionId": None, "featureId": None, "indicator": ["hh_grid_pct"],
}
QUERIES = {
    "/plan": ["", "?budget=20000000000", "?budget=-5"], "/map": ["", "?vintage=post2025&indicator=hh_grid_pct"],
    "/compare": ["", "?codes=04105,04108"], "/progress": ["", "?indicator=hh_grid_pct"],
    "/plan/compare": ["?names=Kịch bản A"], "/": [""],
}


NOT_PAGES = {"static": "files", "vendor.asset": "vendored scripts and styles", "bundles.bundle": "the map page's CSS and JS",
             "imports.version_file": "the uploaded file itself, as it was sent"}


def _paths(app, web):
    """The addresses to render: every GET rule, its arguments filled in; an unknown rule with arguments fails."""
    codes = {"pre2025": "04105", "post2025": json.loads(web.get("/api/units?vintage=post2025").data)}
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if not rule.arguments:
            out += [rule.rule + q for q in QUERIES.get(rule.rule, [""])]
        elif rule.endpoint == "pages.profile":
            out += ["/communes/pre2025/04105", "/communes/post2025/" + _first_code(codes["post2025"])]
        elif rule.endpoint == "plans.scenario":
            out.append("/plan/scenarios/Kịch bản A")
        elif rule.endpoint == "imports.version_page":
            out += ["/versions/1", "/versions/2"]
        elif rule.endpoint.startswith("ogc.") or rule.endpoint.startswith("targets."):
            out.append(rule.rule.replace("<collectionId>", "hh_grid_pct-pre2025").replace("<featureId>", "04105")
                       .replace("<indicator>", "hh_grid_pct") + "?f=html")
        else:
            raise AssertionError(f"{rule.rule}: give this page's arguments to the plain-language test")
    return out


def _first_code(body):
    rows = body.get("units") or body.get("rows") or body
    return rows[0]["code"] if isinstance(rows, list) else "04105"


def test_every_page_speaks_plainly(site):
    app, web = site
    keys = _keys()
    report, pages = {}, 0
    for path in _paths(app, web):
        response = web.get(path)
        if "text/html" not in response.content_type:
            continue
        pages += 1
        found = problems(response.get_data(as_text=True), keys)
        if found:
            report[f"{path} ({response.status_code})"] = sorted(set(found))
    assert not report, "\n".join(f"{p}: {f}" for p, f in report.items())
    assert pages >= 25  # the test did render the site, not an empty list


def test_the_detector_catches_developer_text():
    keys = {"hh_grid_pct", "households"}
    page = ("<p>Nguồn: maison-geo illustrative demo set (python -m maison_geo illustrative, seed 2024)</p>"
            "<p>2026-12-02T11:52:47+00:00</p><td>hh_grid_pct</td><p>Run this command to add an account</p>"
            "<script>var x = 'the data of the map'</script><a title='not in the text of a page'>Bản đồ</a>")
    found = problems(page, keys)
    assert "python -m" in found and any(f.startswith("time") for f in found)
    assert "key 'hh_grid_pct'" in found and any("Run this command" in f for f in found)
    assert not any("the data of" in f or "not in the text" in f for f in found)
    assert problems("<p>Tỷ lệ hộ dùng điện lưới: 98,5 % — Báo Sơn La, GADM, OGC API</p>", keys) == []


def test_times_are_written_in_vietnam_time_the_vietnamese_way():
    from maison_geo.formatting import local_time
    assert local_time("2026-12-02T11:52:47+00:00") == "02/12/2026 18:52"
    assert local_time("2026-12-02T20:05:00+00:00") == "03/12/2026 03:05"  # past midnight in Hà Nội
    assert local_time("2026-12-02T11:52:47") == "02/12/2026 18:52"  # no zone: stored as UTC
    assert local_time("2026-12-02T11:52:47+00:00", "en") == "2 Dec 2026 18:52"
    assert local_time("not a time") == "not a time"


def test_sources_read_as_citations():
    from maison_geo import illustrative
    from maison_geo.citations import AGGREGATED, note_text, source_text
    plain = source_text(illustrative.SOURCE)
    assert plain.startswith("Illustrative figures, not official:") and "python" not in plain
    report = "Báo cáo tổng kết nhiệm kỳ 2020–2025 của huyện Mai Sơn (district figures as supplied in the project brief)"
    mixed = f"{illustrative.SOURCE}; {AGGREGATED}{report}; Báo Sơn La: “Tin” https://baosonla.org.vn/a.html"
    assert source_text(mixed) == (plain + "; Sum of the former communes: Báo cáo tổng kết nhiệm kỳ 2020–2025 của "
                                  "huyện Mai Sơn; Báo Sơn La: “Tin”")
    assert note_text("sum of 3 former communes (Hát Lót 04105)") == "sum of 3 former communes (Hát Lót 04105)"
    assert note_text(illustrative.NOTE).startswith("Illustrative: not a real figure of this commune")


def test_planner_rules_and_notes_in_words():
    from maison_geo.citations import gap_rule_text, plan_note_text
    label = {"road_need_km": "Road still to harden", "households": "Households"}.get
    assert gap_rule_text("road_need_km 12 km (illustrative)", label) == "Road still to harden of each commune (illustrative)"
    assert gap_rule_text("target 99 % by 2030 (Nghị quyết)", label) == "target 99 % by 2030 (Nghị quyết)"
    notes = plan_note_text("as of 2024-12; beneficiaries per bản derived: 500 households / 10 bản; "
                           "no figure for households in 2024", label, lambda d: "December 2024")
    assert notes == ("as of December 2024; households per bản: 500 households / 10 bản; "
                     "no figure for Households in 2024")


def test_audit_details_are_words_in_the_ui_language(app):
    from maison_geo.web.audit_text import detail_lines, target_text
    entry = {"action": "token.add", "target": "hh_grid_pct",
             "detail": {"token_id": 3, "scope": "viewer", "expires_at": "2026-12-09T01:00:00+00:00"}}
    with app.test_request_context("/audit"):
        assert detail_lines(entry) == ["mã khóa số: 3", "quyền: người xem", "hiệu lực đến: 09/12/2026 08:00"]
        assert target_text(entry) == "Tỷ lệ hộ dùng điện lưới quốc gia"
        assert target_text({"target": "version 4"}) == "Phiên bản 4"
    with app.test_request_context("/audit?lang=en"):
        assert detail_lines(entry)[1] == "may: viewer"


def test_an_upload_report_names_indicators_not_keys(site):
    app, web = site
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/imports").get_data(as_text=True)).group(1)
    bad = "Mã;Số bản/tiểu khu;Số bản có cổng bản\n04132;11;14\n".encode()
    page = web.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(bad), "b.csv"), "period": "2024",
                                      "status": "official", "source": "Báo cáo xã"},
                    content_type="multipart/form-data")
    text = visible_text(page.get_data(as_text=True))
    assert "Số bản có cổng bản (“14”) lớn hơn Số bản/tiểu khu (11) ở Xã Chiềng Mai." in text
    assert "ban_with_gate" not in text and "ban_count" not in text
    assert problems(page.get_data(as_text=True), _keys()) == []
