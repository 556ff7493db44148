"""Numbers as people read them: 1.234,5 in Vietnamese, 1,234.5 in English."""
from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}


def number(value, lang="vi", decimals=0):
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals + ("#" if decimals == 1 else "") if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "vi_VN"))


def decimals_for(kind, value=None):
    if kind == "percent":
        return 1
    if kind == "length_km":
        return 1 if value is None or not float(value).is_integer() else 0
    return 0


def value_text(value, indicator, lang="vi", denominator=None, yes_no=("Có", "Không")):
    """A value with its unit: '47,1 %', '1.296 hộ', 'Có', '3/5', 'Khu vực III'."""
    if value is None:
        return "–"
    if indicator.kind == "categorical":
        category = indicator.category(value)
        return category.label(lang) if category else "–"
    if indicator.kind == "boolean":
        if denominator:
            return f"{number(value, lang)}/{number(denominator, lang)}"
        return yes_no[0] if value else yes_no[1]
    text = number(value, lang, decimals_for(indicator.kind, value))
    unit = indicator.unit_label(lang)
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text} %"
