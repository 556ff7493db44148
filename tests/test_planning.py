"""The investment planner's core (maison_geo/planning/, maison_geo/scenarios.py), without Flask."""
import itertools
import random

import pytest

from maison_geo.errors import InvalidChoice, NotFound
from maison_geo.indicators import Catalogue, Target
from maison_geo.planning import (Item, PlanError, greedy, group_spend, load_interventions, make_plan,
                                 solve_milp, spend, with_costs)
from maison_geo.db import open_database
from maison_geo.repositories.scenarios import Scenarios, ScenarioOwned


# ---- small instances with an optimum known by brute force ----------------------------------------

def brute_force(items, budgets, min_spend=None, max_spend=None):
    """The best objective over every whole-unit allocation (None if nothing is feasible)."""
    n_years = len(budgets)
    per_item = []
    for it in items:
        choices = [c for c in itertools.product(range(it.gap + 1), repeat=n_years) if sum(c) <= it.gap]
        per_item.append(choices)
    best = None
    for combo in itertools.product(*per_item):
        units = [list(c) for c in combo]
        if any(spend(items, units, y) > budgets[y] + 1e-9 for y in range(n_years)):
            continue
        groups = group_spend(items, units)
        if any(groups.get(g, 0) < v - 1e-9 for g, v in (min_spend or {}).items()):
            continue
        if any(groups.get(g, 0) > v + 1e-9 for g, v in (max_spend or {}).items()):
            continue
        value = sum(it.value * sum(u) for it, u in zip(items, units))
        best = value if best is None else max(best, value)
    return best


def check_feasible(items, budgets, sol, max_spend=None):
    for y, budget in enumerate(budgets):
        assert spend(items, sol.units, y) <= budget + 1e-9, "budget exceeded"
    for it, u in zip(items, sol.units):
        assert all(x >= 0 for x in u)
        assert sum(u) <= it.gap, "allocation above the gap"
    for g, high in (max_spend or {}).items():
        assert group_spend(items, sol.units).get(g, 0) <= high + 1e-9


def random_instance(rng, n_items=4, max_gap=3, n_years=1, shares=False):
    groups = ["a", "b"]
    items = [Item(cost=rng.randint(1, 9) * 1_000_000, value=rng.randint(1, 40) / rng.choice([1, 3]),
                  gap=rng.randint(0, max_gap), group=rng.choice(groups)) for _ in range(n_items)]
    budgets = [rng.randint(0, 25) * 1_000_000 for _ in range(n_years)]
    mins, maxs = {}, {}
    if shares:
        total = sum(budgets)
        mins = {"a": rng.choice([0, 0.2, 0.4]) * total}
        maxs = {"b": rng.choice([0.3, 0.6, 1.0]) * total}
    return items, budgets, mins, maxs


@pytest.mark.parametrize("seed", range(40))
def test_milp_matches_brute_force_single_budget(seed):
    rng = random.Random(seed)
    items, budgets, _, _ = random_instance(rng, n_items=4, max_gap=3)
    sol = solve_milp(items, budgets)
    assert sol.status == "optimal" and sol.optimal
    check_feasible(items, budgets, sol)
    assert sol.objective == pytest.approx(brute_force(items, budgets), abs=1e-6)


@pytest.mark.parametrize("seed", range(25))
def test_milp_matches_brute_force_per_year_and_shares(seed):
    rng = random.Random(1000 + seed)
    items, budgets, mins, maxs = random_instance(rng, n_items=3, max_gap=2, n_years=2, shares=True)
    best = brute_force(items, budgets, mins, maxs)
    sol = solve_milp(items, budgets, mins, maxs)
    if best is None:
        assert sol.status == "infeasible"
        return
    assert sol.status == "optimal"
    check_feasible(items, budgets, sol, maxs)
    groups = group_spend(items, sol.units)
    assert all(groups.get(g, 0) >= v - 1e-6 for g, v in mins.items())
    assert sol.objective == pytest.approx(best, abs=1e-6)


