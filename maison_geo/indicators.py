"""The indicator catalogue (geodata/indicators.json): what each indicator means and how it is computed."""
import json
from dataclasses import asdict, dataclass
from typing import Optional

from . import paths
from .errors import InvalidChoice

KINDS = ("count", "length_km", "percent", "boolean", "categorical")
QUALITATIVE = ("categorical", "boolean")  # mapped by category, never classed into ranges


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    source: str


@dataclass(frozen=True)
class Category:
    """One category of a categorical indicator; figures store its 1-based position as the value."""
    key: str
    label_vi: str
    label_en: str

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class Standard:
    """A measuring standard in force for a span of periods (the poverty line of 2016–2020, ...)."""
    key: str
    label_vi: str
    label_en: str
    first: int
    last: int

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class Indicator:
    key: str
    label_vi: str
    label_en: str
    unit: str
    unit_en: str
    kind: str
    higher_is_better: Optional[bool]
    source: str
    theme: str = ""
    numerator: Optional[str] = None
    denominator: Optional[str] = None
    target: Optional[Target] = None
    applies_to: tuple = ()
    district_only: bool = False
    categories: tuple = ()       # categorical: Category in their order
    carry_forward: bool = False  # a status holds until a later one replaces it
    valid_for: tuple = ()        # (first, last): a value decided for this span holds in each year of it
    standards: tuple = ()        # Standard per span of periods; figures of two never share a legend
    reported_only: bool = False  # a percent published as such, without numerator and denominator

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi

    def unit_label(self, lang="vi"):
        return self.unit_en if lang == "en" else self.unit

    @property
    def inputs(self):
        """The keys whose figures this indicator is computed from."""
        return tuple(k for k in (self.key, self.numerator, self.denominator) if k)

    @property
    def qualitative(self):
        return self.kind in QUALITATIVE

    def category(self, value):
        """The Category of a stored value (its 1-based position) or of a key, None for none or an unknown one."""
        if value is None or not self.categories:
            return None
        if isinstance(value, str):  # a category key, as the JSON and the exports give it
            return next((c for c in self.categories if c.key == value), None)
        position = int(value)
        return self.categories[position - 1] if 1 <= position <= len(self.categories) else None

    def code_of(self, key):
        """The stored value of a category key."""
        return next(i for i, c in enumerate(self.categories, 1) if c.key == key)

    def standard(self, period):
        return next((s for s in self.standards if period is not None and s.first <= int(period) <= s.last),
                    None)

    def to_dict(self):
        data = asdict(self)
        for name in ("applies_to", "categories", "valid_for", "standards"):
            data[name] = list(data[name])
        return data


def _parse(entry):
    data = dict(entry)
    if data["kind"] not in KINDS:
        raise ValueError(f"indicator {data['key']}: kind {data['kind']!r} not in {KINDS}")
    if data["kind"] == "percent" and not (data.get("district_only") or data.get("reported_only")):
        if not (data.get("numerator") and data.get("denominator")):
            raise ValueError(f"indicator {data['key']}: a percent needs numerator and denominator")
    if data["kind"] == "categorical" and not data.get("categories"):
        raise ValueError(f"indicator {data['key']}: a categorical indicator needs its categories")
    data["categories"] = tuple(Category(**c) for c in data.get("categories", ()))
    data["standards"] = tuple(Standard(**s) for s in data.get("standards", ()))
    data["valid_for"] = tuple(data.get("valid_for", ()))
    target = data.pop("target", None)
    data["target"] = Target(**target) if target else None
    data["applies_to"] = tuple(data.get("applies_to", ()))
    return Indicator(**data)


class Catalogue:
    def __init__(self, indicators):
        self._by_key = {i.key: i for i in indicators}
        for ind in indicators:
            for part in (ind.numerator, ind.denominator):
                if part and part not in self._by_key:
                    raise ValueError(f"indicator {ind.key}: unknown input {part!r}")

    @classmethod
    def load(cls, path=None):
        with open(path or paths.GEODATA / "indicators.json", encoding="utf-8") as f:
            return cls([_parse(e) for e in json.load(f)])

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self):
        return len(self._by_key)

    def keys(self):
        return list(self._by_key)

    def get(self, key):
        if key not in self._by_key:
            raise InvalidChoice("indicator", key, self.keys())
        return self._by_key[key]

    def with_targets(self, targets):
        """A catalogue whose targets are replaced by configuration: {key: {value, year, source}}."""
        from dataclasses import replace
        changed = []
        for ind in self:
            entry = targets.get(ind.key)
            if entry is not None and not entry.get("source"):
                raise ValueError(f"target of {ind.key}: a target needs a source")
            if entry is not None and ind.kind == "categorical":
                raise ValueError(f"target of {ind.key}: a categorical indicator has no numeric target")
            changed.append(replace(ind, target=Target(**entry)) if entry else ind)
        return Catalogue(changed)

    def mappable(self):
        """Indicators with per-commune values (not the district-only ones)."""
        return [i for i in self if not i.district_only]
