"""Documents built from the print maps: a commune's one-page fact sheet and the atlas of every indicator."""
import datetime as dt
import io
import textwrap

from . import static_map as sm
from .formatting import display_decimals, value_text

PORTRAIT_A4 = (8.27, 11.69)
def _IDENTITY(text, **values):  # noqa: N802 - stands in for gettext, which formats its keywords
    return text % values if values else text


def fact_sheet(unit, vintage, rows, catalogue, units, boundary_sources, _=_IDENTITY, lang="vi", today=None):
    """One A4 portrait page: locator map, then every indicator with year, value, district, status, source.
    rows: the profile's rows (pages._profile_rows)."""
    fig = sm.new_figure(PORTRAIT_A4)
    fig.text(0.06, 0.965, unit.full_name, fontsize=18, weight="bold", color=sm.INK, va="top")
    fig.text(0.06, 0.93, f"{_('Commune profile')} · {_(vintage)} · {_('code')} {unit.code}",
             fontsize=9.5, color=sm.MUTED, va="top")
    ax = fig.add_axes([0.06, 0.62, 0.5, 0.29])
    sm.draw_units(ax, None, sm.projected(units), 0.75, label=False, highlight=unit.code)
    _summary(fig, unit, rows, units, _, lang)
    _indicator_table(fig, rows, catalogue, _, lang)
    sources = "; ".join(dict.fromkeys(p.strip() for r in rows for p in (r.get("source") or "").split("; ") if p.strip()))
    sm.footer(fig, sources or "–", boundary_sources, _, 0.72, today)
    if any(r.get("status") == "illustrative" for r in rows):
        fig.text(0.94, 0.965, _("ILLUSTRATIVE DATA"), ha="right", va="top", fontsize=12, weight="bold",
                 color=sm.STAMP, bbox={"boxstyle": "square,pad=0.35", "facecolor": "white",
                                       "edgecolor": sm.STAMP, "linewidth": 1.4})
    return fig


def _summary(fig, unit, rows, units, _, lang):
    from .formatting import number
    area = units.loc[units.code == unit.code, "area_km2"]
    counts = {s: sum(1 for r in rows if r.get("status") == s) for s in ("official", "reported", "illustrative")}
    lines = [f"{_(unit.unit_type)}".capitalize(),
             f"{_('Area')}: {number(float(area.iloc[0]), lang, 1)} km²" if len(area) else "",
             f"{_('Indicators')}: {len(rows)}"]
    lines += [f"{_(s)}: {n}" for s, n in counts.items() if n]
    lines.append(f"{_('No data')}: {sum(1 for r in rows if not r.get('status'))}")
    fig.text(0.62, 0.89, "\n".join(line for line in lines if line), fontsize=10, color=sm.INK, va="top",
             linespacing=1.6)


COLUMNS = ((0.06, "Indicator"), (0.40, "Year"), (0.46, "Value"), (0.58, "District"), (0.70, "Status"),
           (0.79, "Source"))


def _indicator_table(fig, rows, catalogue, _, lang):
    top, step = 0.585, min(0.026, 0.47 / max(len(rows), 1))
    for x, title in COLUMNS:
        fig.text(x, top, _(title), fontsize=8, weight="bold", color=sm.INK, va="top")
    fig.add_artist(_rule(fig, top - 0.016))
    yes_no = (_("Yes"), _("No"))
    for i, row in enumerate(rows):
        y = top - 0.022 - i * step
        ind = catalogue.get(row["indicator"])
        label = textwrap.shorten(row["label"], 62, placeholder="…")
        cells = [label, str(row.get("period") or "–"),
                 value_text(row.get("value"), ind, lang, row.get("denominator"), yes_no, _decimals(ind)),
                 value_text(row.get("district_value"), ind, lang, None, yes_no, _decimals(ind)),
                 _(row["status"]) if row.get("status") else _("No data"),
                 textwrap.shorten(row.get("source") or "–", 24, placeholder="…")]
        color = "#8a3b00" if row.get("status") == "illustrative" else sm.INK
        for (x, _title), cell in zip(COLUMNS, cells):
            fig.text(x, y, cell, fontsize=7.2, color=color, va="top")


def _decimals(ind):
    """The print map's one precision, so the sheet and the maps read the same."""
    return None if ind.kind == "boolean" else display_decimals(ind.kind)


def _rule(fig, y):
    from matplotlib.lines import Line2D
    return Line2D([0.06, 0.94], [y, y], transform=fig.transFigure, color=sm.MUTED, linewidth=0.6)


def atlas(pages, title, subtitle, _=_IDENTITY, today=None):
    """A PDF: a contents page, then one page per (label, figure-maker). pages: [(label, make)], where
    make() returns a landscape map figure; made one at a time so memory stays flat."""
    from matplotlib.backends.backend_pdf import PdfPages
    buffer = io.BytesIO()
    today = today or dt.date.today()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "maison-geo"}) as pdf:
        pdf.savefig(_contents(pages, title, subtitle, _, today))
        for number, (label, make) in enumerate(pages, start=2):
            fig = make()
            fig.text(0.97, 0.015, f"{_('Page')} {number}/{len(pages) + 1}", ha="right", va="bottom",
                     fontsize=7, color=sm.MUTED)
            pdf.savefig(fig)
    return buffer.getvalue()


def _contents(pages, title, subtitle, _, today):
    fig = sm.new_figure(sm.PAPERS["a4"])
    fig.text(0.06, 0.92, title, fontsize=22, weight="bold", color=sm.INK, va="top")
    fig.text(0.06, 0.85, subtitle, fontsize=11, color=sm.MUTED, va="top")
    fig.text(0.06, 0.78, _("Contents"), fontsize=13, weight="bold", color=sm.INK, va="top")
    per_column = 20
    for i, (label, _make) in enumerate(pages):
        x = 0.06 + (i // per_column) * 0.46
        y = 0.73 - (i % per_column) * 0.031
        fig.text(x, y, textwrap.shorten(label, 70, placeholder="…"), fontsize=9, color=sm.INK, va="top")
        fig.text(x + 0.42, y, str(i + 2), fontsize=9, color=sm.INK, va="top", ha="right")
    fig.text(0.06, 0.03, _("Produced on %(date)s with maison-geo", date=today.isoformat()), fontsize=7,
             color=sm.MUTED)
    return fig
