"""One upload against a store: read and validate it against the store's current figures, with the
file's name, size and SHA-256 in the report."""
import hashlib

from ..text import nfc
from ..units import VINTAGES
from .messages import Unreadable
from .read import read_table
from .report import Report
from .validate import _Validator


def check(data, file_name, declared, store, catalogue, today=None, read=read_table):
    """Read and validate an upload against the current figures of a store: the whole report.
    read: read_table or a function that runs it elsewhere (a worker process)."""
    from ..values import figure_index
    report = None
    try:
        table = read(data)
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
                indexes[vintage] = figure_index(store, catalogue, vintage)
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
