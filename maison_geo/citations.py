"""Sources and notes as a reader should see them: one plain sentence for the illustrative set, the
report's title without the project's own remarks, no URLs in the text (pages give them as links).
The raw `source` stays in the data files, the CSV/JSON twins and the README."""
import re

from . import illustrative

_IDENTITY = lambda text, **values: text % values if values else text  # noqa: E731
ILLUSTRATIVE = ("Illustrative figures, not official: each commune's figure is made up so that the communes "
                "add up to the district figure of the 2020–2025 term report of Mai Sơn district")
REPORT_REMARK = " (district figures as supplied in the project brief)"
AGGREGATED = "aggregated from former communes: "
_ILLUSTRATIVE_RAW = re.compile(r"maison-geo illustrative demo set \(python -m [^)]*\)(?:; district totals from the "
                               r"2020–2025 term report)?")
_URL = re.compile(r"\s*https?://[^\s;]+")
_SUM = re.compile(r"^sum of (\d+) former communes \((.*)\)$")
_OF = re.compile(r"^(\d+) of (\d+) former communes \((.*)\)$")
NOTES = {illustrative.NOTE: "Illustrative: not a real figure of this commune; the communes add up to the district figure",
         **{note: "Illustrative: not a real figure; no road need is published, so each commune's is made up at about "
                  "half the km it widened in 2020–2025" for note in illustrative.NOTES.values()}}


def source_text(source, _=_IDENTITY):
    """'maison-geo illustrative demo set (python -m …)' → 'Số liệu minh họa, chưa phải số liệu chính thức: …';
    each of several '; '-joined sources in turn, once each."""
    text = _URL.sub("", _ILLUSTRATIVE_RAW.sub("\0", (source or "").replace(REPORT_REMARK, "")))
    parts = dict.fromkeys(_one_source(p.strip(), _) for p in text.split("; "))
    return "; ".join(p for p in parts if p)


def _one_source(text, _):
    if text.startswith(AGGREGATED):
        return _("Sum of the former communes: %(sources)s", sources=_one_source(text[len(AGGREGATED):], _))
    return text.replace("\0", _(ILLUSTRATIVE))


def note_text(note, _=_IDENTITY):
    """A value's note in the UI language where it is one the project writes; other notes as recorded."""
    text = (note or "").strip()
    if text in NOTES:
        return _(NOTES[text])
    summed = _SUM.match(text)
    if summed:
        return _("sum of %(n)s former communes (%(codes)s)", n=summed.group(1), codes=summed.group(2))
    counted = _OF.match(text)
    if counted:
        return _("%(k)s of %(n)s former communes (%(codes)s)", k=counted.group(1), n=counted.group(2),
                 codes=counted.group(3))
    return text


# The planner's gap rules and row notes (maison_geo/planning/gaps.py writes them for the JSON) in words.
_FULL = "full coverage (planning assumption: no official target is recorded)"
_TARGET = re.compile(r"^target (\S+) % by (\d+) \((.*)\)$")
_NEED = re.compile(r"^([a-z][a-z0-9_]*) (\S+) (\S+) \((\w+)\)$")
_AS_OF = re.compile(r"^as of ([0-9-]+)$")
_PER_BAN = re.compile(r"^beneficiaries per bản derived: (\S+) households / (\S+) bản$")
_NO_HH = re.compile(r"^no households figure in (\d+): beneficiaries per bản unknown$")
_NO_FIGURE = re.compile(r"^no figure for ([a-z0-9_, ]+) in (\d+)$")


def gap_rule_text(basis, label, _=_IDENTITY):
    """'road_need_km 12 km (illustrative)' → 'Đường còn phải cứng hóa của từng xã (minh họa)'; label(key) names
    an indicator. One text per rule, not per commune, so that a page lists each rule once."""
    if basis == _FULL:
        return _("full coverage (a planning assumption: no official target is recorded)")
    if basis == "no data":
        return _("No data")
    target = _TARGET.match(basis or "")
    if target:
        return _("target %(value)s %% by %(year)s (%(source)s)", value=target.group(1), year=target.group(2),
                 source=source_text(target.group(3), _))
    need = _NEED.match(basis or "")
    if need:
        return _("%(indicator)s of each commune (%(status)s)", indicator=label(need.group(1)), status=_(need.group(4)))
    return basis or ""


def plan_note_text(note, label, date_text, _=_IDENTITY):
    """A planner row's '; '-joined notes in words: dates as dates, indicator names instead of keys."""
    return "; ".join(p for p in (_plan_note(p.strip(), label, date_text, _) for p in (note or "").split("; ")) if p)


def _plan_note(part, label, date_text, _):
    matched = _AS_OF.match(part)
    if matched:
        return _("as of %(date)s", date=date_text(matched.group(1)))
    matched = _PER_BAN.match(part)
    if matched:
        return _("households per bản: %(hh)s households / %(ban)s bản", hh=matched.group(1), ban=matched.group(2))
    matched = _NO_HH.match(part)
    if matched:
        return _("no households figure in %(year)s: households per bản unknown", year=matched.group(1))
    matched = _NO_FIGURE.match(part)
    if matched:
        names = ", ".join(label(k.strip()) for k in matched.group(1).split(","))
        return _("no figure for %(names)s in %(year)s", names=names, year=matched.group(2))
    return note_text(part, _)
