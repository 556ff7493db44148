"""Languages: Vietnamese by default, English on request; catalogues compiled from the .po sources.

Every catalogue text is a %-format string: Jinja's gettext (newstyle) always applies `%`, and flask_babel
does whenever variables are given. So a literal percent sign is written `%%`, and a translation must
have exactly the placeholders of its msgid; compile_catalogues leaves out (and logs) any that does not,
so that text falls back to the msgid instead of breaking a page.
"""
import logging
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
TRANSLATIONS = Path(__file__).parent / "translations"

log = logging.getLogger(__name__)

# One conversion of Python's % operator: %(name)s, %s, %5.1f ... or %% (a literal percent sign).
_CONVERSION = re.compile(r"%(?:\((?P<name>[^()]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                         r"(?P<type>[diouxXeEfFgGcrsa%])")


def placeholders(text):
    """The placeholders of a %-format string, sorted (`%(n)s`, `%s`; `%%` is a literal, not one).
    ValueError when a `%` starts no conversion: the % operator would fail on the text."""
    found, at = [], 0
    while (at := text.find("%", at)) >= 0:
        match = _CONVERSION.match(text, at)
        if match is None or (match["type"] == "%" and match["name"] is not None):
            raise ValueError(f"a % that starts no placeholder at {text[at:at + 12]!r}: write %% for a percent sign")
        if match["type"] != "%":
            found.append(match.group())
        at = match.end()
    return sorted(found)


def _loose_placeholders(text):
    """The placeholders of a msgid; a stray % there counts as a literal percent sign."""
    try:
        return placeholders(text)
    except ValueError:
        return sorted(m.group() for m in _CONVERSION.finditer(text) if m["type"] != "%")


def message_problems(message):
    """What is wrong with one message's translation(s): [] when it is safe to format."""
    if not message.id or not message.string:
        return []
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    texts = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    expected = _loose_placeholders(ids[0])
    problems = []
    for text in texts:
        if not text:
            continue
        try:
            found = placeholders(text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if found != expected:
            problems.append(f"placeholders {found or 'none'} where the msgid has {expected or 'none'}")
    return problems


def _problems(catalog):
    """[(message, problem)]: ours (placeholders) and babel's own checkers (python-format, plurals)."""
    found = [(m, p) for m in catalog for p in message_problems(m)]
    for message, errors in catalog.check():
        found += [(message, str(e)) for e in errors]
    return found


def catalogue_problems(catalog):
    """[(line, msgid, problem)] for every translation that would break a page or lose a placeholder."""
    problems = {(m.lineno, m.id if isinstance(m.id, str) else m.id[0], p) for m, p in _problems(catalog)}
    return sorted(problems, key=lambda p: (p[0] or 0, p[1], p[2]))


def compile_catalogues(folder=TRANSLATIONS):
    """messages.po → messages.mo where the .mo is missing or older (the .mo is not committed).
    A translation with wrong placeholders is left out and logged: its msgid is shown instead."""
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as f:
            catalog = read_po(f)
        for message, problem in _problems(catalog):
            log.warning("%s:%s: translation of %r left out: %s", po_path, message.lineno, message.id, problem)
            catalog.delete(message.id, context=message.context)
        partial = mo_path.with_suffix(".mo.part")
        with open(partial, "wb") as f:
            write_mo(f, catalog)
        partial.replace(mo_path)
