"""Uploads of commune figures: reading the CSV and XLSX files that offices send, and a validation report.

Plain Python, no Flask. Three steps:

- read_table(bytes) → Table: any of UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
  Windows-1258; comma, semicolon or tab delimiters; or an XLSX workbook (checked for zip bombs,
  encryption and damage before openpyxl opens it). A file that cannot be read raises Unreadable.
- validate(table, declared, units, catalogue, lookup) → Report: the header is found (title rows
  above it are skipped), the layout recognised (wide: one column per indicator; long: code,
  indicator, period, value), every cell checked. Every problem names its row and column.
- Report.ok: no error and at least one value. Warnings never block.

template_xlsx() writes the workbook offices fill in.
"""
import csv
import difflib
import hashlib
import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime

from .errors import AmbiguousName, MaisonError, UnknownName
from .figures import UNIT, Figure
from .text import fold, nfc
from .units import UNIT_TYPES, VINTAGES, NameMatcher

MIN_PERIOD = 2000
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_UNZIPPED = 64 * 1024 * 1024   # all parts of an XLSX together, uncompressed
MAX_RATIO = 200                   # uncompressed / compressed size of one part
MAX_PARTS = 2_000
MAX_TEXT = 1_000                  # source and note
HEADER_SEARCH = 15                # rows looked at for the header
META_SHEET = "_maison"
DATA_SHEET = "Số liệu"
HELP_SHEET = "Hướng dẫn"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FAR = 3.0                         # a value 3× above or below the previous period is worth a warning
FAR_POINTS = 30.0                 # the same for a percentage, in points

# What each problem says. The web layer translates these texts (they are msgids); params fill them.
MESSAGES = {
    # the file itself
    "empty_file": "The file is empty.",
    "encrypted_or_xls": "This is an encrypted workbook or an old .xls file: save it in Excel as .xlsx without a password, or as CSV.",
    "bad_xlsx": "The workbook could not be read (%(detail)s): open it in Excel, save it again as .xlsx, or save it as CSV.",
    "not_xlsx": "This zip file is not an Excel workbook (.xlsx): save the sheet as .xlsx or CSV.",
    "zip_bomb": "The workbook unpacks to far more data than a table of communes (%(detail)s); it was not opened.",
    "not_text": "The file is neither CSV nor XLSX (it contains binary data): save the sheet as .xlsx or CSV.",
    "unknown_encoding": "The text encoding of the file is not recognised: save it as CSV UTF-8.",
    "too_many_rows": "The file has more than %(limit)s rows; split it.",
    "too_many_columns": "The file has more than %(limit)s columns.",
    "not_utf8": "The file is not UTF-8; it was read as Windows-1258. Check that the names look right.",
    # the header
    "no_header": "No header row was found in the first %(limit)s rows: it must name the columns, e.g. code, name and one column per indicator, or code, indicator, period, value.",
    "unknown_indicator": "Unknown indicator %(value)s.",
    "district_only": "%(value)s is a district figure; it cannot be given per commune.",
    "duplicate_column": "Column %(col)s repeats column %(first)s (%(value)s).",
    "unnamed_column": "Column %(col)s has values but no header.",
    "too_many_fields": "This row has %(fields)s fields but the header has %(columns)s: a decimal comma in a comma-separated file must be in quotes (\"1,5\"), or use ; as the delimiter.",
    "ignored_column": "Column %(col)s (%(value)s) is not used.",
    # what the uploader declared
    "bad_status": "Status %(value)s is not valid: choose official or reported.",
    "missing_source": "Give the source of these figures (e.g. the report and its date).",
    "too_long": "%(field)s is longer than %(limit)s characters.",
    "bad_vintage": "Era %(value)s is not valid: choose pre2025 or post2025.",
    "vintage_mismatch": "The file is for era %(value)s but the upload is for era %(expected)s.",
    "period_mismatch": "The file is for %(value)s but the upload is for %(expected)s.",
    "missing_period": "No year: choose the year of the figures, or add a column “period” (năm).",
    "bad_period": "Year %(value)s is not a year.",
    "period_out_of_range": "Year %(value)s is outside %(low)s–%(high)s.",
    "no_values": "The file has no values to import.",
    # rows
    "missing_commune": "No commune code or name in this row.",
    "unknown_commune": "No commune is called %(value)s.",
    "unknown_code": "No commune has the code %(value)s in era %(vintage)s.",
    "ambiguous_name": "%(value)s is ambiguous: %(candidates)s; give the unit type or the code.",
    "unit_not_in_vintage": "%(value)s is a commune of era %(other)s, not of era %(vintage)s.",
    "code_name_mismatch": "Code %(code)s is %(unit)s but the name says %(value)s.",
    "unknown_name_with_code": "Name %(value)s was not recognised; code %(code)s (%(unit)s) was used.",
    "bad_unit_type": "Unit type %(value)s is not valid: write xã, thị trấn or phường.",
    "total_row": "Row looks like a total (%(value)s) and was skipped.",
    "duplicate_row": "%(unit)s, %(indicator)s, %(period)s is also given in row %(first)s (%(other)s) with another value.",
    "duplicate_same": "%(unit)s, %(indicator)s, %(period)s repeats row %(first)s with the same value.",
    # values
    "not_a_number": "%(value)s is text where a number belongs.",
    "date_not_number": "%(value)s is a date where a number belongs.",
    "not_boolean": "%(value)s: write 1 (yes) or 0 (no).",
    "negative_count": "%(value)s: a count cannot be negative.",
    "negative_value": "%(value)s: a length cannot be negative.",
    "not_whole": "%(value)s: a count must be a whole number.",
    "percent_out_of_range": "%(value)s: a percentage must be between 0 and 100.",
    "not_applicable": "%(indicator)s applies only to %(types)s; %(unit)s is a %(type)s.",
    "numerator_above_denominator": "%(numerator)s (%(value)s) is above %(denominator)s (%(other)s) for %(unit)s.",
    "numerator_above_current": "%(numerator)s (%(value)s) is above the current %(denominator)s (%(other)s) for %(unit)s.",
    "denominator_below_current": "%(denominator)s (%(value)s) is below the current %(numerator)s (%(other)s) for %(unit)s.",
    "far_from_previous": "%(value)s is far from %(other)s in %(previous)s for %(unit)s.",
}
# Added after a message when its parameter is given.
EXTRAS = {"suggestions": "Did you mean: %(suggestions)s?",
          "merged_into": "Since 1 July 2025 it is part of %(merged_into)s."}
