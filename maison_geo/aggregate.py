"""Figures of the former communes shown at the communes of the next era, through the era's crosswalk."""
from collections import defaultdict

from .figures import UNIT, Figure, weakest

SUMMABLE = ("count", "length_km")
# percents are recomputed from their parts; a categorical status was decided for a former commune
NOT_AGGREGATED = ("percent", "categorical")


def crosswalk_groups(crosswalk):
    """new code → [old codes], in crosswalk order."""
    groups = defaultdict(list)
    for row in crosswalk:
        groups[row["new_code"]].append(row["old_code"])
    return dict(groups)


def to_next_era(old_figures, crosswalk, catalogue, old_units, vintage):
    """Aggregated figures of the era `vintage` from resolved unit figures of the era before it.

    Counts are summed when every former commune has a figure (a partial sum would mislead);
    booleans become "k of n former communes"; percents are not aggregated here but recomputed
    later from the summed numerators and denominators; categorical legal statuses are never
    aggregated (they were decided for the former communes). Any illustrative part makes the whole
    illustrative, and the source lists the parts.
    """
    units = {u.code: u for u in old_units}
    by_key = defaultdict(dict)
    for fig in old_figures.values():
        if fig.level == UNIT:
            by_key[(fig.indicator, fig.period)][fig.code] = fig
    out = []
    for new_code, old_codes in crosswalk_groups(crosswalk).items():
        for (key, period), figs in by_key.items():
            indicator = _indicator(catalogue, key)
            if indicator is None or indicator.kind in NOT_AGGREGATED:
                continue
            applicable = [c for c in old_codes if not indicator.applies_to
                          or (c in units and units[c].unit_type in indicator.applies_to)]
            parts = [figs.get(c) for c in applicable]
            if not applicable or any(p is None for p in parts):
                continue
            out.append(_combine(vintage, new_code, indicator, period, parts, units))
    return out


def _indicator(catalogue, key):
    try:
        return catalogue.get(key)
    except Exception:
        return None


def _combine(vintage, new_code, indicator, period, parts, units):
    codes = ", ".join(f"{units[p.code].label} {p.code}" if p.code in units else p.code for p in parts)
    sources = "; ".join(dict.fromkeys(p.source for p in parts))
    if indicator.kind == "boolean":
        true = sum(1 for p in parts if p.value)
        value, denominator = true, len(parts)
        note = f"{true} of {len(parts)} former communes ({codes})"
    else:
        value, denominator = sum(p.value for p in parts), None
        note = f"sum of {len(parts)} former communes ({codes})"
    return Figure(vintage, UNIT, new_code, indicator.key, period, value,
                  weakest(p.status for p in parts), f"aggregated from former communes: {sources}",
                  note, denominator)
