"""One cell of an upload: blanks, commune codes as the register writes them, and numbers in either
decimal convention (Vietnamese 1.234,5 or 1,234.5)."""
import re

_BLANKS = {"-", "–", "—", "..", "...", "…", "n/a", "na"}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _numeric_text(text):
    s = _SPACES.sub("", str(text)).replace("−", "-").rstrip("%")
    return s if re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", s) else None


def decimal_votes(texts):
    """(numbers written the Vietnamese way, numbers written the English way) among texts; numbers that
    fit both (1.234, 1,234, 12) do not count."""
    comma = dot = 0
    for text in texts:
        s = _numeric_text(text)
        if s is None:
            continue
        if "," in s and "." in s:
            comma, dot = (comma + 1, dot) if s.rfind(",") > s.rfind(".") else (comma, dot + 1)
        elif "," in s and not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", s):
            if s.count(",") == 1:
                comma += 1
            else:
                dot += 1
        elif "." in s and not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", s):
            if s.count(".") == 1:
                dot += 1
            else:
                comma += 1
    return comma, dot


def decimal_convention(texts):
    """'comma' (Vietnamese: 1.234,5) or 'dot' (1,234.5), from the number texts of a file; with no
    evidence, the Vietnamese way."""
    comma, dot = decimal_votes(texts)
    return "dot" if dot > comma else "comma"


def decimal_evidence(texts):
    """True when some number of the file shows which decimal sign it uses."""
    return any(decimal_votes(texts))


def read_both_ways(text):
    """For a number that fits both conventions with one separator (1.500, 1,500): its reading as a
    decimal (1.5); else None."""
    s = _numeric_text(text)
    if s is None or not re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", s):
        return None
    return float(s.replace(",", "."))


def parse_number(text, convention="comma"):
    """A float from text written with the file's convention; None when it is not a number."""
    s = _numeric_text(text)
    if s is None:
        return None
    thousands, decimal = (".", ",") if convention == "comma" else (",", ".")
    pattern = rf"[+-]?(\d{{1,3}}(\{thousands}\d{{3}})+|\d+)(\{decimal}\d+)?"
    if not re.fullmatch(pattern, s):
        return None
    return float(s.replace(thousands, "").replace(decimal, "."))


def _plain(number):
    if number is None:
        return None
    return int(number) if float(number).is_integer() else round(float(number), 6)


def _blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or value.strip().lower() in _BLANKS
    return False


def _present(value):
    return value is not None and str(value).strip() != ""


def _code_text(value):
    """A code as the register writes it: Excel turns 04105 into the number 4105."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,5}", text):
        return text.zfill(5)
    return text