WARNINGS = {"not_utf8", "ignored_column", "unknown_name_with_code", "total_row", "duplicate_same",
            "numerator_above_current", "denominator_below_current", "far_from_previous"}

ALIASES = {
    "code": ("code", "ma", "ma xa", "ma don vi", "ma dvhc", "ma hanh chinh", "ma so", "commune code",
             "unit code", "ma xa/thi tran", "ma xa, thi tran"),
    "name": ("name", "ten", "ten xa", "ten don vi", "xa", "commune", "unit", "don vi", "xa/thi tran",
             "xa, thi tran", "xa thi tran", "ten xa/thi tran", "ten xa, thi tran", "don vi hanh chinh",
             "commune name", "unit name", "full name", "full_name"),
    "unit_type": ("unit type", "unit_type", "type", "loai", "loai don vi", "cap"),
    "indicator": ("indicator", "chi tieu", "ma chi tieu", "ten chi tieu", "key"),
    "period": ("period", "nam", "year", "ky", "ky bao cao", "nam bao cao"),
    "value": ("value", "gia tri", "so lieu", "gia tri so lieu"),
    "denominator": ("denominator", "mau so"),
    "note": ("note", "ghi chu", "notes"),
    "source": ("source", "nguon", "nguon so lieu"),
    "vintage": ("vintage", "era", "thoi ky", "giai doan"),
    "ignore": ("stt", "tt", "no", "no.", "#", "so tt", "so thu tu"),
}
_ALIAS = {alias: role for role, names in ALIASES.items() for alias in names}
_TOTALS = ("tong", "cong", "toan huyen", "total", "sum")
_BLANKS = {"-", "–", "—", "..", "...", "…", "n/a", "na"}
_YES = {"1", "co", "yes", "y", "x", "true", "dat", "roi", "v", "✓"}
_NO = {"0", "khong", "no", "n", "false", "chua", "chua dat"}
_TYPE_WORDS = {"xa": "xa", "x": "xa", "thi tran": "thi_tran", "thi_tran": "thi_tran", "tt": "thi_tran",
               "phuong": "phuong", "p": "phuong"}


