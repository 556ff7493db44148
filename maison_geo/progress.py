"""Progress to target: each commune met · on track · behind · no data, and the gap in the indicator's unit."""
import math
from dataclasses import dataclass, field

STATES = ("met", "on_track", "behind", "no_data")
DEFAULT_MARGIN = 0.10  # "on track" = within 10 % of the target (a stated rule, not a target)


@dataclass
class Progress:
    row: object
    state: str
    gap: float = None            # in the indicator's own unit (percentage points for a percent)
    gap_count: float = None      # for a percent: numerator units still needed (e.g. village gates)


@dataclass
class ProgressTable:
    table: object
    target: object
    margin: float
    rows: list = field(default_factory=list)
    district: Progress = None

    @property
    def summary(self):
        return {state: sum(1 for p in self.rows if p.state == state) for state in STATES}


def assess(row, indicator, target, margin=DEFAULT_MARGIN):
    value = row.value
    if value is None:
        return Progress(row, "no_data")
    if indicator.kind == "boolean" and row.denominator:
        value = 100.0 * row.value / row.denominator
        goal = target.value
    else:
        goal = target.value
    better_high = indicator.higher_is_better is not False
    gap = max(goal - value, 0.0) if better_high else max(value - goal, 0.0)
    if gap == 0:
        state = "met"
    elif gap <= abs(goal) * margin:
        state = "on_track"
    else:
        state = "behind"
    gap_count = None
    if indicator.kind == "percent" and row.denominator and better_high:
        gap_count = max(math.ceil(goal / 100.0 * row.denominator - (row.numerator or 0) - 1e-9), 0)
    return Progress(row, state, gap, gap_count)


def progress(table, margin=DEFAULT_MARGIN):
    """None when the indicator has no target: say so, never invent one."""
    indicator = table.indicator
    if indicator.target is None:
        return None
    result = ProgressTable(table, indicator.target, margin)
    result.rows = [assess(r, indicator, indicator.target, margin) for r in table.rows]
    result.district = assess(table.district, indicator, indicator.target, margin)
    return result


TARGET_YEARS = range(2020, 2051)
TARGET_KINDS = ("count", "length_km", "percent")
MAX_SOURCE = 300


def check_target(indicator, data):
    """{value, year, source} of a target an editor sets, checked; every problem an InvalidChoice naming
    the field. A target always has a source: the decision or plan that set it."""
    from .errors import InvalidChoice
    if indicator.kind not in TARGET_KINDS:
        raise InvalidChoice("indicator", indicator.key, [], "targets are set for counts, lengths and percentages")
    if not isinstance(data, dict):
        raise InvalidChoice("body", type(data).__name__, ["a JSON object"], "send {value, year, source}")
    value = _finite(data.get("value"), "value")
    if value < 0 or (indicator.kind == "percent" and value > 100):
        limit = "from 0 to 100" if indicator.kind == "percent" else "0 or more"
        raise InvalidChoice("value", data.get("value"), [], f"a target of this indicator is {limit}")
    year = data.get("year")
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        year = None
    if year not in TARGET_YEARS:
        raise InvalidChoice("year", data.get("year"), [], "the year the target is for, 2020–2050")
    source = " ".join(str(data.get("source") or "").split())
    if not source:
        raise InvalidChoice("source", data.get("source"), [],
                            "a target needs its source: the decision or plan that set it")
    if len(source) > MAX_SOURCE:
        raise InvalidChoice("source", source[:40] + "…", [], f"at most {MAX_SOURCE} characters")
    return {"value": value, "year": year, "source": source}


def _finite(value, param):
    from .errors import InvalidChoice
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise InvalidChoice(param, value, [], "a number is needed")
    return number


@dataclass
class Versus:
    row: object
    relation: str  # above | below | equal | no_data


def versus_district(table):
    """Without a target: each commune against the district figure (above or below), never a state
    against an invented goal."""
    district = table.district.value
    out = []
    for row in table.rows:
        if row.value is None or district is None:
            out.append(Versus(row, "no_data"))
        else:
            out.append(Versus(row, "above" if row.value > district else "below" if row.value < district
                              else "equal"))
    return out
