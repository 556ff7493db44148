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
