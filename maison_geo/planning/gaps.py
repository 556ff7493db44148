"""Gaps: one candidate per commune × intervention, with the gap (in whole units) to the target, the
unit cost, beneficiaries per unit, status and source of the figures used; the criteria and the score
that rank them; and the periods that have the figures."""
import math
from dataclasses import dataclass, field
from typing import Optional

from ..errors import InvalidChoice
from ..figures import UNIT, weakest
from .common import CRITERIA, PLANNING_ASSUMPTION
from .interventions import Intervention

POVERTY_INDICATOR = "poverty_rate_pct"
REMOTENESS_INDICATOR = "ethnic_area_class"
REMOTENESS_SCALE = {"III": 1.0, "II": 0.5, "I": 0.0}


@dataclass
class Candidate:
    unit: object
    intervention: Intervention
    gap: Optional[int]              # whole units still missing; None when the data is missing
    current: Optional[float] = None
    total: Optional[float] = None
    beneficiaries_per_unit: float = 0.0
    status: Optional[str] = None
    source: str = ""
    note: str = ""
    gap_basis: str = ""
    people_per_household: Optional[float] = None
    criteria: dict = field(default_factory=dict)   # {criterion: 0..1 or None}
    score: Optional[float] = None
    need: float = 0.0                                # weighted need, 0..1 (for the weighted objective)
    rank: Optional[int] = None

    @property
    def key(self):
        return (self.unit.code, self.intervention.key)

    @property
    def unit_cost(self):
        return self.intervention.unit_cost_vnd

    @property
    def cost_to_close(self):
        return None if self.gap is None else self.gap * self.unit_cost

    @property
    def beneficiaries_total(self):
        return None if self.gap is None else self.gap * self.beneficiaries_per_unit

    @property
    def cost_per_beneficiary(self):
        if not self.gap or not self.beneficiaries_per_unit:
            return None
        return self.unit_cost / self.beneficiaries_per_unit

    @property
    def illustrative(self):
        return self.status == "illustrative"


def _fig(index, code, key, period):
    return index.get(UNIT, code, key, period) if key else None


def _join(*texts):
    parts = (p.strip() for t in texts for p in (t or "").split("; "))
    return "; ".join(dict.fromkeys(p for p in parts if p))


def candidates(index, catalogue, interventions, period):
    """One Candidate per unit × intervention of the index's vintage, in unit then catalogue order."""
    people = _people_per_household(index)
    criteria = _commune_criteria(index, catalogue)
    out = []
    for unit in index.units:
        for item in interventions:
            cand = _candidate(index, catalogue, item, unit, period)
            cand.people_per_household = people.get(unit.code)
            cand.criteria = dict(criteria.get(unit.code, {}))
            out.append(cand)
    return out


def _candidate(index, catalogue, item, unit, period):
    if item.gap.get("kind") == "need":
        return _need_candidate(index, item, unit, period)
    cur = _fig(index, unit.code, item.indicator, period)
    tot = _fig(index, unit.code, item.total, period)
    if cur is None or tot is None:
        missing = [k for k, f in ((item.indicator, cur), (item.total, tot)) if f is None]
        return Candidate(unit, item, None, cur.value if cur else None, tot.value if tot else None,
                         note=f"no figure for {', '.join(missing)} in {period}", gap_basis="no data")
    figs = [cur, tot]
    target = _target(catalogue, item)
    if target:
        required = math.ceil(target.value / 100.0 * tot.value - 1e-9)
        basis = f"target {target.value:g} % by {target.year} ({target.source})"
    else:
        required = tot.value
        basis = f"full coverage ({PLANNING_ASSUMPTION}: no official target is recorded)"
    gap = max(0, int(round(required - cur.value)))
    bpu, bnote = float(item.beneficiaries.get("per_unit") or 0), ""
    if item.beneficiaries.get("kind") == "households_per_ban":
        hh = _fig(index, unit.code, "households", period)
        if hh and tot.value:
            bpu = hh.value / tot.value
            figs.append(hh)
            bnote = (f"beneficiaries per bản derived: {hh.value:g} households / {tot.value:g} bản")
        else:
            bpu, bnote = 0.0, f"no households figure in {period}: beneficiaries per bản unknown"
    return Candidate(unit, item, gap, cur.value, tot.value, bpu,
                     weakest(f.status for f in figs), _join(*(f.source for f in figs)),
                     _join(*(f.note for f in figs if f.status != "illustrative"), bnote), basis)


def _need_candidate(index, item, unit, period):
    """A gap read from a need indicator (road_need_km: km still to harden), in whole units."""
    need = _fig(index, unit.code, item.gap["indicator"], period)
    done = _fig(index, unit.code, item.indicator, period)
    if need is None:
        return Candidate(unit, item, None, done.value if done else None,
                         note=f"no figure for {item.gap['indicator']} in {period}", gap_basis="no data")
    return Candidate(unit, item, max(0, math.ceil(need.value - 1e-9)), done.value if done else None,
                     beneficiaries_per_unit=float(item.beneficiaries.get("per_unit") or 0),
                     status=need.status, source=need.source,
                     note=need.note if need.status != "illustrative" else "",
                     gap_basis=f"{item.gap['indicator']} {need.value:g} {item.unit} ({need.status})")


