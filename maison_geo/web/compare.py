"""Compare communes side by side, and progress to target."""
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext

from .. import maps
from ..citations import source_text
from ..compare import MIN_UNITS, compare as compare_units, parse_codes
from ..errors import Forbidden, InvalidChoice
from ..facts import fact_line
from ..progress import STATES, check_target, progress as assess_progress, versus_district
from ..units import DEFAULT_VINTAGE, check_vintage
from . import geo
from .auth import userdata
from .context import catalogue, store
from .locale import current_lang
from .renderers import PageData, page, render
from .views import choropleth, map_request, profile_url_pattern

bp = Blueprint("compare", __name__)

COMPARE_COLUMNS = ["vintage", "indicator", "label", "period", "code", "name", "unit_type", "value",
                   "numerator", "denominator", "difference", "district_value", "status", "illustrative",
                   "source", "source_text", "as_of", "carried_forward", "fact", "source_url"]


COMPARE = page("compare.compare", "page", "payload", "table", "workbook")


@bp.get("/compare")
def compare():
    vintage = check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))
    fmt = COMPARE.format_arg()
    units = store().unit_records(vintage)
    codes = parse_codes(request.args.getlist("codes"), units)
    return render(compare_data(vintage, units, codes), fmt)


def compare_data(vintage, units, codes):
    chosen = [next(u for u in units if u.code == c) for c in codes]
    rows = compare_units(store(), catalogue(), vintage, codes) if len(codes) >= MIN_UNITS else []
    flat = _flat(rows, vintage)

    def html():
        picker = maps.build_map(None, geo.map_sources(vintage), None, geo.labels(vintage),
                                geo.bounds(vintage), geo.attribution(vintage), height="320px", picked=codes,
                                _=gettext)
        return render_template("compare.html", vintage=vintage, units=units, chosen=chosen, rows=rows,
                               min_units=MIN_UNITS, parts=maps.render_parts(picker))
    return PageData(name=f"maison_compare_{'-'.join(codes)}_{vintage}", html=html,
                    payload={"vintage": vintage, "codes": codes, "illustrative": any(r.illustrative for r in rows),
                             "rows": flat}, rows=flat, columns=COMPARE_COLUMNS, sheet="compare")


def _flat(rows, vintage):
    lang = current_lang()
    out = []
    for row in rows:
        for cell, diff in zip(row.cells, row.differences):
            line = fact_line(cell, row.indicator, lang, gettext)
            out.append({**cell.to_dict(), "vintage": vintage, "indicator": row.indicator.key,
                        "label": row.indicator.label(lang), "period": row.period,
                        "fact": line.text if line else None, "source_text": source_text(cell.source, gettext),
                        "difference": None if diff is None else round(diff, 4),
                        "district_value": row.district.to_dict()["value"]})
    return out


PROGRESS_COLUMNS = ["vintage", "indicator", "period", "code", "name", "unit_type", "value", "target",
                    "target_year", "state", "gap", "gap_count", "status", "illustrative", "source", "source_text"]


PROGRESS = page("compare.progress", "page", "payload", "table", "workbook")


@bp.route("/progress", methods=["GET", "POST"])
def progress():
    target_error = None
    if request.method == "POST":
        try:
            return _set_target()
        except InvalidChoice as error:
            target_error = error.to_dict()
    req = map_request()
    req.symbol = "choropleth"  # progress colours the communes themselves
    fmt = PROGRESS.format_arg()
    return render(progress_data(req, target_error), fmt)


def progress_data(req, target_error=None):
    view = choropleth(req)
    table = view.table
    result = assess_progress(table)
    rows = _progress_rows(result, table) if result else []

    def html():
        with_target = [i for i in catalogue().mappable() if i.target]
        editor = g.get("user") is not None and g.user.can("editor")
        fmap = None
        if result:
            fmap = maps.build_map(
                maps.progress_view(view, result), geo.map_sources(req.vintage),
                profile_url_pattern(req.vintage), geo.labels(req.vintage),
                geo.bounds(req.vintage), table.attribution, _=gettext)
        return render_template("progress.html", req=req, table=table, result=result, states=STATES,
                               state_colors=maps.PROGRESS_COLORS,
                               with_target=with_target, indicators=catalogue().mappable(),
                               parts=maps.render_parts(fmap) if fmap else None,
                               versus=None if result else versus_district(table), can_set_target=editor,
                               target_error=target_error, form=request.form,
                               history=userdata().target_history(table.indicator.key)), \
            400 if target_error else 200
    return PageData(
        name=f"maison_progress_{table.indicator.key}_{table.period}_{table.vintage}", html=html,
        payload={"indicator": table.indicator.key, "period": table.period, "vintage": table.vintage,
                 "target": None if not result else vars(result.target),
                 "message": None if result else "no target is recorded for this indicator",
                 "summary": result.summary if result else None,
                 "district": table.district.value,
                 "versus_district": None if result else [
                     {"code": v.row.unit.code, "name": v.row.unit.name, "value": v.row.value,
                      "relation": v.relation} for v in versus_district(table)],
                 "illustrative": table.illustrative, "rows": rows},
        rows=rows, columns=PROGRESS_COLUMNS, sheet="progress")


def _set_target():
    """The editors' form on /progress: a new version of the indicator's target, or none."""
    if g.get("user") is None or not g.user.can("editor"):
        raise Forbidden(gettext("Only editors may set targets."))
    ind = catalogue().get(request.form.get("indicator") or "")
    if request.form.get("clear"):
        userdata().set_target(ind.key, None, g.user.name)
    else:
        userdata().set_target(ind.key, check_target(ind, request.form.to_dict()), g.user.name)
    return redirect(url_for("compare.progress", indicator=ind.key, vintage=request.form.get("vintage") or None))


def _progress_rows(result, table):
    return [{**p.row.to_dict(), "vintage": table.vintage, "indicator": table.indicator.key,
             "source_text": source_text(p.row.source, gettext),
             "period": table.period, "target": result.target.value, "target_year": result.target.year,
             "state": p.state, "gap": None if p.gap is None else round(p.gap, 4), "gap_count": p.gap_count}
            for p in result.rows]
