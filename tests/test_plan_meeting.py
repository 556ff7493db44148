"""The planner for a budget meeting: summary first, honest benefits, weights editors can set."""
import re

import pytest

from maison_geo.planning import load_interventions, make_plan


def _plan(store, catalogue, **extra):
    return make_plan(store, catalogue, {"budget": 50e9, "vintage": "pre2025", "period": 2024, **extra})


def test_households_alone_buy_gates_and_nothing_for_grid_or_water(store, catalogue):
    spent = {i["intervention"]: i["spend_vnd"] for i in _plan(store, catalogue, objective="beneficiaries")
             .by_intervention()}
    assert spent["grid"] == 0 and spent["clean_water"] == 0


def test_benefit_weights_fund_grid_and_water_first(store, catalogue):
    plan = _plan(store, catalogue)
    assert plan.request.objective == "benefit"
    spent = {i["intervention"]: i for i in plan.by_intervention()}
    assert spent["grid"]["spend_vnd"] > 0 and spent["clean_water"]["spend_vnd"] > 0
    weights = plan.to_dict()["inputs"]["benefit_weights"]
    assert weights["grid"]["weight"] > weights["house_gate_light"]["weight"]
    assert all(w["basis"] == "planning assumption" and w["note"] for w in weights.values())


def test_a_weight_sent_with_the_request_changes_the_plan(store, catalogue):
    base = {i["intervention"]: i["spend_vnd"] for i in _plan(store, catalogue).by_intervention()}
    nothing_for_grid = {i["intervention"]: i["spend_vnd"] for i in _plan(
        store, catalogue, benefit_weights={"grid": 0}).by_intervention()}
    assert base["grid"] > 0 and nothing_for_grid["grid"] == 0


def test_every_intervention_documents_its_weight():
    for item in load_interventions():
        assert item.benefit_weight > 0 and item.benefit_basis and "not from a source" in item.benefit_note


@pytest.mark.parametrize("weights, param", [({"grid": -1}, "benefit_weights.grid"), ({"bridge": 1}, "benefit_weights"),
                                            ("heavy", "benefit_weights"), ({"grid": 1e9}, "benefit_weights.grid")])
def test_a_wrong_weight_is_named(client, weights, param):
    res = client.post("/api/plans", json={"budget": 1e9, "benefit_weights": weights})
    assert res.status_code == 400 and res.get_json()["param"] == param


def test_summary_comes_first_and_details_are_folded(client):
    page = client.get("/plan?budget=50 tỷ").get_data(as_text=True)
    order = [page.index(marker) for marker in ('id="plan-headline"', 'id="by-intervention"', 'id="frontier"',
                                               'id="marginal"', 'id="map-panel"', 'id="plan-details"',
                                               'id="communes-table"', 'id="plan-table"')]
    assert order == sorted(order)
    details = page[page.index('<details id="plan-details">'):]
    assert 'id="milp-status"' in details.split("</details>")[0]  # solver facts are folded
    assert "Kế hoạch tốt nhất chi 50 tỷ đồng" in page and "năm mươi tỷ đồng" in page
    assert re.search(r"Thêm 1 tỷ đồng sẽ đến thêm với [\d.]+ hộ", page)
    assert "Tham lam" not in page and "MILP, HiGHS" not in page


def test_frontier_chart_marks_the_chosen_budget(client):
    page = client.get("/plan?budget=20 tỷ").get_data(as_text=True)
    chart = page[page.index('id="frontier"'):page.index("</figure>")]
    assert chart.count('<circle class="point"') == 12 and 'class="chosen"' in chart
    assert "20 tỷ đồng" in chart


def test_an_editor_sets_a_weight_with_its_source_and_it_is_used(store, tmp_path):
    from maison_geo import create_app
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                      "PLANNING_OPEN_EDIT": True, "PLANNING_DB": str(tmp_path / "p.sqlite"),
                      "USERDATA_PATH": str(tmp_path / "u.sqlite")})
    web = app.test_client()
    assert web.post("/plan/costs", data={"weight_grid": "0", "weight_note_grid": "Nghị quyết HĐND (giả định)"}
                    ).status_code == 302
    body = web.post("/api/plans", json={"budget": 50e9}).get_json()
    grid = body["inputs"]["benefit_weights"]["grid"]
    assert grid["weight"] == 0 and grid["edit"]["note"] == "Nghị quyết HĐND (giả định)" and grid["edit"]["default"] == 3
    assert next(i for i in body["by_intervention"] if i["intervention"] == "grid")["spend_vnd"] == 0
    # a wrong weight beside a right cost changes nothing
    assert web.post("/plan/costs", data={"weight_clean_water": "-2", "cost_grid": "1000"}).status_code == 400
    assert web.post("/api/plans", json={"budget": 1e9}).get_json()["interventions"][3]["unit_cost_vnd"] != 1000
    assert web.post("/plan/costs", data={"reset_weight_grid": "1"}).status_code == 302
    assert web.post("/api/plans", json={"budget": 1e9}).get_json()["inputs"]["benefit_weights"]["grid"]["weight"] == 3


