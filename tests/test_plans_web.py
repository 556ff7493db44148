"""The planner's web layer: /plan and its twins, POST /api/plans, scenarios, unit costs."""
import io

import pytest

from maison_geo import create_app


@pytest.fixture()
def plan_app(store, tmp_path):
    return create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                       "PLANNING_DB": str(tmp_path / "planning.sqlite"), "PLANNING_OPEN_EDIT": True})


@pytest.fixture()
def web(plan_app):
    return plan_app.test_client()


@pytest.fixture()
def closed(store, tmp_path):
    """Editing closed (no account with role editor), CSRF on as in production."""
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location),
                      "PLANNING_DB": str(tmp_path / "closed.sqlite")})
    return app.test_client()


def test_plan_page_form_then_plan(web):
    page = web.get("/plan")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="plan-form"' in text and "Giả định lập kế hoạch" in text and "Tối thiểu %" in text
    page = web.get("/plan?budget=20000000000&vintage=pre2025")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for marker in ('id="plan-summary"', 'id="communes-table"', 'id="plan-table"', 'id="after-table"',
                   'id="illustrative-note"', "maisonChoropleth", 'id="milp-status"', 'id="milp-seconds"'):
        assert marker in text, marker


def test_plan_page_in_english(web):
    text = web.get("/plan?budget=20000000000&lang=en").get_data(as_text=True)
    assert "Investment planner" in text and "Illustrative" in text


def test_post2025_plan_page(web):
    page = web.get("/plan?budget=20000000000&vintage=post2025")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('<tr data-code="') == 8 + 8 * 5  # communes + rows


@pytest.mark.parametrize("query", [
    "budget=-5", "budget=abc", "budget=1e400", "budget=10&min_share_all=60", "budget=10&interventions=bridge",
    "budget=10&vintage=x", "budget=10&period=abc", "budget=10&min_04141=abc", "budget=10&w_cost=-1",
    "budget=10&per_year=1&budget_2026=-1", "budget=10&objective=%3Cscript%3E", "budget=10&cost_grid=0",
])
def test_bad_form_input_is_a_400_page_not_a_500(web, query):
    page = web.get("/plan?" + query)
    assert page.status_code == 400
    assert "<script>" not in page.get_data(as_text=True).split('id="plan-error"')[-1].split("</p>")[0]
    assert web.get("/plan?format=json&" + query).status_code == 400


def test_minimum_shares_above_100_percent_in_the_form(web):
    page = web.get("/plan?budget=1000000000&min_04141=60&min_04132=50")
    assert page.status_code == 400 and "100 %" in page.get_data(as_text=True)


def test_api_plans_returns_allocation_and_inputs(web):
    res = web.post("/api/plans", json={"budget": 20e9, "vintage": "pre2025", "period": 2024})
    assert res.status_code == 200
    body = res.get_json()
    assert body["illustrative"] is True and body["notice"]
    assert body["summary"]["milp"]["status"] == "optimal"
    assert body["summary"]["milp"]["spend_vnd"] <= 20e9
    assert "solve_seconds" in body["summary"]["milp"] and body["summary"]["greedy"]["beneficiaries"] > 0
    items = body["inputs"]["items"]
    assert items and {"gap", "unit_cost_vnd", "beneficiaries_per_unit"} <= set(items[0])
    # a client can check the plan from the inputs
    funded = {(r["code"], r["intervention"]): r["units"] for r in body["rows"]}
    total = sum(i["unit_cost_vnd"] * funded[(i["code"], i["intervention"])] for i in items)
    assert total == body["summary"]["milp"]["spend_vnd"] <= body["inputs"]["budgets"]["total"]
    assert all(funded[(i["code"], i["intervention"])] <= i["gap"] for i in items)


def test_api_plans_post2025_and_full_plan(web):
    body = web.post("/api/plans", json={"budget": 1e15, "vintage": "post2025"}).get_json()
    assert len(body["communes"]) == 8
    assert body["summary"]["full_plan"] is True


