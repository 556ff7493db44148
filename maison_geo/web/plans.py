"""The investment planner on the web: /plan (form, map, tables, ?format=json|csv|xlsx), saved scenarios,
side-by-side comparison, editors' unit costs, and POST /api/plans for any client. Logic: ..planning."""
import math
from urllib.parse import parse_qsl, urlencode

from flask import (Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for)
from flask_babel import gettext

from .. import maps, static_map
from ..plan_brief import plan_brief
from ..classify import classify
from ..errors import Forbidden, InvalidChoice, MaisonError
from ..figures import weakest
from ..indicators import Indicator
from ..planning import (CRITERIA, REASONS, DEFAULT_TIME_LIMIT, DEFAULT_WEIGHTS, OBJECTIVES, PLAN_YEARS, RANKINGS,
                        check_cost, check_weight, frontier, load_interventions, make_plan, with_costs,
                        with_weights)
from ..repositories.scenarios import ScenarioOwned
from ..units import DEFAULT_VINTAGE, VINTAGES, check_vintage
from ..values import ILLUSTRATIVE_NOTICE, ValueRow, ValueTable
from .errors import form_line, plain_line
from ..workers import Busy, TimedOut
from . import geo, limits, prints
from .plan_workbook import plan_workbook
from .context import catalogue, store
from .locale import current_lang
from .renderers import PageData, page, render
from .security import csrf, respond
from .views import profile_url_pattern

bp = Blueprint("plans", __name__)

ROW_COLUMNS = ["vintage", "period", "code", "name", "intervention", "label", "unit", "current", "total",
               "gap", "gap_basis", "unit_cost_vnd", "cost_basis", "cost_to_close_vnd", "beneficiaries_per_unit",
               "beneficiary_unit", "beneficiaries_basis", "beneficiaries_if_closed", "people_if_closed",
               "cost_per_beneficiary_vnd", "score", "rank", "units", "spend_vnd", "beneficiaries", "people",
               "greedy_units", "greedy_spend_vnd", "after", "status", "illustrative", "source", "note"]
COMPARE_COLUMNS = ["code", "name"]


# ---- access and storage -----------------------------------------------------------------------

def can_edit():
    """Editors and admins (accounts), or anyone when PLANNING_OPEN_EDIT is set (a local install)."""
    if current_app.config.get("PLANNING_OPEN_EDIT"):
        return True
    user = g.get("user")
    return user is not None and user.can("editor")


def db():
    return current_app.extensions["maison"]["scenarios"]


def _user_name():
    user = getattr(g, "user", None)
    return getattr(user, "name", None)


def _is_admin():
    user = g.get("user")
    return user is not None and user.can("admin")


@bp.app_errorhandler(ScenarioOwned)
def _scenario_owned(exc):
    return respond(403, gettext("Scenario %(name)s belongs to %(owner)s: only they or an admin may replace or "
                                "delete it. Save yours under another name.", name=exc.name,
                                owner=exc.owner or gettext("nobody")))


def _interventions():
    return with_weights(with_costs(load_interventions(), db().cost_overrides()), db().weight_overrides())


def _plan(data, lang="vi"):
    """make_plan with the editors' stored unit costs and benefit weights: the solver in a worker process
    behind the gate of heavy jobs (429 when too many run), with the caller's time cap."""
    planning, options = db(), limits.plan_options()
    with limits.heavy(retry_after=math.ceil(options["time_cap"] or DEFAULT_TIME_LIMIT)):
        return make_plan(store(), catalogue(), data, load_interventions(), planning.cost_overrides(), lang=lang,
                         weight_overrides=planning.weight_overrides(), **options)


def _frontier(data, lang="vi"):
    """The frontier's solves in one worker process behind the same gate and time cap."""
    planning, options = db(), limits.frontier_options()
    with limits.heavy(retry_after=math.ceil(options["time_cap"] or DEFAULT_TIME_LIMIT)):
        return frontier(store(), catalogue(), data, load_interventions(), planning.cost_overrides(), lang=lang,
                        weight_overrides=planning.weight_overrides(), **options)


@bp.app_context_processor
def _planning_context():
    return {"can_edit_plans": can_edit}


