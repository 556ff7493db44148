"""What each extra tỷ buys: optimal plans for budgets from 0 to the cost of closing every gap, and the
marginal cost per household at the budget asked."""
from ..errors import InvalidChoice
from ..values import ILLUSTRATIVE_NOTICE
from .common import _num, _number
from .plan import ASSUMPTION_NOTICE, setup
from .solve import solve_all, spend

DEFAULT_POINTS = 12
MAX_POINTS = 40
EXTRA = 1_000_000_000  # one tỷ: "what does one more tỷ buy?"


def _points_arg(value):
    if value in (None, ""):
        return DEFAULT_POINTS
    points = _number(value, "points")
    if not points.is_integer() or not 2 <= points <= MAX_POINTS:
        raise InvalidChoice("points", value, [], f"a whole number from 2 to {MAX_POINTS}")
    return int(points)


def _problem(prepared, total):
    """(budgets, min_spend, max_spend) for a total budget, split over the request's years in its
    proportions."""
    req = prepared.request
    shares = [req.budgets[y] / req.budget if req.budget else 1.0 / len(prepared.years) for y in prepared.years]
    return ([total * s for s in shares], *prepared.spend_bounds(total))


def _point(prepared, total, solution):
    if not solution.found or solution.status == "infeasible":
        return {"budget": _num(total), "cost": None, "beneficiaries": None, "objective": None,
                "status": solution.status, "optimal": False}
    beneficiaries = sum(c.beneficiaries_per_unit * sum(u) for c, u in zip(prepared.funded, solution.units))
    return {"budget": _num(total), "cost": _num(spend(prepared.items, solution.units)),
            "beneficiaries": _num(beneficiaries), "objective": _num(solution.objective),
            "status": solution.status, "optimal": solution.optimal}


def frontier(store, catalogue, data, interventions=None, cost_overrides=None, index=None, lang="vi",
             weight_overrides=None, solve_many=None, time_cap=None):
    """{"points": [{"budget", "cost", "beneficiaries", ...}], "chosen": {...}} for the request `data`
    (the body of POST /api/plans plus `points`): each point an optimal plan at evenly spaced budgets
    from 0 to the cost of closing every gap; `chosen` what the budget asked buys and what one tỷ
    more would add. solve_many: solve_all or a function that runs it elsewhere (a worker process);
    time_cap: the most solver seconds in all this caller may have."""
    points = _points_arg(data.get("points") if isinstance(data, dict) else None)
    prepared = setup(store, catalogue, data, interventions, cost_overrides, index, lang, weight_overrides,
                     time_cap)
    req = prepared.request
    closing = sum(prepared.closing.values())
    per_solve = max(req.time_limit / (points + 2), 0.5)
    budgets = [closing * k / (points - 1) for k in range(points)]
    budgets += [min(req.budget, closing), min(req.budget + EXTRA, closing)]
    solutions = (solve_many or solve_all)(prepared.items, [_problem(prepared, b) for b in budgets], per_solve)
    *curve, here, more = [_point(prepared, b, sol) for b, sol in zip(budgets, solutions)]
    gained = None if None in (here["beneficiaries"], more["beneficiaries"]) else \
        more["beneficiaries"] - here["beneficiaries"]
    extra_cost = None if None in (here["cost"], more["cost"]) else more["cost"] - here["cost"]
    chosen = {**here, "budget": _num(req.budget), "extra_budget": EXTRA,
              "extra_beneficiaries": _num(gained), "extra_cost": _num(extra_cost),
              "marginal_cost_per_beneficiary": _num(extra_cost / gained) if gained else None,
              "covers_every_gap": req.budget >= closing}
    illustrative = any(c.illustrative for c in prepared.funded)
    notices = ([ILLUSTRATIVE_NOTICE] if illustrative else []) + [ASSUMPTION_NOTICE]
    return {"request": {**req.to_dict(), "points": points}, "vintage": req.vintage, "period": prepared.period,
            "objective": req.objective, "cost_to_close_all_vnd": _num(closing),
            "illustrative": illustrative, "notices": notices, "points": curve, "chosen": chosen}