@pytest.mark.parametrize("extra, code, reason", [
    ({"budget": 1e15}, "04105", "closed"),
    ({"budget": 5e9, "min_share": {"04105": 0.3}}, "04105", "minimum"),
    ({"budget": 5e9, "max_share": 0.02}, None, "cap"),
    ({"budget": 5e9}, None, "budget"),
])
def test_every_commune_says_why_it_got_what_it_got(store, catalogue, extra, code, reason):
    communes = make_plan(store, catalogue, {"vintage": "pre2025", "period": 2024, **extra}).communes()
    assert all(c["reason"] in ("no_data", "no_gap", "closed", "minimum", "cap", "budget") for c in communes)
    chosen = [c for c in communes if c["code"] == code] if code else [c for c in communes if c["reason"] == reason]
    assert chosen and chosen[0]["reason"] == reason
    for c in communes:
        assert (c["spend_vnd"] > 0) == c["funded"]
        if c["reason"] == "budget":
            assert c["best_rank"] and c["best_cost_per_beneficiary_vnd"] > 0


def test_a_commune_without_a_gap_or_without_figures_says_so(store, catalogue):
    plan = make_plan(store, catalogue, {"budget": 1e12, "interventions": ["grid"], "period": 2024})
    reasons = {c["code"]: c["reason"] for c in plan.communes()}
    assert reasons.pop("04150") == "no_gap" and set(reasons.values()) == {"closed"}  # Chiềng Kheo: all on the grid
    assert plan.reason("04150", 0, [{"gap": None, "units": 0}, {"gap": None, "units": 0}]) == "no_data"


def test_the_page_explains_each_commune(client):
    page = client.get("/plan?budget=5 tỷ&max_share_all=2").get_data(as_text=True)
    assert 'data-reason="cap"' in page and "đã chạm mức vốn tối đa của xã" in page


def test_scenario_saves_and_cost_and_weight_edits_are_audited(store, tmp_path):
    from maison_geo import create_app
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                      "PLANNING_OPEN_EDIT": True, "PLANNING_DB": str(tmp_path / "p.sqlite"),
                      "USERDATA_PATH": str(tmp_path / "u.sqlite")})
    web = app.test_client()
    web.post("/plan/costs", data={"cost_grid": "30 triệu", "note_grid": "báo giá 2025", "weight_grid": "2"})
    web.post("/plan/scenarios", data={"name": "Phương án A", "query": "budget=5 tỷ"})
    web.post("/plan/scenarios/Phương án A/delete")
    log = app.extensions["maison"]["store"].userdata.audit_log()
    actions = [(e["action"], e["target"]) for e in reversed(log)]
    assert actions == [("plan.cost", "grid"), ("plan.weight", "grid"), ("plan.scenario.save", "Phương án A"),
                       ("plan.scenario.delete", "Phương án A")]
    cost = next(e for e in log if e["action"] == "plan.cost")
    assert cost["detail"] == {"from": 25000000, "to": 30000000, "note": "báo giá 2025"}


def test_scenarios_side_by_side_show_the_differences(store, tmp_path):
    from maison_geo import create_app
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                      "PLANNING_OPEN_EDIT": True, "PLANNING_DB": str(tmp_path / "p.sqlite"),
                      "USERDATA_PATH": str(tmp_path / "u.sqlite")})
    web = app.test_client()
    web.post("/plan/scenarios", data={"name": "A", "query": "budget=5 tỷ"})
    web.post("/plan/scenarios", data={"name": "B", "query": "budget=8 tỷ"})
    body = web.get("/plan/compare?names=A&names=B&format=json").get_json()
    spent = [s["summary"]["milp"]["spend_vnd"] for s in body["scenarios"]]
    assert body["changes_from_first"]["spend"] == [None, spent[1] - spent[0]] and spent[1] > spent[0]
    for row in body["communes"]:
        a, b = row["spend"]
        assert row["spend_change"] == [None, b - a]
    page = web.get("/plan/compare?names=A&names=B").get_data(as_text=True)
    differing = sum(1 for r in body["communes"] if r["spend_change"][1])
    assert f"{differing} xã nhận số vốn khác với kịch bản A" in page and differing > 0
    assert page.count('class="num changed"') == differing
    maps = page[page.index('id="scenario-maps"'):]
    assert maps.count('class="split-panel"') == 2 and "một bộ phân lớp chung cho mọi bản đồ" in page