# ---- the API ------------------------------------------------------------------------------------

def _json_body():
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidChoice("body", None, ["a JSON object"],
                            "send Content-Type: application/json with a JSON object")
    return data


@bp.post("/api/plans")
@csrf.exempt  # a computation: it changes nothing stored
def api_plans():
    return jsonify(_plan(_json_body()).to_dict(current_lang()))


@bp.post("/api/plans/frontier")
@csrf.exempt  # a computation: it changes nothing stored
def api_frontier():
    return jsonify(_frontier(_json_body()))


# ---- the page -----------------------------------------------------------------------------------

def _percent_arg(args, name):
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return float(text.replace(",", ".")) / 100.0
    except ValueError:
        raise InvalidChoice(name, text, [], "a percentage between 0 and 100") from None


def request_from_args(args, codes):
    """The JSON request of the /plan form's query string (shares in percent there, fractions here)."""
    data = {"vintage": args.get("vintage") or DEFAULT_VINTAGE, "period": args.get("period") or None,
            "objective": args.get("objective") or "benefit", "ranking": args.get("ranking") or None}
    if args.get("per_year"):
        data["budget"] = {str(y): args.get(f"budget_{y}") for y in PLAN_YEARS if (args.get(f"budget_{y}") or "").strip()}
    else:
        data["budget"] = (args.get("budget") or "").strip()
    chosen = args.getlist("interventions")
    if chosen:
        data["interventions"] = chosen
    data["weights"] = {k: args.get(f"w_{k}") for k in CRITERIA if (args.get(f"w_{k}") or "").strip()}
    mins, maxs = {}, {}
    every_min, every_max = _percent_arg(args, "min_share_all"), _percent_arg(args, "max_share_all")
    for code in codes:
        low = _percent_arg(args, f"min_{code}")
        high = _percent_arg(args, f"max_{code}")
        low = every_min if low is None else low
        high = every_max if high is None else high
        if low:
            mins[code] = low
        if high is not None:
            maxs[code] = high
    data["min_share"], data["max_share"] = mins, maxs
    costs = {k[5:]: v for k, v in args.items() if k.startswith("cost_") and (v or "").strip()}
    if costs:
        data["unit_costs"] = costs
    return data


def _units(vintage):
    return store().unit_records(vintage)


PLAN = page("plans.plan", "page", "payload", "table", "workbook", "document")


@bp.get("/plan")
def plan():
    fmt = PLAN.format_arg()
    args = request.args
    vintage = check_vintage(args.get("vintage") or DEFAULT_VINTAGE)
    units = _units(vintage)
    interventions = _interventions()
    result, error, curve = None, None, None
    asked = "budget" in args or "per_year" in args
    if asked:
        try:
            data = request_from_args(args, [u.code for u in units])
            result = _plan(data, current_lang()).to_dict(current_lang())
            curve = _frontier(data, current_lang()) if fmt in ("html", "pdf") else None
        except MaisonError as exc:
            if fmt != "html" or isinstance(exc, (Busy, TimedOut)):
                raise
            error = {**exc.to_dict(), "line": form_line(exc) if isinstance(exc, InvalidChoice)
                     else plain_line(exc.status, exc.to_dict())}
    elif fmt != "html":
        raise InvalidChoice("budget", None, [], "give a budget (VND) to compute a plan")
    data = plan_data(result, "maison_plan", curve=curve) if result else PageData()
    data.html = lambda: _page(result, error, vintage, units, interventions, args, status=400 if error else 200,
                              curve=curve)
    return render(data, fmt)


def _page(result, error, vintage, units, interventions, args, status=200, scenario=None, curve=None):
    parts, view = None, None
    if result:
        view = money_view(result, units)
        fmap = maps.build_map(
            view, geo.map_sources(result["vintage"]), profile_url_pattern(result["vintage"]),
            geo.labels(result["vintage"]), geo.bounds(result["vintage"]), geo.attribution(result["vintage"]),
            None, height="420px", _=gettext)
        parts = maps.render_parts(fmap)
    intervention_of = {i.key: i for i in interventions}
    return render_template(
        "plan.html", result=result, error=error, vintage=vintage, units=units, interventions=interventions,
        intervention_of=intervention_of, args=args, years=PLAN_YEARS, vintages=VINTAGES,
        objectives=OBJECTIVES, rankings=RANKINGS, criteria=CRITERIA, default_weights=DEFAULT_WEIGHTS,
        parts=parts, view=view, scenario=scenario, curve=curve, reasons={k: gettext(v) for k, v in REASONS.items()},
        query=request.query_string.decode("utf-8", "replace"),
        illustrative_notice=ILLUSTRATIVE_NOTICE), status


