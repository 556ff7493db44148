"""Values of one indicator for every unit of one vintage in one period, plus the district figure."""
import re
import threading
import weakref
from dataclasses import dataclass, field, fields, replace
from typing import Optional

from . import aggregate, eras
from .errors import InvalidChoice
from .figures import DISTRICT, UNIT, Figure, resolve, weakest
from .units import check_vintage

ILLUSTRATIVE_NOTICE = ("Minh họa: số liệu từng xã chưa được công bố; các giá trị này là giả định, "
                       "tổng khớp số liệu cấp huyện. / Illustrative: per-commune figures are not "
                       "published; these values are made up so that they add up to the district figures.")
NOT_AGGREGATED_NOTICE = ("Tình trạng pháp lý và tỷ lệ đã công bố của các xã cũ không được cộng gộp vào các xã từ "
                         "01/7/2025 (tình trạng được công nhận cho xã cũ; tỷ lệ không gộp được khi thiếu tử số, "
                         "mẫu số); xem các xã cũ trong ranh giới mới tại /eras. / Legal statuses and published "
                         "rates of the former communes are not aggregated into the communes of 1 July 2025 (a "
                         "status was decided for a former commune; a rate cannot be combined without its parts); "
                         "/eras shows the former communes inside the new outlines.")
_URL = re.compile(r"https?://\S+")


def source_url(text):
    """The last web address in a source text ('Báo Sơn La: \"...\" https://...'), or ''."""
    found = _URL.findall(text or "")
    return found[-1] if found else ""


@dataclass(frozen=True)
class CarriedFigure(Figure):
    """A status shown in a later period than the one it was recognised in: not a new observation."""
    carried_from: int = 0


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
    as_of: str = ""
    carried_forward: bool = False
    category: object = None   # the Category of a categorical value
    standard: object = None   # the Standard the value was measured by, where the indicator has several

    @property
    def source_url(self):
        return source_url(self.source)

    def to_dict(self):
        unit = self.unit
        category = self.category
        return {"code": unit.code if unit else None, "name": unit.name if unit else None,
                "full_name": unit.full_name if unit else None,
                "unit_type": unit.unit_type if unit else None,
                "value": category.key if category else _round(self.value), "numerator": _round(self.numerator),
                "denominator": _round(self.denominator), "rank": self.rank, "status": self.status,
                "illustrative": self.status == "illustrative", "source": self.source,
                "note": self.note, "as_of": self.as_of or None, "carried_forward": self.carried_forward,
                "category_label_vi": category.label_vi if category else None,
                "category_label_en": category.label_en if category else None,
                "standard": self.standard.key if self.standard else None,
                "source_url": self.source_url or None}


@dataclass
class ValueTable:
    indicator: object
    vintage: str
    period: int
    periods: list
    rows: list
    district: ValueRow
    attribution: list = field(default_factory=list)
    not_aggregated: bool = False  # a legal status of the former communes, asked in the 2025 era

    @property
    def illustrative(self):
        return any(r.status == "illustrative" for r in [*self.rows, self.district])

    @property
    def standard(self):
        return self.indicator.standard(self.period)

    def to_dict(self):
        notice = ILLUSTRATIVE_NOTICE if self.illustrative else None
        return {"indicator": self.indicator.to_dict(), "vintage": self.vintage,
                "period": self.period, "periods": self.periods,
                "illustrative": self.illustrative,
                "notice": NOT_AGGREGATED_NOTICE if self.not_aggregated else notice,
                "not_aggregated": self.not_aggregated,
                "standard": self.standard.key if self.standard else None,
                "district": {**self.district.to_dict(), "level": DISTRICT},
                "rows": [r.to_dict() for r in self.rows],
                "attribution": self.attribution}