def test_scenario_maps_share_one_set_of_classes(client):
    from maison_geo.web import plans
    small = client.post("/api/plans", json={"budget": 3e9}).get_json()
    large = client.post("/api/plans", json={"budget": 30e9}).get_json()
    with client.application.test_request_context("/plan/compare"):
        views, parts = plans._compare_maps([{"name": "A", "result": small}, {"name": "B", "result": large}])
        own = plans.money_view(small, plans._units("pre2025"))
    assert [e.label for e in views[0].legend] == [e.label for e in views[1].legend]
    assert [e.label for e in own.legend] != [e.label for e in views[0].legend]  # alone, its own classes
    colour_of = {}
    for view in views:  # the same amount, the same colour, whichever map
        for row in view.table.rows:
            colour_of.setdefault(row.value, set()).add(view.styles[row.unit.code]["fill"])
    assert all(len(colours) == 1 for colours in colour_of.values())


def test_money_legend_keeps_communes_without_money_apart(client):
    page = client.get("/plan?budget=2 tỷ").get_data(as_text=True)
    legend = page[page.index('<aside id="legend"'):page.index("</aside>")]
    entries = legend.split("<li")[1:]
    assert "không được cấp vốn" in entries[0] and "(triệu đồng)" in legend
    body = client.get("/plan?budget=2 tỷ&format=json").get_json()
    unfunded = sum(1 for c in body["communes"] if not c["spend_vnd"])
    assert unfunded > 0 and f"({unfunded} xã)" in entries[0]
    assert "–" in entries[1] and "≥" in entries[-2]  # funded classes, then no data last


def test_the_brief_for_the_meeting_is_two_pdf_pages(client, tmp_path):
    import shutil
    import subprocess
    res = client.get("/plan?budget=20 tỷ&format=pdf")
    assert res.status_code == 200 and res.content_type == "application/pdf" and res.data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is missing")
    path = tmp_path / "brief.pdf"
    path.write_bytes(res.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Kế hoạch đầu tư" in text and "Với 20 tỷ đồng làm được gì" in text and "SỐ LIỆU MINH HỌA" in text
    assert "Đấu nối điện lưới quốc gia" in text and "Vốn phân bổ theo kế hoạch" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_a_missing_fact_is_left_out_never_read_as_zero(store, catalogue):
    from maison_geo.planning.gaps import _weighted
    weights = {"cost": 1, "gap": 1, "poverty": 1, "remoteness": 1}
    assert _weighted({"cost": 0.5, "gap": 0.5, "poverty": None, "remoteness": None}, weights,
                     ("cost", "gap", "poverty", "remoteness")) == 0.5  # zero would give 0.25
    plan = make_plan(store, catalogue, {"budget": 5e9, "ranking": "weighted", "objective": "weighted"})
    missing = plan.to_dict()["missing_facts"]
    known = {c.unit.code for c in plan.candidates if c.criteria.get("remoteness") is not None}
    assert len(known) == 6  # khu vực I or III published for six communes (QĐ 861 facts)
    assert len(missing["remoteness"]) == 22 - 6
    iii = {c.unit.code for c in plan.candidates if c.criteria.get("remoteness") == 1.0}
    assert len(iii) == 5  # Chiềng Mai, Chiềng Nơi, Chiềng Lương, Phiêng Pằn, Nà Ớt


def test_the_page_lists_communes_without_the_fact(client):
    page = client.get("/plan?budget=5 tỷ&objective=weighted").get_data(as_text=True)
    assert 'id="missing-facts"' in page and "Chưa có phân loại khu vực (QĐ 861) được công bố cho 16/22" in page
    assert 'id="missing-facts"' not in client.get("/plan?budget=5 tỷ").get_data(as_text=True)


def test_percentages_read_the_same_in_every_table_as_on_the_map(client):
    import re as re_
    for page in ("/communes/pre2025/04123", "/compare?codes=04123,04105", "/progress?indicator=hh_grid_pct"):
        text = client.get(page).get_data(as_text=True)
        assert re_.findall(r"\d+,\d %", text) and not re_.findall(r"\d+,\d\d %", text), page
