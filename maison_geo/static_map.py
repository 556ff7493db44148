"""Maps for print and documents, drawn server-side with matplotlib: PNG, SVG and PDF.

Each page has a title and subtitle, the map with commune labels that never overlap, a metric scale bar,
a north arrow, the legend by the same rule as the web map, the sources of the figures and of the
boundaries, the production date, and a stamp whenever a value shown is illustrative. Fonts: DejaVu Sans
(covers Vietnamese), embedded in the PDF as TrueType (Type 42)."""
import datetime as dt
import io
import math
import textwrap

import geopandas as gpd
import shapely

from .errors import InvalidChoice
from .maps import NO_DATA_COLOR

PAPERS = {"a4": (11.69, 8.27), "a3": (16.54, 11.69)}  # landscape, inches
FORMATS = ("png", "svg", "pdf")
DPI_RANGE = (72, 600)
DEFAULT_DPI = 300
FONT = "DejaVu Sans"
INK, MUTED, STAMP = "#1d2b36", "#5b6770", "#b30000"
HATCH = "#5a5a5a"  # the no-data hatching, as on the screen (static/map.js)
LABEL_LIMIT = 300
def _IDENTITY(text, **values):  # noqa: N802 - stands in for gettext, which formats its keywords
    return text % values if values else text


def check_paper(paper):
    paper = (paper or "a4").lower()
    if paper not in PAPERS:
        raise InvalidChoice("paper", paper, list(PAPERS))
    return paper


def check_dpi(dpi):
    if dpi in (None, ""):
        return DEFAULT_DPI
    try:
        value = int(dpi)
    except (TypeError, ValueError):
        value = None
    if value is None or not DPI_RANGE[0] <= value <= DPI_RANGE[1]:
        raise InvalidChoice("dpi", dpi, [], f"a whole number from {DPI_RANGE[0]} to {DPI_RANGE[1]}")
    return value


def new_figure(size):
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    matplotlib.rcParams.update({"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none",
                                "font.family": FONT})
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


def save(fig, fmt, dpi=DEFAULT_DPI, title=""):
    buffer = io.BytesIO()
    metadata = {"Title": title, "Creator": "maison-geo"} if fmt in ("pdf", "svg") else {"Software": "maison-geo"}
    fig.savefig(buffer, format=fmt, dpi=dpi if fmt == "png" else 72, metadata=metadata)
    return buffer.getvalue()


def projected(units):
    """The units in a transverse Mercator centred on them: true shapes, distances in metres."""
    west, south, east, north = units.total_bounds
    crs = f"+proj=tmerc +lat_0=0 +lon_0={(west + east) / 2:.4f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
    return units.to_crs(crs)


# ------------------------------------------------------------------------------------------ the map page

def map_figure(view, units, sources, _=_IDENTITY, paper="a4", today=None):
    """One landscape page of a map view. units: the era's GeoDataFrame (code, name, unit_type,
    area_km2); sources: the boundary attributions."""
    width, height = PAPERS[check_paper(paper)]
    scale = width / PAPERS["a4"][0]
    fig = new_figure((width, height))
    table, ind = view.table, view.indicator
    fig.text(0.03, 0.955, ind.label(view.lang), fontsize=17 * scale, weight="bold", color=INK, va="top")
    fig.text(0.03, 0.905, subtitle(view, _), fontsize=10.5 * scale, color=MUTED, va="top")
    ax = fig.add_axes([0.02, 0.12, 0.66, 0.76])
    draw_units(ax, view, projected(units), scale)
    legend_ax = fig.add_axes([0.70, 0.12, 0.28, 0.76])
    draw_legend(legend_ax, view, _, scale)
    footer(fig, figure_sources(table, _), sources, _, scale, today)
    if table.illustrative:
        stamp(fig, ax, _, scale)
    return fig


def subtitle(view, _):
    table, classes = view.table, view.classification
    parts = [f"{_('Year')} {table.period}", _(table.vintage)]
    if classes.scheme == "proportional":
        parts.append(_("Circle area is proportional to the value."))
    elif classes.scheme != "categories":
        parts.append(f"{_(classes.scheme)}, {_('%(n)s classes', n=classes.k)}")
    return " · ".join(parts)