MONEY = Indicator("plan_million_vnd", "Vốn phân bổ theo kế hoạch", "Money allocated by the plan", "triệu đồng",
                  "million VND", "count", None, "maison-geo investment planner (planning assumptions)", theme="plan")
NOT_FUNDED_COLOR = "#ffffff"


def money_classes(tables):
    """One set of classes over the funded communes of every table."""
    return classify([r.value for t in tables for r in t.rows if r.value], "quantiles", 5, MONEY)


def money_table(result, units):
    """A ValueTable of the money each unit gets in a plan (dict), so maps.build_view can draw it."""
    by_code = {c["code"]: c for c in result["communes"]}
    statuses = {}
    for row in result["rows"]:
        if row["status"]:
            statuses.setdefault(row["code"], []).append(row["status"])
    rows = []
    for unit in units:
        entry = by_code.get(unit.code)
        value = None if entry is None or entry["spend_vnd"] is None else round(entry["spend_vnd"] / 1e6)
        rows.append(ValueRow(value=value, status=weakest(statuses.get(unit.code, [])) if entry else None,
                             source="maison-geo plan; unit costs are planning assumptions", unit=unit))
    total = round(result["summary"]["milp"]["spend_vnd"] / 1e6)
    return ValueTable(MONEY, result["vintage"], result["period"], [result["period"]], rows,
                      ValueRow(value=total, status=weakest(r.status for r in rows)), [])


def money_view(result, units, classification=None):
    """Money per commune in triệu đồng: the communes that get nothing in a class of their own
    ("not funded"), the funded ones classed among themselves (or by shared classes: the comparison)."""
    table = money_table(result, units)
    view = maps.build_view(table, "quantiles", 5, current_lang(), gettext,
                           classification or money_classes([table]))
    unfunded = [r for r in table.rows if r.value == 0]
    for row in unfunded:
        view.styles[row.unit.code].update(fill=NOT_FUNDED_COLOR, band=None)
    view.legend.insert(0, maps.LegendEntry(NOT_FUNDED_COLOR, gettext("not funded"), len(unfunded)))
    return view


# ---- exports ------------------------------------------------------------------------------------

def _flat_rows(result):
    years = result["years"]
    out = []
    for row in result["rows"]:
        flat = {**row, "vintage": result["vintage"], "period": result["period"],
                "notice": result.get("notice") or ""}
        for y in years:
            flat[f"units_{y}"] = row["units_by_year"].get(y)
        out.append(flat)
    return out, ROW_COLUMNS + [f"units_{y}" for y in years if y != "total"] + ["notice"]


def plan_data(result, name, title=None, curve=None):
    """A plan's twins: the result, its rows, its workbook and its brief for a meeting."""
    rows, columns = _flat_rows(result)
    return PageData(name=f"{name}_{result['vintage']}_{result['period']}", payload=result, rows=rows,
                    columns=columns, drawing=lambda fmt: _brief(result, curve, title),
                    bodies={"xlsx": lambda: plan_workbook(result, gettext, title)})


def _brief(result, curve, title=None):
    """The two-page PDF brief for a meeting: the summary page, then the money map."""
    view = money_view(result, _units(result["vintage"]))
    money_map = static_map.map_figure(view, store().units(result["vintage"]), prints.boundary_sources(view.table),
                                      gettext)
    return plan_brief(result, curve, money_map, {k: gettext(v) for k, v in REASONS.items()}, gettext,
                      current_lang(), name=title)


# ---- unit costs ---------------------------------------------------------------------------------

