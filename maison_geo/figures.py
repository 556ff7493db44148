"""Figures: one value of one indicator for one unit (or the district) in one period, with its status."""
import csv
from dataclasses import asdict, dataclass
from typing import Optional

from . import paths
from .text import nfc

STATUSES = ("official", "reported", "illustrative")  # strongest first
DISTRICT = "district"
UNIT = "unit"
FIELDS = ("vintage", "level", "code", "indicator", "period", "value", "denominator",
          "status", "source", "note", "as_of")


@dataclass(frozen=True)
class Figure:
    vintage: str
    level: str
    code: str
    indicator: str
    period: int
    value: float
    status: str
    source: str
    note: str = ""
    denominator: Optional[float] = None
    as_of: str = ""  # the date the source gives ("2024-12", "2020-12-27"), when finer than the period

    @property
    def key(self):
        return (self.vintage, self.level, self.code, self.indicator, self.period)

    def to_dict(self):
        return asdict(self)


def weakest(statuses):
    """The weakest status of several parts: any illustrative part makes the whole illustrative."""
    ranks = [STATUSES.index(s) for s in statuses if s]
    return STATUSES[max(ranks)] if ranks else None


def _number(text):
    return None if text in (None, "") else float(text)


def parse_row(row, categories=None):
    """categories: {indicator: {category key: stored value}}; a categorical figure is written by its key."""
    status = row["status"]
    if status not in STATUSES:
        raise ValueError(f"status {status!r} not in {STATUSES}")
    value = row["value"]
    by_key = (categories or {}).get(row["indicator"])
    if by_key is not None:
        if value not in by_key:
            raise ValueError(f"{row['indicator']}: category {value!r} not in {list(by_key)}")
        value = by_key[value]
    return Figure(row["vintage"], row["level"], row["code"], row["indicator"], int(row["period"]),
                  float(value), status, nfc(row["source"]), nfc(row.get("note") or ""),
                  _number(row.get("denominator")), row.get("as_of") or "")


def read_csv(path, categories=None):
    with open(path, encoding="utf-8", newline="") as f:
        return [parse_row(r, categories) for r in csv.DictReader(f)]


def category_codes(geodata=None):
    """{indicator: {category key: stored value}} of the catalogue's categorical indicators."""
    from .indicators import Catalogue
    catalogue = Catalogue.load((geodata or paths.GEODATA) / "indicators.json")
    return {i.key: {c.key: n for n, c in enumerate(i.categories, 1)} for i in catalogue if i.categories}


def write_csv(path, figures, categories=None):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        for fig in figures:
            row = fig.to_dict()
            keys = {n: k for k, n in (categories or {}).get(fig.indicator, {}).items()}
            row["value"] = keys.get(fig.value, _plain(row["value"]))
            row["denominator"] = _plain(row["denominator"])
            writer.writerow(row)


def _plain(number):
    if number is None:
        return ""
    return int(number) if float(number).is_integer() else number


def load_authored(geodata=None):
    """Every figure file under geodata/figures/, in name order."""
    folder = (geodata or paths.GEODATA) / "figures"
    codes = category_codes(geodata)
    return [fig for path in sorted(folder.glob("*.csv")) for fig in read_csv(path, codes)]


def precedence(fig):
    """Imported figures (they carry the `version` of the import) win over authored ones, the latest
    import first; otherwise official wins over reported, reported over illustrative."""
    version = getattr(fig, "version", None)
    return (version is not None, version or 0, -STATUSES.index(fig.status))


def resolve(figures):
    """One figure per key, the one of highest precedence."""
    best = {}
    for fig in figures:
        held = best.get(fig.key)
        if held is None or precedence(fig) > precedence(held):
            best[fig.key] = fig
    return best
