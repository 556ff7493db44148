"""Typed errors of the core; the web layer maps each to one HTTP status in one place."""
import re


class MaisonError(Exception):
    status = 400

    def to_dict(self):
        return {"error": str(self)}


class InvalidChoice(MaisonError):
    """A parameter whose value is not one of the valid choices. Without choices, the reason says what
    a valid value is; without either, the message says that no value is available (`where`: for what)."""

    def __init__(self, param, value, choices, reason="", where=""):
        self.param, self.value, self.choices, self.reason = param, value, list(choices), reason
        if self.choices:
            why = f" ({reason})" if reason else ""
            shown = ", ".join(str(c) for c in self.choices)
            message = f"{param}={value!r} is not valid{why}; choose one of: {shown}"
        else:
            why = reason or f"no value of {param} is available" + (f" for {where}" if where else "")
            message = why if value in (None, "") and not reason else f"{param}={value!r} is not valid: {why}"
        super().__init__(message)

    def to_dict(self):
        return {"error": str(self), "param": self.param, "value": self.value,
                "choices": self.choices}

    def reason_text(self, _, english=False):
        """The reason in the UI language when the catalogue has it (or for numbers it knows), else ''."""
        shares = re.match(r"^the minimum shares sum to (\S+) %, above 100 % of the budget$", self.reason or "")
        if shares:
            return _("the minimum shares add up to %(total)s %%, above 100 %% of the budget", total=shares.group(1))
        said = _(self.reason) if self.reason else ""
        return said if english or said != self.reason else ""


class Forbidden(MaisonError):
    """The account may not do this (403)."""
    status = 403


class NotFound(MaisonError):
    status = 404


class UnknownName(MaisonError):
    """Free text that names no unit; carries the closest suggestions."""

    def __init__(self, text, suggestions):
        self.text, self.suggestions = text, list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no commune is called {text!r}{hint}")

    def to_dict(self):
        return {"error": str(self), "text": self.text, "suggestions": self.suggestions}


class AmbiguousName(MaisonError):
    """Free text that names several units (two units are called Hát Lót)."""

    def __init__(self, text, candidates):
        self.text, self.candidates = text, list(candidates)
        names = " or ".join(f"{u.full_name} ({u.code})" for u in self.candidates)
        super().__init__(f"{text!r} is ambiguous: {names}; give the unit type or the code")

    def to_dict(self):
        return {"error": str(self), "text": self.text,
                "candidates": [{"code": u.code, "name": u.full_name} for u in self.candidates]}


class DataError(MaisonError):
    """Upstream or authored data that fails a check (wrong checksum, missing unit...)."""
    status = 500
