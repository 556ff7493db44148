"""The planner's two-page brief for a budget meeting (PDF): what the budget buys, what each extra tỷ buys,
money per commune with the reason; then the map of money per commune (static_map)."""
import datetime as dt
import io
import textwrap

from . import static_map as sm
from .formatting import number
from .money import millions_text, money_text

LANDSCAPE_A4 = sm.PAPERS["a4"]
_IDENTITY = lambda text: text  # noqa: E731


def plan_brief(result, curve, map_figure, reasons, _=_IDENTITY, lang="vi", today=None, name=None):
    """PDF bytes. result: Plan.to_dict(); curve: the frontier (or None); map_figure: the money map page;
    reasons: {reason key: text}."""
    from matplotlib.backends.backend_pdf import PdfPages
    buffer = io.BytesIO()
    title = _("Investment plan") + (f": {name}" if name else "")
    with PdfPages(buffer, metadata={"Title": title, "Creator": "maison-geo"}) as pdf:
        pdf.savefig(_summary_page(result, curve, reasons, _, lang, today or dt.date.today(), title))
        map_figure.text(0.97, 0.015, f"{_('Page')} 2/2", ha="right", va="bottom", fontsize=7, color=sm.MUTED)
        pdf.savefig(map_figure)
    return buffer.getvalue()


def _summary_page(result, curve, reasons, _, lang, today, title):
    s = result["summary"]
    fig = sm.new_figure(LANDSCAPE_A4)
    fig.text(0.03, 0.955, title, fontsize=17, weight="bold", color=sm.INK, va="top")
    fig.text(0.03, 0.905, f"{_('What %(budget)s buys', budget=money_text(s['budget_vnd'], lang))} · "
                          f"{_('data year')} {result['period']} · {_(result['vintage'])}", fontsize=10.5,
             color=sm.MUTED, va="top")
    headline = _("The best plan spends %(spent)s and reaches %(households)s households in %(funded)s of "
                 "%(communes)s communes.", spent=money_text(s["milp"]["spend_vnd"], lang),
                 households=number(s["milp"]["beneficiaries"], lang), funded=s.get("communes_funded"),
                 communes=s.get("communes"))
    fig.text(0.03, 0.855, headline, fontsize=11, color=sm.INK, va="top")
    _interventions(fig, result, _, lang)
    if curve:
        _frontier(fig, curve, _, lang)
    _communes(fig, result, reasons, _, lang)
    if result.get("illustrative"):
        fig.text(0.97, 0.955, _("ILLUSTRATIVE DATA"), ha="right", va="top", fontsize=13, weight="bold",
                 color=sm.STAMP, bbox={"boxstyle": "square,pad=0.35", "facecolor": "white",
                                       "edgecolor": sm.STAMP, "linewidth": 1.4})
    notes = " ".join(result.get("notices", []))
    lines = textwrap.wrap(notes, 190)[:3] + [_("Produced on %(date)s with maison-geo", date=today.isoformat()),
                                              f"{_('Page')} 1/2"]
    fig.text(0.03, 0.015, "\n".join(lines), fontsize=6.5, color=sm.MUTED, va="bottom", linespacing=1.35)
    return fig


def _interventions(fig, result, _, lang):
    top = 0.755
    columns = ((0.03, _("Intervention")), (0.24, _("Funded")), (0.35, _("Households reached")),
               (0.47, _("Money")))
    for x, label in columns:
        fig.text(x, top, label, fontsize=8.5, weight="bold", color=sm.INK, va="top")
    for i, row in enumerate(result.get("by_intervention", [])):
        y = top - 0.035 - i * 0.03
        cells = [textwrap.shorten(row["label"], 34, placeholder="…"),
                 f"{number(row['units'], lang, 0 if float(row['units']).is_integer() else 1)} {row['unit']}",
                 number(row["beneficiaries"], lang), money_text(row["spend_vnd"], lang)]
        for (x, _label), cell in zip(columns, cells):
            fig.text(x, y, cell, fontsize=8.5, color=sm.INK, va="top")


def _frontier(fig, curve, _, lang):
    ax = fig.add_axes([0.62, 0.57, 0.34, 0.21])
    points = [p for p in curve["points"] if p["beneficiaries"] is not None]
    xs = [p["budget"] / 1e9 for p in points]
    ax.plot(xs, [p["beneficiaries"] for p in points], color="#2c7fb8", marker="o", markersize=3)
    chosen = curve["chosen"]
    if chosen["beneficiaries"] is not None:
        x = min(chosen["budget"], curve["cost_to_close_all_vnd"]) / 1e9
        ax.axvline(x, color="#b8400f", linestyle="--", linewidth=1)
        ax.plot([x], [chosen["beneficiaries"]], "o", color="#b8400f")
    ax.set_xlabel(_("Budget") + " (" + _("tỷ đồng") + ")", fontsize=8)
    ax.set_ylabel(_("Households reached"), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_title(_("What each extra tỷ buys"), fontsize=9, loc="left")
    if chosen.get("extra_beneficiaries"):
        note = _("One more tỷ đồng would reach %(n)s more households: about %(cost)s per household at the margin.",
                 n=number(chosen["extra_beneficiaries"], lang),
                 cost=money_text(chosen["marginal_cost_per_beneficiary"], lang))
        fig.text(0.03, 0.80, note, fontsize=9.5, color=sm.INK, va="top")


def _communes(fig, result, reasons, _, lang):
    top = 0.50
    columns = ((0.03, _("Commune")), (0.22, _("Money") + f" ({_('million VND')})"), (0.34, _("Households reached")),
               (0.44, _("Why")))
    for x, label in columns:
        fig.text(x, top, label, fontsize=7.5, weight="bold", color=sm.INK, va="top")
    rows = sorted(result["communes"], key=lambda c: -(c["spend_vnd"] or 0))
    step = min(0.018, 0.37 / max(len(rows), 1))
    for i, c in enumerate(rows):
        y = top - 0.025 - i * step
        cells = [textwrap.shorten(c["name"], 30, placeholder="…"), millions_text(c["spend_vnd"], lang),
                 number(c["beneficiaries"], lang), textwrap.shorten(reasons.get(c.get("reason"), ""), 48,
                                                                    placeholder="…")]
        color = "#8a3b00" if c.get("illustrative") else sm.INK
        for (x, _label), cell in zip(columns, cells):
            fig.text(x, y, cell, fontsize=7, color=color, va="top")
