"""Values of one indicator for every unit of one vintage in one period, plus the district figure."""
import threading
import weakref
from dataclasses import dataclass, field
from typing import Optional

from . import aggregate
from .errors import InvalidChoice
from .figures import DISTRICT, UNIT, Figure, resolve, weakest
from .units import check_vintage

ILLUSTRATIVE_NOTICE = ("Minh họa: số liệu từng xã chưa được công bố; các giá trị này là giả định, "
                       "tổng khớp số liệu cấp huyện. / Illustrative: per-commune figures are not "
                       "published; these values are made up so that they add up to the district figures.")


@dataclass
class ValueRow:
    value: Optional[float] = None
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    status: Optional[str] = None
    source: str = ""
    note: str = ""
    unit: object = None
    rank: Optional[int] = None

    def to_dict(self):
        unit = self.unit
        return {"code": unit.code if unit else None, "name": unit.name if unit else None,
                "full_name": unit.full_name if unit else None,
                "unit_type": unit.unit_type if unit else None,
                "value": _round(self.value), "numerator": _round(self.numerator),
                "denominator": _round(self.denominator), "rank": self.rank, "status": self.status,
                "illustrative": self.status == "illustrative", "source": self.source,
                "note": self.note}


@dataclass
class ValueTable:
    indicator: object
    vintage: str
    period: int
    periods: list
    rows: list
    district: ValueRow
    attribution: list = field(default_factory=list)

    @property
    def illustrative(self):
        return any(r.status == "illustrative" for r in [*self.rows, self.district])

    def to_dict(self):
        return {"indicator": self.indicator.to_dict(), "vintage": self.vintage,
                "period": self.period, "periods": self.periods,
                "illustrative": self.illustrative,
                "notice": ILLUSTRATIVE_NOTICE if self.illustrative else None,
                "district": {**self.district.to_dict(), "level": DISTRICT},
                "rows": [r.to_dict() for r in self.rows],
                "attribution": self.attribution}


