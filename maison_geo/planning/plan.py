"""The plan: make_plan() validates a request, runs both solvers on the candidates with a gap and
returns a Plan (rows, communes, values after the plan, summary, and the JSON of it all)."""
from dataclasses import dataclass, replace

from ..errors import InvalidChoice
from ..values import ILLUSTRATIVE_NOTICE, figure_index
from .common import DEFAULT_MIP_GAP, PlanError, _num
from .gaps import candidates, data_periods, score
from .interventions import load_interventions, with_costs
from .request import PlanRequest, parse_request
from .solve import Item, Solution, greedy, group_spend, solve_milp, spend

ASSUMPTION_NOTICE = ("Giả định lập kế hoạch: đơn giá và số hộ hưởng lợi trên mỗi đơn vị chưa có nguồn; "
                     "mục tiêu là phủ kín 100 % khi chưa có mục tiêu chính thức. / Planning assumptions: unit "
                     "costs and beneficiaries per unit have no source; the target is full coverage where no "
                     "official target is recorded.")


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


def make_plan(store, catalogue, data, interventions=None, cost_overrides=None, index=None, solve=None,
              time_cap=None):
    """The plan for a request dict (see parse_request). cost_overrides: the editors' stored costs;
    solve: solve_milp or a function that runs it elsewhere (a worker process); time_cap: the most
    solver seconds this caller may have, whatever the request asks."""
    base = with_costs(interventions or load_interventions(), cost_overrides)
    req = parse_request(data, lambda v: [u.code for u in store.unit_records(v)], base)
    if time_cap is not None:
        req.time_limit = min(req.time_limit, time_cap)
    chosen = [i for i in base if i.key in req.interventions]
    if req.unit_costs:
        chosen = with_costs(chosen, {k: {"unit_cost_vnd": v, "by": "this request", "at": None,
                                         "note": "what-if cost sent with the request"}
                                     for k, v in req.unit_costs.items()})
    index = index or figure_index(store, catalogue, req.vintage)
    periods, default = data_periods(index, catalogue, chosen)
    period = req.period
    if period in (None, ""):
        period = default
    else:
        try:
            period = int(period)
        except (TypeError, ValueError, OverflowError):
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
    milp_sol = (solve or solve_milp)(items, budgets, min_spend, max_spend, req.time_limit)
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
