"""Validating a Table into a Report: the header is found, the layout recognised (wide: one column per
indicator; long: code, indicator, period, value), every cell checked, then checks across cells
(numerator above denominator, far from the previous period) and the changes against the store.
Every problem names its row and column; warnings never block."""
import math
import re
from datetime import date, datetime, time as dtime

from .. import eras
from ..errors import AmbiguousName, UnknownName
from ..figures import UNIT, Figure
from ..text import fold, nfc
from ..units import DEFAULT_VINTAGE, UNIT_TYPES, VINTAGES, NameMatcher
from .cells import (_blank, _code_text, _plain, _present, decimal_convention, decimal_evidence, parse_number,
                    read_both_ways)
from .header import HEADER_SEARCH, _Indicators, _find_header, _norm, column_letter
from .read import META_SHEET
from .report import Candidate, Report

MIN_PERIOD = 2000
MAX_TEXT = 1_000                  # source and note
MAX_ERRORS = 200                  # a file past this many errors has one cause; its list would only bury it
FAR = 3.0                         # a value 3× above or below the previous period is worth a warning
FAR_POINTS = 30.0                 # the same for a percentage, in points

_TOTALS = ("tong", "cong", "toan huyen", "total", "sum")
_YES = {"1", "co", "yes", "y", "x", "true", "dat", "roi", "v", "✓"}
_NO = {"0", "khong", "no", "n", "false", "chua", "chua dat"}
_TYPE_WORDS = {"xa": "xa", "x": "xa", "thi tran": "thi_tran", "thi_tran": "thi_tran", "tt": "thi_tran",
               "phuong": "phuong", "p": "phuong"}


def category_value(ind, cell):
    """The stored value of a category written by its key or its Vietnamese or English label, in any case,
    with or without diacritics ('III', 'khu vuc iii', 'Nông thôn mới nâng cao'); None if none matches."""
    text = _norm(cell if isinstance(cell, str) else _plain(cell))
    for position, category in enumerate(ind.categories, 1):
        names = (category.key, category.label_vi, category.label_en)
        # a label may be written without its gloss: 'Khu vực III' for 'Khu vực III (đặc biệt khó khăn)'
        if text in {_norm(form) for name in names for form in (name, re.sub(r"\([^)]*\)", " ", name))}:
            return float(position)
    return None


def validate(table, declared, units, catalogue, lookup=None, crosswalk=None, today=None):
    """The report of one table. units: {vintage: [Unit]}; lookup(level, code, indicator, period) → the
    current Figure or None; crosswalk: [{old_code, new_code}] for hints about merged communes."""
    return _Validator(table, declared, units, catalogue, lookup, crosswalk, today).run()