def test_greedy_is_feasible_but_can_be_beaten():
    # cheapest per beneficiary first takes the 6-cost item and then nothing fits; two 5s are better
    items = [Item(6, 7, 1, "a"), Item(5, 5, 1, "b"), Item(5, 5, 1, "c")]
    g = greedy(items, [10])
    m = solve_milp(items, [10])
    check_feasible(items, [10], g)
    assert g.objective == 7 and m.objective == 10


@pytest.mark.parametrize("seed", range(10))
def test_never_above_budget_or_gap_on_larger_instances(seed):
    rng = random.Random(seed)
    items = [Item(rng.randint(1, 500) * 100_000, rng.uniform(0.5, 200), rng.randint(0, 300), f"g{i % 22}")
             for i in range(110)]
    budgets = [rng.randint(1, 10) * 1e9 for _ in range(rng.choice([1, 5]))]
    maxs = {"g1": 0.05 * sum(budgets)}
    for sol in (solve_milp(items, budgets, None, maxs), greedy(items, budgets, None, maxs)):
        check_feasible(items, budgets, sol, maxs)
    assert solve_milp(items, budgets, None, maxs).objective >= greedy(items, budgets, None, maxs).objective - 1e-6


def test_budget_above_every_gap_funds_every_gap():
    items = [Item(3, 2, 4, "a"), Item(7, 1, 2, "b"), Item(1, 0.5, 0, "b")]
    sol = solve_milp(items, [1e12])
    assert sol.totals() == [4, 2, 0]
    assert greedy(items, [1e12]).totals() == [4, 2, 0]


def test_unreachable_minimum_is_infeasible():
    items = [Item(10, 1, 1, "a"), Item(10, 1, 1, "b")]
    assert solve_milp(items, [15], {"a": 5, "b": 5}).status == "infeasible"


def test_nothing_to_fund():
    sol = solve_milp([Item(10, 1, 0, "a")], [100])
    assert sol.status == "optimal" and sol.totals() == [0]


# ---- plans from the store --------------------------------------------------------------------------

@pytest.mark.parametrize("vintage,count", [("pre2025", 22), ("post2025", 8)])
def test_plan_for_both_vintages(store, catalogue, vintage, count):
    plan = make_plan(store, catalogue, {"budget": 20e9, "vintage": vintage})
    data = plan.to_dict()
    assert len(data["communes"]) == count
    assert data["period"] == 2024
    assert data["illustrative"] is True and "Illustrative" in data["notice"]
    assert "Planning assumptions" in data["notice"]
    s = data["summary"]
    assert s["milp"]["status"] == "optimal" and s["milp"]["spend_vnd"] <= 20e9
    assert s["milp"]["beneficiaries"] >= s["greedy"]["beneficiaries"] - 1e-6
    for row in data["rows"]:
        if row["gap"] is not None:
            assert 0 <= row["units"] <= row["gap"]
            assert row["greedy_units"] <= row["gap"]
    # the inputs the solver used are returned, so any client can check the plan
    assert all({"gap", "unit_cost_vnd", "beneficiaries_per_unit"} <= set(i) for i in data["inputs"]["items"])
    assert all(i["basis"] == "planning assumption" for i in data["interventions"])


def test_aggregated_gaps_match_between_vintages(store, catalogue):
    pre = make_plan(store, catalogue, {"budget": 0, "vintage": "pre2025"}).to_dict()
    post = make_plan(store, catalogue, {"budget": 0, "vintage": "post2025"}).to_dict()
    assert pre["summary"]["cost_to_close_all_vnd"] == post["summary"]["cost_to_close_all_vnd"]
    assert pre["summary"]["milp"]["spend_vnd"] == 0


def test_budget_above_the_cost_of_every_gap_is_the_full_plan(store, catalogue):
    plan = make_plan(store, catalogue, {"budget": 1e15, "vintage": "pre2025"})
    data = plan.to_dict()
    assert data["summary"]["full_plan"] is True
    assert data["summary"]["milp"]["spend_vnd"] == data["summary"]["cost_to_close_all_vnd"]
    for row in data["rows"]:
        if row["gap"] and row["beneficiaries_per_unit"]:
            assert row["units"] == row["gap"]
            assert row["after"] == row["total"]


