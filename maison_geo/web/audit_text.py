"""The audit log in words: each entry's target and details with labels in the UI language, never keys."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as N_

from .. import formatting, money
from ..errors import InvalidChoice
from ..planning import load_interventions
from .context import catalogue
from .locale import current_lang

DETAIL_LABELS = {
    "role": N_("role"), "from": N_("before the change"), "to": N_("after the change"), "was": N_("value before"), "note": N_("note"),
    "token_id": N_("token no."), "label": N_("label"), "scope": N_("may"), "expires_at": N_("valid until"),
    "version": N_("version"), "file_name": N_("file"), "sha256": N_("file fingerprint"), "vintage": N_("era"),
    "status": N_("status of the figures"), "figures": N_("figures"), "previous": N_("previous version"),
    "restored_from": N_("restored from version"), "target_id": N_("target no."), "value": N_("value"),
    "year": N_("year"), "source": N_("source"), "budget_vnd": N_("budget of the plan"),
}
WORD_VALUES = {"role", "scope", "vintage", "status", "from", "to"}
_VERSION = re.compile(r"^version (\d+)$")


def _indicator_label(key):
    try:
        return catalogue().get(key).label(current_lang())
    except (InvalidChoice, KeyError):
        return None


def _intervention_label(key):
    found = [i for i in load_interventions() if i.key == key]
    return found[0].label(current_lang()) if found else None


def target_text(entry):
    """What an entry is about: an indicator's or intervention's label, 'Phiên bản 3', else as recorded."""
    target = str(entry.get("target") or "")
    version = _VERSION.match(target)
    if version:
        return _("Version %(id)s", id=version.group(1))
    return _indicator_label(target) or _intervention_label(target) or target


def _value_text(key, value):
    if value is None or value == "":
        return "–"
    if key == "expires_at":
        return formatting.local_time(value, current_lang())
    if key == "budget_vnd":
        return money.money_text(value, current_lang())
    if key in WORD_VALUES and isinstance(value, str):
        return _(value)
    if key == "sha256":
        return str(value)[:12]
    if isinstance(value, float):
        return formatting.number(value, current_lang(), 0 if value.is_integer() else 2)
    return str(value)


def detail_lines(entry):
    """'vai trò: biên tập viên' lines of an entry's details; keys no label knows are left out (the JSON has them)."""
    detail = entry.get("detail") or {}
    return [f"{_(str(DETAIL_LABELS[k]))}: {_value_text(k, v)}" for k, v in detail.items() if k in DETAIL_LABELS]
