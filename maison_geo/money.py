"""Money the Vietnamese way: amounts in tỷ / triệu đồng, what people type into a budget box, and an
amount in words.

    money_text(50e9)            -> '50 tỷ đồng'        money_text(2.5e9, 'en') -> 'VND 2.5 billion'
    parse_money('2,5 tỷ')       -> 2500000000.0        parse_money('50.000.000.000') -> 50000000000.0
    money_words(2_500_000_000)  -> 'hai tỷ năm trăm triệu đồng'
"""
import math
import re
import unicodedata

from .formatting import number

BILLION = 1_000_000_000
MILLION = 1_000_000
THOUSAND = 1_000

SCALES = [  # (words as typed, factor); matched without diacritics and case
    (("ty", "ti", "billion", "bn", "b"), BILLION),
    (("trieu", "million", "tr", "m"), MILLION),
    (("nghin", "ngan", "thousand", "k"), THOUSAND),
    (("dong", "vnd", "d", ""), 1),
]
_UNIT_WORDS = {word: factor for words, factor in SCALES for word in words}
_AMOUNT = re.compile(r"^\s*([0-9][0-9.,\s_]*)\s*([^\d\s.,]*)\s*(?:dong|vnd|d)?\s*$")


class MoneyError(ValueError):
    """Text that is not an amount of money; the message says what was expected."""


def _plain(text):
    folded = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn").lower().strip()


def _decimal(digits, lang):
    """'50.000.000' or '2,5' (Vietnamese), '50,000,000' or '2.5' (English) as a float. A separator
    followed by groups of exactly three digits groups thousands; otherwise it is the decimal mark."""
    digits = re.sub(r"[\s_]", "", digits)
    group, mark = (".", ",") if lang == "vi" else (",", ".")
    if group in digits and mark in digits:
        if digits.rfind(group) > digits.rfind(mark):
            group, mark = mark, group  # '1,234.5' typed on a Vietnamese page: the last one is decimal
        return float(digits.replace(group, "").replace(mark, "."))
    for sep in (group, mark):
        if sep in digits:
            parts = digits.split(sep)
            if len(parts) > 2 or (sep == group and len(parts[-1]) == 3):
                if not all(len(p) == 3 for p in parts[1:]):
                    raise MoneyError(f"'{digits}': groups of three digits after each '{sep}'")
                return float("".join(parts))
            return float(digits.replace(sep, "."))
    return float(digits)


def parse_money(text, lang="vi"):
    """VND from what a person types: a number (with Vietnamese or English grouping) and an optional
    scale word (tỷ, triệu, nghìn, billion, million; đồng/VND may follow). Raises MoneyError."""
    if isinstance(text, bool):
        raise MoneyError("an amount is needed")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        plain = _plain(text)
        match = _AMOUNT.match(plain)
        if not plain or not match:
            raise MoneyError(f"an amount is needed: '{text}' is not one (write e.g. 50 tỷ, 2,5 tỷ or 50.000.000.000)")
        scale = match.group(2)
        if scale not in _UNIT_WORDS:
            raise MoneyError(f"'{text}': unknown unit '{scale}' (tỷ, triệu, nghìn, đồng)")
        try:
            value = _decimal(match.group(1), lang) * _UNIT_WORDS[scale]
        except ValueError as error:
            raise MoneyError(str(error) if isinstance(error, MoneyError) else f"'{text}' is not an amount") \
                from None
    if not math.isfinite(value):
        raise MoneyError(f"'{text}' is not a finite amount")
    return value


def money_text(vnd, lang="vi", unit=True):
    """'50 tỷ đồng', '2,5 tỷ đồng', '780 triệu đồng', '45.000 đồng' (up to 2 decimals, never a false
    zero: 1.234.000.000 is '1,23 tỷ'). English: 'VND 50 billion'."""
    if vnd is None:
        return "–"
    vnd = float(vnd)
    size = abs(vnd)
    if size >= BILLION:
        amount, word = vnd / BILLION, ("tỷ", "billion")
    elif size >= MILLION:
        amount, word = vnd / MILLION, ("triệu", "million")
    else:
        amount, word = round(vnd), (None, None)  # whole đồng below a million
    decimals = 0 if float(amount).is_integer() else (1 if round(amount, 1) == round(amount, 2) else 2)
    text = number(round(amount, decimals), lang, decimals).rstrip()
    scale = word[0 if lang == "vi" else 1]
    if lang == "vi":
        return " ".join(p for p in (text, scale, "đồng" if unit else None) if p)
    return " ".join(p for p in ("VND" if unit else None, text, scale) if p)


def millions_text(vnd, lang="vi"):
    """VND in a column headed 'triệu đồng': whole millions, one decimal below 10 million."""
    if vnd is None:
        return "–"
    amount = float(vnd) / MILLION
    decimals = 0 if amount.is_integer() or abs(amount) >= 10 else 1
    return number(round(amount, decimals), lang, decimals)


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _hundreds(n, full):
    """Words for 0 < n < 1000; `full` when a higher group precedes ('không trăm linh năm')."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words = []
    if h or full:
        words += [_DIGITS[h], "trăm"]
    if t > 1:
        words += [_DIGITS[t], "mươi"]
        if u:
            words.append("mốt" if u == 1 else "lăm" if u == 5 else "tư" if u == 4 else _DIGITS[u])
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else _DIGITS[u])
    elif u:
        if h or full:
            words.append("linh")
        words.append(_DIGITS[u])
    return words


def _vietnamese_words(n):
    if n == 0:
        return ["không"]
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        return _vietnamese_words(high) + ["tỷ"] + (_vietnamese_words_rest(low) if low else [])
    return _vietnamese_words_rest(n, leading=True)


def _vietnamese_words_rest(n, leading=False):
    groups = [n // MILLION % 1000, n // THOUSAND % 1000, n % 1000]
    words, started = [], not leading
    for value, name in zip(groups, ["triệu", "nghìn", ""]):
        if value:
            words += _hundreds(value, started) + ([name] if name else [])
            started = True
    return words


def money_words(vnd, lang="vi"):
    """The whole-đồng amount in words, as written on a payment order: 'hai tỷ năm trăm triệu đồng'.
    English: '2,500,000,000 Vietnamese dong'."""
    n = int(round(float(vnd)))
    if lang != "vi":
        return f"{number(n, 'en')} Vietnamese dong"
    words = _vietnamese_words(abs(n))
    text = " ".join(words) + " đồng"
    return ("âm " + text) if n < 0 else text
