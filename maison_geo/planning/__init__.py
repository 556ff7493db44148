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

Modules: common (choices, limits, PlanError), interventions, gaps (candidates and their score),
solve (MILP and greedy), request (parse_request), plan (make_plan and Plan), frontier (optimal plans
from no budget to every gap closed: what each extra tỷ buys).
"""
from .common import (CRITERIA, DEFAULT_MIP_GAP, DEFAULT_TIME_LIMIT, DEFAULT_WEIGHTS, MAX_BUDGET,
                     MAX_TIME_LIMIT, OBJECTIVES, PLAN_YEARS, PLANNING_ASSUMPTION, RANKINGS, PlanError)
from .frontier import frontier
from .gaps import (POVERTY_INDICATOR, REMOTENESS_INDICATOR, REMOTENESS_SCALE, Candidate, candidates, data_periods,
                   missing_facts, score)
from .interventions import Intervention, check_cost, check_weight, load_interventions, with_costs, with_weights
from .plan import ASSUMPTION_NOTICE, REASONS, Plan, Setup, make_plan, setup
from .request import PlanRequest, parse_request
from .solve import Item, Solution, greedy, group_spend, solve_all, solve_milp, spend

__all__ = ["ASSUMPTION_NOTICE", "CRITERIA", "Candidate", "DEFAULT_MIP_GAP", "DEFAULT_TIME_LIMIT",
           "DEFAULT_WEIGHTS", "Intervention", "Item", "MAX_BUDGET", "MAX_TIME_LIMIT", "OBJECTIVES", "PLAN_YEARS",
           "PLANNING_ASSUMPTION", "POVERTY_INDICATOR", "Plan", "PlanError", "PlanRequest", "RANKINGS", "REASONS",
           "REMOTENESS_INDICATOR", "REMOTENESS_SCALE", "Setup", "Solution", "candidates", "check_cost", "check_weight", "data_periods",
           "frontier", "greedy", "group_spend", "load_interventions", "make_plan", "missing_facts", "parse_request", "score", "setup", "solve_all", "solve_milp",
           "spend", "with_costs", "with_weights"]
