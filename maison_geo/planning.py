"""Investment planner: gaps to targets, their cost, and the best use of a budget.

Plain Python (no Flask). The pieces:

- `load_interventions()` reads geodata/interventions.json: unit costs and beneficiaries per unit, each
  with its `basis` ("planning assumption" unless a source is given; none is sourced today).
- `candidates()` turns store figures into one row per commune × intervention: the gap (in whole units)
  to the target, the unit cost, beneficiaries per unit, status and source of the figures used.
- `solve_milp()` and `greedy()` work on plain items (cost, value, gap, group) and budgets: the exact
  optimum by scipy.optimize.milp (HiGHS) and the cost-per-beneficiary greedy plan to compare with.
- `make_plan()` validates a request (the JSON of POST /api/plans), runs both and returns a `Plan`.

No indicator has an official target with a source, so a gap is to full coverage (a planning
assumption, said in every row) unless the catalogue gives the percent indicator a target.
"""
import json
import math
import time
from dataclasses import dataclass, field, replace
from typing import Optional

from . import paths
from .errors import InvalidChoice, MaisonError
from .figures import UNIT, weakest
from .units import check_vintage
from .values import ILLUSTRATIVE_NOTICE, FigureIndex

OBJECTIVES = ("beneficiaries", "weighted")
RANKINGS = ("cost_per_beneficiary", "weighted")
CRITERIA = ("cost", "gap", "poverty", "remoteness")
DEFAULT_WEIGHTS = {"cost": 1.0, "gap": 1.0, "poverty": 1.0, "remoteness": 1.0}
PLAN_YEARS = tuple(range(2026, 2031))
DEFAULT_TIME_LIMIT = 10.0
# HiGHS proves optimality within this relative gap: exact for every instance whose beneficiary totals
# differ by more than a millionth; 0 would spend minutes on symmetric per-year budgets to close 1e-7.
DEFAULT_MIP_GAP = 1e-6
MAX_TIME_LIMIT = 60.0
MAX_BUDGET = 1e16  # VND; far above any district budget, keeps the numbers finite and exact enough
PLANNING_ASSUMPTION = "planning assumption"
ASSUMPTION_NOTICE = ("Giả định lập kế hoạch: đơn giá và số hộ hưởng lợi trên mỗi đơn vị chưa có nguồn; "
                     "mục tiêu là phủ kín 100 % khi chưa có mục tiêu chính thức. / Planning assumptions: unit "
                     "costs and beneficiaries per unit have no source; the target is full coverage where no "
                     "official target is recorded.")
POVERTY_FACTS = ("poverty_rate", "poor_and_near_poor_rate")
REMOTENESS_FACT = "ethnic_minority_area_class"
REMOTENESS_SCALE = {"III": 1.0, "II": 0.5, "I": 0.0}


class PlanError(MaisonError):
    """A plan that cannot be made from the inputs given (e.g. minimum shares not reachable)."""

    def __init__(self, message, **details):
        self.details = details
        super().__init__(message)

    def to_dict(self):
        return {"error": str(self), **self.details}


# ---------------------------------------------------------------------------------------------------
# The interventions catalogue

@dataclass(frozen=True)
class Intervention:
    key: str
    label_vi: str
    label_en: str
    unit: str
    unit_en: str
    indicator: str
    total: Optional[str]
    unit_cost_vnd: float
    basis: str
    basis_note: str
    beneficiaries: dict
    gap: dict
    percent_indicator: Optional[str] = None
    cost_edit: Optional[dict] = None   # {"by", "at", "note", "default"} when an editor changed the cost

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi

    def unit_label(self, lang="vi"):
        return self.unit_en if lang == "en" else self.unit

    @property
    def assumption(self):
        return self.basis == PLANNING_ASSUMPTION

    def to_dict(self):
        return {"key": self.key, "label_vi": self.label_vi, "label_en": self.label_en,
                "unit": self.unit, "unit_en": self.unit_en, "indicator": self.indicator,
                "total": self.total, "percent_indicator": self.percent_indicator,
                "unit_cost_vnd": _num(self.unit_cost_vnd), "basis": self.basis,
                "basis_note": self.basis_note, "planning_assumption": self.assumption,
                "beneficiaries": dict(self.beneficiaries), "gap_rule": dict(self.gap),
                "cost_edit": self.cost_edit}