def test_village_gate_gap_and_beneficiaries_are_derived(store, catalogue):
    data = make_plan(store, catalogue, {"budget": 0, "interventions": ["village_gate"]}).to_dict()
    row = next(r for r in data["rows"] if r["gap"])
    assert row["gap"] == row["total"] - row["current"]
    assert "full coverage" in row["gap_basis"] and "planning assumption" in row["gap_basis"]
    assert row["beneficiaries_basis"] == "derived" and "households /" in row["note"]
    assert row["cost_per_beneficiary_vnd"] == pytest.approx(150e6 / row["beneficiaries_per_unit"], rel=1e-3)


def test_roads_compete_for_money_through_their_need(store, catalogue):
    data = make_plan(store, catalogue, {"budget": 1e13, "interventions": ["road"], "period": 2024}).to_dict()
    need = {f.code: f.value for f in store.figures() if f.indicator == "road_need_km" and f.level == "unit"}
    rows = {r["code"]: r for r in data["rows"]}
    assert need and all(rows[c]["gap"] == round(v) and rows[c]["units"] == rows[c]["gap"] for c, v in need.items())
    assert all("road_need_km" in r["gap_basis"] and r["illustrative"] for r in data["rows"])
    small = make_plan(store, catalogue, {"budget": 7e9, "interventions": ["road"], "period": 2024}).to_dict()
    assert sum(r["units"] for r in small["rows"]) == 2  # 3 tỷ per km (planning assumption)
    everything = make_plan(store, catalogue, {"budget": 160e9, "period": 2024}).by_intervention()  # past the rest
    assert next(i for i in everything if i["intervention"] == "road")["units"] > 0


def test_a_commune_without_a_road_need_figure_has_no_road_gap(store, catalogue):
    from maison_geo.planning.gaps import _need_candidate
    from maison_geo.values import FigureIndex
    road = next(i for i in load_interventions() if i.key == "road")
    index = FigureIndex(store, catalogue, "pre2025")
    unit = index.units[0]
    assert _need_candidate(index, road, unit, 2019).gap is None  # no road_need_km in 2019
    assert _need_candidate(index, road, unit, 2024).gap >= 1


def test_catalogue_target_replaces_full_coverage(store, catalogue):
    targeted = catalogue.with_targets({"hh_grid_pct": {"value": 50, "year": 2030, "source": "test source"}})
    data = make_plan(store, targeted, {"budget": 0, "interventions": ["grid"]}).to_dict()
    for row in data["rows"]:
        if row["gap"] is not None:
            import math
            assert row["gap"] == max(0, math.ceil(0.5 * row["total"]) - row["current"])
            assert "test source" in row["gap_basis"]


def test_per_year_budgets_and_shares(store, catalogue):
    data = make_plan(store, catalogue, {"budget": {"2026": 3e9, "2027": 4e9}, "objective": "weighted",
                                        "min_share": {"04141": 0.3}, "max_share": 0.5}).to_dict()
    s = data["summary"]["milp"]
    assert s["spend_by_year"]["2026"] <= 3e9 and s["spend_by_year"]["2027"] <= 4e9
    by = {c["code"]: c for c in data["communes"]}
    assert by["04141"]["spend_vnd"] >= 0.3 * 7e9
    assert all(c["spend_vnd"] <= 0.5 * 7e9 for c in data["communes"])


def test_weighted_ranking_uses_poverty_where_known(store, catalogue):
    plan = make_plan(store, catalogue, {"budget": 0, "ranking": "weighted",
                                        "weights": {"cost": 0, "gap": 0, "poverty": 1, "remoteness": 0}})
    first = min((c for c in plan.candidates if c.rank), key=lambda c: c.rank)
    assert first.unit.code == "04141"  # poverty rate 75 % (reported fact); the others have no data


