"""Proportional symbols for counts and lengths: circles whose AREA is proportional to the value.

A count shaded as a choropleth makes large communes look like large counts; a circle per commune does
not. The matching rate (a percent whose numerator is this count) stays one click away as a choropleth."""
import math
from dataclasses import dataclass, field

from .formatting import display_decimals, value_text

SYMBOLS = ("choropleth", "circles")
SIZED_KINDS = ("count", "length_km")
MAX_RADIUS_PX = 26   # the largest value's circle on screen; print scales it (static_map)
BASE_FILL = "#efece4"  # the communes under the circles: neutral, so the eye reads the circles only
CIRCLE_FILL = "#3182bd"


def default_symbol(indicator):
    return "circles" if indicator.kind in SIZED_KINDS else "choropleth"


def symbols_for(indicator):
    return SYMBOLS if indicator.kind in SIZED_KINDS else ("choropleth",)


def matching_rate(indicator, catalogue):
    """The percent that has this count as numerator (ban_with_gate → ban_gate_pct), else None."""
    return next((i for i in catalogue.mappable() if i.kind == "percent" and i.numerator == indicator.key),
                None)


def matching_count(indicator, catalogue):
    """The count behind a percent, when it is mappable."""
    if indicator.kind != "percent" or not indicator.numerator:
        return None
    found = catalogue.get(indicator.numerator)
    return None if found.district_only else found


def radius(value, largest, max_radius=MAX_RADIUS_PX):
    if value is None or value <= 0 or not largest:
        return 0.0
    return max_radius * math.sqrt(value / largest)


def nice_below(value):
    """The largest 1, 2 or 5 × 10ⁿ not above value."""
    if value <= 0:
        return 0
    power = 10 ** math.floor(math.log10(value))
    return max(m * power for m in (1, 2, 5) if m * power <= value)


def reference_values(largest, whole=True):
    """2–3 round values for the legend: about the largest, a third and a tenth of it (whole: no
    fractions, for counts)."""
    found = []
    for share in (1, 1 / 3, 1 / 10):
        nice = nice_below(largest * share)
        if nice >= (1 if whole else 1e-9) and nice not in found:
            found.append(nice)
    return found[:3]


@dataclass
class Symbols:
    """Stands in for a classification when values are drawn as circles."""
    largest: float
    references: list = field(default_factory=list)  # [(value, radius_px, label)]
    max_radius: float = MAX_RADIUS_PX
    decimals: int = 0
    scheme: str = "proportional"
    k_asked: int = 0
    bands: list = field(default_factory=list)
    anchor: float = None
    anchor_is_target: bool = False

    @property
    def k(self):
        return 0


def symbols(table, lang="vi"):
    """The scale of a table's circles: the largest value gets MAX_RADIUS_PX, and round reference values."""
    indicator = table.indicator
    decimals = display_decimals(indicator.kind)
    largest = max((r.value for r in table.rows if r.value is not None), default=0) or 0
    refs = [(v, radius(v, largest), value_text(v, indicator, lang, decimals=_ref_decimals(v, decimals)))
            for v in reference_values(largest, indicator.kind == "count")]
    return Symbols(largest, refs, decimals=decimals)


def _ref_decimals(value, decimals):
    return 0 if float(value).is_integer() else decimals


def payload(scale):
    return {"scheme": "proportional", "symbol": "circle", "scaled_by": "area",
            "max_radius_px": scale.max_radius, "largest": scale.largest, "decimals": scale.decimals,
            "references": [{"value": v, "radius_px": round(r, 2), "label": label}
                           for v, r, label in scale.references]}