def _round(value):
    """Whole numbers as int (a count of 16931 households, not 16931.0), others to 4 decimals."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 4)


class FigureIndex:
    """Resolved figures of one vintage, keyed (level, code, indicator, period); an era reached through a
    crosswalk adds the aggregates of the era before it."""

    def __init__(self, store, catalogue, vintage):
        check_vintage(vintage)
        self.vintage = vintage
        self.parent_code = eras.scope_of(store).parent_code
        self.units = store.unit_records(vintage)
        direct = resolve(store.figures(vintage))
        before = eras.previous(vintage)
        if before is not None and eras.era(vintage).crosswalk:
            old = resolve(store.figures(before.key))
            crosswalk = eras.crosswalk_into(vintage, store.crosswalk())
            merged = resolve(aggregate.to_next_era(old, crosswalk, catalogue, store.unit_records(before.key),
                                                   vintage))
            merged.update(direct)  # figures recorded for new units win over aggregates
            district = {k: f for k, f in old.items() if f.level == DISTRICT}
            direct = {**merged, **district}
        self._by = {(f.level, f.code, f.indicator, f.period): f for f in direct.values()}
        self._spread(catalogue)
        self.tables = {}  # (indicator, period) → ValueTable, filled by indicator_values
        self._periods, self._codes = {}, {}  # indicator → periods; (indicator, period) → unit codes
        for level, code, key, period in self._by:
            self._periods.setdefault(key, set()).add(period)
            if level == UNIT:
                self._codes.setdefault((key, period), set()).add(code)

    def _spread(self, catalogue):
        """A value decided for a span (valid_for) holds in each of its years; a status (carry_forward)
        holds until replaced, up to the last period of the era, and is marked as carried."""
        last = max((p for (_, _, _, p) in self._by), default=None)
        for ind in catalogue:
            if not (ind.valid_for or ind.carry_forward):
                continue
            own = sorted((f for f in self._by.values() if f.indicator == ind.key and f.level == UNIT),
                         key=lambda f: f.period)
            for fig in own:
                if ind.valid_for and ind.valid_for[0] <= fig.period <= ind.valid_for[1]:
                    for year in range(ind.valid_for[0], ind.valid_for[1] + 1):
                        self._by.setdefault((UNIT, fig.code, ind.key, year), replace(fig, period=year))
            if ind.carry_forward:
                for fig in own:
                    for year in range(fig.period + 1, last + 1):
                        key = (UNIT, fig.code, ind.key, year)
                        held = self._by.get(key)
                        if held is not None and not isinstance(held, CarriedFigure):
                            break
                        plain = {f.name: getattr(fig, f.name) for f in fields(Figure)}
                        self._by[key] = CarriedFigure(**{**plain, "period": year}, carried_from=fig.period)

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


def indicator_values(store, catalogue, key, period=None, vintage=None, index=None):
    vintage = vintage or eras.default_era().key
    indicator = catalogue.get(key)
    index = index or figure_index(store, catalogue, vintage)
    attribution = [s["attribution"] for s in store.sources() if s["vintage"] == vintage]
    if _not_aggregated(index, indicator):
        return _not_aggregated_table(store, catalogue, indicator, period, index, attribution)
    periods = index.periods(indicator)
    period = _check_period(period, periods, lambda p: index.coverage(indicator, p),
                           where=f"{indicator.key} in era {vintage}")
    table = index.tables.get((indicator.key, period))
    if table is None or table.indicator is not indicator:
        rows = [_unit_value(index, indicator, unit, period) for unit in index.units]
        if not indicator.qualitative:
            _rank(rows, indicator)
        table = ValueTable(indicator, vintage, period, periods, rows,
                           _district_value(index, indicator, period, rows), attribution)
        index.tables[(indicator.key, period)] = table
    return table


def _not_aggregated(index, indicator):
    """A status (or a rate published without its parts) of the former communes asked in the 2025 era,
    with none recorded there."""
    return ((indicator.kind == "categorical" or indicator.reported_only) and eras.previous(index.vintage)
            is not None and not index.periods(indicator))


def _not_aggregated_table(store, catalogue, indicator, period, index, attribution):
    """The 2025 communes without values, over the former communes' periods, saying why."""
    before = eras.previous(index.vintage).key
    periods = figure_index(store, catalogue, before).periods(indicator)
    period = _check_period(period, periods, lambda p: p, where=f"{indicator.key} in era {before}")
    return ValueTable(indicator, index.vintage, period, periods, [ValueRow(unit=u) for u in index.units],
                      ValueRow(), attribution, not_aggregated=True)


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


def _from_figure(fig, unit=None, indicator=None):
    return ValueRow(fig.value, None, fig.denominator, fig.status, fig.source, fig.note, unit,
                    as_of=fig.as_of, carried_forward=isinstance(fig, CarriedFigure),
                    category=indicator.category(fig.value) if indicator else None,
                    standard=indicator.standard(fig.period) if indicator else None)


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
    return _from_figure(fig, unit, indicator) if fig else ValueRow(unit=unit)


def _district_value(index, indicator, period, rows):
    lookup = lambda key: index.get(DISTRICT, index.parent_code, key, period)  # noqa: E731
    if indicator.kind == "categorical":
        return ValueRow()  # a status belongs to a commune; the legend counts them
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
    return Figure(index.vintage, DISTRICT, index.parent_code, key, period, sum(f.value for f in figs),
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


def latest_value(store, catalogue, key, code, vintage=None, index=None):
    """The commune's most recent value of an indicator (a ValueRow: category, value, as_of, source),
    or None when no figure was ever recorded; e.g. latest_value(..., "ethnic_area_class", "04132")."""
    indicator = catalogue.get(key)
    index = index or figure_index(store, catalogue, vintage or eras.default_era().key)
    unit = next((u for u in index.units if u.code == code), None)
    if unit is None:
        return None
    for period in reversed(index.periods(indicator)):
        row = _unit_value(index, indicator, unit, period)
        if row.value is not None:
            return row
    return None
