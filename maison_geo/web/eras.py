"""The latest era and the one before it together: the former communes, the communes of the reform, and where
the outline moved."""
import json

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import gettext

from .. import eras as registry
from .. import maps
from ..aggregate import crosswalk_groups
from ..errors import InvalidChoice
from ..facts import fact_line
from ..qualitative import build_qualitative_view
from ..formatting import number
from ..units import REFORM_DATE
from ..values import indicator_values
from . import geo
from .context import catalogue, store
from .locale import current_lang
from .renderers import PageData, page, render
from .views import profile_url_pattern

bp = Blueprint("eras", __name__)


def reform_eras():
    """(former, new) era keys: the era before the latest one, and the latest."""
    new = registry.eras()[-1]
    return registry.previous(new).key, new.key


def _population(vintage):
    rows = indicator_values(store(), catalogue(), "population", 2019, vintage).rows
    return {r.unit.code: r.value for r in rows}


def crosswalk_rows():
    former, new = reform_eras()
    old = {u.code: u for u in store().unit_records(former)}
    old_pop, new_pop = _population(former), _population(new)
    crosswalk = registry.crosswalk_into(new, store().crosswalk())
    legal, groups = {r["new_code"]: r for r in crosswalk}, crosswalk_groups(crosswalk)
    rows = []
    for unit in store().unit_records(new):
        former = groups.get(unit.code, [])
        rows.append({
            "code": unit.code, "name": unit.name, "full_name": unit.full_name,
            "population_2019": new_pop.get(unit.code),
            "legal_basis": legal.get(unit.code, {}).get("legal_basis"),
            "effective_date": legal.get(unit.code, {}).get("effective_date"),
            "former": [{"code": c, "name": old[c].name, "full_name": old[c].full_name,
                        "unit_type": old[c].unit_type, "population_2019": old_pop.get(c)}
                       for c in former if c in old]})
    return rows


def patch_label(patch, lang):
    area = number(patch["area_km2"], lang, 2)
    if patch["change"] == "left":
        return gettext("%(area)s km² of former %(old)s now in %(new)s", area=area,
                       old=patch["old_name"], new=patch["now_in"] or "?")
    return gettext("%(area)s km² added to %(new)s", area=area, new=patch["now_in"] or "?")


def patches_collection(lang):
    frame = store().era_patches()
    if frame is None or frame.empty:
        return {"type": "FeatureCollection", "features": []}
    collection = json.loads(frame.to_json(drop_id=True))
    for feature in collection["features"]:
        feature["properties"]["label"] = patch_label(feature["properties"], lang)
    return collection


@bp.get("/api/era-patches")
def era_patches():
    return jsonify(patches_collection(current_lang()))


def status_table():
    """?indicator= a categorical status (and ?period=): the former communes' values, or None for the plain view."""
    key = request.args.get("indicator")
    if not key:
        return None
    categorical = [i.key for i in catalogue() if i.kind == "categorical"]
    if key not in categorical:
        raise InvalidChoice("indicator", key, categorical)
    return indicator_values(store(), catalogue(), key, request.args.get("period"), reform_eras()[0])


def with_statuses(rows, table, lang):
    """Each former commune of each new one gets its status (category key, label, sentence, carried)."""
    by_code = {r.unit.code: r for r in table.rows}
    for row in rows:
        for former in row["former"]:
            value = by_code.get(former["code"])
            line = fact_line(value, table.indicator, lang, gettext) if value else None
            former["status"] = {"value": value.to_dict()["value"] if value else None,
                                "label": value.category.label(lang) if value and value.category else None,
                                "carried_forward": bool(value and value.carried_forward),
                                "sentence": line.text if line else None}
    return rows


ERAS = page("eras.eras", "page", "payload", "collection")


@bp.get("/eras")
def eras():
    fmt = ERAS.format_arg()
    return render(eras_data(), fmt)


def eras_data():
    rows = crosswalk_rows()
    patches = patches_collection(current_lang())
    table = status_table()
    if table is not None:
        rows = with_statuses(rows, table, current_lang())
    return PageData(name="maison_era_patches", html=lambda: _page(rows, patches, table),
                    payload={"reform_date": REFORM_DATE, "communes": rows,
                             "patches": [f["properties"] for f in patches["features"]],
                             "indicator": table.indicator.key if table else None,
                             "period": table.period if table else None},
                    collection=lambda: patches)


def _page(rows, patches, table):
    attribution = [s["attribution"] for s in store().sources()]
    statuses = [i for i in catalogue() if i.kind == "categorical"]
    if table is not None:
        return _status_page(rows, patches, table, attribution, statuses)
    former, new = reform_eras()
    fmap = maps.build_eras_map(
        {"new": url_for("api.units", vintage=new), "old": url_for("api.units", vintage=former),
         "patches": url_for("eras.era_patches", lang=current_lang())},
        [(r["code"], r["name"]) for r in rows], geo.labels(former), geo.bounds(former), attribution,
        new_labels=geo.labels(new), _=gettext, profile_url=profile_url_pattern(new))
    colors = {r["code"]: maps.ERA_COLORS[i % len(maps.ERA_COLORS)] for i, r in enumerate(rows)}
    return render_template("eras.html", rows=rows, patches=patches["features"], colors=colors,
                           parts=maps.render_parts(fmap), reform_date=REFORM_DATE, statuses=statuses,
                           former_era=former, new_era=new,
                           table=None, view=None)


def _status_page(rows, patches, table, attribution, statuses):
    """The former communes filled by their status, the communes of the reform drawn over them as outlines."""
    former, new = reform_eras()
    view = build_qualitative_view(table, current_lang(), gettext)
    sources = {**geo.map_sources(former), "outline": url_for("api.units", vintage=new)}
    fmap = maps.build_map(view, sources, profile_url_pattern(former), geo.labels(new),
                          geo.bounds(former), attribution, _=gettext)
    return render_template("eras.html", rows=rows, patches=patches["features"], colors={},
                           parts=maps.render_parts(fmap), reform_date=REFORM_DATE, statuses=statuses,
                           former_era=former, new_era=new,
                           table=table, view=view)
