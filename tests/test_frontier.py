"""What each extra tỷ buys: POST /api/plans/frontier, each point an optimal plan."""
import pytest

from maison_geo.planning import frontier, make_plan


@pytest.fixture(scope="module")
def curve(store, catalogue):
    return frontier(store, catalogue, {"budget": 20e9, "vintage": "pre2025", "period": 2024})


def test_points_run_from_nothing_to_every_gap_closed(curve):
    points = curve["points"]
    assert len(points) == 12 and points[0]["budget"] == 0 and points[0]["beneficiaries"] == 0
    assert points[-1]["budget"] == curve["cost_to_close_all_vnd"] > 0
    assert all(p["optimal"] and p["cost"] <= p["budget"] + 1e-6 for p in points)


def test_more_money_never_buys_less(curve, store, catalogue):
    gains = [p["objective"] for p in curve["points"]]
    assert gains == sorted(gains) and gains[-1] > gains[1] > 0
    households = frontier(store, catalogue, {"budget": 20e9, "objective": "beneficiaries"})["points"]
    reached = [p["beneficiaries"] for p in households]
    assert reached == sorted(reached) and reached[-1] == curve["points"][-1]["beneficiaries"]


def test_each_point_is_the_plan_the_planner_makes_at_that_budget(curve, store, catalogue):
    for point in curve["points"][1::3]:
        plan = make_plan(store, catalogue, {"budget": point["budget"], "vintage": "pre2025", "period": 2024})
        assert plan.summary()["milp"]["beneficiaries"] == pytest.approx(point["beneficiaries"])
        assert plan.summary()["greedy"]["objective"] <= point["objective"] + 1e-6  # what both maximise


def test_last_point_closes_every_gap(curve, store, catalogue):
    plan = make_plan(store, catalogue, {"budget": 20e9, "vintage": "pre2025", "period": 2024})
    closable = sum(r["beneficiaries_if_closed"] or 0 for r in plan.rows() if r["gap"])
    assert curve["points"][-1]["beneficiaries"] == pytest.approx(closable)


def test_what_one_more_ty_buys_at_the_chosen_budget(curve, store, catalogue):
    chosen = curve["chosen"]
    at = lambda b: make_plan(store, catalogue, {"budget": b, "vintage": "pre2025", "period": 2024}  # noqa: E731
                             ).summary()["milp"]
    assert chosen["budget"] == 20e9 and chosen["beneficiaries"] == pytest.approx(at(20e9)["beneficiaries"])
    assert chosen["extra_beneficiaries"] == pytest.approx(at(21e9)["beneficiaries"] - at(20e9)["beneficiaries"])
    assert chosen["marginal_cost_per_beneficiary"] == pytest.approx(chosen["extra_cost"] / chosen["extra_beneficiaries"])


def test_a_budget_past_every_gap_buys_nothing_more(store, catalogue):
    curve = frontier(store, catalogue, {"budget": 1e15, "points": 3})
    assert curve["chosen"]["covers_every_gap"] and curve["chosen"]["extra_beneficiaries"] == 0
    assert curve["chosen"]["marginal_cost_per_beneficiary"] is None and len(curve["points"]) == 3


def test_api_answers_and_says_the_data_are_illustrative(client):
    body = client.post("/api/plans/frontier", json={"budget": "20 tỷ", "points": 4}).get_json()
    assert [p["budget"] for p in body["points"]][0] == 0 and len(body["points"]) == 4
    assert body["illustrative"] is True and any("minh họa" in n.lower() or "illustrative" in n.lower()
                                                for n in body["notices"])


@pytest.mark.parametrize("points", [1, 41, 2.5, "many", True])
def test_a_wrong_number_of_points_is_named(client, points):
    res = client.post("/api/plans/frontier", json={"budget": 1e9, "points": points})
    assert res.status_code == 400 and res.get_json()["param"] == "points"