def _round(value):
    """Whole numbers as int (a count of 16931 households, not 16931.0), others to 4 decimals."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 4)


class FigureIndex:
    """Resolved figures of one vintage, keyed (level, code, indicator, period); post2025 adds aggregates."""

    def __init__(self, store, catalogue, vintage):
        check_vintage(vintage)
        self.vintage = vintage
        self.units = store.unit_records(vintage)
        direct = resolve(store.figures(vintage))
        if vintage == "post2025":
            old = resolve(store.figures("pre2025"))
            merged = resolve(aggregate.to_post2025(old, store.crosswalk(), catalogue,
                                                   store.unit_records("pre2025")))
            merged.update(direct)  # figures recorded for new units win over aggregates
            district = {k: f for k, f in old.items() if f.level == DISTRICT}
            direct = {**merged, **district}
        self._by = {(f.level, f.code, f.indicator, f.period): f for f in direct.values()}
        self.tables = {}  # (indicator, period) → ValueTable, filled by indicator_values
        self._periods, self._codes = {}, {}  # indicator → periods; (indicator, period) → unit codes
        for level, code, key, period in self._by:
            self._periods.setdefault(key, set()).add(period)
            if level == UNIT:
                self._codes.setdefault((key, period), set()).add(code)

    def get(self, level, code, key, period):
        return self._by.get((level, code, key, period))

    def periods(self, indicator):
        """Periods in which the indicator itself (or, for a percent, its numerator) has a figure."""
        keys = {indicator.key, indicator.numerator} - {None}
        return sorted(set().union(*(self._periods.get(k, ()) for k in keys)))

    def coverage(self, indicator, period):
        keys = {indicator.key, indicator.numerator} - {None}
        return len(set().union(*(self._codes.get((k, period), ()) for k in keys)))


_indexes = weakref.WeakKeyDictionary()  # store → {vintage: (data version, catalogue, FigureIndex)}
_indexes_lock = threading.Lock()


def figure_index(store, catalogue, vintage):
    """The FigureIndex of a vintage, built once per data version of the store (store.data_version():
    the build and the active imported version) and catalogue, not once per request; with its value
    tables, shared by every request: read only. A store without data_version() gets a fresh one."""
    version = store.data_version() if hasattr(store, "data_version") else None
    if version is None:
        return FigureIndex(store, catalogue, vintage)
    with _indexes_lock:
        hit = _indexes.get(store, {}).get(vintage)
    if hit and hit[0] == version and hit[1] is catalogue:
        return hit[2]
    index = FigureIndex(store, catalogue, vintage)
    with _indexes_lock:
        _indexes.setdefault(store, {})[vintage] = (version, catalogue, index)
    return index


def indicator_values(store, catalogue, key, period=None, vintage="pre2025", index=None):
    indicator = catalogue.get(key)
    index = index or figure_index(store, catalogue, vintage)
    periods = index.periods(indicator)
    period = _check_period(period, periods, lambda p: index.coverage(indicator, p),
                           where=f"{indicator.key} in era {vintage}")
    table = index.tables.get((indicator.key, period))
    if table is None or table.indicator is not indicator:
        rows = [_unit_value(index, indicator, unit, period) for unit in index.units]
        _rank(rows, indicator)
        table = ValueTable(indicator, vintage, period, periods, rows,
                           _district_value(index, indicator, period, rows),
                           [s["attribution"] for s in store.sources() if s["vintage"] == vintage])
        index.tables[(indicator.key, period)] = table
    return table


def _check_period(period, periods, coverage, where=""):
    """The asked period if valid; by default the period with most communes covered, latest on ties."""
    if period in (None, ""):
        if not periods:
            raise InvalidChoice("period", period, periods, where=where)
        return max(periods, key=lambda p: (coverage(p), p))
    try:
        period = int(period)
    except (TypeError, ValueError):
        raise InvalidChoice("period", period, periods, where=where) from None
    if period not in periods:
        raise InvalidChoice("period", period, periods, where=where)
    return period


def _from_figure(fig, unit=None):
    return ValueRow(fig.value, None, fig.denominator, fig.status, fig.source, fig.note, unit)


def _percent(num, den, unit=None):
    value = 100.0 * num.value / den.value if den.value else None
    return ValueRow(value, num.value, den.value, weakest((num.status, den.status)),
                    _join(num.source, den.source), _join(num.note, den.note), unit)


def _join(*texts):
    """'a; b' from several '; '-separated texts, each part once."""
    parts = (p.strip() for t in texts for p in (t or "").split("; "))
    return "; ".join(dict.fromkeys(p for p in parts if p))


def _unit_value(index, indicator, unit, period):
    lookup = lambda key: index.get(UNIT, unit.code, key, period)  # noqa: E731
    if indicator.kind == "percent" and indicator.numerator:
        num, den = lookup(indicator.numerator), lookup(indicator.denominator)
        if num and den:
            return _percent(num, den, unit)
    fig = lookup(indicator.key)
    return _from_figure(fig, unit) if fig else ValueRow(unit=unit)


def _district_value(index, indicator, period, rows):
    lookup = lambda key: index.get(DISTRICT, "125", key, period)  # noqa: E731
    if indicator.kind == "percent":
        num, den = (lookup(indicator.numerator), lookup(indicator.denominator)) if indicator.numerator else (None, None)
        if num and den:
            return _percent(num, den)
        if lookup(indicator.key):
            return _from_figure(lookup(indicator.key))
        if indicator.numerator:
            num = lookup(indicator.numerator) or _sum_of_units(index, indicator.numerator, period)
            den = lookup(indicator.denominator) or _sum_of_units(index, indicator.denominator, period)
            if num and den:
                return _percent(num, den)
        return ValueRow()
    fig = lookup(indicator.key)
    if fig:
        return _from_figure(fig)
    summed = _sum_of_units(index, indicator.key, period)
    return _from_figure(summed) if summed else ValueRow()


def _sum_of_units(index, key, period):
    """The district as the sum of its units, when every unit has a figure."""
    figs = [index.get(UNIT, u.code, key, period) for u in index.units]
    if not figs or any(f is None for f in figs):
        return None
    return Figure(index.vintage, DISTRICT, "125", key, period, sum(f.value for f in figs),
                  weakest(f.status for f in figs), _join(*(f.source for f in figs)),
                  f"sum of the {len(figs)} communes")


def _rank(rows, indicator):
    """1 = best: highest value unless lower is better. Ties share a rank."""
    valued = [r for r in rows if r.value is not None]
    reverse = indicator.higher_is_better is not False
    ordered = sorted(valued, key=lambda r: r.value, reverse=reverse)
    for row in ordered:
        row.rank = 1 + sum(1 for other in ordered if (other.value > row.value if reverse
                                                       else other.value < row.value))
