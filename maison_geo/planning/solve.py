"""Solvers on plain items (cost, value, gap, group) and budgets: the exact optimum by
scipy.optimize.milp (HiGHS) and the cost-per-beneficiary greedy plan to compare with."""
import math
import time
from dataclasses import dataclass
from typing import Optional

from .common import DEFAULT_MIP_GAP, DEFAULT_TIME_LIMIT


@dataclass(frozen=True)
class Item:
    cost: float     # VND per unit
    value: float    # objective gain per unit (beneficiaries, or weighted beneficiaries)
    gap: int        # at most this many units
    group: str      # the commune (for minimum and maximum shares)


@dataclass
class Solution:
    units: list                     # units[i][y]: whole units of item i in budget period y
    status: str                     # optimal | time_limit | infeasible | greedy | ...
    message: str = ""
    seconds: float = 0.0
    objective: float = 0.0
    mip_gap: Optional[float] = None
    optimal: bool = False
    found: bool = True              # False: the time limit came before any whole-unit plan

    def totals(self):
        return [sum(per_year) for per_year in self.units]


def spend(items, units, year=None):
    return sum(it.cost * (u[year] if year is not None else sum(u)) for it, u in zip(items, units))


def group_spend(items, units):
    out = {}
    for it, u in zip(items, units):
        out[it.group] = out.get(it.group, 0.0) + it.cost * sum(u)
    return out


def solve_milp(items, budgets, min_spend=None, max_spend=None, time_limit=DEFAULT_TIME_LIMIT,
               mip_rel_gap=DEFAULT_MIP_GAP):
    """Whole units x[i][y] ≤ gap maximising Σ value·x within each period's budget and the per-group
    spend bounds, by scipy.optimize.milp (HiGHS branch and bound)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n_years = len(budgets)
    live = [i for i, it in enumerate(items) if it.gap > 0 and it.value > 0]
    units = [[0] * n_years for _ in items]
    if not live and any(v > 0 for v in (min_spend or {}).values()):
        return Solution(units, "infeasible", "a minimum spend but nothing to fund", 0.0)
    if not live:
        return Solution(units, "optimal", "nothing to fund: no gap with beneficiaries", 0.0, 0.0, 0.0, True)
    scale = max(max(items[i].cost for i in live), 1.0)       # costs of order 1 for the solver
    vscale = max(max(items[i].value for i in live), 1.0)
    n = len(live) * n_years
    col = {(i, y): k * n_years + y for k, i in enumerate(live) for y in range(n_years)}
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for y, budget in enumerate(budgets):
        for i in live:
            rows.append(r); cols.append(col[i, y]); vals.append(items[i].cost / scale)
        lo.append(-np.inf); hi.append(budget / scale); r += 1
    if n_years > 1:
        for i in live:
            for y in range(n_years):
                rows.append(r); cols.append(col[i, y]); vals.append(1.0)
            lo.append(0); hi.append(items[i].gap); r += 1
    groups = sorted(set(min_spend or {}) | set(max_spend or {}))
    for g in groups:
        members = [i for i in live if items[i].group == g]
        low = (min_spend or {}).get(g, 0.0)
        high = (max_spend or {}).get(g, math.inf)
        if not members:
            if low > 0:
                return Solution(units, "infeasible", f"{g}: a minimum spend but nothing to fund", 0.0)
            continue
        for i in members:
            for y in range(n_years):
                rows.append(r); cols.append(col[i, y]); vals.append(items[i].cost / scale)
        lo.append(low / scale if low > 0 else -np.inf)
        hi.append(high / scale if math.isfinite(high) else np.inf); r += 1
    matrix = coo_matrix((vals, (rows, cols)), shape=(r, n)).tocsr()
    c = np.zeros(n)
    upper = np.zeros(n)
    for (i, y), k in col.items():
        c[k] = -items[i].value / vscale
        upper[k] = items[i].gap
    started = time.perf_counter()
    res = milp(c, integrality=np.ones(n), bounds=Bounds(np.zeros(n), upper),
               constraints=LinearConstraint(matrix, np.array(lo), np.array(hi)),
               options={"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap),
                        "presolve": True})
    seconds = time.perf_counter() - started
    status = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}.get(res.status, "error")
    if res.x is None:
        return Solution(units, status, res.message, seconds, found=False)
    for (i, y), k in col.items():
        units[i][y] = int(round(res.x[k]))
    _repair(items, units, budgets, max_spend)
    objective = sum(it.value * sum(u) for it, u in zip(items, units))
    return Solution(units, status, res.message, seconds, objective,
                    getattr(res, "mip_gap", None), status == "optimal")


def solve_all(items, problems, time_limit=DEFAULT_TIME_LIMIT):
    """solve_milp for each (budgets, min_spend, max_spend) of problems on the same items, in order."""
    return [solve_milp(items, budgets, low, high, time_limit) for budgets, low, high in problems]


def _repair(items, units, budgets, max_spend=None):
    """Rounding guard: the solver's tolerances must never let a plan exceed a budget or a gap."""
    for i, it in enumerate(items):
        while sum(units[i]) > it.gap:
            y = max(range(len(budgets)), key=lambda y: units[i][y])
            units[i][y] -= 1
    for y, budget in enumerate(budgets):
        while spend(items, units, y) > budget:
            i = min((i for i in range(len(items)) if units[i][y] > 0),
                    key=lambda i: items[i].value / items[i].cost)
            units[i][y] -= 1
    for g, high in (max_spend or {}).items():
        while group_spend(items, units).get(g, 0.0) > high:
            i = min((i for i in range(len(items)) if items[i].group == g and sum(units[i]) > 0),
                    key=lambda i: items[i].value / items[i].cost)
            y = max(range(len(budgets)), key=lambda y: units[i][y])
            units[i][y] -= 1


def greedy(items, budgets, min_spend=None, max_spend=None):
    """Cost per beneficiary first: period by period, fund the cheapest gain per VND as far as the
    budget, the gap and the commune's maximum allow; communes with a minimum share are served first
    from their own cheapest items until the minimum is reached."""
    started = time.perf_counter()
    order = sorted((i for i, it in enumerate(items) if it.gap > 0 and it.value > 0),
                   key=lambda i: (items[i].cost / items[i].value, i))
    units = [[0] * len(budgets) for _ in items]
    left_gap = [it.gap for it in items]
    spent = {}
    cap = dict(max_spend or {})
    mins = {g: v for g, v in (min_spend or {}).items() if v > 0}

    def take(i, y, left, limit=None):
        it = items[i]
        room = cap.get(it.group, math.inf) - spent.get(it.group, 0.0)
        k = min(left_gap[i], int(left // it.cost), int(room // it.cost) if math.isfinite(room) else left_gap[i])
        if limit is not None:
            k = min(k, limit)
        if k <= 0:
            return left
        units[i][y] += k
        left_gap[i] -= k
        spent[it.group] = spent.get(it.group, 0.0) + k * it.cost
        return left - k * it.cost

    for y, budget in enumerate(budgets):
        left = budget
        for g, need in mins.items():
            for i in order:
                short = need - spent.get(g, 0.0)
                if short <= 0:
                    break
                if items[i].group == g:
                    left = take(i, y, left, math.ceil(short / items[i].cost))
        for i in order:
            left = take(i, y, left)
    objective = sum(it.value * sum(u) for it, u in zip(items, units))
    met = all(spent.get(g, 0.0) >= v - 1e-6 for g, v in mins.items())
    return Solution(units, "greedy", "" if met else "a minimum share is not met by the greedy plan",
                    time.perf_counter() - started, objective, None, False)
