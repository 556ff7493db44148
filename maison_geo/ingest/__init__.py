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

Modules: messages (what each problem says), read (bytes → Table), header (finding the header row),
cells (blanks, codes, numbers), report (Declaration, Report), validate (Table → Report), upload
(check: one upload against a store), template (the workbook offices fill in).
"""
from .cells import decimal_convention, parse_number
from .header import ALIASES, HEADER_SEARCH, column_letter
from .messages import EXTRAS, MESSAGES, WARNINGS, Problem, Unreadable
from .read import (MAX_CELLS, MAX_COLUMNS, MAX_PARTS, MAX_RATIO, MAX_ROWS, MAX_UNZIPPED, META_SHEET, OLE2, Table,
                   read_table)
from .report import Candidate, Declaration, Report
from .template import DATA_SHEET, HELP_SHEET, era_label, template_header, template_indicators, template_xlsx
from .upload import check
from .validate import FAR, FAR_POINTS, MAX_ERRORS, MAX_TEXT, MIN_PERIOD, validate

__all__ = ["ALIASES", "Candidate", "DATA_SHEET", "Declaration", "EXTRAS", "FAR", "FAR_POINTS",
           "HEADER_SEARCH", "HELP_SHEET", "MAX_CELLS", "MAX_COLUMNS", "MAX_ERRORS", "MAX_PARTS", "MAX_RATIO", "MAX_ROWS", "MAX_TEXT",
           "MAX_UNZIPPED", "MESSAGES", "META_SHEET", "MIN_PERIOD", "OLE2", "Problem", "Report", "Table",
           "Unreadable", "WARNINGS", "check", "column_letter", "decimal_convention", "era_label", "parse_number",
           "read_table", "template_header", "template_indicators", "template_xlsx", "validate"]