@bp.post("/plan/costs")
def costs():
    if not can_edit():
        raise Forbidden(gettext("Only editors may change unit costs."))
    form = request.form
    # check every field first, so one wrong value changes nothing
    costs_ = {k: check_cost(k, form[f"cost_{k}"].strip(), current_lang()) for k in _edited(form, "cost_")}
    weights = {k: check_weight(k, form[f"weight_{k}"].strip().replace(",", ".")) for k in _edited(form, "weight_")}
    planning, now = db(), {i.key: i for i in _interventions()}
    edits = (("cost", "unit_cost_vnd", costs_, "reset_", "note_", planning.set_cost, planning.reset_cost),
             ("weight", "benefit_weight", weights, "reset_weight_", "weight_note_", planning.set_weight,
              planning.reset_weight))
    for key in now:
        for name, field, asked, reset, note_field, set_, reset_ in edits:
            was = getattr(now[key], field)
            if form.get(reset + key):
                reset_(key)
                _audit(f"plan.{name}.reset", key, {"was": was})
            elif key in asked and asked[key] != was:
                note = (form.get(note_field + key) or "").strip()[:500]
                set_(key, asked[key], note, _user_name())
                _audit(f"plan.{name}", key, {"from": was, "to": asked[key], "note": note})
    return redirect(url_for("plans.plan") + _query_back(request.form.get("back")))


def _query_back(back):
    """The /plan query a form came from, re-encoded: whatever it holds stays inside the query string."""
    pairs = parse_qsl(back or "", keep_blank_values=True)
    return "?" + urlencode(pairs) if pairs else ""


def _audit(action, target, detail):
    current_app.extensions["maison"]["store"].userdata.record(_user_name() or "", action, target, detail)


def _edited(form, prefix):
    """Intervention keys whose field `prefix + key` was filled in."""
    known = {i.key for i in load_interventions()}
    return [k for k in known if (form.get(prefix + k) or "").strip()]


# ---- scenarios ----------------------------------------------------------------------------------

SCENARIOS = page("plans.scenarios", "page", "payload")
SCENARIO = page("plans.scenario", "page", "payload", "table", "workbook", "document")
COMPARE = page("plans.compare", "page", "payload", "table", "workbook")


@bp.get("/plan/scenarios")
def scenarios():
    fmt = SCENARIOS.format_arg()
    saved = db().list()
    return render(PageData(html=lambda: render_template("plan_scenarios.html", saved=saved), payload=saved), fmt)


@bp.post("/plan/scenarios")
def save_scenario():
    if not can_edit():
        raise Forbidden(gettext("Only editors may save scenarios."))
    query = request.form.get("query") or ""
    from werkzeug.datastructures import MultiDict
    args = MultiDict(parse_qsl(query, keep_blank_values=True))
    vintage = check_vintage(args.get("vintage") or DEFAULT_VINTAGE)
    data = request_from_args(args, [u.code for u in _units(vintage)])
    result = _plan(data, current_lang()).to_dict(current_lang())
    name = db().save(request.form.get("name"), {"query": query, "request": result["request"]}, result,
                     _user_name(), admin=_is_admin())
    _audit("plan.scenario.save", name, {"budget_vnd": result["summary"]["budget_vnd"], "vintage": result["vintage"]})
    return redirect(url_for("plans.scenario", name=name))


@bp.get("/plan/scenarios/<path:name>")
def scenario(name):
    fmt = SCENARIO.format_arg()
    saved = db().get(name)
    result = saved["result"]
    data = plan_data(result, "maison_scenario", saved["name"])
    data.payload = saved
    data.html = lambda: _page(result, None, result["vintage"], _units(result["vintage"]), _interventions(),
                              request.args, scenario=saved)
    return render(data, fmt)


@bp.post("/plan/scenarios/<path:name>/delete")
def delete_scenario(name):
    if not can_edit():
        raise Forbidden(gettext("Only editors may delete scenarios."))
    db().get(name)
    db().delete(name, _user_name(), admin=_is_admin())
    _audit("plan.scenario.delete", name, {})
    return redirect(url_for("plans.scenarios"))


