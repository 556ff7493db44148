"""What every part of the planner shares: its choices (objectives, rankings, criteria, years), its
defaults and limits, PlanError, and two number helpers (a number from a request, a number for JSON)."""
import math

from ..errors import InvalidChoice, MaisonError
from ..money import MoneyError, parse_money

# benefit: households reached × the intervention's benefit weight; beneficiaries: households reached;
# weighted: benefit × (1 + the commune's need score)
OBJECTIVES = ("benefit", "beneficiaries", "weighted")
MAX_BENEFIT_WEIGHT = 100.0
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


class PlanError(MaisonError):
    """A plan that cannot be made from the inputs given (e.g. minimum shares not reachable)."""

    def __init__(self, message, **details):
        self.details = details
        super().__init__(message)

    def to_dict(self):
        return {"error": str(self), **self.details}


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


def _num(value):
    if value is None:
        return None
    value = float(value)
    if value.is_integer():
        return int(value)
    return round(value, 4)


def _vnd(value, param, lang="vi"):
    """VND from a number or from text as people type it ('50 tỷ', '2,5 tỷ', '50.000.000.000'); text
    groups digits the way of `lang`."""
    if not isinstance(value, str) or not value.strip():
        return _number(value, param)
    try:
        return parse_money(value, lang)
    except MoneyError as error:
        try:
            return _number(value, param)  # '5e9' and other plain numbers
        except InvalidChoice:
            raise InvalidChoice(param, value, [], str(error)) from None