def _target(catalogue, item):
    for key in (item.percent_indicator,):
        if not key:
            continue
        try:
            ind = catalogue.get(key)
        except InvalidChoice:
            continue
        if ind.target and ind.kind == "percent":
            return ind.target
    return None


def _people_per_household(index):
    """People per household of each unit from the latest period with both population and households
    (the 2019 census); derived, used only to show people beside households."""
    out = {}
    for unit in index.units:
        for period in sorted(index.periods(_Keys(("population",))), reverse=True):
            pop = _fig(index, unit.code, "population", period)
            hh = _fig(index, unit.code, "households", period)
            if pop and hh and hh.value:
                out[unit.code] = pop.value / hh.value
                break
    return out


@dataclass(frozen=True)
class _Keys:
    """Enough of an Indicator for FigureIndex.periods()."""
    keys: tuple

    @property
    def key(self):
        return self.keys[0]

    numerator = None


def _commune_criteria(index, catalogue):
    """Poverty and remoteness per unit (0..1) from the published facts in the catalogue's indicators
    (poverty_rate_pct, ethnic_area_class: the commune's latest value), else None: a missing fact is
    never read as zero."""
    from ..values import latest_value
    known = set(catalogue.keys())
    out = {}
    for unit in index.units:
        entry = {"poverty": None, "remoteness": None, "poverty_source": "", "remoteness_source": ""}
        if POVERTY_INDICATOR in known:
            row = latest_value(None, catalogue, POVERTY_INDICATOR, unit.code, index.vintage, index=index)
            if row is not None:
                entry["poverty"] = min(max(row.value / 100.0, 0.0), 1.0)
                entry["poverty_source"] = f"{row.value:g} % ({row.source}, {row.as_of or row.period})"
        if REMOTENESS_INDICATOR in known:
            row = latest_value(None, catalogue, REMOTENESS_INDICATOR, unit.code, index.vintage, index=index)
            key = row.category.key if row is not None and row.category else None
            if key in REMOTENESS_SCALE:
                entry["remoteness"] = REMOTENESS_SCALE[key]
                entry["remoteness_source"] = f"khu vực {key} ({row.source}, {row.as_of or row.period})"
        out[unit.code] = entry
    return out


def score(cands, weights, ranking="cost_per_beneficiary"):
    """Criteria in 0..1 for every candidate with a gap, the weighted score and rank (1 = first to fund).

    cost: cheapest cost per beneficiary / this one's; gap: share of the commune still lacking (missing
    units / total); poverty: the poverty rate; remoteness: 1 for khu vực III, 0.5 for II, 0 for I.
    A criterion without data is left out of that candidate's score (the weights of the others are
    renormalised), never counted as zero; `missing` lists it. `need` (gap, poverty, remoteness only)
    weights the 'weighted' objective: each beneficiary counts 1 + need."""
    live = [c for c in cands if c.gap and c.cost_per_beneficiary]
    live_ids = {id(c) for c in live}
    best = min((c.cost_per_beneficiary for c in live), default=None)
    for c in cands:
        c.criteria["cost"] = best / c.cost_per_beneficiary if id(c) in live_ids else None
        c.criteria["gap"] = (min(c.gap / c.total, 1.0) if c.gap and c.total else (0.0 if c.gap == 0 else None))
        if id(c) not in live_ids:
            c.score, c.need, c.rank = None, 0.0, None
            continue
        c.score = _weighted(c.criteria, weights, CRITERIA) or 0.0
        c.need = _weighted(c.criteria, weights, ("gap", "poverty", "remoteness")) or 0.0
    if ranking == "weighted":
        order = sorted(live, key=lambda c: (-c.score, c.cost_per_beneficiary, c.key))
    else:
        order = sorted(live, key=lambda c: (c.cost_per_beneficiary, -c.score, c.key))
    for i, c in enumerate(order, 1):
        c.rank = i
    return order


def _weighted(criteria, weights, keys):
    """Weighted mean of the criteria that have data; None when none has."""
    known = [k for k in keys if criteria.get(k) is not None and weights.get(k)]
    total = sum(weights[k] for k in known)
    return sum(weights[k] * criteria[k] for k in known) / total if total else None


def missing_facts(cands):
    """{criterion: [unit names]} of the communes whose published fact is missing (poverty, remoteness)."""
    out = {}
    for key in ("poverty", "remoteness"):
        names = list(dict.fromkeys(c.unit.full_name for c in cands if c.criteria.get(key) is None))
        if names:
            out[key] = names
    return out


def data_periods(index, catalogue, interventions):
    """Periods in which the household/bản indicators of the interventions have unit figures; the
    default is the one with the most units covered, the latest on ties."""
    keys = {k for i in interventions for k in (i.indicator, i.total) if k}
    cover = {}
    for key in keys:
        for p in index.periods(_Keys((key,))):
            cover[p] = cover.get(p, 0) + index.coverage(_Keys((key,)), p)
    return sorted(cover), (max(cover, key=lambda p: (cover[p], p)) if cover else None)
