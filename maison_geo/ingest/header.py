"""The header row of an upload: found among the first rows (title rows above it are skipped), each
cell named as a commune or meta column (code, name, period, ...) or as an indicator column."""
import difflib
import re

from ..text import fold, nfc

HEADER_SEARCH = 15                # rows looked at for the header

ALIASES = {
    "code": ("code", "ma", "ma xa", "ma don vi", "ma dvhc", "ma hanh chinh", "ma so", "commune code",
             "unit code", "ma xa/thi tran", "ma xa, thi tran"),
    "name": ("name", "ten", "ten xa", "ten don vi", "xa", "commune", "unit", "don vi", "xa/thi tran",
             "xa, thi tran", "xa thi tran", "ten xa/thi tran", "ten xa, thi tran", "don vi hanh chinh",
             "commune name", "unit name", "full name", "full_name"),
    "unit_type": ("unit type", "unit_type", "type", "loai", "loai don vi", "cap"),
    "indicator": ("indicator", "chi tieu", "ma chi tieu", "ten chi tieu", "key"),
    "period": ("period", "nam", "year", "ky", "ky bao cao", "nam bao cao"),
    "value": ("value", "gia tri", "so lieu", "gia tri so lieu"),
    "denominator": ("denominator", "mau so"),
    "note": ("note", "ghi chu", "notes"),
    "source": ("source", "nguon", "nguon so lieu"),
    "vintage": ("vintage", "era", "thoi ky", "giai doan"),
    "ignore": ("stt", "tt", "no", "no.", "#", "so tt", "so thu tu"),
}
_ALIAS = {alias: role for role, names in ALIASES.items() for alias in names}


def column_letter(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm(text):
    return " ".join(fold(str(text)).replace("_", " ").strip(" :*.").split())


def _header_forms(text):
    """The ways a header may name its column: [key], the whole text, without (...), inside (...)."""
    raw = nfc(str(text))
    forms = [m.strip() for m in re.findall(r"\[([^\]]+)\]", raw)]
    bare = re.sub(r"\[[^\]]*\]", " ", raw)
    forms.append(bare)
    forms.append(re.sub(r"\([^)]*\)", " ", bare))
    forms.extend(re.findall(r"\(([^)]*)\)", bare))
    return [f for f in forms if f and f.strip()]


class _Indicators:
    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.by_form = {}
        for ind in catalogue:
            for form in (ind.key, ind.label_vi, ind.label_en):
                self.by_form.setdefault(_norm(form), ind)

    def find(self, text):
        for form in _header_forms(text):
            found = self.by_form.get(_norm(form))
            if found:
                return found
        return None

    def suggest(self, text):
        names = {_norm(i.key): i.key for i in self.catalogue}
        names.update({_norm(i.label_vi): i.key for i in self.catalogue})
        forms = [_norm(f) for f in _header_forms(text)]
        close = []
        for form in forms:
            close += difflib.get_close_matches(form, list(names), n=3, cutoff=0.6)
        return list(dict.fromkeys(names[c] for c in close))[:3]


def _role(text, indicators):
    """('code'|'name'|...|'indicator_column', indicator or None) for a header cell; None if unknown."""
    if text is None or str(text).strip() == "":
        return None
    forms = _header_forms(text)
    for form in forms[:1] if "[" in str(text) else []:   # an explicit [key] decides
        ind = indicators.by_form.get(_norm(form))
        if ind:
            return "indicator_column", ind
        if _norm(form) in _ALIAS:
            return _ALIAS[_norm(form)], None
    for form in forms:
        if _norm(form) in _ALIAS:
            return _ALIAS[_norm(form)], None
        ind = indicators.by_form.get(_norm(form))
        if ind:
            return "indicator_column", ind
    return None


def _find_header(rows, indicators):
    """(index into rows of the header, roles) of the first row that names a commune column and either
    indicator columns or indicator + value; (None, None) if there is none."""
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH]):
        roles = [_role(v, indicators) for v in values]
        names = {r[0] for r in roles if r}
        if names & {"code", "name"} and ("indicator_column" in names or {"indicator", "value"} <= names):
            return index, roles
    return None, None


def _names_a_commune_column(rows):
    """True when one of the first rows has a code or name header (to pick the data sheet of a workbook)."""
    for _, values in rows[:HEADER_SEARCH]:
        for value in values:
            if value is not None and any(_ALIAS.get(_norm(f)) in ("code", "name") for f in _header_forms(value)):
                return True
    return False