@bp.get("/plan/compare")
def compare():
    fmt = COMPARE.format_arg()
    names = [n for n in request.args.getlist("names") if n.strip()]
    if len(names) > 6:
        raise InvalidChoice("names", len(names), [], "compare at most 6 scenarios")
    chosen = [db().get(n) for n in dict.fromkeys(names)]
    return render(compare_data(chosen), fmt)


def compare_data(chosen):
    """Scenarios side by side: money and beneficiaries per commune, and the change from the first."""
    table = compare_table(chosen)

    def html():
        views, parts = _compare_maps(chosen) if len(chosen) >= 2 else ([], [])
        return render_template("plan_compare.html", chosen=chosen, table=table, saved=db().list(), views=views,
                               parts=parts, head=maps.merged_head(parts) if parts else "")
    columns = COMPARE_COLUMNS + [f"spend_vnd[{s['name']}]" for s in chosen] + \
        [f"beneficiaries[{s['name']}]" for s in chosen] + ["notice"]
    rows = [{"code": r["code"], "name": r["name"], "notice": table["notice"] or "",
             **{f"spend_vnd[{n}]": v for n, v in zip(table["names"], r["spend"])},
             **{f"beneficiaries[{n}]": v for n, v in zip(table["names"], r["beneficiaries"])}}
            for r in table["rows"]]
    return PageData(
        name="maison_plan_compare", html=html, rows=rows, columns=columns, sheet="compare",
        notice=[table["notice"]] if table["notice"] else None,
        payload={"scenarios": [{"name": s["name"], "request": s["result"]["request"],
                                "summary": s["result"]["summary"], "illustrative": s["result"]["illustrative"],
                                "notice": s["result"].get("notice")} for s in chosen],
                 "changes_from_first": table["changes"], "communes": table["rows"]})


def _compare_maps(chosen):
    """One money map per scenario, all on the same classes, so a colour means the same amount."""
    units = {s["result"]["vintage"]: _units(s["result"]["vintage"]) for s in chosen}
    shared = money_classes([money_table(s["result"], units[s["result"]["vintage"]]) for s in chosen])
    views = [money_view(s["result"], units[s["result"]["vintage"]], shared) for s in chosen]
    parts = [maps.render_parts(maps.build_map(
        view, geo.map_sources(s["result"]["vintage"]), profile_url_pattern(s["result"]["vintage"]),
        [], geo.bounds(s["result"]["vintage"]), geo.attribution(s["result"]["vintage"]), None, height="100%",
        _=gettext)) for s, view in zip(chosen, views)]
    return views, parts


def compare_table(chosen):
    """Money and beneficiaries per commune for each scenario, side by side (units keyed by vintage+code)."""
    names = [s["name"] for s in chosen]
    order, rows = [], {}
    for i, s in enumerate(chosen):
        for c in s["result"]["communes"]:
            key = (s["result"]["vintage"], c["code"])
            if key not in rows:
                order.append(key)
                rows[key] = {"vintage": key[0], "code": c["code"], "name": c["name"],
                             "spend": [None] * len(chosen), "beneficiaries": [None] * len(chosen)}
            rows[key]["spend"][i] = c["spend_vnd"]
            rows[key]["beneficiaries"][i] = c["beneficiaries"]
    for row in rows.values():  # against the first scenario: what the others give more or less
        row["spend_change"] = _changes(row["spend"])
        row["beneficiaries_change"] = _changes(row["beneficiaries"])
    illustrative = any(s["result"]["illustrative"] for s in chosen)
    notices = list(dict.fromkeys(n for s in chosen for n in s["result"].get("notices", [])))
    totals = {"spend": [s["result"]["summary"]["milp"]["spend_vnd"] for s in chosen],
              "beneficiaries": [s["result"]["summary"]["milp"]["beneficiaries"] for s in chosen]}
    return {"names": names, "rows": [rows[k] for k in order], "illustrative": illustrative,
            "notice": " ".join(notices) or None, "totals": totals,
            "changes": {k: _changes(v) for k, v in totals.items()},
            "differing": sum(1 for r in rows.values() if any(c for c in r["spend_change"] if c))}


def _changes(values):
    """Each value minus the first (None where either is missing); the first itself None."""
    first = values[0] if values else None
    return [None if i == 0 or v is None or first is None else round(v - first, 4) for i, v in enumerate(values)]