def draw_units(ax, view, units, scale, label=True, highlight=None):
    """Polygons filled by class (or neutral under circles), illustrative ones dashed, the outline,
    circles, labels, a scale bar and a north arrow."""
    styles = view.styles if view else {}
    fills = [styles.get(c, {}).get("fill", "#e7e3da") for c in units.code]
    if highlight:
        fills = ["#d95f0e" if c == highlight else "#e7e3da" for c in units.code]
    units.plot(ax=ax, color=fills, edgecolor="white", linewidth=0.5 * scale)
    blank = units[[styles.get(c, {}).get("fill") == NO_DATA_COLOR for c in units.code]] if not highlight else []
    if len(blank):  # hatched as on the screen and in the legend: never taken for the palest class
        blank.plot(ax=ax, facecolor="none", edgecolor=HATCH, hatch="////", linewidth=0)
    dashed = units[[styles.get(c, {}).get("illustrative", False) for c in units.code]]
    if len(dashed):
        dashed.boundary.plot(ax=ax, color="#8a3b00", linewidth=0.45 * scale, linestyle=(0, (3, 2)))
    outline = gpd.GeoSeries([shapely.coverage_union_all(units.geometry.values)], crs=units.crs)
    outline.boundary.plot(ax=ax, color=INK, linewidth=1.3 * scale)
    ax.set_aspect("equal")
    ax.set_axis_off()
    west, south, east, north = units.total_bounds
    pad = 0.03 * max(east - west, north - south)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)
    points = units.geometry.representative_point()
    if view is not None and view.classification.scheme == "proportional":
        draw_circles(ax, view, units, points, scale)
    if label and len(units) <= LABEL_LIMIT:
        place_labels(ax, units, points, scale)
    scale_bar(ax, scale)
    north_arrow(ax, scale)


def circle_points(radius_px, scale):
    """A web circle's radius (px at MAX_RADIUS_PX for the largest) as a scatter size on paper."""
    return (2 * radius_px * 0.62 * scale) ** 2


def draw_circles(ax, view, units, points, scale):
    from . import symbols
    rows = [(view.styles[c].get("radius", 0), p, view.styles[c]["illustrative"])
            for c, p in zip(units.code, points) if view.styles.get(c, {}).get("radius")]
    rows.sort(key=lambda r: -r[0])
    ax.scatter([p.x for _, p, _ in rows], [p.y for _, p, _ in rows],
               s=[circle_points(r, scale) for r, _, _ in rows], color=symbols.CIRCLE_FILL, alpha=0.78,
               edgecolors="white", linewidths=0.8 * scale, zorder=3)


def place_labels(ax, units, points, scale, extra=None):
    """Biggest unit first; a label that would overlap one already placed tries four small shifts, then
    is left out. Returns the placed texts."""
    from matplotlib import patheffects
    from .labels import label_names
    names = label_names(zip(units.code, units.name, units.unit_type))
    renderer = ax.figure.canvas.get_renderer()
    ax_box = ax.get_window_extent(renderer)
    placed, boxes = [], []
    order = sorted(range(len(units)), key=lambda i: -float(units.area_km2.iloc[i]))
    halo = [patheffects.Stroke(linewidth=2.4 * scale, foreground="white")]
    for i in order:
        text = names[units.code.iloc[i]] + (extra.get(units.code.iloc[i], "") if extra else "")
        point = (points.iloc[i].x, points.iloc[i].y)
        style = {"xytext": (0, 0), "textcoords": "offset points", "ha": "center", "va": "center",
                 "fontsize": 7.2 * scale, "weight": "bold"}
        # the halo is drawn as a path; the text above it stays text (a PDF reader can find it)
        back = ax.annotate(text, point, color="white", zorder=5, path_effects=halo, **style)
        label = ax.annotate(text, point, color=INK, zorder=6, **style)
        for dx, dy in ((0, 0), (0, 7), (0, -7), (12, 0), (-12, 0)):
            label.set_position((dx * scale, dy * scale))
            back.set_position((dx * scale, dy * scale))
            box = label.get_window_extent(renderer).expanded(1.04, 1.15)
            inside = ax_box.x0 <= box.x0 and box.x1 <= ax_box.x1 and ax_box.y0 <= box.y0 and box.y1 <= ax_box.y1
            if inside and not any(box.overlaps(other) for other in boxes):
                boxes.append(box)
                placed.append(label)
                break
        else:
            label.remove()
            back.remove()
    return placed


def nice_length(metres):
    power = 10 ** math.floor(math.log10(metres))
    return max(m * power for m in (1, 2, 5) if m * power <= metres)


def scale_bar(ax, scale):
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) / 5)
    left, base = x0 + 0.03 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    tick = 0.012 * (y1 - y0)
    ax.plot([left, left, left + length, left + length], [base + tick, base, base, base + tick],
            color=INK, linewidth=1.2 * scale, solid_capstyle="butt", zorder=6)
    half = length / 2
    ax.plot([left + half, left + half], [base, base + tick * 0.7], color=INK, linewidth=0.8 * scale, zorder=6)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(left + length / 2, base + tick * 1.6, text, ha="center", va="bottom", fontsize=8 * scale,
            color=INK, zorder=6)
    ax.text(left, base + tick * 1.6, "0", ha="center", va="bottom", fontsize=7 * scale, color=MUTED, zorder=6)


def north_arrow(ax, scale):
    """Grid north of the map's own projection, centred on the scope: true north within a fraction of a
    degree over a district."""
    ax.annotate("", xy=(0.955, 0.95), xytext=(0.955, 0.86), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.4 * scale, "mutation_scale": 16 * scale})
    ax.text(0.955, 0.965, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=10 * scale,
            weight="bold", color=INK)


