"""The illustrative demo set: per-commune infrastructure figures for 2024.

Real per-commune figures are not published. This script makes a plausible set whose 22 values of
every count add up exactly to the district report, that keeps every real commune fact we have (every
reported count of households, bản and widened road in geodata/figures/, the latest one of each
commune up to 2024: Chiềng Mai 11 bản, Hát Lót xã 16, Cò Nòi 29, ...; Chiềng Kheo 100 % on the grid,
at least 9 village gates in Chiềng Mai, 20 bản in old Nà Bó and Tà Hộc together), and whose
numerators never exceed their denominators.
It is seeded, so a rerun writes the same file:

    python -m maison_geo illustrative        # rewrites geodata/figures/illustrative_2024.csv

Every row has status "illustrative"; they are never shown without it.
"""
import math

import numpy as np

from . import figures as fg
from . import eras, paths
from .units import load_register

SEED = 2024
PERIOD = 2024
SOURCE = ("maison-geo illustrative demo set (python -m maison_geo illustrative, seed 2024); "
          "district totals from the 2020–2025 term report")
NOTE = "illustrative: not a real per-commune figure; the 22 values add up to the district figure"
# No road need is published, per commune or for the district: the illustrative km still to harden are
# about half of what each commune widened in 2020–2025 (282 km in all), so the two read together.
ROAD_NEED_RATIO = 0.5
NOTES = {"road_need_km": "illustrative: not a real figure; no road need is published, so each commune's "
                         "is made up at about half the km it widened in 2020–2025"}

CHIENG_MAI, CHIENG_KHEO = "04132", "04150"
PINNED = ("households", "ban_count", "road_widened_km")  # reported counts the set must keep
MIN_GATES = {CHIENG_MAI: 9}  # 9 cổng bản built there since 2021
BAN_GROUPS = {("04136", "04165"): 20}  # new xã Tà Hộc (old Nà Bó + Tà Hộc) had 20 bản in 2025


def apportion(total, weights, lower=None, upper=None):
    """Whole numbers in [lower, upper] that sum to total, as near to proportional as the bounds allow."""
    n = len(weights)
    lower = np.zeros(n) if lower is None else np.asarray(lower, float)
    upper = np.full(n, math.inf) if upper is None else np.asarray(upper, float)
    if lower.sum() > total or upper.sum() < total or (lower > upper).any():
        raise ValueError(f"cannot apportion {total} within the bounds")
    share = _water_fill(total, np.asarray(weights, float), lower, upper)
    whole = np.clip(np.floor(share + 1e-9), lower, upper)
    room = whole < upper
    for i in np.argsort(-(share - whole) - room * 1.0, kind="stable")[: int(round(total - whole.sum()))]:
        whole[i] += 1
    return [int(x) for x in whole]


def _water_fill(total, weights, lower, upper):
    """Real shares proportional to weights, each clamped into [lower, upper], summing to total."""
    share = lower.copy()
    free = lower < upper
    for _ in range(len(weights) + 1):
        left = total - share[~free].sum()
        w = np.where(free, weights, 0.0)
        trial = np.where(free, left * w / w.sum() if w.sum() else left / free.sum(), share)
        clamped = free & ((trial < lower) | (trial > upper))
        share = np.where(free, np.clip(trial, lower, upper), share)
        if not clamped.any():
            return share
        free &= ~clamped
    return share


def _pinned(codes, known, default_lower=None):
    """lower and upper bounds that pin the known values and leave the rest free."""
    lower = [known.get(c, default_lower[i] if default_lower else 0) for i, c in enumerate(codes)]
    upper = [known.get(c, math.inf) for c in codes]
    return lower, upper


def known_counts(authored):
    """{indicator: {code: value}}: the latest reported figure of each commune up to PERIOD."""
    known = {key: {} for key in PINNED}
    for fig in sorted(authored, key=lambda f: f.period):
        if (fig.indicator in known and fig.status == "reported" and fig.level == fg.UNIT
                and fig.vintage == eras.default_era().key and fig.period <= PERIOD):
            known[fig.indicator][fig.code] = int(fig.value)
    return known