def load_interventions(path=None):
    with open(path or paths.GEODATA / "interventions.json", encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for entry in data["interventions"]:
        if not entry.get("basis"):
            raise ValueError(f"intervention {entry['key']}: a unit cost needs a basis (a source or "
                             f"'{PLANNING_ASSUMPTION}')")
        if not entry["beneficiaries"].get("basis"):
            raise ValueError(f"intervention {entry['key']}: beneficiaries per unit need a basis")
        out.append(Intervention(**entry))
    return out


def with_costs(interventions, overrides):
    """Interventions whose unit cost is replaced by {key: {"unit_cost_vnd", "by", "at", "note"}}.
    An edited cost keeps its basis (a planning assumption) and is shown as edited: who, when, the
    editor's note, and the default beside it."""
    out = []
    for item in interventions:
        edit = (overrides or {}).get(item.key)
        if edit is None:
            out.append(item)
            continue
        cost = check_cost(item.key, edit["unit_cost_vnd"])
        out.append(replace(item, unit_cost_vnd=cost, cost_edit={
            "by": edit.get("by"), "at": edit.get("at"), "note": edit.get("note") or "",
            "default": _num(item.unit_cost_vnd)}))
    return out


def check_cost(key, value):
    cost = _number(value, f"unit_costs.{key}")
    if cost <= 0 or cost > MAX_BUDGET:
        raise InvalidChoice(f"unit_costs.{key}", value, [], "a unit cost is a positive amount of VND")
    return cost


# ---------------------------------------------------------------------------------------------------
# Gaps: one candidate per commune × intervention

@dataclass
class Candidate:
    unit: object
    intervention: Intervention
    gap: Optional[int]              # whole units still missing; None when the data is missing
    current: Optional[float] = None
    total: Optional[float] = None
    beneficiaries_per_unit: float = 0.0
    status: Optional[str] = None
    source: str = ""
    note: str = ""
    gap_basis: str = ""
    people_per_household: Optional[float] = None
    criteria: dict = field(default_factory=dict)   # {criterion: 0..1 or None}
    score: Optional[float] = None
    need: float = 0.0                                # weighted need, 0..1 (for the weighted objective)
    rank: Optional[int] = None

    @property
    def key(self):
        return (self.unit.code, self.intervention.key)

    @property
    def unit_cost(self):
        return self.intervention.unit_cost_vnd

    @property
    def cost_to_close(self):
        return None if self.gap is None else self.gap * self.unit_cost

    @property
    def beneficiaries_total(self):
        return None if self.gap is None else self.gap * self.beneficiaries_per_unit

    @property
    def cost_per_beneficiary(self):
        if not self.gap or not self.beneficiaries_per_unit:
            return None
        return self.unit_cost / self.beneficiaries_per_unit

    @property
    def illustrative(self):
        return self.status == "illustrative"


def _fig(index, code, key, period):
    return index.get(UNIT, code, key, period) if key else None


def _join(*texts):
    parts = (p.strip() for t in texts for p in (t or "").split("; "))
    return "; ".join(dict.fromkeys(p for p in parts if p))


def candidates(index, catalogue, interventions, period, facts=()):
    """One Candidate per unit × intervention of the index's vintage, in unit then catalogue order."""
    people = _people_per_household(index)
    criteria = _commune_criteria(index, facts)
    out = []
    for unit in index.units:
        for item in interventions:
            cand = _candidate(index, catalogue, item, unit, period)
            cand.people_per_household = people.get(unit.code)
            cand.criteria = dict(criteria.get(unit.code, {}))
            out.append(cand)
    return out


def _candidate(index, catalogue, item, unit, period):
    rule = item.gap.get("kind")
    if rule == "configured":
        planned = item.gap.get("planned_km", {}).get(index.vintage, {}).get(unit.code)
        cur = _fig(index, unit.code, item.indicator, period)
        cand = Candidate(unit, item, int(planned) if planned else 0,
                         current=cur.value if cur else None,
                         beneficiaries_per_unit=float(item.beneficiaries.get("per_unit") or 0),
                         status=cur.status if cur else None, source=cur.source if cur else "",
                         gap_basis=(f"planned in configuration ({planned} km)" if planned else
                                    "no gap: " + item.gap.get("basis_note", "")))
        cand.gap_basis = cand.gap_basis.strip()
        return cand
    cur = _fig(index, unit.code, item.indicator, period)
    tot = _fig(index, unit.code, item.total, period)
    if cur is None or tot is None:
        missing = [k for k, f in ((item.indicator, cur), (item.total, tot)) if f is None]
        return Candidate(unit, item, None, cur.value if cur else None, tot.value if tot else None,
                         note=f"no figure for {', '.join(missing)} in {period}", gap_basis="no data")
    figs = [cur, tot]
    target = _target(catalogue, item)
    if target:
        required = math.ceil(target.value / 100.0 * tot.value - 1e-9)
        basis = f"target {target.value:g} % by {target.year} ({target.source})"
    else:
        required = tot.value
        basis = f"full coverage ({PLANNING_ASSUMPTION}: no official target is recorded)"
    gap = max(0, int(round(required - cur.value)))
    bpu, bnote = float(item.beneficiaries.get("per_unit") or 0), ""
    if item.beneficiaries.get("kind") == "households_per_ban":
        hh = _fig(index, unit.code, "households", period)
        if hh and tot.value:
            bpu = hh.value / tot.value
            figs.append(hh)
            bnote = (f"beneficiaries per bản derived: {hh.value:g} households / {tot.value:g} bản")
        else:
            bpu, bnote = 0.0, f"no households figure in {period}: beneficiaries per bản unknown"
    return Candidate(unit, item, gap, cur.value, tot.value, bpu,
                     weakest(f.status for f in figs), _join(*(f.source for f in figs)),
                     _join(*(f.note for f in figs if f.status != "illustrative"), bnote), basis)


def _target(catalogue, item):
    for key in (item.percent_indicator,):
        if not key:
            continue
        try:
            ind = catalogue.get(key)
        except InvalidChoice:
            continue
        if ind.target and ind.kind == "percent":
            return ind.target
    return None


def _people_per_household(index):
    """People per household of each unit from the latest period with both population and households
    (the 2019 census); derived, used only to show people beside households."""
    out = {}
    for unit in index.units:
        for period in sorted(index.periods(_Keys(("population",))), reverse=True):
            pop = _fig(index, unit.code, "population", period)
            hh = _fig(index, unit.code, "households", period)
            if pop and hh and hh.value:
                out[unit.code] = pop.value / hh.value
                break
    return out


@dataclass(frozen=True)
class _Keys:
    """Enough of an Indicator for FigureIndex.periods()."""
    keys: tuple

    @property
    def key(self):
        return self.keys[0]

    numerator = None


def _commune_criteria(index, facts):
    """Poverty and remoteness per unit where the store's dated facts have them (0..1), else None."""
    out = {u.code: {"poverty": None, "remoteness": None, "poverty_source": "", "remoteness_source": ""}
           for u in index.units}
    for fact in facts or ():
        if fact.get("vintage") != index.vintage or fact.get("code") not in out:
            continue
        entry = out[fact["code"]]
        if fact.get("indicator") in POVERTY_FACTS:
            try:
                value = float(fact.get("value"))
            except (TypeError, ValueError):
                continue
            if entry["poverty"] is None or value / 100 > entry["poverty"]:
                entry["poverty"] = min(max(value / 100.0, 0.0), 1.0)
                entry["poverty_source"] = f"{fact['indicator']} {value:g} % ({fact.get('source_title', '')}, {fact.get('as_of', '')})"
        elif fact.get("indicator") == REMOTENESS_FACT and str(fact.get("value")) in REMOTENESS_SCALE:
            entry["remoteness"] = REMOTENESS_SCALE[str(fact["value"])]
            entry["remoteness_source"] = f"khu vực {fact['value']} ({fact.get('source_title', '')}, {fact.get('as_of', '')})"
    return out


def score(cands, weights, ranking="cost_per_beneficiary"):
    """Criteria in 0..1 for every candidate with a gap, the weighted score and rank (1 = first to fund).

    cost: cheapest cost per beneficiary / this one's; gap: share of the commune still lacking (missing
    units / total); poverty: the poverty rate; remoteness: 1 for khu vực III, 0.5 for II, 0 for I.
    A criterion without data counts 0 and is listed as missing. `need` (gap, poverty, remoteness only)
    weights the 'weighted' objective: each beneficiary counts 1 + need."""
    live = [c for c in cands if c.gap and c.cost_per_beneficiary]
    live_ids = {id(c) for c in live}
    best = min((c.cost_per_beneficiary for c in live), default=None)
    total_w = sum(weights.values()) or 1.0
    need_w = sum(weights[k] for k in ("gap", "poverty", "remoteness")) or 1.0
    for c in cands:
        c.criteria["cost"] = best / c.cost_per_beneficiary if id(c) in live_ids else None
        c.criteria["gap"] = (min(c.gap / c.total, 1.0) if c.gap and c.total else (0.0 if c.gap == 0 else None))
        if id(c) not in live_ids:
            c.score, c.need, c.rank = None, 0.0, None
            continue
        parts = {k: (c.criteria.get(k) or 0.0) for k in CRITERIA}
        c.score = sum(weights[k] * parts[k] for k in CRITERIA) / total_w
        c.need = sum(weights[k] * parts[k] for k in ("gap", "poverty", "remoteness")) / need_w
    if ranking == "weighted":
        order = sorted(live, key=lambda c: (-c.score, c.cost_per_beneficiary, c.key))
    else:
        order = sorted(live, key=lambda c: (c.cost_per_beneficiary, -c.score, c.key))
    for i, c in enumerate(order, 1):
        c.rank = i
    return order


# ---------------------------------------------------------------------------------------------------
# Solvers on plain items

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


# ---------------------------------------------------------------------------------------------------
# Requests and plans

@dataclass
class PlanRequest:
    budget: float
    budgets: dict                # {year or "total": VND}
    vintage: str
    period: Optional[int]
    interventions: list          # keys
    objective: str = "beneficiaries"
    ranking: str = "cost_per_beneficiary"
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_share: dict = field(default_factory=dict)   # {code: fraction of the whole budget}
    max_share: dict = field(default_factory=dict)
    unit_costs: dict = field(default_factory=dict)  # what-if costs for this request only
    time_limit: float = DEFAULT_TIME_LIMIT

    def to_dict(self):
        return {"budget": _num(self.budget), "budgets": {str(k): _num(v) for k, v in self.budgets.items()},
                "vintage": self.vintage, "period": self.period, "interventions": list(self.interventions),
                "objective": self.objective, "ranking": self.ranking, "weights": dict(self.weights),
                "min_share": dict(self.min_share), "max_share": dict(self.max_share),
                "unit_costs": {k: _num(v) for k, v in self.unit_costs.items()},
                "time_limit": self.time_limit}


def _number(value, param):
    if isinstance(value, bool) or value is None or value == "":
        raise InvalidChoice(param, value, [], "a number is needed")
    try:
        number = float(str(value).replace(" ", "").replace("_", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InvalidChoice(param, value, [], "a number is needed") from None
    if not math.isfinite(number):
        raise InvalidChoice(param, value, [], "a finite number is needed")
    return number


def _amount(value, param):
    amount = _number(value, param)
    if amount < 0:
        raise InvalidChoice(param, value, [], "a budget cannot be negative")
    if amount > MAX_BUDGET:
        raise InvalidChoice(param, value, [], f"at most {MAX_BUDGET:.0e} VND")
    return amount


def _shares(value, param, codes):
    """A fraction for every unit (one number) or {code: fraction}; each in 0..1."""
    if value in (None, "", {}):
        return {}
    if isinstance(value, dict):
        out = {}
        for code, share in value.items():
            if code not in codes:
                raise InvalidChoice(f"{param}.{code}", code, codes, "unknown commune code")
            if share in (None, ""):
                continue
            out[code] = _fraction(share, f"{param}.{code}")
        return out
    share = _fraction(value, param)
    if not share and param == "min_share":
        return {}  # a minimum of 0 is no minimum; a maximum of 0 is a cap (nothing for any commune)
    return {code: share for code in codes}


def _fraction(value, param):
    share = _number(value, param)
    if not 0 <= share <= 1:
        raise InvalidChoice(param, value, [], "a share is a fraction of the budget between 0 and 1")
    return share


def parse_request(data, units_of, interventions):
    """A PlanRequest from a JSON body (or the page's form, already made a dict). units_of(vintage)
    gives the unit codes; every problem is an InvalidChoice (400) naming the parameter."""
    if not isinstance(data, dict):
        raise InvalidChoice("body", type(data).__name__, ["a JSON object"], "send a JSON object")
    vintage = check_vintage(data.get("vintage") or "pre2025")
    codes = list(units_of(vintage))
    raw = data.get("budget")
    if isinstance(raw, dict):
        if not raw:
            raise InvalidChoice("budget", raw, PLAN_YEARS, "give at least one year")
        budgets = {}
        for year, amount in raw.items():
            try:
                y = int(year)
            except (TypeError, ValueError):
                raise InvalidChoice("budget", year, PLAN_YEARS, "years are 2026–2030") from None
            if y not in PLAN_YEARS:
                raise InvalidChoice("budget", year, PLAN_YEARS, "years are 2026–2030")
            budgets[y] = _amount(amount, f"budget.{year}")
        budgets = dict(sorted(budgets.items()))
    else:
        budgets = {"total": _amount(raw, "budget")}
    keys = [i.key for i in interventions]
    chosen = data.get("interventions")
    if chosen in (None, "", []):
        chosen = keys
    if isinstance(chosen, str):
        chosen = [k.strip() for k in chosen.split(",") if k.strip()]
    if not isinstance(chosen, list):
        raise InvalidChoice("interventions", chosen, keys, "a list of intervention keys")
    for key in chosen:
        if key not in keys:
            raise InvalidChoice("interventions", key, keys, "unknown intervention")
    chosen = [k for k in keys if k in chosen]
    objective = data.get("objective") or "beneficiaries"
    if objective not in OBJECTIVES:
        raise InvalidChoice("objective", objective, OBJECTIVES)
    ranking = data.get("ranking") or ("weighted" if objective == "weighted" else "cost_per_beneficiary")
    if ranking not in RANKINGS:
        raise InvalidChoice("ranking", ranking, RANKINGS)
    weights = dict(DEFAULT_WEIGHTS)
    given = data.get("weights") or {}
    if not isinstance(given, dict):
        raise InvalidChoice("weights", given, CRITERIA, "an object {criterion: weight}")
    for key, w in given.items():
        if key not in CRITERIA:
            raise InvalidChoice("weights", key, CRITERIA, "unknown criterion")
        weights[key] = _number(w, f"weights.{key}")
        if weights[key] < 0:
            raise InvalidChoice(f"weights.{key}", w, [], "a weight cannot be negative")
    mins = _shares(data.get("min_share"), "min_share", codes)
    maxs = _shares(data.get("max_share"), "max_share", codes)
    total = sum(mins.values())
    if total > 1 + 1e-9:
        raise InvalidChoice("min_share", data.get("min_share"), [],
                            f"the minimum shares sum to {total * 100:.4g} %, above 100 % of the budget")
    for code, low in mins.items():
        if code in maxs and maxs[code] < low:
            raise InvalidChoice(f"max_share.{code}", maxs[code], [],
                                f"below the minimum share {low:g} of the same commune")
    costs = data.get("unit_costs") or {}
    if not isinstance(costs, dict):
        raise InvalidChoice("unit_costs", costs, keys, "an object {intervention: VND per unit}")
    for key in costs:
        if key not in keys:
            raise InvalidChoice("unit_costs", key, keys, "unknown intervention")
    costs = {k: check_cost(k, v) for k, v in costs.items() if v not in (None, "")}
    period = data.get("period")
    tl = data.get("time_limit")
    tl = DEFAULT_TIME_LIMIT if tl in (None, "") else _number(tl, "time_limit")
    if not 0 < tl <= MAX_TIME_LIMIT:
        raise InvalidChoice("time_limit", tl, [], f"seconds, more than 0 and at most {MAX_TIME_LIMIT:g}")
    return PlanRequest(sum(budgets.values()), budgets, vintage, period, chosen, objective, ranking,
                       weights, mins, maxs, costs, tl)


@dataclass
class Plan:
    request: PlanRequest
    interventions: list
    candidates: list            # every unit × intervention, with gap (None = no data)
    items: list                 # Item per funded-able candidate (same order as `funded`)
    funded: list                # the candidates given to the solver
    years: list
    milp: Solution
    greedy: Solution
    min_spend: dict
    max_spend: dict
    period: int
    periods: list
    units: list

    @property
    def illustrative(self):
        return any(c.illustrative for c in self.funded) or any(
            c.illustrative for c in self.candidates if c.gap is not None)

    @property
    def assumptions(self):
        return any(i.assumption for i in self.interventions) or any(
            "planning assumption" in c.gap_basis for c in self.candidates)

    def allocation(self, solution=None):
        """{(code, key): [units per year]} of one solution (the MILP by default)."""
        sol = solution or self.milp
        return {c.key: u for c, u in zip(self.funded, sol.units)}

    def rows(self, lang="vi"):
        milp, greedy_ = self.allocation(self.milp), self.allocation(self.greedy)
        out = []
        for c in self.candidates:
            units = milp.get(c.key, [0] * len(self.years))
            g_units = greedy_.get(c.key, [0] * len(self.years))
            n, gn = sum(units), sum(g_units)
            out.append({
                "code": c.unit.code, "name": c.unit.full_name, "unit_type": c.unit.unit_type,
                "intervention": c.intervention.key, "label": c.intervention.label(lang),
                "unit": c.intervention.unit_label(lang), "current": _num(c.current), "total": _num(c.total),
                "gap": c.gap, "gap_basis": c.gap_basis, "unit_cost_vnd": _num(c.unit_cost),
                "cost_basis": c.intervention.basis,
                "cost_to_close_vnd": _num(c.cost_to_close),
                "beneficiaries_per_unit": _num(c.beneficiaries_per_unit),
                "beneficiary_unit": c.intervention.beneficiaries.get("unit", "households"),
                "beneficiaries_basis": c.intervention.beneficiaries.get("basis"),
                "beneficiaries_if_closed": _num(c.beneficiaries_total),
                "people_if_closed": _num(_people(c.beneficiaries_total, c.people_per_household)),
                "cost_per_beneficiary_vnd": _num(c.cost_per_beneficiary),
                "score": _num(c.score), "rank": c.rank,
                "units": n, "units_by_year": {str(y): u for y, u in zip(self.years, units)},
                "spend_vnd": _num(n * c.unit_cost), "beneficiaries": _num(n * c.beneficiaries_per_unit),
                "people": _num(_people(n * c.beneficiaries_per_unit, c.people_per_household)),
                "greedy_units": gn, "greedy_spend_vnd": _num(gn * c.unit_cost),
                "after": _num(None if c.current is None or c.intervention.gap.get("kind") == "configured"
                              else c.current + n),
                "status": c.status, "illustrative": c.illustrative, "source": c.source, "note": c.note})
        return out

    def communes(self):
        milp_s = group_spend(self.items, self.milp.units)
        greedy_s = group_spend(self.items, self.greedy.units)
        rows = self.rows()
        out = []
        for unit in self.units:
            mine = [r for r in rows if r["code"] == unit.code]
            out.append({"code": unit.code, "name": unit.full_name, "unit_type": unit.unit_type,
                        "spend_vnd": _num(milp_s.get(unit.code, 0.0)),
                        "greedy_spend_vnd": _num(greedy_s.get(unit.code, 0.0)),
                        "beneficiaries": _num(sum(r["beneficiaries"] or 0 for r in mine)),
                        "cost_to_close_vnd": _num(sum(r["cost_to_close_vnd"] or 0 for r in mine)),
                        "min_spend_vnd": _num(self.min_spend.get(unit.code)),
                        "max_spend_vnd": _num(self.max_spend.get(unit.code)),
                        "illustrative": any(r["illustrative"] for r in mine)})
        return out

    def after(self, lang="vi"):
        """Indicator values expected after the plan (count and percent), per unit and intervention."""
        out = []
        for r, c in zip(self.rows(lang), self.candidates):
            if c.intervention.gap.get("kind") == "configured" or c.current is None or c.total is None:
                continue
            pct = lambda v: _num(100.0 * v / c.total) if c.total else None  # noqa: E731
            out.append({"code": r["code"], "name": r["name"], "intervention": r["intervention"],
                        "indicator": c.intervention.indicator, "percent_indicator": c.intervention.percent_indicator,
                        "before": r["current"], "after": r["after"], "total": r["total"],
                        "before_pct": pct(c.current), "after_pct": pct(c.current + r["units"]),
                        "status": c.status, "illustrative": c.illustrative})
        return out

    def summary(self):
        def totals(sol):
            return {"spend_vnd": _num(spend(self.items, sol.units)),
                    "beneficiaries": _num(sum(it_c.beneficiaries_per_unit * sum(u)
                                              for it_c, u in zip(self.funded, sol.units))),
                    "objective": _num(sol.objective),
                    "spend_by_year": {str(y): _num(spend(self.items, sol.units, k))
                                      for k, y in enumerate(self.years)}}
        closing = sum(c.cost_to_close or 0 for c in self.funded)
        return {"milp": {**totals(self.milp), "status": self.milp.status, "optimal": self.milp.optimal,
                         "found": self.milp.found,
                         "message": self.milp.message, "solve_seconds": round(self.milp.seconds, 4),
                         "mip_gap": _num(self.milp.mip_gap), "mip_rel_gap_asked": DEFAULT_MIP_GAP,
                         "time_limit_s": self.request.time_limit},
                "greedy": {**totals(self.greedy), "message": self.greedy.message,
                           "solve_seconds": round(self.greedy.seconds, 4)},
                "cost_to_close_all_vnd": _num(closing),
                "full_plan": spend(self.items, self.milp.units) >= closing - 1e-6 and closing > 0,
                "budget_vnd": _num(self.request.budget)}

    def to_dict(self, lang="vi"):
        illustrative = self.illustrative
        notices = []
        if illustrative:
            notices.append(ILLUSTRATIVE_NOTICE)
        if self.assumptions:
            notices.append(ASSUMPTION_NOTICE)
        return {"request": self.request.to_dict(), "vintage": self.request.vintage, "period": self.period,
                "periods": self.periods, "years": [str(y) for y in self.years],
                "illustrative": illustrative,
                "notice": " ".join(notices) or None, "notices": notices,
                "summary": self.summary(),
                "interventions": [i.to_dict() for i in self.interventions],
                "inputs": {"budgets": {str(k): _num(v) for k, v in self.request.budgets.items()},
                           "items": [{"code": c.unit.code, "intervention": c.intervention.key,
                                      "gap": it.gap, "unit_cost_vnd": _num(it.cost),
                                      "beneficiaries_per_unit": _num(c.beneficiaries_per_unit),
                                      "value_per_unit": _num(it.value)}
                                     for c, it in zip(self.funded, self.items)],
                           "min_spend_vnd": {k: _num(v) for k, v in self.min_spend.items()},
                           "max_spend_vnd": {k: _num(v) for k, v in self.max_spend.items()},
                           "objective": self.request.objective, "weights": self.request.weights},
                "communes": self.communes(), "rows": self.rows(lang), "after": self.after(lang)}


def _people(households, per_household):
    return None if households is None or per_household is None else households * per_household


def _num(value):
    if value is None:
        return None
    value = float(value)
    if value.is_integer():
        return int(value)
    return round(value, 4)


def data_periods(index, catalogue, interventions):
    """Periods in which the household/bản indicators of the interventions have unit figures; the
    default is the one with the most units covered, the latest on ties."""
    keys = {k for i in interventions for k in (i.indicator, i.total) if k}
    cover = {}
    for key in keys:
        for p in index.periods(_Keys((key,))):
            cover[p] = cover.get(p, 0) + index.coverage(_Keys((key,)), p)
    return sorted(cover), (max(cover, key=lambda p: (cover[p], p)) if cover else None)


def make_plan(store, catalogue, data, interventions=None, cost_overrides=None, index=None):
    """The plan for a request dict (see parse_request). cost_overrides: the editors' stored costs."""
    base = with_costs(interventions or load_interventions(), cost_overrides)
    req = parse_request(data, lambda v: [u.code for u in store.unit_records(v)], base)
    chosen = [i for i in base if i.key in req.interventions]
    if req.unit_costs:
        chosen = with_costs(chosen, {k: {"unit_cost_vnd": v, "by": "this request", "at": None,
                                         "note": "what-if cost sent with the request"}
                                     for k, v in req.unit_costs.items()})
    index = index or FigureIndex(store, catalogue, req.vintage)
    periods, default = data_periods(index, catalogue, chosen)
    period = req.period
    if period in (None, ""):
        period = default
    else:
        try:
            period = int(period)
        except (TypeError, ValueError):
            raise InvalidChoice("period", req.period, periods) from None
        if period not in periods:
            raise InvalidChoice("period", req.period, periods)
    if period is None:
        raise InvalidChoice("period", req.period, periods, "no figures for these interventions")
    req.period = period
    cands = candidates(index, catalogue, chosen, period, store.facts())
    score(cands, req.weights, req.ranking)
    funded = [c for c in cands if c.gap and c.beneficiaries_per_unit > 0]
    weighted = req.objective == "weighted"
    items = [Item(c.unit_cost, c.beneficiaries_per_unit * ((1.0 + c.need) if weighted else 1.0), c.gap,
                  c.unit.code) for c in funded]
    years = list(req.budgets)
    budgets = [req.budgets[y] for y in years]
    closing = {}
    for c in funded:
        closing[c.unit.code] = closing.get(c.unit.code, 0.0) + c.cost_to_close
    min_spend = {}
    for code, share in req.min_share.items():
        # a minimum never asks for more than closing the commune's gaps costs
        amount = min(share * req.budget, closing.get(code, 0.0))
        if amount > 0:
            min_spend[code] = amount
    max_spend = {code: share * req.budget for code, share in req.max_share.items()}
    milp_sol = solve_milp(items, budgets, min_spend, max_spend, req.time_limit)
    if milp_sol.status == "infeasible":
        raise PlanError("no plan meets every minimum share with whole units within the budget "
                        "(a unit may cost more than what is left); lower the minimum shares or raise the budget",
                        status=milp_sol.status, solver_message=milp_sol.message,
                        min_spend_vnd={k: _num(v) for k, v in min_spend.items()})
    if milp_sol.status not in ("optimal", "time_limit"):
        raise PlanError(f"the solver found no plan ({milp_sol.status}: {milp_sol.message})",
                        status=milp_sol.status)
    greedy_sol = greedy(items, budgets, min_spend, max_spend)
    if not milp_sol.found:
        # the time limit came before HiGHS found any plan: show the greedy plan in its place, and say so
        milp_sol = replace(milp_sol, units=[list(u) for u in greedy_sol.units], objective=greedy_sol.objective,
                           message="no MILP plan within the time limit; the greedy plan is shown in its place "
                                   f"({milp_sol.message})")
    return Plan(req, chosen, cands, items, funded, years, milp_sol, greedy_sol, min_spend, max_spend,
                period, periods, list(index.units))
