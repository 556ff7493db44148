"""Classing values for a choropleth (mapclassify) on the values as shown, so a legend cannot be misread.

Values are first rounded to the map's one display precision; classes are half-open intervals
[lower, next lower) between shown values, the last one open above ("≥ lower"). So a value read at that
precision always falls in the class whose limits are shown, two values that read the same share a
colour, no class is narrower than the precision, and there are never more classes than shown values."""
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .errors import InvalidChoice
from .formatting import display_decimals, rounded

SCHEMES = ("quantiles", "equal_interval", "fisher_jenks", "target")
K_RANGE = (3, 4, 5)
CLASSED_KINDS = ("count", "length_km", "percent")  # yes/no and categories are drawn by category
_MAPCLASSIFY = {"quantiles": "Quantiles", "equal_interval": "EqualInterval",
                "fisher_jenks": "FisherJenks"}


@dataclass(frozen=True)
class Band:
    """One class: shown values in [lower, upper), the last class every value ≥ lower (upper is then the
    largest value in it, or the anchor of a target scheme)."""
    lower: float
    upper: float
    count: int
    closed_upper: bool = False


@dataclass
class Classification:
    scheme: str
    k_asked: int
    bands: list = field(default_factory=list)
    anchor: float = None       # the target (or 100 %) a "target" scheme is anchored on
    anchor_is_target: bool = False
    decimals: int = 0          # the display precision the classes are drawn at

    @property
    def k(self):
        return len(self.bands)

    def band_of(self, value):
        """Index of the band holding value as shown, None for missing values."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or not self.bands:
            return None
        shown = rounded(value, self.decimals)
        found = 0
        for i, band in enumerate(self.bands):
            if shown >= band.lower:
                found = i
        return found


def is_classed(indicator):
    """Numbers are classed; any other kind (categories) bypasses classing."""
    return indicator is None or indicator.kind in CLASSED_KINDS


def check_scheme(scheme, k):
    if scheme not in SCHEMES:
        raise InvalidChoice("scheme", scheme, SCHEMES)
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise InvalidChoice("k", k, K_RANGE) from None
    if k not in K_RANGE:
        raise InvalidChoice("k", k, K_RANGE)
    return scheme, k


def classify(values, scheme="quantiles", k=5, indicator=None, decimals=None):
    """Bands for the non-missing values at the display precision (by default the indicator's).
    Fewer distinct shown values than k → fewer bands; none → none."""
    scheme, k = check_scheme(scheme, k)
    if decimals is None:
        decimals = display_decimals(indicator.kind) if indicator else 0
    present = np.array([rounded(v, decimals) for v in values if v is not None and not math.isnan(v)],
                       dtype=float)
    if scheme == "target":
        return _target_bands(present, k, indicator, decimals)
    result = Classification(scheme, k, decimals=decimals)
    distinct = np.unique(present)
    if len(distinct) == 0:
        return result
    if len(distinct) == 1:
        result.bands = [Band(float(distinct[0]), float(distinct[0]), len(present), closed_upper=True)]
        return result
    upper_bounds = _mapclassify_bins(present, scheme, min(k, len(distinct)))
    breaks = sorted({float(distinct[distinct > b].min()) for b in upper_bounds if (distinct > b).any()})
    result.bands = _bands(present, [float(distinct[0]), *breaks], float(distinct[-1]))
    return result


def _mapclassify_bins(values, scheme, k):
    import mapclassify
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bins = getattr(mapclassify, _MAPCLASSIFY[scheme])(values, k=k).bins
    return sorted(set(float(b) for b in bins))


def _bands(values, lowers, top):
    """Half-open bands from their lower limits; the last one holds everything from its limit up."""
    bands = []
    for i, lower in enumerate(lowers):
        last = i == len(lowers) - 1
        upper = top if last else lowers[i + 1]
        inside = (values >= lower) & (True if last else values < upper)
        bands.append(Band(lower, upper, int(np.sum(inside)), closed_upper=last))
    return bands


def _target_bands(values, k, indicator, decimals):
    """Fixed breaks anchored on the target: <50 · 50–80 · 80–<target · ≥target (percent). They are
    policy thresholds, not drawn from the data, so a class may be empty."""
    target = indicator.target.value if indicator and indicator.target else None
    if target is None and (indicator is None or indicator.kind != "percent"):
        label = indicator.key if indicator else "this indicator"
        raise InvalidChoice("scheme", "target", [s for s in SCHEMES if s != "target"],
                            f"{label} has no target and is not a percent")
    anchor = rounded(target if target is not None else 100.0, decimals)
    cuts = {3: [0.5, 1.0], 4: [0.5, 0.8, 1.0], 5: [0.25, 0.5, 0.8, 1.0]}[k]
    start = min(0.0, float(values.min())) if len(values) else 0.0
    lowers = sorted({start, *(rounded(anchor * c, decimals) for c in cuts)})
    top = max(anchor, float(values.max())) if len(values) else anchor
    return Classification("target", k, _bands(values, lowers, top), anchor, target is not None, decimals)