@pytest.mark.parametrize("body,param", [
    ({"budget": -1, "vintage": "pre2025"}, "budget"),
    ({"budget": 1e9, "min_share": {"04141": 0.7, "04132": 0.4}}, "min_share"),
    ({"budget": 1e9, "interventions": ["bridge"]}, "interventions"),
    ({"budget": 1e9, "max_share": "lots"}, "max_share"),
    ([1, 2], "body"),
])
def test_api_plans_bad_input_is_400(web, body, param):
    res = web.post("/api/plans", json=body)
    assert res.status_code == 400
    assert res.get_json()["param"] == param


def test_api_plans_not_json(web):
    assert web.post("/api/plans", data="budget=1").status_code == 400
    assert web.post("/api/plans", data="{oops", content_type="application/json").status_code == 400


def test_api_plans_needs_no_csrf_token(closed):
    assert closed.post("/api/plans", json={"budget": 1e9}).status_code == 200


def test_downloads(web):
    q = "/plan?budget=20000000000&vintage=pre2025&per_year=1&budget_2026=5000000000&budget_2027=5000000000"
    csv = web.get(q + "&format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert "units_2026" in text and "Illustrative" in text and "planning assumption" in text
    xlsx = web.get(q + "&format=xlsx")
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Tóm tắt", "Theo xã", "Hạng mục", "Giả định"]
    for sheet in book:  # every sheet carries the stamp: the inputs are illustrative
        assert sheet["A1"].value.startswith("SỐ LIỆU MINH HỌA")
    summary = {r[0].value: r[1] for r in book["Tóm tắt"].iter_rows() if r[0].value}
    assert summary["Ngân sách"].value == 10e9 and summary["Ngân sách"].number_format == '#,##0 "đ"'
    items = list(book["Hạng mục"].iter_rows(values_only=True))
    assert "2026" in items[1] and "2027" in items[1] and len(items) == 2 + 22 * 5
    notes = " ".join(str(r[0].value) for r in book["Giả định"].iter_rows())
    assert "minh họa" in notes.lower() and "giả định lập kế hoạch" in notes.lower()
    body = web.get(q + "&format=json").get_json()
    assert body["summary"]["milp"]["spend_by_year"]["2026"] <= 5e9
    assert web.get("/plan?format=csv").status_code == 400  # no budget, no plan


def test_scenarios_save_reopen_compare_delete(web):
    for name, query in (("Kịch bản <b>A</b>", "budget=20000000000"),
                        ("B", "budget=5000000000&objective=weighted&vintage=post2025")):
        res = web.post("/plan/scenarios", data={"name": name, "query": query})
        assert res.status_code == 302
    listing = web.get("/plan/scenarios").get_data(as_text=True)
    assert "Kịch bản &lt;b&gt;A&lt;/b&gt;" in listing and "<b>A</b>" not in listing
    saved = web.get("/plan/scenarios?format=json").get_json()
    assert {s["name"] for s in saved} == {"Kịch bản <b>A</b>", "B"}
    page = web.get("/plan/scenarios/B")
    assert page.status_code == 200 and "maisonChoropleth" in page.get_data(as_text=True)
    assert web.get("/plan/scenarios/B?format=json").get_json()["result"]["vintage"] == "post2025"
    assert web.get("/plan/scenarios/B?format=xlsx").status_code == 200
    cmp = web.get("/plan/compare", query_string={"names": ["Kịch bản <b>A</b>", "B"]})
    text = cmp.get_data(as_text=True)
    assert cmp.status_code == 200 and 'id="compare-plans-table"' in text and "<b>A</b>" not in text
    body = web.get("/plan/compare", query_string={"names": ["Kịch bản <b>A</b>", "B"], "format": "json"}).get_json()
    assert [s["name"] for s in body["scenarios"]] == ["Kịch bản <b>A</b>", "B"]
    assert web.get("/plan/compare", query_string={"names": ["B", "nope"]}).status_code == 404
    assert web.post("/plan/scenarios/B/delete").status_code == 302
    assert web.get("/plan/scenarios/B").status_code == 404


def test_save_needs_a_name(web):
    assert web.post("/plan/scenarios", data={"name": " ", "query": "budget=1"}).status_code == 400
    assert web.post("/plan/scenarios", data={"name": "x", "query": "budget=-1"}).status_code == 400


def test_editor_changes_a_unit_cost(web):
    res = web.post("/plan/costs", data={"cost_grid": "30000000", "note_grid": "<i>quote</i>"})
    assert res.status_code == 302
    text = web.get("/plan?budget=1000000000").get_data(as_text=True)
    assert "30 triệu đồng" in text and "&lt;i&gt;quote&lt;/i&gt;" in text
    body = web.post("/api/plans", json={"budget": 1e9}).get_json()
    grid = next(i for i in body["interventions"] if i["key"] == "grid")
    assert grid["unit_cost_vnd"] == 30000000 and grid["cost_edit"]["default"] == 25000000
    assert grid["basis"] == "planning assumption"
    web.post("/plan/costs", data={"reset_grid": "1"})
    body = web.post("/api/plans", json={"budget": 1e9}).get_json()
    assert next(i for i in body["interventions"] if i["key"] == "grid")["cost_edit"] is None
    assert web.post("/plan/costs", data={"cost_grid": "-3"}).status_code == 400


def test_editing_is_closed_without_the_editor_role(closed):
    assert 'id="costs-form"' not in closed.get("/plan").get_data(as_text=True)
    # CSRF comes first (400), and without a token the form post never reaches the store
    assert closed.post("/plan/costs", data={"cost_grid": "1"}).status_code in (400, 403)
    assert closed.post("/plan/scenarios", data={"name": "x", "query": "budget=1"}).status_code in (400, 403)


def test_editing_forbidden_for_anonymous_even_without_csrf(store, tmp_path):
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                      "PLANNING_DB": str(tmp_path / "x.sqlite")})
    client = app.test_client()
    assert client.post("/plan/costs", data={"cost_grid": "1"}).status_code == 403
    assert client.post("/plan/scenarios", data={"name": "x", "query": "budget=1"}).status_code == 403


