"""Maps of categories (a categorical status, a yes/no): one colour per category, never classed into ranges.

The palette is Okabe–Ito, told apart under the common colour-vision deficiencies; no data stays grey.
"""
from dataclasses import dataclass, field

from markupsafe import Markup

from .facts import fact_line
from .formatting import value_text
from .maps import NO_DATA_COLOR, ChoroplethView, LegendEntry, tooltip_html

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
YES_NO_COLORS = {"yes": "#0072B2", "partly": "#56B4E9", "no": "#E69F00"}
NOT_APPLICABLE = "not_applicable"
_IDENTITY = lambda text, **values: text % values if values else text  # noqa: E731


@dataclass
class CategoryClass:
    key: str
    label: str
    color: str
    count: int


@dataclass
class CategoryClassification:
    """Stands where a numeric Classification would: the categories in their catalogue order."""
    classes: list = field(default_factory=list)
    scheme: str = "categories"
    bands: tuple = ()

    @property
    def k(self):
        return len(self.classes)

    def index_of(self, key):
        return next((i for i, c in enumerate(self.classes) if c.key == key), None)


def category_colors(indicator):
    """key → colour. Statuses keep their colour whatever the period: none amber, then blue, green..."""
    if indicator.kind == "boolean":
        return dict(YES_NO_COLORS)
    order = [OKABE_ITO[1], OKABE_ITO[0], OKABE_ITO[2], *OKABE_ITO[3:]] if indicator.carry_forward else OKABE_ITO
    return {c.key: order[i % len(order)] for i, c in enumerate(indicator.categories)}


def category_of(row, indicator):
    """The category key of a value row: its category, or yes / partly / no for a boolean (k of n)."""
    if row.value is None:
        return None
    if indicator.kind == "boolean":
        if row.denominator:
            return "yes" if row.value >= row.denominator else ("no" if row.value == 0 else "partly")
        return "yes" if row.value else "no"
    return row.category.key if row.category else None


def applies(row, indicator):
    return not indicator.applies_to or row.unit is None or row.unit.unit_type in indicator.applies_to


def category_labels(indicator, lang, _=_IDENTITY):
    if indicator.kind == "boolean":
        return {"yes": _("Yes"), "partly": _("Some former communes"), "no": _("No")}
    return {c.key: c.label(lang) for c in indicator.categories}


def build_qualitative_view(table, lang="vi", _=_IDENTITY):
    """Legend (every category with its count, then no data), styles and tooltips of a categorical map."""
    indicator = table.indicator
    colors, labels = category_colors(indicator), category_labels(indicator, lang, _)
    keys = [NOT_APPLICABLE if not applies(r, indicator) else category_of(r, indicator) for r in table.rows]
    shown = [k for k in labels if k != "partly" or "partly" in keys]
    classes = CategoryClassification([CategoryClass(k, labels[k], colors[k], keys.count(k)) for k in shown])
    legend = [LegendEntry(c.color, c.label, c.count) for c in classes.classes]
    if NOT_APPLICABLE in keys:  # a thị trấn for an indicator of xã: not a missing figure
        types = ", ".join(_(t) for t in indicator.applies_to)
        legend.append(LegendEntry(NO_DATA_COLOR, _("Not applicable (only for %(types)s)", types=types),
                                  keys.count(NOT_APPLICABLE)))
    legend.append(LegendEntry(NO_DATA_COLOR, _("No data"), keys.count(None), no_data=True))
    view = ChoroplethView(table, classes, [c.color for c in classes.classes], legend, lang=lang)
    yes_no = (_("Yes"), _("No"))
    for row, key in zip(table.rows, keys):
        view.value_texts[row.unit.code] = value_text(row.value, indicator, lang, row.denominator, yes_no)
        key = None if key == NOT_APPLICABLE else key
        view.styles[row.unit.code] = {"fill": colors[key] if key else NO_DATA_COLOR,
                                      "band": classes.index_of(key) if key else None,
                                      "illustrative": row.status == "illustrative"}
        if key:
            view.tooltips[row.unit.code] = fact_tooltip(row, table, lang, _)
    return view


def fact_tooltip(row, table, lang="vi", _=_IDENTITY):
    """The usual tooltip, with the fact's date, quote and link when the figure comes from a dated source."""
    base = tooltip_html(row, table, lang, _)
    line = fact_line(row, table.indicator, lang, _)
    if not line:
        return base
    extra = [Markup("<small>{}</small>").format(line.text)]
    if line.quote:
        extra.append(Markup("<small><q>{}</q></small>").format(line.quote))
    if line.url:
        extra.append(Markup('<small><a href="{}" target="_blank" rel="noreferrer">{}</a></small>').format(
            line.url, _("Read the source")))
    return str(Markup(base) + Markup("<br>") + Markup("<br>").join(extra))


def qualitative_payload(view):
    """The map's JSON twin of a categorical legend."""
    return {"scheme": "categories", "k": view.classification.k,
            "classes": [{"key": c.key, "label": c.label, "count": c.count, "color": c.color}
                        for c in view.classification.classes],
            "not_applicable": sum(e.count for e in view.legend[len(view.classification.classes):-1]),
            "no_data": {"color": NO_DATA_COLOR, "count": view.legend[-1].count}}
