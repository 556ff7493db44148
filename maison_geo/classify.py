"""Classing values for a choropleth (mapclassify), degrading gracefully on few or equal values."""
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .errors import InvalidChoice

SCHEMES = ("quantiles", "equal_interval", "fisher_jenks", "target")
K_RANGE = (3, 4, 5)
_MAPCLASSIFY = {"quantiles": "Quantiles", "equal_interval": "EqualInterval",
                "fisher_jenks": "FisherJenks"}


@dataclass(frozen=True)
class Band:
    """One class: values in (lower, upper] (the first class includes its lower bound)."""
    lower: float
    upper: float
    count: int
    closed_upper: bool = True


@dataclass
class Classification:
    scheme: str
    k_asked: int
    bands: list = field(default_factory=list)
    anchor: float = None       # the target (or 100 %) a "target" scheme is anchored on
    anchor_is_target: bool = False

    @property
    def k(self):
        return len(self.bands)

    def band_of(self, value):
        """Index of the band holding value, None for missing values."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        for i, band in enumerate(self.bands):
            if value < band.upper or (band.closed_upper and value == band.upper):
                return i
        return len(self.bands) - 1 if self.bands else None


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


def classify(values, scheme="quantiles", k=5, indicator=None):
    """Bands for the non-missing values. Fewer distinct values than k → fewer bands; none → none."""
    scheme, k = check_scheme(scheme, k)
    present = np.array([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if scheme == "target":
        return _target_bands(present, k, indicator)
    result = Classification(scheme, k)
    distinct = np.unique(present)
    if len(distinct) == 0:
        return result
    if len(distinct) == 1:
        result.bands = [Band(float(distinct[0]), float(distinct[0]), len(present))]
        return result
    upper_bounds = _mapclassify_bins(present, scheme, min(k, len(distinct)))
    result.bands = _bands(present, [present.min(), *upper_bounds])
    return result


def _mapclassify_bins(values, scheme, k):
    import mapclassify
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bins = getattr(mapclassify, _MAPCLASSIFY[scheme])(values, k=k).bins
    return sorted(set(float(b) for b in bins))


def _bands(values, edges, last_closed=True):
    bands = []
    for i, (lower, upper) in enumerate(zip(edges[:-1], edges[1:])):
        first = i == 0
        inside = (values >= lower if first else values > lower) & (values <= upper)
        bands.append(Band(float(lower), float(upper), int(inside.sum())))
    return [b for b in bands if b.count or b.upper > b.lower]


def _target_bands(values, k, indicator):
    """Fixed breaks anchored on the target: <50 · 50–80 · 80–<target · ≥target (percent)."""
    target = indicator.target.value if indicator and indicator.target else None
    if target is None and (indicator is None or indicator.kind != "percent"):
        label = indicator.key if indicator else "this indicator"
        raise InvalidChoice("scheme", "target", [s for s in SCHEMES if s != "target"],
                            f"{label} has no target and is not a percent")
    anchor = target if target is not None else 100.0
    cuts = {3: [0.5, 1.0], 4: [0.5, 0.8, 1.0], 5: [0.25, 0.5, 0.8, 1.0]}[k]
    edges = [min(0.0, float(values.min())) if len(values) else 0.0] + [anchor * c for c in cuts]
    top = max(anchor, float(values.max())) if len(values) else anchor
    bands = []
    for i, (lower, upper) in enumerate(zip(edges[:-1], edges[1:])):
        inside = (values >= lower) & (values < upper)
        bands.append(Band(lower, upper, int(inside.sum()), closed_upper=False))
    bands.append(Band(anchor, top, int((values >= anchor).sum())))
    return Classification("target", k, bands, anchor, target is not None)
