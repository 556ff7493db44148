"""The plan: make_plan() validates a request, runs both solvers on the candidates with a gap and
returns a Plan (rows, communes, values after the plan, summary, and the JSON of it all)."""
from dataclasses import dataclass, replace

from ..contract import N_
from ..errors import InvalidChoice
from ..values import ILLUSTRATIVE_NOTICE, figure_index
from .common import DEFAULT_MIP_GAP, PlanError, _num
from .gaps import candidates, data_periods, missing_facts, score
from .interventions import load_interventions, with_costs, with_weights
from .request import PlanRequest, parse_request
from .solve import Item, Solution, greedy, group_spend, solve_milp, spend

ASSUMPTION_NOTICE = ("Giả định lập kế hoạch: đơn giá và số hộ hưởng lợi trên mỗi đơn vị chưa có nguồn; "
                     "mục tiêu là phủ kín 100 % khi chưa có mục tiêu chính thức. / Planning assumptions: unit "
                     "costs and beneficiaries per unit have no source; the target is full coverage where no "
                     "official target is recorded.")


# why a commune got what it got (Plan.reason), as the pages say it (msgids)
REASONS = {"no_data": N_("no figures to find a gap"), "no_gap": N_("no gap left to close"),
           "closed": N_("every gap closed"), "minimum": N_("its minimum share decided the amount"),
           "cap": N_("its maximum share stopped it"), "budget": N_("the budget went to items that reach more per đồng")}


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
                "benefit_weight": _num(c.intervention.benefit_weight),
                "benefit": _num(n * c.beneficiaries_per_unit * c.intervention.benefit_weight),
                "people": _num(_people(n * c.beneficiaries_per_unit, c.people_per_household)),
                "greedy_units": gn, "greedy_spend_vnd": _num(gn * c.unit_cost),
                "after": _num(None if c.current is None or c.intervention.gap.get("kind") == "need"
                              else c.current + n),
                "status": c.status, "illustrative": c.illustrative, "source": c.source, "note": c.note})
        return out

    def reason(self, code, spent, rows):
        """Why a commune got what it got: no_data, no_gap, closed (every gap), minimum (its minimum
        share decided), cap (its maximum share stopped it), or budget (the money went to items that
        buy more per đồng)."""
        gaps = [r for r in rows if r["gap"]]
        if not gaps:
            return "no_data" if all(r["gap"] is None for r in rows) else "no_gap"
        cheapest = min((it.cost for it, c in zip(self.items, self.funded) if c.unit.code == code), default=0)
        if all(r["units"] >= r["gap"] for r in gaps):
            return "closed"
        if code in self.max_spend and spent + cheapest > self.max_spend[code] + 1e-6:
            return "cap"
        if code in self.min_spend and spent <= self.min_spend[code] + cheapest:
            return "minimum"
        return "budget"

    def communes(self):
        milp_s = group_spend(self.items, self.milp.units)
        greedy_s = group_spend(self.items, self.greedy.units)
        rows = self.rows()
        out = []
        for unit in self.units:
            mine = [r for r in rows if r["code"] == unit.code]
            spent = milp_s.get(unit.code, 0.0)
            ranked = [r for r in mine if r["rank"]]
            best = min(ranked, key=lambda r: r["rank"]) if ranked else None
            out.append({"code": unit.code, "name": unit.full_name, "unit_type": unit.unit_type,
                        "funded": spent > 0, "reason": self.reason(unit.code, spent, mine),
                        "best_rank": best and best["rank"],
                        "best_intervention": best and best["intervention"],
                        "best_cost_per_beneficiary_vnd": best and best["cost_per_beneficiary_vnd"],
                        "gap_items": sum(1 for r in mine if r["gap"]),
                        "spend_vnd": _num(milp_s.get(unit.code, 0.0)),
                        "greedy_spend_vnd": _num(greedy_s.get(unit.code, 0.0)),
                        "beneficiaries": _num(sum(r["beneficiaries"] or 0 for r in mine)),
                        "cost_to_close_vnd": _num(sum(r["cost_to_close_vnd"] or 0 for r in mine)),
                        "min_spend_vnd": _num(self.min_spend.get(unit.code)),
                        "max_spend_vnd": _num(self.max_spend.get(unit.code)),
                        "illustrative": any(r["illustrative"] for r in mine)})
        return out

    def by_intervention(self, lang="vi"):
        """What the plan buys per intervention: units, households reached, benefit, money."""
        rows = self.rows(lang)
        out = []
        for i in self.interventions:
            mine = [r for r in rows if r["intervention"] == i.key]
            out.append({"intervention": i.key, "label": i.label(lang), "unit": i.unit_label(lang),
                        "units": _num(sum(r["units"] for r in mine)),
                        "beneficiaries": _num(sum(r["beneficiaries"] or 0 for r in mine)),
                        "benefit": _num(sum(r["benefit"] or 0 for r in mine)),
                        "benefit_weight": _num(i.benefit_weight),
                        "spend_vnd": _num(sum(r["spend_vnd"] or 0 for r in mine)),
                        "communes": len({r["code"] for r in mine if r["units"]})})
        return out

    def after(self, lang="vi"):
        """Indicator values expected after the plan (count and percent), per unit and intervention."""
        out = []
        for r, c in zip(self.rows(lang), self.candidates):
            if c.intervention.gap.get("kind") == "need" or c.current is None or c.total is None:
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
                    "benefit": _num(sum(it_c.beneficiaries_per_unit * it_c.intervention.benefit_weight * sum(u)
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
                "communes_funded": len({it.group for it, u in zip(self.items, self.milp.units) if sum(u)}),
                "communes": len(self.units),
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
                           "objective": self.request.objective, "weights": self.request.weights,
                           "benefit_weights": {i.key: {"weight": _num(i.benefit_weight), "basis": i.benefit_basis,
                                                       "note": i.benefit_note, "edit": i.weight_edit}
                                               for i in self.interventions}},
                "missing_facts": missing_facts(self.candidates),
                "communes": self.communes(), "by_intervention": self.by_intervention(lang),
                "rows": self.rows(lang), "after": self.after(lang)}