class Unreadable(MaisonError):
    """A file that cannot be read as a table at all."""
    status = 422

    def __init__(self, code, **params):
        self.problem = Problem("error", code, params={k: str(v) for k, v in params.items()})
        super().__init__(self.problem.message)


@dataclass
class Problem:
    severity: str              # "error" or "warning"
    code: str
    row: int = None            # the row as the spreadsheet numbers it (1 = first line)
    column: str = None         # the column letter, A, B, ...
    header: str = None         # the column's header text
    value: str = None          # what the cell held
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        return self.render()

    def render(self, translate=None):
        translate = translate or (lambda s: s)
        params = {"value": _quote(self.value), **self.params}
        try:
            text = translate(MESSAGES[self.code]) % params
            for key, extra in EXTRAS.items():
                if self.params.get(key):
                    text += " " + translate(extra) % params
            return text
        except (KeyError, TypeError, ValueError):
            return MESSAGES[self.code]

    def to_dict(self, translate=None):
        return {"severity": self.severity, "code": self.code, "row": self.row, "column": self.column,
                "header": self.header, "value": self.value, "message": self.render(translate),
                "params": self.params}


def _quote(value):
    return "" if value is None else f"“{value}”"


@dataclass
class Table:
    """The cells of a file: rows of (row number, [values]); column 1 is index 0."""
    rows: list
    kind: str                 # "csv" or "xlsx"
    encoding: str = None
    delimiter: str = None
    sheet: str = None
    meta: dict = field(default_factory=dict)   # from the template's hidden sheet: vintage, period
    notes: list = field(default_factory=list)  # warnings about the reading itself


@dataclass
class Declaration:
    """What the uploader says about the file."""
    vintage: str = None
    period: object = None
    status: str = "official"
    source: str = ""
    note: str = ""


@dataclass
class Candidate:
    figure: Figure
    row: int
    column: str
    unit: object
    header: str = None


@dataclass
class Report:
    file_name: str = ""
    sha256: str = ""
    size: int = 0
    kind: str = None
    encoding: str = None
    delimiter: str = None
    sheet: str = None
    layout: str = None
    decimal: str = None
    vintage: str = None
    period: int = None
    status: str = None
    source: str = ""
    note: str = ""
    rows_read: int = 0
    blank_cells: int = 0
    candidates: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.candidates)

    @property
    def figures(self):
        return [c.figure for c in self.candidates]

    def add(self, problem_code, row=None, column=None, header=None, value=None, **params):
        severity = "warning" if problem_code in WARNINGS else "error"
        problem = Problem(severity, problem_code, row, column, header, None if value is None else str(value),
                          {k: str(v) for k, v in params.items()})
        (self.warnings if severity == "warning" else self.errors).append(problem)
        return problem

    def counts(self):
        kinds = {}
        for change in self.changes:
            kinds[change["change"]] = kinds.get(change["change"], 0) + 1
        return {"rows": self.rows_read, "values": len(self.candidates), "blank_cells": self.blank_cells,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "new": kinds.get("new", 0), "changed": kinds.get("changed", 0), "same": kinds.get("same", 0)}

    def to_dict(self, translate=None):
        return {"ok": self.ok,
                "file": {"name": self.file_name, "sha256": self.sha256, "size": self.size, "kind": self.kind,
                         "encoding": self.encoding, "delimiter": self.delimiter, "sheet": self.sheet,
                         "layout": self.layout, "decimal": self.decimal},
                "vintage": self.vintage, "period": self.period, "status": self.status,
                "source": self.source, "note": self.note, "counts": self.counts(),
                "errors": [p.to_dict(translate) for p in self.errors],
                "warnings": [p.to_dict(translate) for p in self.warnings],
                "changes": self.changes}


# ---- reading ---------------------------------------------------------------------------------

def read_table(data):
    """The cells of a CSV or XLSX file; Unreadable when it is neither."""
    if not data or not data.strip():
        raise Unreadable("empty_file")
    if data[:2] == b"PK":
        return _read_xlsx(data)
    if data[:8] == OLE2:
        raise Unreadable("encrypted_or_xls")
    text, encoding, notes = _decode(data)
    return _read_text(text, encoding, notes)


