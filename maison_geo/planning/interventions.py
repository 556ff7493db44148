"""The interventions catalogue (geodata/interventions.json): unit costs and beneficiaries per unit,
each with its basis ("planning assumption" unless a source is given), and the editors' costs."""
import json
from dataclasses import dataclass, replace
from typing import Optional

from .. import paths
from ..errors import InvalidChoice
from .common import MAX_BENEFIT_WEIGHT, MAX_BUDGET, PLANNING_ASSUMPTION, _num, _number, _vnd


@dataclass(frozen=True)
class Intervention:
    key: str
    label_vi: str
    label_en: str
    unit: str
    unit_en: str
    indicator: str
    total: Optional[str]
    unit_cost_vnd: float
    basis: str
    basis_note: str
    beneficiaries: dict
    gap: dict
    percent_indicator: Optional[str] = None
    benefit_weight: float = 1.0        # what one household reached counts in the objective 'benefit'
    benefit_basis: str = PLANNING_ASSUMPTION
    benefit_note: str = ""
    cost_edit: Optional[dict] = None   # {"by", "at", "note", "default"} when an editor changed the cost
    weight_edit: Optional[dict] = None  # the same when an editor changed the benefit weight

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi

    def unit_label(self, lang="vi"):
        return self.unit_en if lang == "en" else self.unit

    @property
    def assumption(self):
        return self.basis == PLANNING_ASSUMPTION

    def to_dict(self):
        return {"key": self.key, "label_vi": self.label_vi, "label_en": self.label_en,
                "unit": self.unit, "unit_en": self.unit_en, "indicator": self.indicator,
                "total": self.total, "percent_indicator": self.percent_indicator,
                "unit_cost_vnd": _num(self.unit_cost_vnd), "basis": self.basis,
                "basis_note": self.basis_note, "planning_assumption": self.assumption,
                "beneficiaries": dict(self.beneficiaries), "gap_rule": dict(self.gap),
                "benefit_weight": _num(self.benefit_weight), "benefit_basis": self.benefit_basis,
                "benefit_note": self.benefit_note, "cost_edit": self.cost_edit, "weight_edit": self.weight_edit}


def load_interventions(path=None):
    with open(path or paths.GEODATA / "interventions.json", encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for entry in data["interventions"]:
        if not entry.get("basis"):
            raise ValueError(f"intervention {entry['key']}: a unit cost needs a basis (a source or "
                             f"'{PLANNING_ASSUMPTION}')")
        if not entry["beneficiaries"].get("basis"):
            raise ValueError(f"intervention {entry['key']}: beneficiaries per unit need a basis")
        out.append(Intervention(**entry))
    return out


def with_weights(interventions, overrides):
    """Interventions whose benefit weight is replaced by {key: {"benefit_weight", "by", "at", "note"}},
    shown as edited (who, when, the note, the default beside it)."""
    return _edited(interventions, overrides, "benefit_weight", "weight_edit", check_weight)


def check_weight(key, value):
    weight = _number(value, f"benefit_weights.{key}")
    if not 0 <= weight <= MAX_BENEFIT_WEIGHT:
        raise InvalidChoice(f"benefit_weights.{key}", value, [],
                            f"a benefit weight is a number from 0 to {MAX_BENEFIT_WEIGHT}")
    return weight


def with_costs(interventions, overrides):
    """Interventions whose unit cost is replaced by {key: {"unit_cost_vnd", "by", "at", "note"}}.
    An edited cost keeps its basis (a planning assumption) and is shown as edited: who, when, the
    editor's note, and the default beside it."""
    return _edited(interventions, overrides, "unit_cost_vnd", "cost_edit", check_cost)


def _edited(interventions, overrides, field, edit_field, check):
    out = []
    for item in interventions:
        edit = (overrides or {}).get(item.key)
        if edit is None:
            out.append(item)
            continue
        out.append(replace(item, **{field: check(item.key, edit[field]), edit_field: {
            "by": edit.get("by"), "at": edit.get("at"), "note": edit.get("note") or "",
            "default": _num(getattr(item, field))}}))
    return out


def check_cost(key, value, lang="vi"):
    cost = _vnd(value, f"unit_costs.{key}", lang)
    if cost <= 0 or cost > MAX_BUDGET:
        raise InvalidChoice(f"unit_costs.{key}", value, [], "a unit cost is a positive amount of VND")
    return cost
