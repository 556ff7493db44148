"""A plan request: the JSON of POST /api/plans (or the page's form) checked into a PlanRequest; every
problem is an InvalidChoice (400) naming the parameter."""
from dataclasses import dataclass, field
from typing import Optional

from ..errors import InvalidChoice
from ..units import DEFAULT_VINTAGE, check_vintage
from .common import (CRITERIA, DEFAULT_TIME_LIMIT, DEFAULT_WEIGHTS, MAX_BUDGET, MAX_TIME_LIMIT, OBJECTIVES,
                     PLAN_YEARS, RANKINGS, _num, _number, _vnd)
from .interventions import check_cost, check_weight


@dataclass
class PlanRequest:
    budget: float
    budgets: dict                # {year or "total": VND}
    vintage: str
    period: Optional[int]
    interventions: list          # keys
    objective: str = "benefit"
    ranking: str = "cost_per_beneficiary"
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_share: dict = field(default_factory=dict)   # {code: fraction of the whole budget}
    max_share: dict = field(default_factory=dict)
    unit_costs: dict = field(default_factory=dict)  # what-if costs for this request only
    benefit_weights: dict = field(default_factory=dict)  # what-if benefit weights for this request only
    time_limit: float = DEFAULT_TIME_LIMIT

    def to_dict(self):
        return {"budget": _num(self.budget), "budgets": {str(k): _num(v) for k, v in self.budgets.items()},
                "vintage": self.vintage, "period": self.period, "interventions": list(self.interventions),
                "objective": self.objective, "ranking": self.ranking, "weights": dict(self.weights),
                "min_share": dict(self.min_share), "max_share": dict(self.max_share),
                "unit_costs": {k: _num(v) for k, v in self.unit_costs.items()},
                "benefit_weights": {k: _num(v) for k, v in self.benefit_weights.items()},
                "time_limit": self.time_limit}


def _amount(value, param, lang="vi"):
    """VND from a number or from text as people type it ('50 tỷ', '2,5 tỷ', '50.000.000.000')."""
    amount = _vnd(value, param, lang)
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


def _per_intervention(data, param, keys, check, shape):
    """{intervention: checked value} of an optional object of the request (empty values left out)."""
    given = data.get(param) or {}
    if not isinstance(given, dict):
        raise InvalidChoice(param, given, keys, shape)
    for key in given:
        if key not in keys:
            raise InvalidChoice(param, key, keys, "unknown intervention")
    return {k: check(k, v) for k, v in given.items() if v not in (None, "")}


def parse_request(data, units_of, interventions, lang="vi"):
    """A PlanRequest from a JSON body (or the page's form, already made a dict). units_of(vintage)
    gives the unit codes; lang is how typed amounts group digits ('1.500' is 1500 in Vietnamese, 1.5 in
    English); every problem is an InvalidChoice (400) naming the parameter."""
    if not isinstance(data, dict):
        raise InvalidChoice("body", type(data).__name__, ["a JSON object"], "send a JSON object")
    vintage = check_vintage(data.get("vintage") or DEFAULT_VINTAGE)
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
            budgets[y] = _amount(amount, f"budget.{year}", lang)
        budgets = dict(sorted(budgets.items()))
    else:
        budgets = {"total": _amount(raw, "budget", lang)}
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
    objective = data.get("objective") or "benefit"
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
    costs = _per_intervention(data, "unit_costs", keys, check_cost, "an object {intervention: VND per unit}")
    benefit = _per_intervention(data, "benefit_weights", keys, check_weight, "an object {intervention: weight}")
    period = data.get("period")
    tl = data.get("time_limit")
    tl = DEFAULT_TIME_LIMIT if tl in (None, "") else _number(tl, "time_limit")
    if not 0 < tl <= MAX_TIME_LIMIT:
        raise InvalidChoice("time_limit", tl, [], f"seconds, more than 0 and at most {MAX_TIME_LIMIT:g}")
    return PlanRequest(sum(budgets.values()), budgets, vintage, period, chosen, objective, ranking,
                       weights, mins, maxs, costs, benefit, tl)
