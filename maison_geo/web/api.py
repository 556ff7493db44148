"""Data API (JSON, GeoJSON, CSV) used by the pages and by other tools.

Each view reads its parameters through its Operation (maison_geo.contract): the same definitions make
the OpenAPI document at /api/openapi.json."""
from flask import Blueprint, jsonify, request

from .. import eras, schemas
from ..contract import N_, Operation, Param, Reply, read_all
from ..units import DEFAULT_VINTAGE, REFORM_DATE, UNIT_TYPES, VINTAGES, NameMatcher
from ..values import indicator_values
from . import geo
from .context import catalogue, store
from .renderers import PageData, content, page, render

bp = Blueprint("api", __name__, url_prefix="/api")

# where a value comes from a dated fact: its date, whether a status is carried forward, its category
# labels, the measuring standard (poverty lines), the link
FACT_COLUMNS = ["as_of", "carried_forward", "category_label_vi", "category_label_en", "standard",
                "source_url"]

VALUE_COLUMNS = ["level", "vintage", "indicator", "period", "code", "name", "full_name", "unit_type",
                 "value", "numerator", "denominator", "rank", "status", "illustrative", "source", "note",
                 *FACT_COLUMNS]
MIN_GRID = 1e-5  # degrees, about a metre: the precision of the web geometry


