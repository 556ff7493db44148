"""What each problem of an upload says (MESSAGES are msgids the web layer translates; params fill
them), a Problem naming its row and column, and Unreadable: a file that is no table at all."""
from dataclasses import dataclass, field

from ..errors import MaisonError

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
    "too_many_cells": "The file has more than %(limit)s cells; only a table of communes and indicators is read: remove other sheets' data and unused columns, or split it.",
    "field_too_large": "Line %(row)s has a cell longer than %(limit)s characters: check that this is the right file and that every quote (\") is closed.",
    "unterminated_quote": "The quote (\") opened in line %(row)s is never closed, so everything after it reads as one cell: close it, or remove it.",
    "bad_csv": "Line %(row)s cannot be read as CSV (%(detail)s).",
    "too_many_errors": "More than %(limit)s errors: checking stopped here. Correct these first (often one column or setting causes them all), then upload again.",
    "ambiguous_decimal": "%(value)s could be %(thousands)s or %(decimal)s: it was read as %(thousands)s, because nothing else in the file shows which decimal sign it uses. Write %(thousands)s without a separator, or the decimal with a comma (%(comma)s).",
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
    "bad_vintage": "Era %(value)s is not valid: choose one of %(choices)s.",
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
    "unknown_category": "%(value)s is not a category of %(of)s: write one of %(choices)s.",
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
TRANSLATED_PARAMS = {"of", "choices"}  # labels of the catalogue (msgids)
# Indicator keys kept as keys in a problem's params (for scripts) but named by their label in its message.
KEY_PARAMS = {"numerator", "denominator", "indicator"}
DENOMINATOR_COLUMN = "the denominator column"  # the long format's own 'denominator' (a msgid)
WARNINGS = {"not_utf8", "ambiguous_decimal", "ignored_column", "unknown_name_with_code", "total_row", "duplicate_same",
            "numerator_above_current", "denominator_below_current", "far_from_previous"}


class Unreadable(MaisonError):
    """A file that cannot be read as a table at all."""
    status = 422

    def __init__(self, code, **params):
        self.problem = Problem("error", code, params={k: str(v) for k, v in params.items()})
        super().__init__(self.problem.message)

    def __reduce__(self):  # raised in a worker process, raised again in the server
        return _unreadable, (self.problem.code, self.problem.params)


def _unreadable(code, params):
    return Unreadable(code, **params)


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
        for key in KEY_PARAMS & params.keys():
            params[key] = translate(_label_en(params[key]))
        for key in TRANSLATED_PARAMS & params.keys():  # labels of the catalogue, shown in the UI language
            params[key] = "; ".join(translate(part) for part in str(params[key]).split("; "))
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


def _label_en(key):
    """An indicator key's English label (a msgid of the catalogue); 'denominator' names the long format's
    column; anything else is kept."""
    from ..errors import InvalidChoice
    if key == "denominator":
        return DENOMINATOR_COLUMN
    try:
        return _catalogue().get(key).label_en
    except InvalidChoice:
        return key


def _catalogue():
    global _CATALOGUE
    if _CATALOGUE is None:
        from ..indicators import Catalogue
        _CATALOGUE = Catalogue.load()
    return _CATALOGUE


_CATALOGUE = None


def _quote(value):
    return "" if value is None else f"“{value}”"
