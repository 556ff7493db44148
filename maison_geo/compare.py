"""Side-by-side comparison of 2 to 6 communes over every indicator."""
from dataclasses import dataclass, field

from .errors import InvalidChoice
from .values import figure_index, indicator_values

MIN_UNITS, MAX_UNITS = 2, 6


def parse_codes(raw, units):
    """Codes from 'a,b' or repeated parameters; each must be a unit of this vintage."""
    items = raw if isinstance(raw, list) else [raw or ""]
    codes = list(dict.fromkeys(c.strip() for item in items for c in item.split(",") if c.strip()))
    valid = [u.code for u in units]
    for code in codes:
        if code not in valid:
            raise InvalidChoice("codes", code, valid)
    if len(codes) > MAX_UNITS:
        raise InvalidChoice("codes", ",".join(codes), [f"{MIN_UNITS} to {MAX_UNITS} communes"])
    return codes


@dataclass
class ComparisonRow:
    indicator: object
    period: int
    cells: list                      # ValueRow per chosen unit, in the chosen order
    district: object
    differences: list = field(default_factory=list)  # value − first unit's value

    @property
    def illustrative(self):
        return any(c.status == "illustrative" for c in self.cells)


def compare(store, catalogue, vintage, codes):
    index = figure_index(store, catalogue, vintage)
    rows = []
    for ind in catalogue.mappable():
        if not index.periods(ind):
            continue
        table = indicator_values(store, catalogue, ind.key, None, vintage, index=index)
        by_code = {r.unit.code: r for r in table.rows}
        cells = [by_code[c] for c in codes]
        base = cells[0].value
        diffs = [None if (c.value is None or base is None or ind.qualitative) else c.value - base
                 for c in cells]  # a category has no difference
        rows.append(ComparisonRow(ind, table.period, cells, table.district, diffs))
    return rows
