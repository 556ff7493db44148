"""Reading an upload into cells: CSV in any of UTF-8 (with or without BOM), UTF-16 or Windows-1258
with a sniffed delimiter, or an XLSX workbook (checked for zip bombs, encryption and damage before
openpyxl opens it). A file that cannot be read raises Unreadable."""
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from ..text import nfc
from .header import HEADER_SEARCH, _names_a_commune_column
from .messages import Unreadable

MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 200_000               # cells read in all (a 15,000 × 200 sheet took a minute to check)
CSV_FIELD_LIMIT = csv.field_size_limit()
MAX_UNZIPPED = 64 * 1024 * 1024   # all parts of an XLSX together, uncompressed
MAX_RATIO = 200                   # uncompressed / compressed size of one part
MAX_PARTS = 2_000
META_SHEET = "_maison"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    rows, cells, line, started = [], 0, offset, offset
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, fields in enumerate(reader, start=1 + offset):
            if len(rows) >= MAX_ROWS:
                raise Unreadable("too_many_rows", limit=MAX_ROWS)
            if len(fields) > MAX_COLUMNS:
                raise Unreadable("too_many_columns", limit=MAX_COLUMNS)
            cells = _count_cells(cells, fields)
            rows.append((number, [nfc(c) if c.strip() else None for c in fields]))
            started, line = line + 1, reader.line_num + offset
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Unreadable("field_too_large", row=line + 1, limit=CSV_FIELD_LIMIT) from None
        raise Unreadable("bad_csv", row=reader.line_num + offset, detail=_short(str(exc))) from None
    if rows and line > started and text.count('"') % 2:
        raise Unreadable("unterminated_quote", row=started)  # the last record swallowed the rest
    return Table(rows, "csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _count_cells(cells, values):
    cells += len(values)
    if cells > MAX_CELLS:
        raise Unreadable("too_many_cells", limit=MAX_CELLS)
    return cells


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
    rows, empty_run, cells = [], 0, 0
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
        cells = _count_cells(cells, values)
        rows.append((number, [nfc(v) if isinstance(v, str) else v for v in values]))
    return rows