def test_nav_link(web):
    assert 'href="/plan"' in web.get("/map").get_data(as_text=True)


def test_a_wrong_number_says_what_is_needed_not_an_empty_choice(web):
    body = web.post("/api/plans", json={"budget": "lots"}).get_json()
    assert body["param"] == "budget" and body["choices"] == []
    assert "(none)" not in body["error"] and "an amount is needed" in body["error"] and "50 tỷ" in body["error"]


def test_editing_follows_the_account_role(store, tmp_path):
    from fixtures.entry import add_accounts, csrf_token, login, make_app
    app = make_app(store, tmp_path, PLANNING_DB=str(tmp_path / "roles.sqlite"))
    add_accounts(app)
    for name, allowed in (("xem", False), ("lan", True), ("admin", True)):
        client = app.test_client()
        login(client, name)
        assert ('id="costs-form"' in client.get("/plan").get_data(as_text=True)) is allowed
        response = client.post("/plan/costs", data={"csrf_token": csrf_token(client, "/plan"), "cost_grid": "1"})
        assert response.status_code == (302 if allowed else 403), name


def test_a_disabled_account_may_not_edit(store, tmp_path):
    from flask import g

    from maison_geo.userdata import User
    from maison_geo.web.plans import can_edit
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location),
                      "USERDATA_PATH": str(tmp_path / "userdata.sqlite")})
    with app.test_request_context("/plan"):
        g.user = User(1, "lan", "editor", active=True)
        assert can_edit()
        g.user = User(1, "lan", "editor", active=False)
        assert not can_edit()
        g.user = User(2, "xem", "viewer")
        assert not can_edit()