def parse_bbox(text):
    """west,south,east,north in degrees (CRS84)."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError("four numbers are needed: west,south,east,north") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError("west < east within ±180 and south < north within ±90")
    return west, south, east, north


def all_periods(ctx):
    return sorted({f.period for f in ctx.store.figures()})


def unit_columns(ctx):
    return list(dict.fromkeys(c for v in VINTAGES for c in geo.unit_properties(v)))


VINTAGE = Param("vintage", N_("The era of the units: the 22 communes before 1 July 2025 (pre2025) or the 8 after "
                "(post2025)."), choices=list(VINTAGES), default=DEFAULT_VINTAGE, example=VINTAGES[-1],
                blank=False)
BBOX = Param("bbox", N_("Only the units reaching into this box: west,south,east,north in degrees (CRS84)."),
             convert=parse_bbox, example="103.9,21.0,104.2,21.3",
             schema={"type": "string", "pattern": r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$"})
INDICATOR = Param("indicator", N_("The indicator's key (see /api/indicators)."), required=True,
                  choices=lambda ctx: ctx.catalogue.keys(), example="ban_gate_pct")
PERIOD = Param("period", N_("The year; by default the year with most communes covered (the latest on ties)."),
               type="integer", choices=all_periods, example=2024)


def formats(*allowed, description=N_("The response format.")):
    return Param("format", description, choices=list(allowed), default=allowed[0], blank=False)


UNITS = Operation(
    N_("The units of an era as GeoJSON (or TopoJSON)"),
    N_("Web geometry by default (about a metre's precision), the full geometry with geometry=full; "
    "format=topojson gives the quantized overview the maps start from."),
    params=(VINTAGE, formats("geojson", "topojson"),
            Param("geometry", N_("web (simplified) or full geometry."), choices=["web", "full"], default="web",
                  blank=False),
            BBOX,
            Param("properties", N_("Only these properties on each feature (default: all)."), type="list",
                  choices=unit_columns, example="code,name"),
            Param("grid", N_("TopoJSON only: the grid step in degrees (default: fit to the extent of the units)."),
                  type="number", minimum=MIN_GRID, maximum=1, example=0.001)),
    replies={200: Reply(N_("The units"), {"application/json": {"oneOf": [schemas.UNITS, schemas.TOPOLOGY]}}),
             304: Reply(N_("Not modified (the ETag matched)"))})
OUTLINE = Operation(N_("The outline of all units of an era (the district as it was, or the 8 communes together)"),
                    params=(VINTAGE,),
                    replies={200: Reply(N_("One feature"), {"application/json": schemas.feature_collection()}),
                             304: Reply(N_("Not modified (the ETag matched)"))})
INDICATORS = Operation(N_("The indicator catalogue: labels, units, kinds, sources, targets"),
                       replies={200: Reply(N_("Every indicator"), {"application/json": {
                           "type": "array", "items": schemas.INDICATOR}})})
VALUES_PAGE = page("api.values", "payload", "table")
VALUES = Operation(
    N_("Values of one indicator for every unit of an era in one period, with the district figure"),
    N_("Every row carries its status and source; illustrative rows are marked illustrative=true and the "
    "table carries the notice."),
    params=(INDICATOR, PERIOD, VINTAGE, formats(*VALUES_PAGE.formats())),
    replies={200: Reply(N_("The values"), content(VALUES_PAGE.formats(), schemas.VALUES))})
MATCH = Operation(N_("Free text to one unit of an era, through the name matcher"),
                  N_("Tolerates missing diacritics and type words (xã, thị trấn); an ambiguous name is a 400 "
                  "listing the candidates, an unknown one a 400 with suggestions."),
                  params=(Param("q", N_("The name to look up."), required=True, example="Hat Lot"),
                          Param("unit_type", N_("Only units of this type."), choices=list(UNIT_TYPES)),
                          VINTAGE),
                  replies={200: Reply(N_("The unit"), {"application/json": schemas.MATCH},
                                      example={"vintage": DEFAULT_VINTAGE, "code": "04135", "name": "Hát Lót",
                                               "full_name": "Xã Hát Lót", "unit_type": "xa"})})
SOURCES = Operation(N_("Where the boundaries come from, their licences and checksums, and the store's build"),
                    replies={200: Reply(N_("Sources"), {"application/json": schemas.SOURCES})})
CROSSWALK = Operation(N_("Which former commune became which commune on 1 July 2025, with the legal basis"),
                      replies={200: Reply(N_("The crosswalk"), {"application/json": schemas.CROSSWALK})})


def operation(op):
    """Attach the operation to its view: the document is made from the URL map and these."""
    def attach(view):
        view.operation = op
        return view
    return attach


class RequestContext:
    """What data-dependent choices are computed from, looked up only when needed."""
    catalogue = property(lambda self: catalogue())
    store = property(lambda self: store())


def args_of(op):
    return read_all(op.params, request.args, RequestContext())


@bp.get("/units")
@operation(UNITS)
def units():
    args = args_of(UNITS)
    vintage = args["vintage"]
    if args["format"] == "topojson":
        return geo.json_response(geo.overview_payload(vintage, _attribution(vintage), args["bbox"], args["grid"]))
    return geo.json_response(geo.units_payload(
        vintage, full=args["geometry"] == "full", attribution=_attribution(vintage),
        extra={"vintage": vintage, "reform_date": REFORM_DATE}, properties=args["properties"],
        bbox=args["bbox"]))


@bp.get("/outline")
@operation(OUTLINE)
def outline():
    """The outline of all units of a vintage (the district as it was, or the 8 communes together)."""
    return geo.json_response(geo.outline_payload(args_of(OUTLINE)["vintage"]))


@bp.get("/indicators")
@operation(INDICATORS)
def indicators():
    return jsonify([i.to_dict() for i in catalogue()])


@bp.get("/values")
@operation(VALUES)
def values():
    args = args_of(VALUES)
    key = args["indicator"]
    table = indicator_values(store(), catalogue(), key, args["period"], args["vintage"])
    return render(values_data(table), args["format"])


def values_data(table):
    common = {"vintage": table.vintage, "indicator": table.indicator.key, "period": table.period}
    rows = [{**r.to_dict(), **common, "level": "unit"} for r in table.rows]
    rows.append({**table.district.to_dict(), **common, "level": "district",
                 "name": eras.scope_of(store()).parent_name(table.vintage)})
    return PageData(name=f"maison_{table.indicator.key}_{table.period}_{table.vintage}", payload=table.to_dict(),
                    rows=rows, columns=VALUE_COLUMNS)


@bp.get("/match")
@operation(MATCH)
def match():
    """Free text → one unit of one vintage, through the name matcher."""
    args = args_of(MATCH)
    unit = NameMatcher(store().unit_records(args["vintage"])).resolve(args["q"], args["unit_type"])
    return jsonify({"vintage": args["vintage"], "code": unit.code, "name": unit.name,
                    "full_name": unit.full_name, "unit_type": unit.unit_type})


@bp.get("/sources")
@operation(SOURCES)
def sources():
    return jsonify({"vintages": list(VINTAGES), "reform_date": REFORM_DATE,
                    "boundaries": store().sources(), "build": store().meta()})


@bp.get("/crosswalk")
@operation(CROSSWALK)
def crosswalk():
    return jsonify(store().crosswalk())


def _attribution(vintage):
    return [s["attribution"] for s in store().sources() if s["vintage"] == vintage]
