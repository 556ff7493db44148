"""The two eras together: 22 former communes, 8 communes of 1 July 2025, and where the outline moved."""
import json

from flask import Blueprint, jsonify, render_template, url_for
from flask_babel import gettext

from .. import maps
from ..aggregate import crosswalk_groups
from ..formatting import number
from ..units import REFORM_DATE
from ..values import indicator_values
from . import geo
from .api import download, format_arg
from .context import catalogue, store
from .locale import current_lang

bp = Blueprint("eras", __name__)


def _population(vintage):
    rows = indicator_values(store(), catalogue(), "population", 2019, vintage).rows
    return {r.unit.code: r.value for r in rows}


def crosswalk_rows():
    old = {u.code: u for u in store().unit_records("pre2025")}
    old_pop, new_pop = _population("pre2025"), _population("post2025")
    legal = {r["new_code"]: r for r in store().crosswalk()}
    rows = []
    for unit in store().unit_records("post2025"):
        former = crosswalk_groups(store().crosswalk()).get(unit.code, [])
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


@bp.get("/eras")
def eras():
    fmt = format_arg(["html", "json", "geojson"])
    rows = crosswalk_rows()
    patches = patches_collection(current_lang())
    if fmt == "json":
        return jsonify({"reform_date": REFORM_DATE, "communes": rows,
                        "patches": [f["properties"] for f in patches["features"]]})
    if fmt == "geojson":
        return download(json.dumps(patches, ensure_ascii=False), "maison_era_patches.geojson",
                        "application/geo+json")
    attribution = [s["attribution"] for s in store().sources()]
    fmap = maps.build_eras_map(
        {"new": url_for("api.units", vintage="post2025"), "old": url_for("api.units", vintage="pre2025"),
         "patches": url_for("eras.era_patches", lang=current_lang())},
        [(r["code"], r["name"]) for r in rows], geo.labels("pre2025"), geo.bounds("pre2025"), attribution,
        new_labels=geo.labels("post2025"), _=gettext)
    colors = {r["code"]: maps.ERA_COLORS[i % len(maps.ERA_COLORS)] for i, r in enumerate(rows)}
    return render_template("eras.html", rows=rows, patches=patches["features"], colors=colors,
                           parts=maps.render_parts(fmap), reform_date=REFORM_DATE)