def _people(households, per_household):
    return None if households is None or per_household is None else households * per_household


@dataclass
class Setup:
    """A checked request and what the solvers need: the candidates, the items and the years."""
    request: PlanRequest
    interventions: list
    candidates: list
    funded: list
    items: list
    years: list
    period: int
    periods: list
    units: list

    @property
    def closing(self):
        """{code: VND} to close every gap of each unit."""
        out = {}
        for c in self.funded:
            out[c.unit.code] = out.get(c.unit.code, 0.0) + c.cost_to_close
        return out

    def spend_bounds(self, budget):
        """(min_spend, max_spend) per unit for a total budget: the shares are fractions of it."""
        closing = self.closing
        # a minimum never asks for more than closing the commune's gaps costs
        min_spend = {code: amount for code, share in self.request.min_share.items()
                     if (amount := min(share * budget, closing.get(code, 0.0))) > 0}
        max_spend = {code: share * budget for code, share in self.request.max_share.items()}
        return min_spend, max_spend


def objective_value(candidate, objective):
    """What one unit of a candidate adds to the objective."""
    households = candidate.beneficiaries_per_unit
    if objective == "beneficiaries":
        return households
    benefit = households * candidate.intervention.benefit_weight
    return benefit * (1.0 + candidate.need) if objective == "weighted" else benefit


def setup(store, catalogue, data, interventions=None, cost_overrides=None, index=None, lang="vi",
          weight_overrides=None, time_cap=None):
    """Check a request dict (see parse_request) and build the solvers' items. cost_overrides and
    weight_overrides: the editors' stored unit costs and benefit weights; time_cap: the most solver
    seconds this caller may have, whatever the request asks."""
    base = with_weights(with_costs(interventions or load_interventions(), cost_overrides), weight_overrides)
    req = parse_request(data, lambda v: [u.code for u in store.unit_records(v)], base, lang)
    if time_cap is not None:
        req.time_limit = min(req.time_limit, time_cap)
    chosen = [i for i in base if i.key in req.interventions]
    if req.unit_costs:
        chosen = with_costs(chosen, {k: {"unit_cost_vnd": v, "by": "this request", "at": None,
                                         "note": "what-if cost sent with the request"}
                                     for k, v in req.unit_costs.items()})
    if req.benefit_weights:
        chosen = with_weights(chosen, {k: {"benefit_weight": v, "by": "this request", "at": None,
                                           "note": "what-if weight sent with the request"}
                                       for k, v in req.benefit_weights.items()})
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
    cands = candidates(index, catalogue, chosen, period)
    score(cands, req.weights, req.ranking)
    funded = [c for c in cands if c.gap and c.beneficiaries_per_unit > 0]
    items = [Item(c.unit_cost, objective_value(c, req.objective), c.gap, c.unit.code) for c in funded]
    return Setup(req, chosen, cands, funded, items, list(req.budgets), period, periods, list(index.units))


def make_plan(store, catalogue, data, interventions=None, cost_overrides=None, index=None, lang="vi",
              weight_overrides=None, solve=None, time_cap=None):
    """The plan for a request dict (see parse_request). cost_overrides, weight_overrides: the editors'
    stored unit costs and benefit weights; solve: solve_milp or a function that runs it elsewhere (a
    worker process); time_cap: the most solver seconds this caller may have."""
    prepared = setup(store, catalogue, data, interventions, cost_overrides, index, lang, weight_overrides,
                     time_cap)
    req, items, years = prepared.request, prepared.items, prepared.years
    budgets = [req.budgets[y] for y in years]
    min_spend, max_spend = prepared.spend_bounds(req.budget)
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
    return Plan(req, prepared.interventions, prepared.candidates, items, prepared.funded, years, milp_sol,
                greedy_sol, min_spend, max_spend, prepared.period, prepared.periods, prepared.units)