@pytest.mark.parametrize("body,param", [
    ({"budget": -1}, "budget"),
    ({"budget": "abc"}, "budget"),
    ({"budget": float("nan")}, "budget"),
    ({"budget": True}, "budget"),
    ({"budget": {"2031": 5}}, "budget"),
    ({"budget": 1e9, "min_share": {"04141": 0.6, "04132": 0.5}}, "min_share"),
    ({"budget": 1e9, "min_share": 1.5}, "min_share"),
    ({"budget": 1e9, "min_share": {"99999": 0.1}}, "min_share.99999"),
    ({"budget": 1e9, "min_share": {"04141": 0.4}, "max_share": {"04141": 0.2}}, "max_share.04141"),
    ({"budget": 1e9, "interventions": ["bridge"]}, "interventions"),
    ({"budget": 1e9, "objective": "votes"}, "objective"),
    ({"budget": 1e9, "vintage": "1990"}, "vintage"),
    ({"budget": 1e9, "period": 1999}, "period"),
    ({"budget": 1e9, "weights": {"luck": 1}}, "weights"),
    ({"budget": 1e9, "unit_costs": {"grid": -5}}, "unit_costs.grid"),
])
def test_bad_input_is_a_clear_error(store, catalogue, body, param):
    with pytest.raises(InvalidChoice) as err:
        make_plan(store, catalogue, body)
    assert err.value.param == param and err.value.status == 400


def test_minimum_shares_not_reachable_with_whole_units(store, catalogue):
    with pytest.raises(PlanError) as err:
        make_plan(store, catalogue, {"budget": 1e8, "interventions": ["village_gate"], "min_share": {"04141": 1.0}})
    assert err.value.status == 400 and "minimum" in str(err.value)


def test_cost_overrides_and_what_if_costs(store, catalogue):
    edited = with_costs(load_interventions(), {"grid": {"unit_cost_vnd": 1e6, "by": "ed", "at": "now"}})
    grid = next(i for i in edited if i.key == "grid")
    assert grid.unit_cost_vnd == 1e6 and grid.cost_edit["default"] == 25000000
    data = make_plan(store, catalogue, {"budget": 1e9, "interventions": ["grid"], "unit_costs": {"grid": 2e6}},
                     edited).to_dict()
    assert data["interventions"][0]["unit_cost_vnd"] == 2000000
    assert data["summary"]["milp"]["spend_vnd"] <= 1e9


def test_catalogue_file_marks_every_unsourced_figure():
    for item in load_interventions():
        assert item.basis == "planning assumption"
        assert item.beneficiaries["basis"] in ("planning assumption", "derived", "definition")


def test_target_helper_catalogue_is_untouched(catalogue):
    assert isinstance(catalogue, Catalogue) and Target  # the loaded catalogue has no target invented
    assert all(catalogue.get(k).target is None for k in ("ban_gate_pct", "hh_grid_pct"))


# ---- the SQLite file ------------------------------------------------------------------------------

def test_planning_db_roundtrip(tmp_path):
    db = Scenarios(open_database(tmp_path / "sub" / "p.sqlite"))
    assert db.list() == [] and db.cost_overrides() == {}
    db.set_cost("grid", 123, "note", "ed")
    db.set_cost("grid", 456, "", "ed2")
    assert db.cost_overrides()["grid"]["unit_cost_vnd"] == 456
    db.reset_cost("grid")
    assert db.cost_overrides() == {}
    name = db.save("  Kịch bản   A ", {"budget": 1}, {"x": "ồ"}, "ed")
    assert name == "Kịch bản A"
    assert db.get(name)["result"] == {"x": "ồ"}
    assert [s["name"] for s in db.list()] == [name]
    with pytest.raises(ScenarioOwned):
        db.delete(name, "someone else")  # the owner or an admin only
    db.delete(name, "ed")
    with pytest.raises(NotFound):
        db.get(name)
    with pytest.raises(InvalidChoice):
        db.save("   ", {}, {})


def test_time_limit_before_any_plan_shows_the_greedy_plan(store, catalogue, monkeypatch):
    from maison_geo import planning
    monkeypatch.setattr(planning.plan, "solve_milp", lambda items, budgets, *a, **k: planning.Solution(
        [[0] * len(budgets) for _ in items], "time_limit", "Time limit reached", 0.1, found=False))
    data = make_plan(store, catalogue, {"budget": 5e9}).to_dict()
    s = data["summary"]["milp"]
    assert s["status"] == "time_limit" and s["found"] is False and not s["optimal"]
    assert "greedy plan is shown" in s["message"]
    assert s["spend_vnd"] == data["summary"]["greedy"]["spend_vnd"] > 0