class _Validator:
    def __init__(self, table, declared, units, catalogue, lookup, crosswalk, today):
        self.table, self.declared, self.catalogue = table, declared, catalogue
        self.units = units
        self.lookup = lookup or (lambda *_: None)
        self.crosswalk = {r["old_code"]: r["new_code"] for r in (crosswalk or [])}
        self.max_period = (today or date.today()).year
        self.report = Report(kind=table.kind, encoding=table.encoding, delimiter=table.delimiter,
                             sheet=table.sheet)
        self.indicators = _Indicators(catalogue)
        self.seen = {}

    def run(self):
        rep = self.report
        for note in self.table.notes:
            rep.add(note)
        self._declaration()
        index, roles = _find_header(self.table.rows, self.indicators)
        if index is None:
            rep.add("no_header", limit=HEADER_SEARCH)
            return rep
        header_row, headers = self.table.rows[index]
        data = self.table.rows[index + 1:]
        columns = self._columns(header_row, headers, roles, data)
        rep.layout = "long" if {"indicator", "value"} <= set(columns) else "wide"
        texts = self._value_texts(columns, data)
        rep.decimal = decimal_convention(texts)
        self.decimal_shown = decimal_evidence(texts)
        if rep.vintage is None:
            return rep
        self.matcher = NameMatcher(self.units.get(rep.vintage, []))
        others = [v for v in VINTAGES if v != rep.vintage]
        self.other_matchers = {v: NameMatcher(self.units.get(v, [])) for v in others}
        if rep.period is None and "period" not in columns:
            rep.add("missing_period")
        for number, values in data:
            if all(_blank(v) for v in values):
                continue
            if len(rep.errors) >= MAX_ERRORS:
                rep.add("too_many_errors", number, limit=MAX_ERRORS)
                break
            rep.rows_read += 1
            self._row(number, values, columns)
        self._cross_checks()
        if not rep.candidates and not rep.errors:
            rep.add("no_values")
        self._changes()
        place = lambda p: (p.row or 0, len(p.column or ""), p.column or "")  # noqa: E731
        rep.errors.sort(key=place)
        rep.warnings.sort(key=place)
        return rep

    # -- what the uploader declared, and the template's own vintage and period --

    def _declaration(self):
        rep, dec, meta = self.report, self.declared, self.table.meta
        rep.status = dec.status
        if dec.status not in ("official", "reported"):
            rep.add("bad_status", value=dec.status)
        rep.source, rep.note = nfc(dec.source or ""), nfc(dec.note or "")
        if not rep.source:
            rep.add("missing_source")
        for name, text in (("source", rep.source), ("note", rep.note)):
            if len(text) > MAX_TEXT:
                rep.add("too_long", field=name, limit=MAX_TEXT)
        declared_vintage = (dec.vintage or "").strip() or None
        file_vintage = str(meta.get("vintage") or "").strip() or None
        if declared_vintage and declared_vintage not in VINTAGES:
            rep.add("bad_vintage", value=declared_vintage, choices=", ".join(VINTAGES))
            declared_vintage = None
        if file_vintage and file_vintage not in VINTAGES:
            file_vintage = None
        if declared_vintage and file_vintage and declared_vintage != file_vintage:
            rep.add("vintage_mismatch", value=file_vintage, expected=declared_vintage,
                    header=f"{self.table.sheet or ''} / {META_SHEET}")
        rep.vintage = declared_vintage or file_vintage or (None if dec.vintage else DEFAULT_VINTAGE)
        declared_period = self._period(dec.period, None, None, None) if _present(dec.period) else None
        file_period = self._period(meta.get("period"), None, None, None) if _present(meta.get("period")) else None
        if declared_period and file_period and declared_period != file_period:
            rep.add("period_mismatch", value=file_period, expected=declared_period)
        rep.period = declared_period or file_period

    def _period(self, value, row, column, header):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        found = re.fullmatch(r"(?:năm|nam|year)?\s*(\d{4})(?:\.0)?", text, re.IGNORECASE)
        if not found:
            self.report.add("bad_period", row, column, header, value=text)
            return None
        period = int(found.group(1))
        if not MIN_PERIOD <= period <= self.max_period:
            self.report.add("period_out_of_range", row, column, header, value=period, low=MIN_PERIOD,
                            high=self.max_period)
            return None
        return period

    # -- the columns --

    def _columns(self, header_row, headers, roles, data):
        """{role: (index, header)} for the commune and meta columns, and
        {'indicators': [(index, indicator, header)]} for the indicator columns."""
        rep = self.report
        width = len(headers) if self.table.kind == "csv" else max([len(headers)] + [len(v) for _, v in data])
        self.header_width = len(headers)
        columns, first = {"indicators": []}, {}
        long = {r[0] for r in roles if r} >= {"indicator", "value"}
        for index in range(width):
            text = headers[index] if index < len(headers) else None
            role = roles[index] if index < len(roles) else None
            letter = column_letter(index)
            if role is None:
                has_data = any(index < len(v) and not _blank(v[index]) for _, v in data)
                if _blank(text):
                    if has_data:
                        rep.add("unnamed_column", header_row, letter, col=letter)
                elif long or not has_data:
                    rep.add("ignored_column", header_row, letter, str(text), value=text, col=letter)
                else:
                    rep.add("unknown_indicator", header_row, letter, str(text), value=text,
                            suggestions=", ".join(self.indicators.suggest(text)))
                continue
            kind, ind = role
            if kind == "ignore" or (long and kind == "indicator_column"):
                if long and kind == "indicator_column":
                    rep.add("ignored_column", header_row, letter, str(text), value=text, col=letter)
                continue
            name = ind.key if ind else kind
            if name in first:
                rep.add("duplicate_column", header_row, letter, str(text), value=text, col=letter,
                        first=first[name])
                continue
            first[name] = letter
            if ind:
                if ind.district_only:
                    rep.add("district_only", header_row, letter, str(text), value=ind.key)
                    continue
                columns["indicators"].append((index, ind, str(text)))
            else:
                columns[kind] = (index, str(text))
        return columns

    def _value_texts(self, columns, data):
        indexes = [i for i, _, _ in columns["indicators"]]
        indexes += [columns[k][0] for k in ("value", "denominator") if k in columns]
        return [v[i] for _, v in data for i in indexes if i < len(v) and isinstance(v[i], str)]

    # -- one row --

    def _cell(self, values, columns, role):
        if role not in columns:
            return None, None, None
        index, header = columns[role]
        return (values[index] if index < len(values) else None), column_letter(index), header

    def _row(self, number, values, columns):
        rep = self.report
        if self.table.kind == "csv" and any(not _blank(v) for v in values[self.header_width:]):
            rep.add("too_many_fields", number, column_letter(self.header_width),
                    fields=len(values), columns=self.header_width)
            return
        unit = self._unit(number, values, columns)
        if unit is False:
            return
        period = rep.period
        cell, letter, header = self._cell(values, columns, "period")
        if not _blank(cell):
            period = self._period(cell, number, letter, header)
        elif period is None and letter:
            rep.add("missing_period", number, letter, header)
        cell, letter, header = self._cell(values, columns, "vintage")
        if not _blank(cell):
            given = _vintage_word(cell)
            if given != rep.vintage:
                rep.add("vintage_mismatch", number, letter, header, value=cell, expected=rep.vintage)
        note, _, _ = self._cell(values, columns, "note")
        note = nfc(str(note)) if not _blank(note) else rep.note
        source, _, _ = self._cell(values, columns, "source")
        source = nfc(str(source)) if not _blank(source) else rep.source
        if rep.layout == "wide":
            for index, ind, header in columns["indicators"]:
                cell = values[index] if index < len(values) else None
                self._value(number, column_letter(index), header, cell, ind, unit, period, note, source)
        else:
            cell, letter, header = self._cell(values, columns, "indicator")
            ind = self.indicators.find(cell) if not _blank(cell) else None
            if ind is None:
                hint = self.indicators.suggest(cell) if not _blank(cell) else []
                rep.add("unknown_indicator", number, letter, header, value=cell, suggestions=", ".join(hint))
                return
            if ind.district_only:
                rep.add("district_only", number, letter, header, value=ind.key)
                return
            value_cell, letter, header = self._cell(values, columns, "value")
            den_cell, den_letter, den_header = self._cell(values, columns, "denominator")
            denominator = None
            if not _blank(den_cell):
                denominator = self._number(number, den_letter, den_header, den_cell)
                if denominator is not None and denominator < 0:
                    rep.add("negative_value", number, den_letter, den_header, value=den_cell)
                    denominator = None
            self._value(number, letter, header, value_cell, ind, unit, period, note, source, denominator)

    def _unit(self, number, values, columns):
        """The row's Unit; None when it cannot be known (an error is recorded); False to skip the row."""
        rep = self.report
        code, code_letter, code_header = self._cell(values, columns, "code")
        name, name_letter, name_header = self._cell(values, columns, "name")
        kind, kind_letter, kind_header = self._cell(values, columns, "unit_type")
        unit_type = None
        if not _blank(kind):
            unit_type = _TYPE_WORDS.get(_norm(kind)) or next(
                (k for k, label in UNIT_TYPES.items() if _norm(label) == _norm(kind)), None)
            if unit_type is None:
                rep.add("bad_unit_type", number, kind_letter, kind_header, value=kind)
        code_text = _code_text(code)
        if _blank(code_text) and _blank(name):
            rep.add("missing_commune", number, code_letter or name_letter, code_header or name_header)
            return None
        for text in (name, code_text):
            if not _blank(text) and not re.fullmatch(r"\d+", str(text)) and \
                    fold(str(text)).startswith(_TOTALS) and not self._known_name(text):
                rep.add("total_row", number, name_letter or code_letter, name_header or code_header, value=text)
                return False
        unit = None
        if not _blank(code_text):
            unit = self._by_code(number, code_letter, code_header, code_text, unit_type)
            if unit and not _blank(name):
                self._check_name(number, name_letter, name_header, name, unit, unit_type)
            return unit
        return self._by_name(number, name_letter, name_header, name, unit_type)

    def _known_name(self, text):
        try:
            self.matcher.resolve(str(text))
        except AmbiguousName:
            return True
        except UnknownName:
            return False
        return True

    def _by_code(self, number, letter, header, code, unit_type):
        found = {u.code: u for u in self.matcher.units}.get(code)
        if found:
            return found
        if not re.fullmatch(r"\d+", code):  # a name in the code column
            return self._by_name(number, letter, header, code, unit_type)
        for vintage, matcher in self.other_matchers.items():
            other = {u.code: u for u in matcher.units}.get(code)
            if other:
                self._not_in_vintage(number, letter, header, code, other, vintage)
                return None
        self.report.add("unknown_code", number, letter, header, value=code, vintage=self.report.vintage)
        return None

    def _by_name(self, number, letter, header, name, unit_type):
        rep = self.report
        try:
            return self.matcher.resolve(str(name), unit_type)
        except AmbiguousName as exc:
            rep.add("ambiguous_name", number, letter, header, value=name,
                    candidates=" / ".join(f"{u.full_name} ({u.code})" for u in exc.candidates))
            return None
        except UnknownName as exc:
            for vintage, matcher in self.other_matchers.items():
                try:
                    other = matcher.resolve(str(name), unit_type)
                except (UnknownName, AmbiguousName):
                    continue
                self._not_in_vintage(number, letter, header, name, other, vintage)
                return None
            rep.add("unknown_commune", number, letter, header, value=name,
                    suggestions=", ".join(exc.suggestions))
            return None

    def _not_in_vintage(self, number, letter, header, text, other, vintage):
        merged_into = ""
        new_code = self.crosswalk.get(other.code)
        before = eras.previous(self.report.vintage)
        if before is not None and before.key == vintage and new_code:
            new = {u.code: u for u in self.matcher.units}.get(new_code)
            if new:
                merged_into = f"{new.full_name} ({new.code})"
        self.report.add("unit_not_in_vintage", number, letter, header, value=f"{text} ({other.full_name})",
                        other=vintage, vintage=self.report.vintage, merged_into=merged_into)

    def _check_name(self, number, letter, header, name, unit, unit_type):
        try:
            named = self.matcher.resolve(str(name), unit_type or unit.unit_type)
        except AmbiguousName as exc:
            named = unit if unit in exc.candidates else exc.candidates[0]
        except UnknownName:
            try:
                self.matcher.resolve(str(name))
            except AmbiguousName as exc:
                if unit in exc.candidates:
                    return
            except UnknownName:
                self.report.add("unknown_name_with_code", number, letter, header, value=name, code=unit.code,
                                unit=unit.full_name)
                return
            named = None
        if named is None or named.key != unit.key:
            self.report.add("code_name_mismatch", number, letter, header, value=name, code=unit.code,
                            unit=unit.full_name)

    def _number(self, number, letter, header, cell):
        rep = self.report
        if isinstance(cell, bool):
            return 1.0 if cell else 0.0
        if isinstance(cell, (int, float)):
            if isinstance(cell, float) and not math.isfinite(cell):
                rep.add("not_a_number", number, letter, header, value=cell)
                return None
            return float(cell)
        if isinstance(cell, (datetime, date, dtime)):
            rep.add("date_not_number", number, letter, header, value=cell)
            return None
        parsed = parse_number(cell, rep.decimal)
        if parsed is None:
            rep.add("not_a_number", number, letter, header, value=cell)
        return parsed

    def _ambiguous(self, number, letter, header, cell, ind, value):
        """1.500 km read as 1500 when nothing in the file shows its decimal sign: say so (a count is
        whole, so 1.500 households can only be 1500)."""
        if self.decimal_shown or ind.kind == "count" or not isinstance(cell, str):
            return
        other = read_both_ways(cell)
        if other is not None and other != value:
            self.report.add("ambiguous_decimal", number, letter, header, value=cell.strip(),
                            thousands=_plain(value), decimal=_plain(other),
                            comma=f"{_plain(other)}".replace(".", ","))

    def _value(self, number, letter, header, cell, ind, unit, period, note, source, denominator=None):
        rep = self.report
        if _blank(cell):
            rep.blank_cells += 1
            return
        if ind.kind == "categorical":
            value = category_value(ind, cell)
            if value is None:
                return rep.add("unknown_category", number, letter, header,
                               value=cell if isinstance(cell, str) else _plain(cell),
                               of=ind.label_en, choices="; ".join(c.label_en for c in ind.categories))
        elif ind.kind == "boolean" and isinstance(cell, str) and _norm(cell) in _YES | _NO:
            value = 1.0 if _norm(cell) in _YES else 0.0
        else:
            value = self._number(number, letter, header, cell)
        if value is None:
            return
        shown = cell if isinstance(cell, str) else _plain(value)
        self._ambiguous(number, letter, header, cell, ind, value)
        if ind.kind == "count" and value < 0:
            return rep.add("negative_count", number, letter, header, value=shown)
        if ind.kind == "count" and not value.is_integer():
            return rep.add("not_whole", number, letter, header, value=shown)
        if ind.kind == "length_km" and value < 0:
            return rep.add("negative_value", number, letter, header, value=shown)
        if ind.kind == "percent" and not 0 <= value <= 100:
            return rep.add("percent_out_of_range", number, letter, header, value=shown)
        if ind.kind == "boolean" and value not in (0.0, 1.0) and denominator is None:
            return rep.add("not_boolean", number, letter, header, value=shown)
        if denominator is not None and value > denominator:
            return rep.add("numerator_above_denominator", number, letter, header, value=_plain(value),
                           numerator=ind.key, denominator="denominator", other=_plain(denominator),
                           unit=unit.full_name if unit else "")
        if unit is None or period is None:
            return
        if ind.applies_to and unit.unit_type not in ind.applies_to:
            return rep.add("not_applicable", number, letter, header, value=shown, indicator=ind.key,
                           types=", ".join(UNIT_TYPES.get(t, t) for t in ind.applies_to),
                           unit=unit.full_name, type=UNIT_TYPES.get(unit.unit_type, unit.unit_type))
        key = (unit.code, ind.key, period)
        if key in self.seen:
            first = self.seen[key]
            same = first.figure.value == value and first.figure.denominator == denominator
            rep.add("duplicate_same" if same else "duplicate_row", number, letter, header, value=shown,
                    unit=unit.full_name, indicator=ind.key, period=period, first=first.row,
                    other=_plain(first.figure.value))
            return
        figure = Figure(rep.vintage, UNIT, unit.code, ind.key, period, value, rep.status, source, note,
                        denominator)
        candidate = Candidate(figure, number, letter, unit, header)
        self.seen[key] = candidate
        rep.candidates.append(candidate)

    # -- checks across cells --

    def _cross_checks(self):
        rep = self.report
        given = {(c.unit.code, c.figure.indicator, c.figure.period): c for c in rep.candidates}
        for ind in self.catalogue:
            if not (ind.numerator and ind.denominator):
                continue
            for (code, key, period), num in list(given.items()):
                if key != ind.numerator:
                    continue
                den = given.get((code, ind.denominator, period))
                if den is not None:
                    if num.figure.value > den.figure.value:
                        rep.add("numerator_above_denominator", num.row, num.column, num.header,
                                value=_plain(num.figure.value), numerator=ind.numerator,
                                denominator=ind.denominator, other=_plain(den.figure.value),
                                unit=num.unit.full_name)
                    continue
                current = self.lookup(UNIT, code, ind.denominator, period)
                if current is not None and num.figure.value > current.value:
                    rep.add("numerator_above_current", num.row, num.column, num.header,
                            value=_plain(num.figure.value), numerator=ind.numerator,
                            denominator=ind.denominator, other=_plain(current.value), unit=num.unit.full_name)
            for (code, key, period), den in list(given.items()):
                if key != ind.denominator or (code, ind.numerator, period) in given:
                    continue
                current = self.lookup(UNIT, code, ind.numerator, period)
                if current is not None and current.value > den.figure.value:
                    rep.add("denominator_below_current", den.row, den.column, den.header,
                            value=_plain(den.figure.value), numerator=ind.numerator,
                            denominator=ind.denominator, other=_plain(current.value), unit=den.unit.full_name)
        for cand in rep.candidates:
            fig = cand.figure
            ind = self.catalogue.get(fig.indicator)
            if ind.qualitative:
                continue
            for previous in range(fig.period - 1, MIN_PERIOD - 1, -1):
                before = self.lookup(UNIT, fig.code, fig.indicator, previous)
                if before is not None:
                    if _far(before.value, fig.value, ind.kind):
                        rep.add("far_from_previous", cand.row, cand.column, cand.header, value=_plain(fig.value),
                                other=_plain(before.value), previous=previous, unit=cand.unit.full_name)
                    break

    def _changes(self):
        rep = self.report
        for cand in rep.candidates:
            fig = cand.figure
            current = self.lookup(UNIT, fig.code, fig.indicator, fig.period)
            if current is None:
                change = "new"
            elif current.value == fig.value and current.denominator == fig.denominator:
                change = "same"
            else:
                change = "changed"
            rep.changes.append({"row": cand.row, "column": cand.column, "code": fig.code,
                                "name": cand.unit.full_name, "indicator": fig.indicator, "period": fig.period,
                                "value": _plain(fig.value), "denominator": _plain(fig.denominator),
                                "current": None if current is None else _plain(current.value),
                                "current_status": None if current is None else current.status,
                                "current_source": None if current is None else current.source,
                                "change": change,
                                "categorical": self.catalogue.get(fig.indicator).kind == "categorical"})
        order = {"changed": 0, "new": 1, "same": 2}
        rep.changes.sort(key=lambda c: (order[c["change"]], c["indicator"], c["period"], c["code"]))


def _far(before, after, kind):
    if kind == "percent":
        return abs(after - before) >= FAR_POINTS
    if before <= 0 or after <= 0:
        return (before == 0) != (after == 0) and max(before, after) >= 10
    ratio = after / before
    return ratio >= FAR or ratio <= 1 / FAR


def _vintage_word(value):
    word = _norm(value)
    if word in VINTAGES:
        return word
    named = eras.from_word(word)
    return named.key if named else word