def _decode(data):
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1::2].count(0) > 0.3 * len(data) / 2:
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0::2].count(0) > 0.3 * len(data) / 2:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
        head = data[:8192]
        if sum(1 for b in head if b < 32 and b not in (9, 10, 13)) > max(2, len(head) // 200):
            raise Unreadable("not_text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise Unreadable("unknown_encoding") from None
        try:
            text, encoding = data.decode("cp1258"), "windows-1258"
            notes.append("not_utf8")
        except UnicodeDecodeError:
            raise Unreadable("unknown_encoding") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or controls > max(2, len(text) // 200) or text.startswith("%PDF"):
        raise Unreadable("not_text")
    return text.lstrip("\ufeff"), encoding, notes


def _read_text(text, encoding, notes):
    lines = text.splitlines()
    offset = 0
    delimiter = None
    if lines and re.fullmatch(r'"?sep=(.)"?', lines[0].strip()):
        delimiter = re.fullmatch(r'"?sep=(.)"?', lines[0].strip()).group(1)
        text = "\n".join(lines[1:])
        offset = 1
    delimiter = delimiter or _sniff(text)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1 + offset):
            if len(rows) >= MAX_ROWS:
                raise Unreadable("too_many_rows", limit=MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise Unreadable("too_many_columns", limit=MAX_COLUMNS)
            rows.append((number, [nfc(c) if c.strip() else None for c in cells]))
    except csv.Error as exc:
        raise Unreadable("bad_xlsx", detail=f"CSV: {exc}") from None
    return Table(rows, "csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _sniff(text):
    """The delimiter that splits the first lines most consistently into more than one field."""
    sample = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", None
    for preference, delimiter in enumerate(("\t", ";", ",")):
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(sample)), delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (mode > 1, counts.count(mode) / len(counts), mode > 1 and -preference)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (a damaged version field), ...
        raise Unreadable("bad_xlsx", detail=_short(f"not a valid zip: {exc}")) from None
    if len(infos) > MAX_PARTS:
        raise Unreadable("zip_bomb", detail=f"{len(infos)} parts")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise Unreadable("zip_bomb", detail=f"{total // (1024 * 1024)} MB unpacked")
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise Unreadable("zip_bomb", detail=f"{info.filename} is compressed {ratio}×")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise Unreadable("not_xlsx")
    import openpyxl
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _workbook_table(book)
            finally:
                book.close()
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise Unreadable("bad_xlsx", detail=_short(f"{type(exc).__name__}: {exc}")) from None


def _short(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _workbook_table(book):
    meta = {}
    if META_SHEET in book.sheetnames:
        for row in book[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
            if row and row[0]:
                meta[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    sheets = [ws for ws in book.worksheets if ws.title != META_SHEET and ws.sheet_state == "visible"]
    if not sheets:
        sheets = [ws for ws in book.worksheets if ws.title != META_SHEET]
    if not sheets:
        raise Unreadable("no_header", limit=HEADER_SEARCH)
    chosen = None
    for ws in sheets:
        rows = _sheet_rows(ws)
        if _names_a_commune_column(rows):
            chosen = (ws, rows)
            break
        chosen = chosen or (ws, rows)
    ws, rows = chosen
    return Table(rows, "xlsx", sheet=ws.title, meta=meta)


def _sheet_rows(ws):
    rows, empty_run = [], 0
    for number, values in enumerate(ws.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS + 1,
                                                 values_only=True), start=1):
        values = list(values)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if not values:
            empty_run += 1
            if empty_run > 1000:  # a sheet that claims a million empty rows
                break
            continue
        empty_run = 0
        if len(values) > MAX_COLUMNS:
            raise Unreadable("too_many_columns", limit=MAX_COLUMNS)
        if len(rows) >= MAX_ROWS:
            raise Unreadable("too_many_rows", limit=MAX_ROWS)
        rows.append((number, [nfc(v) if isinstance(v, str) else v for v in values]))
    return rows


# ---- the header --------------------------------------------------------------------------------

def column_letter(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm(text):
    return " ".join(fold(str(text)).replace("_", " ").strip(" :*.").split())


def _header_forms(text):
    """The ways a header may name its column: [key], the whole text, without (...), inside (...)."""
    raw = nfc(str(text))
    forms = [m.strip() for m in re.findall(r"\[([^\]]+)\]", raw)]
    bare = re.sub(r"\[[^\]]*\]", " ", raw)
    forms.append(bare)
    forms.append(re.sub(r"\([^)]*\)", " ", bare))
    forms.extend(re.findall(r"\(([^)]*)\)", bare))
    return [f for f in forms if f and f.strip()]


class _Indicators:
    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.by_form = {}
        for ind in catalogue:
            for form in (ind.key, ind.label_vi, ind.label_en):
                self.by_form.setdefault(_norm(form), ind)

    def find(self, text):
        for form in _header_forms(text):
            found = self.by_form.get(_norm(form))
            if found:
                return found
        return None

    def suggest(self, text):
        names = {_norm(i.key): i.key for i in self.catalogue}
        names.update({_norm(i.label_vi): i.key for i in self.catalogue})
        forms = [_norm(f) for f in _header_forms(text)]
        close = []
        for form in forms:
            close += difflib.get_close_matches(form, list(names), n=3, cutoff=0.6)
        return list(dict.fromkeys(names[c] for c in close))[:3]


def _role(text, indicators):
    """('code'|'name'|...|'indicator_column', indicator or None) for a header cell; None if unknown."""
    if text is None or str(text).strip() == "":
        return None
    forms = _header_forms(text)
    for form in forms[:1] if "[" in str(text) else []:   # an explicit [key] decides
        ind = indicators.by_form.get(_norm(form))
        if ind:
            return "indicator_column", ind
        if _norm(form) in _ALIAS:
            return _ALIAS[_norm(form)], None
    for form in forms:
        if _norm(form) in _ALIAS:
            return _ALIAS[_norm(form)], None
        ind = indicators.by_form.get(_norm(form))
        if ind:
            return "indicator_column", ind
    return None


def _find_header(rows, indicators):
    """(index into rows of the header, roles) of the first row that names a commune column and either
    indicator columns or indicator + value; (None, None) if there is none."""
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH]):
        roles = [_role(v, indicators) for v in values]
        names = {r[0] for r in roles if r}
        if names & {"code", "name"} and ("indicator_column" in names or {"indicator", "value"} <= names):
            return index, roles
    return None, None


def _names_a_commune_column(rows):
    """True when one of the first rows has a code or name header (to pick the data sheet of a workbook)."""
    for _, values in rows[:HEADER_SEARCH]:
        for value in values:
            if value is not None and any(_ALIAS.get(_norm(f)) in ("code", "name") for f in _header_forms(value)):
                return True
    return False


# ---- numbers ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _numeric_text(text):
    s = _SPACES.sub("", str(text)).replace("−", "-").rstrip("%")
    return s if re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", s) else None


def decimal_convention(texts):
    """'comma' (Vietnamese: 1.234,5) or 'dot' (1,234.5), from the number texts of a file.
    Numbers that fit both (1.234, 1,234, 12) do not count; with no evidence, the Vietnamese way."""
    comma = dot = 0
    for text in texts:
        s = _numeric_text(text)
        if s is None:
            continue
        if "," in s and "." in s:
            comma, dot = (comma + 1, dot) if s.rfind(",") > s.rfind(".") else (comma, dot + 1)
        elif "," in s and not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", s):
            if s.count(",") == 1:
                comma += 1
            else:
                dot += 1
        elif "." in s and not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", s):
            if s.count(".") == 1:
                dot += 1
            else:
                comma += 1
    return "dot" if dot > comma else "comma"


def parse_number(text, convention="comma"):
    """A float from text written with the file's convention; None when it is not a number."""
    s = _numeric_text(text)
    if s is None:
        return None
    thousands, decimal = (".", ",") if convention == "comma" else (",", ".")
    pattern = rf"[+-]?(\d{{1,3}}(\{thousands}\d{{3}})+|\d+)(\{decimal}\d+)?"
    if not re.fullmatch(pattern, s):
        return None
    return float(s.replace(thousands, "").replace(decimal, "."))


# ---- validation ----------------------------------------------------------------------------------

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
        rep.decimal = decimal_convention(self._value_texts(columns, data))
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
            rep.add("bad_vintage", value=declared_vintage)
            declared_vintage = None
        if file_vintage and file_vintage not in VINTAGES:
            file_vintage = None
        if declared_vintage and file_vintage and declared_vintage != file_vintage:
            rep.add("vintage_mismatch", value=file_vintage, expected=declared_vintage,
                    header=f"{self.table.sheet or ''} / {META_SHEET}")
        rep.vintage = declared_vintage or file_vintage or (None if dec.vintage else VINTAGES[0])
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
        if vintage == "pre2025" and new_code:
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

    def _value(self, number, letter, header, cell, ind, unit, period, note, source, denominator=None):
        rep = self.report
        if _blank(cell):
            rep.blank_cells += 1
            return
        if ind.kind == "boolean" and isinstance(cell, str) and _norm(cell) in _YES | _NO:
            value = 1.0 if _norm(cell) in _YES else 0.0
        else:
            value = self._number(number, letter, header, cell)
        if value is None:
            return
        shown = cell if isinstance(cell, str) else _plain(value)
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
            if ind.kind == "boolean":
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
                                "change": change})
        order = {"changed": 0, "new": 1, "same": 2}
        rep.changes.sort(key=lambda c: (order[c["change"]], c["indicator"], c["period"], c["code"]))


def _far(before, after, kind):
    if kind == "percent":
        return abs(after - before) >= FAR_POINTS
    if before <= 0 or after <= 0:
        return (before == 0) != (after == 0) and max(before, after) >= 10
    ratio = after / before
    return ratio >= FAR or ratio <= 1 / FAR


def _plain(number):
    if number is None:
        return None
    return int(number) if float(number).is_integer() else round(float(number), 6)


def _blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or value.strip().lower() in _BLANKS
    return False


def _present(value):
    return value is not None and str(value).strip() != ""


def _code_text(value):
    """A code as the register writes it: Excel turns 04105 into the number 4105."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,5}", text):
        return text.zfill(5)
    return text


def _vintage_word(value):
    word = _norm(value)
    if word in VINTAGES:
        return word
    if word.startswith(("pre", "truoc")):
        return "pre2025"
    if word.startswith(("post", "sau", "tu ")):
        return "post2025"
    return word


# ---- one upload against a store ---------------------------------------------------------------------

def check(data, file_name, declared, store, catalogue, today=None):
    """Read and validate an upload against the current figures of a store: the whole report."""
    from .values import FigureIndex
    report = None
    try:
        table = read_table(data)
    except Unreadable as exc:
        report = Report()
        report.errors.append(exc.problem)
        table = None
    if table is not None:
        units = {v: store.unit_records(v) for v in VINTAGES}
        validator = _Validator(table, declared, units, catalogue, None, store.crosswalk(), today)
        indexes = {}

        def lookup(level, code, key, period):
            vintage = validator.report.vintage  # known once the declaration is read
            if vintage not in indexes:
                indexes[vintage] = FigureIndex(store, catalogue, vintage)
            return indexes[vintage].get(level, code, key, period)

        validator.lookup = lookup
        report = validator.run()
    report.file_name = file_name or ""
    report.sha256 = hashlib.sha256(data or b"").hexdigest()
    report.size = len(data or b"")
    if report.status is None:
        report.status = declared.status
        report.source, report.note = nfc(declared.source or ""), nfc(declared.note or "")
        report.vintage = declared.vintage
    return report


# ---- the template ---------------------------------------------------------------------------------

def template_indicators(catalogue):
    """The indicators an office fills in: every per-commune one except the shares computed from others."""
    return [i for i in catalogue.mappable() if not (i.kind == "percent" and i.numerator)]


def template_header(ind):
    if ind.kind == "boolean":
        return f"{ind.label_vi} (1 = có, 0 = không) [{ind.key}]"
    unit = f" ({ind.unit})" if ind.unit else ""
    return f"{ind.label_vi}{unit} [{ind.key}]"


ERA_LABELS = {"pre2025": "trước 1/7/2025 (22 xã, thị trấn)", "post2025": "từ 1/7/2025 (8 xã)"}


def template_xlsx(units, catalogue, vintage, period):
    """The workbook for one era and year: a row per commune, a column per indicator, checked cells,
    instructions in Vietnamese and a hidden sheet naming the era and the year."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    indicators = template_indicators(catalogue)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    title = f"Số liệu năm {period} — thời kỳ {ERA_LABELS.get(vintage, vintage)} [{vintage}]"
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    headers = ["Mã (code)", "Tên xã (name)", "Loại (unit type)"] + [template_header(i) for i in indicators]
    grey = PatternFill("solid", fgColor="DDDDDD")
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first, last = 3, 2 + len(units)
    for offset, unit in enumerate(units):
        row = first + offset
        code = sheet.cell(row=row, column=1, value=unit.code)
        code.number_format = "@"
        sheet.cell(row=row, column=2, value=unit.name)
        sheet.cell(row=row, column=3, value=UNIT_TYPES.get(unit.unit_type, unit.unit_type))
        for col in (1, 2, 3):
            sheet.cell(row=row, column=col).fill = grey
        for index, ind in enumerate(indicators):
            if ind.applies_to and unit.unit_type not in ind.applies_to:
                cell = sheet.cell(row=row, column=4 + index)
                cell.fill = grey
                types = ", ".join(UNIT_TYPES[t] for t in ind.applies_to)
                cell.comment = Comment(f"Chỉ tiêu này chỉ áp dụng cho {types}; để trống.", "maison-geo")
    for index, ind in enumerate(indicators):
        col = 4 + index
        letter = column_letter(col - 1)
        rule = _validation(ind, DataValidation)
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{first}:{letter}{max(last, first)}")
        sheet.column_dimensions[letter].width = 18
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 11
    sheet.row_dimensions[2].height = 60
    sheet.freeze_panes = "D3"

    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    for number, line in enumerate(_instructions(indicators, vintage, period), start=1):
        cell = help_sheet.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(bold=True, size=13)

    meta = book.create_sheet(META_SHEET)
    for number, (key, value) in enumerate((("vintage", vintage), ("period", period), ("template", 1)), start=1):
        meta.cell(row=number, column=1, value=key)
        meta.cell(row=number, column=2, value=value)
    meta.sheet_state = "hidden"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(ind, DataValidation):
    common = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True,
              "errorTitle": "Giá trị không hợp lệ", "promptTitle": ind.label_vi[:32]}
    if ind.kind == "count":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              error="Nhập một số nguyên không âm.", prompt="Số nguyên ≥ 0", **common)
    if ind.kind == "length_km":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              error="Nhập một số không âm (km).", prompt="Số ≥ 0 (km)", **common)
    if ind.kind == "percent":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                              error="Nhập một tỷ lệ từ 0 đến 100.", prompt="0 – 100 (%)", **common)
    return DataValidation(type="whole", operator="between", formula1="0", formula2="1",
                          error="Nhập 1 (có) hoặc 0 (không).", prompt="1 = có, 0 = không", **common)


