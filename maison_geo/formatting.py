"""Numbers as people read them: 1.234,5 in Vietnamese, 1,234.5 in English."""
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}


def number(value, lang="vi", decimals=0):
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals + ("#" if decimals == 1 else "") if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "vi_VN"))


def rounded(value, decimals):
    """The value as shown at that many decimals, half up on its decimal text (0.15 → 0.2), as a float:
    what a legend classes and what every view writes, so they always agree."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)) + 0.0


def fixed(value, lang="vi", decimals=0):
    """Exactly that many decimals, rounded as rounded() does: '98,0', '1.234'."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(repr(rounded(value, decimals))), format=pattern,
                          locale=LOCALES.get(lang, "vi_VN"), decimal_quantization=False)


def display_decimals(kind):
    """One precision per kind for a whole map: legend limits, tooltips, table, exports."""
    return 1 if kind in ("percent", "length_km") else 0


def decimals_for(kind, value=None):
    if kind == "percent":
        return 1
    if kind == "length_km":
        return 1 if value is None or not float(value).is_integer() else 0
    return 0


def with_unit(text, indicator, lang="vi"):
    unit = indicator.unit_label(lang)
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text} %"


def value_text(value, indicator, lang="vi", denominator=None, yes_no=("Có", "Không"), decimals=None):
    """A value with its unit: '47,1 %', '1.296 hộ', 'Có', '3/5', 'Khu vực III'. decimals: exactly that many (a map's
    one precision), else as few as the value needs."""
    if value is None:
        return "–"
    if indicator.kind == "categorical":
        category = indicator.category(value)
        return category.label(lang) if category else "–"
    if indicator.kind == "boolean":
        if denominator:
            return f"{number(value, lang)}/{number(denominator, lang)}"
        return yes_no[0] if value else yes_no[1]
    if decimals is None and indicator.kind == "percent":
        decimals = display_decimals("percent")  # the maps' one precision, in every table too
    if decimals is not None:
        return with_unit(fixed(value, lang, decimals), indicator, lang)
    return with_unit(number(value, lang, decimals_for(indicator.kind, value)), indicator, lang)


LOCAL_ZONE = "Asia/Ho_Chi_Minh"


def local_time(stamp, lang="vi"):
    """An ISO time as officers read it, in Vietnam's time: '2026-12-02T11:52:47+00:00' → '02/12/2026 18:52'
    (vi) or '2 Dec 2026 18:52' (en). A time without a zone is taken as UTC; text that is no time is kept."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return "" if stamp is None else str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(ZoneInfo(LOCAL_ZONE))
    return moment.strftime("%d/%m/%Y %H:%M") if lang == "vi" else f"{moment.day} {moment:%b %Y %H:%M}"