# ------------------------------------------------------------------------------------------ legend

def draw_legend(ax, view, _, scale):
    from matplotlib.patches import Rectangle
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ind, table = view.indicator, view.table
    unit = ind.unit_label(view.lang)
    ax.text(0, 1, _("Legend") + (f" ({unit})" if unit else ""), fontsize=11 * scale, weight="bold",
            color=INK, va="top")
    y = 0.92
    classes = view.classification
    if classes.scheme == "proportional":
        y = _circle_legend(ax, view, y, scale)
    else:
        if classes.scheme != "categories":
            y = _wrapped(ax, 0, y, _("“a – < b”: from a up to but not including b, at the precision shown."),
                         7.5 * scale, MUTED, 52) - 0.03
    entries = [e for e in view.legend if classes.scheme != "proportional" or e.no_data]
    for entry in entries:
        ax.add_patch(Rectangle((0, y - 0.035), 0.09, 0.035, facecolor=entry.color, edgecolor="#8a8a8a",
                               linewidth=0.4, hatch="////" if entry.no_data else None))
        ax.text(0.12, y - 0.0175, f"{entry.label}", fontsize=9.5 * scale, color=INK, va="center")
        ax.text(1, y - 0.0175, _("%(n)s communes", n=entry.count), fontsize=8 * scale, color=MUTED,
                va="center", ha="right")
        y -= 0.05
    district = table.district
    if district.value is not None:
        from .formatting import value_text
        shown = value_text(district.value, ind, view.lang, district.denominator, (_("Yes"), _("No")),
                           view.decimals)
        status = f" ({_(district.status)})" if district.status else ""
        y = _wrapped(ax, 0, y - 0.02, f"{_('District')}: {shown}{status}", 9.5 * scale, INK, 48)
    if table.illustrative:
        _wrapped(ax, 0, y - 0.03, _("Illustrative") + ": " + _(
            "per-commune figures are not published; these values are made up so that they add up to the "
            "district figures. Dashed outlines mark them on the map."), 8 * scale, "#8a3b00", 54)


def _circle_legend(ax, view, y, scale):
    """Reference circles side by side, bottom-aligned, each labelled below."""
    from . import symbols
    refs = view.classification.references
    fig_h = ax.figure.get_size_inches()[1] * ax.get_position().height * 72  # axes height in points
    fig_w = ax.figure.get_size_inches()[0] * ax.get_position().width * 72
    biggest = max((2 * r * 0.62 * scale for _, r, _ in refs), default=0)
    base = y - biggest / fig_h - 0.01
    for i, (value, r, label) in enumerate(refs):
        x = 0.12 + i * (biggest + 18 * scale) / fig_w
        diameter = 2 * r * 0.62 * scale
        ax.scatter([x], [base + diameter / 2 / fig_h], s=[circle_points(r, scale)], color=symbols.CIRCLE_FILL,
                   alpha=0.78, edgecolors="white", linewidths=0.8 * scale, clip_on=False)
        ax.text(x, base - 0.012, label, ha="center", va="top", fontsize=8 * scale, color=INK)
    return base - 0.06


def _wrapped(ax, x, y, text, size, color, width):
    lines = textwrap.wrap(text, width)
    ax.text(x, y, "\n".join(lines), fontsize=size, color=color, va="top", linespacing=1.3)
    return y - len(lines) * size * 1.3 / (ax.figure.get_size_inches()[1] * ax.get_position().height * 72)


# ------------------------------------------------------------------------------------------ footer, stamp

def figure_sources(table, _):
    parts = [table.indicator.source] + [p.strip() for r in table.rows for p in (r.source or "").split("; ")]
    return "; ".join(dict.fromkeys(p for p in parts if p))


def footer(fig, figures_source, boundary_sources, _, scale, today=None):
    today = today or dt.date.today()
    lines = textwrap.wrap(f"{_('Sources of the figures')}: {figures_source}", 170)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:160] + " …"
    lines.append(f"{_('Boundaries')}: {'; '.join(boundary_sources)}")
    lines.append(f"{_('Produced on %(date)s with maison-geo', date=today.isoformat())}")
    fig.text(0.03, 0.015, "\n".join(lines), fontsize=6.5 * scale, color=MUTED, va="bottom", linespacing=1.35)


def stamp(fig, ax, _, scale):
    """A boxed stamp on the map, and the same words faint across it: no one can cut it away."""
    words = _("ILLUSTRATIVE DATA")
    ax.text(0.5, 0.985, words, transform=ax.transAxes, ha="center", va="top", fontsize=15 * scale,
            weight="bold", color=STAMP, zorder=8,
            bbox={"boxstyle": "square,pad=0.35", "facecolor": "white", "edgecolor": STAMP, "linewidth": 1.6})
    ax.text(0.5, 0.45, words, transform=ax.transAxes, ha="center", va="center", fontsize=40 * scale,
            weight="bold", color=STAMP, alpha=0.10, rotation=25, zorder=7)
