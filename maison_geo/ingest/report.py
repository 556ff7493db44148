"""What the uploader declares about a file (Declaration), one value to write (Candidate) and the
report of a check (Report): ok when there is no error and at least one value."""
from dataclasses import dataclass, field

from ..figures import Figure
from .messages import WARNINGS, Problem


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