def generate(units, households_2019, district, known, rng=None):
    """dict indicator -> {code: value} for the 22 units; known: {indicator: {code: reported value}}."""
    rng = rng or np.random.default_rng(SEED)
    codes = [u.code for u in units]
    urban = [u.unit_type == "thi_tran" for u in units]
    noise = lambda sigma: rng.lognormal(0.0, sigma, len(codes))  # noqa: E731
    out = {}

    lo, hi = _pinned(codes, known["households"])
    hh = apportion(district["households"], [households_2019[c] for c in codes] * noise(0.04), lo, hi)
    out["households"] = hh

    ban_weight = np.array(hh) * noise(0.25)
    known_bans = dict(known["ban_count"])
    for group, total in BAN_GROUPS.items():
        free = [c for c in group if c not in known_bans]
        left = total - sum(known_bans[c] for c in group if c in known_bans)
        members = [codes.index(c) for c in free]
        known_bans.update(zip(free, apportion(left, ban_weight[members], [4] * len(free))))
    lo, hi = _pinned(codes, known_bans, [4] * len(codes))
    bans = apportion(district["ban_count"], ban_weight, lo, hi)
    out["ban_count"] = bans

    gate_lo = [MIN_GATES.get(c, 0) for c in codes]
    out["ban_with_gate"] = apportion(district["ban_with_gate"], np.array(bans) * noise(0.5), gate_lo, bans)
    out["ban_with_sports"] = apportion(district["ban_with_sports"], np.array(bans) * noise(0.3), None, bans)
    light_weight = np.array(hh) * noise(0.35) * np.where(urban, 2.0, 1.0)
    out["hh_gate_light"] = apportion(district["hh_gate_light"], light_weight, None, hh)

    out["hh_grid"] = _coverage(hh, district["hh_grid"], noise(0.8), full={codes.index(CHIENG_KHEO)})
    rural_hh = sum(h for h, u in zip(hh, urban) if not u)
    clean = sum(h for h, u in zip(hh, urban) if u) + round(rural_hh * district["hygienic_rural_share"])
    out["hh_clean_water"] = _coverage(hh, clean, noise(0.8), full={i for i, u in enumerate(urban) if u})

    lo, hi = _pinned(codes, known["road_widened_km"], [2] * len(codes))
    km = apportion(district["road_widened_km"], np.array(bans) * noise(0.4), lo, hi)
    out["road_widened_km"] = km
    out["road_widened_routes"] = apportion(district["road_widened_routes"], np.array(km) * noise(0.2),
                                           [1] * len(codes), km)
    out["road_need_km"] = [max(1, round(k * ROAD_NEED_RATIO * n)) for k, n in zip(km, noise(0.5))]
    return {key: dict(zip(codes, values)) for key, values in out.items()}


def _coverage(households, covered_total, weights, full=()):
    """Households covered per unit: the shortfall is spread by weight, none where full coverage is known."""
    shortfall = sum(households) - covered_total
    weights = np.array([0.0 if i in full else w for i, w in enumerate(weights)])
    upper = [0 if i in full else h for i, h in enumerate(households)]
    gaps = apportion(shortfall, weights * np.array(households), None, upper)
    return [h - g for h, g in zip(households, gaps)]


def district_totals(authored):
    """The district figures the set must add up to, from the authored report file."""
    report = {f.indicator: f.value for f in authored if f.level == fg.DISTRICT and f.period == PERIOD}
    totals = {k: int(report[k]) for k in ("households", "ban_count", "ban_with_gate", "ban_with_sports",
                                           "hh_gate_light", "road_widened_km", "road_widened_routes")}
    totals["hh_grid"] = round(report["households"] * report["hh_grid_pct"] / 100)
    totals["hygienic_rural_share"] = report["hh_hygienic_water_rural_pct"] / 100
    return totals


def build_figures(geodata=None):
    geodata = geodata or paths.GEODATA
    vintage = eras.default_era(geodata).key
    units = load_register(vintage, geodata)
    authored = [f for f in fg.load_authored(geodata) if f.status != "illustrative"]
    hh_2019 = {f.code: f.value for f in authored if f.indicator == "households" and f.period == 2019}
    values = generate(units, hh_2019, district_totals(authored), known_counts(authored))
    return [fg.Figure(vintage, fg.UNIT, code, key, PERIOD, value, "illustrative", SOURCE, NOTES.get(key, NOTE))
            for key, by_code in values.items() for code, value in by_code.items()]


def write(geodata=None):
    path = (geodata or paths.GEODATA) / "figures" / f"illustrative_{PERIOD}.csv"
    fg.write_csv(path, build_figures(geodata))
    return path
