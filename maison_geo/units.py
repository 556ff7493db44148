"""Administrative units keyed by (vintage, code), and a matcher from free text to a unit."""
import csv
import difflib
import re
from dataclasses import dataclass, field

from . import eras, paths
from .errors import AmbiguousName, InvalidChoice, UnknownName
from .text import casefold_nfc, fold, nfc

VINTAGES = eras.keys()
DEFAULT_VINTAGE = eras.default_era().key
REFORM_DATE = eras.reform_date()
UNIT_TYPES = {"xa": "Xã", "thi_tran": "Thị trấn", "phuong": "Phường"}

# Unit-type words met in official lists and office spreadsheets, as a prefix or a "(...)" suffix.
_TYPE_WORDS = r"thị trấn|thi tran|tt\.?|xã|xa|x\.|phường|phuong|p\."
_PREFIX = re.compile(rf"^({_TYPE_WORDS})(?:\s+|(?<=\.))(?=\S)")
_SUFFIX = re.compile(rf"\s*\(({_TYPE_WORDS})\)$")
_TYPE_BY_INITIAL = {"t": "thi_tran", "x": "xa", "p": "phuong"}


def check_vintage(vintage):
    """The vintage, or InvalidChoice: a code is never looked up in a guessed era."""
    if vintage not in VINTAGES:
        raise InvalidChoice("vintage", vintage, VINTAGES)
    return vintage


@dataclass(frozen=True)
class Unit:
    vintage: str
    code: str
    name: str
    full_name: str
    unit_type: str
    variants: tuple = field(default=(), compare=False)

    @property
    def key(self):
        return (self.vintage, self.code)

    @property
    def label(self):
        """Name with unit type, as shown to people: 'Hát Lót (thị trấn)'."""
        return f"{self.name} ({UNIT_TYPES.get(self.unit_type, self.unit_type).lower()})"


def load_register(vintage, geodata=None):
    """The authored unit register of one vintage (the era's register in geodata/)."""
    check_vintage(vintage)
    path = (geodata or paths.GEODATA) / eras.era(vintage, geodata).register
    with open(path, encoding="utf-8", newline="") as f:
        return [Unit(vintage, r["code"], nfc(r["name"]), nfc(r["full_name"]), r["unit_type"],
                     tuple(nfc(v) for v in (r.get("name_variants") or "").split("|") if v))
                for r in csv.DictReader(f)]


def gadm_gids(vintage, geodata=None):
    """GADM GID_3 → GSO code, from the era's register's gadm_gid column (verified one to one)."""
    with open((geodata or paths.GEODATA) / eras.era(vintage, geodata).register, encoding="utf-8",
              newline="") as f:
        return {r["gadm_gid"]: r["code"] for r in csv.DictReader(f) if r.get("gadm_gid")}


def split_type(text):
    """('thi_tran', 'hát lót') from 'TT. Hát Lót' or 'Hát Lót (Thị trấn)'; type None if not given."""
    lowered = casefold_nfc(text)
    for pattern in (_SUFFIX, _PREFIX):
        found = pattern.search(lowered)
        if found:
            rest = (lowered[:found.start()] + lowered[found.end():]).strip()
            return _TYPE_BY_INITIAL[fold(found.group(1))[0]], rest
    return None, lowered


class NameMatcher:
    """Resolves free text (a name in any common spelling, or a code) to one unit of one vintage."""

    def __init__(self, units):
        self.units = list(units)
        self._by_code = {u.code: u for u in self.units}
        self._exact, self._folded = {}, {}
        for unit in self.units:
            for name in (unit.name, *unit.variants):
                self._exact.setdefault(casefold_nfc(name), []).append(unit)
                self._folded.setdefault(fold(name), []).append(unit)

    def resolve(self, text, unit_type=None):
        """The unit named by text; AmbiguousName or UnknownName otherwise."""
        cleaned = nfc(text or "")
        if cleaned in self._by_code:
            return self._by_code[cleaned]
        given_type, name = split_type(cleaned)
        wanted_type = unit_type or given_type
        candidates = _dedupe(self._exact.get(name) or self._folded.get(fold(name), []))
        if wanted_type:
            candidates = [u for u in candidates if u.unit_type == wanted_type]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise AmbiguousName(cleaned, candidates)
        raise UnknownName(cleaned, self.suggest(fold(name)))

    def suggest(self, folded, limit=3):
        names = {fold(u.name): u.name for u in self.units}
        close = difflib.get_close_matches(folded, list(names), n=limit, cutoff=0.6)
        return [names[c] for c in close]


def _dedupe(units):
    seen, out = set(), []
    for unit in units:
        if unit.key not in seen:
            seen.add(unit.key)
            out.append(unit)
    return out
