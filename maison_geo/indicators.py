"""The indicator catalogue (geodata/indicators.json): what each indicator means and how it is computed."""
import json
from dataclasses import asdict, dataclass
from typing import Optional

from . import paths
from .errors import InvalidChoice

KINDS = ("count", "length_km", "percent", "boolean")


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    source: str


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

    def label(self, lang="vi"):
        return self.label_en if lang == "en" else self.label_vi

    def unit_label(self, lang="vi"):
        return self.unit_en if lang == "en" else self.unit

    @property
    def inputs(self):
        """The keys whose figures this indicator is computed from."""
        return tuple(k for k in (self.key, self.numerator, self.denominator) if k)

    def to_dict(self):
        data = asdict(self)
        data["applies_to"] = list(self.applies_to)
        return data


def _parse(entry):
    data = dict(entry)
    if data["kind"] not in KINDS:
        raise ValueError(f"indicator {data['key']}: kind {data['kind']!r} not in {KINDS}")
    if data["kind"] == "percent" and not data.get("district_only"):
        if not (data.get("numerator") and data.get("denominator")):
            raise ValueError(f"indicator {data['key']}: a percent needs numerator and denominator")
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
            changed.append(replace(ind, target=Target(**entry)) if entry else ind)
        return Catalogue(changed)

    def mappable(self):
        """Indicators with per-commune values (not the district-only ones)."""
        return [i for i in self if not i.district_only]