def _instructions(indicators, vintage, period):
    lines = [
        "Hướng dẫn nhập số liệu cấp xã — maison-geo (huyện Mai Sơn, tỉnh Sơn La)",
        f"Mẫu này dành cho năm {period}, thời kỳ {ERA_LABELS.get(vintage, vintage)} (mã thời kỳ: {vintage}).",
        "",
        "1. Nhập số liệu vào trang “Số liệu”: mỗi dòng là một xã/thị trấn, mỗi cột là một chỉ tiêu. "
        "Không sửa các cột Mã, Tên xã, Loại (tô xám) và không sửa dòng tiêu đề.",
        "2. Ô để trống nghĩa là không có số liệu; ô trống không làm thay đổi số liệu hiện có.",
        "3. Số đếm (hộ, bản, tuyến, người) là số nguyên không âm. Chiều dài tính bằng km, có thể có phần "
        "thập phân (dùng dấu phẩy hoặc dấu chấm theo cài đặt của Excel).",
        "4. Chỉ tiêu có/không: nhập 1 (có) hoặc 0 (không).",
        "5. Các tỷ lệ (%) được tính tự động từ số bản, số hộ; không cần nhập.",
        "6. Ô tô xám trong cột chỉ tiêu: chỉ tiêu không áp dụng cho đơn vị đó (ví dụ thị trấn); để trống.",
        "7. Lưu tệp dạng .xlsx (hoặc CSV UTF-8) rồi tải lên trang “Nhập số liệu”. Khi tải lên, chọn tình "
        "trạng số liệu (chính thức hoặc báo cáo) và ghi rõ nguồn (văn bản, ngày).",
        "8. Hệ thống kiểm tra từng ô trước khi ghi: mọi lỗi được báo kèm số dòng và cột. Không có gì được "
        "ghi khi còn lỗi. Mỗi lần nhập là một phiên bản; phiên bản cũ vẫn được lưu và có thể khôi phục.",
        "",
        "Các chỉ tiêu trong mẫu:",
    ]
    for ind in indicators:
        unit = f" — đơn vị: {ind.unit}" if ind.unit else ""
        lines.append(f"• {ind.label_vi} [{ind.key}]{unit}")
    return lines
