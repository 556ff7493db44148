"""Data API (JSON, GeoJSON, CSV) used by the pages and by other tools."""
from flask import Blueprint, Response, jsonify, request

from ..errors import InvalidChoice
from ..units import DEFAULT_VINTAGE, REFORM_DATE, VINTAGES, NameMatcher, check_vintage
from ..values import indicator_values
from . import geo
from .context import catalogue, store
from .tables import to_csv

bp = Blueprint("api", __name__, url_prefix="/api")

# where a value comes from a dated fact: its date, whether a status is carried forward, its category
# labels, the measuring standard (poverty lines), the link
FACT_COLUMNS = ["as_of", "carried_forward", "category_label_vi", "category_label_en", "standard",
                "source_url"]

VALUE_COLUMNS = ["level", "vintage", "indicator", "period", "code", "name", "full_name", "unit_type",
                 "value", "numerator", "denominator", "rank", "status", "illustrative", "source", "note",
                 *FACT_COLUMNS]


def vintage_arg():
    return check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))


def format_arg(allowed):
    fmt = request.args.get("format", allowed[0])
    if fmt not in allowed:
        raise InvalidChoice("format", fmt, allowed)
    return fmt


def download(body, filename, mimetype):
    return Response(body, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/units")
def units():
    vintage = vintage_arg()
    fmt = format_arg(["geojson", "topojson"])
    geometry = request.args.get("geometry", "web")
    if geometry not in ("web", "full"):
        raise InvalidChoice("geometry", geometry, ["web", "full"])
    if fmt == "topojson":
        return geo.json_response(geo.overview_payload(vintage, _attribution(vintage), _bbox_arg(),
                                                      _grid_arg()))
    return geo.json_response(geo.units_payload(
        vintage, full=geometry == "full", attribution=_attribution(vintage),
        extra={"vintage": vintage, "reform_date": REFORM_DATE}, properties=_properties_arg(vintage),
        bbox=_bbox_arg()))


MIN_GRID = 1e-5  # degrees, about a metre: the precision of the web geometry


def _grid_arg():
    """?grid=degrees: the TopoJSON's grid step (default: fit to the extent of the units)."""
    text = request.args.get("grid")
    if not text:
        return None
    try:
        grid = float(text)
    except ValueError:
        raise InvalidChoice("grid", text, [], reason="a number of degrees is needed") from None
    if not MIN_GRID <= grid <= 1:
        raise InvalidChoice("grid", text, [], reason=f"between {MIN_GRID:g} and 1 degree")
    return grid


def _bbox_arg():
    """?bbox=west,south,east,north in degrees: only the units reaching into it."""
    text = request.args.get("bbox")
    if not text:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidChoice("bbox", text, [], reason="four numbers are needed: west,south,east,north") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidChoice("bbox", text, [], reason="west < east within ±180 and south < north within ±90")
    return west, south, east, north


def _properties_arg(vintage):
    """?properties=code,name: only these properties on each feature (default: all)."""
    text = request.args.get("properties")
    if not text:
        return None
    known = geo.unit_properties(vintage)
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    for name in wanted:
        if name not in known:
            raise InvalidChoice("properties", name, known)
    return tuple(dict.fromkeys(wanted))


@bp.get("/outline")
def outline():
    """The outline of all units of a vintage (the district as it was, or the 8 communes together)."""
    return geo.json_response(geo.outline_payload(vintage_arg()))


@bp.get("/indicators")
def indicators():
    return jsonify([i.to_dict() for i in catalogue()])


@bp.get("/values")
def values():
    fmt = format_arg(["json", "csv"])
    key = request.args.get("indicator")
    if not key:
        raise InvalidChoice("indicator", key, catalogue().keys())
    table = indicator_values(store(), catalogue(), key, request.args.get("period"), vintage_arg())
    if fmt == "json":
        return jsonify(table.to_dict())
    common = {"vintage": table.vintage, "indicator": key, "period": table.period}
    rows = [{**r.to_dict(), **common, "level": "unit"} for r in table.rows]
    rows.append({**table.district.to_dict(), **common, "level": "district",
                 "name": "Huyện Mai Sơn" if table.vintage == "pre2025" else "Huyện Mai Sơn (cũ)"})
    return download(to_csv(rows, VALUE_COLUMNS),
                    f"maison_{key}_{table.period}_{table.vintage}.csv", "text/csv; charset=utf-8")


@bp.get("/match")
def match():
    """Free text → one unit of one vintage, through the name matcher."""
    vintage = vintage_arg()
    unit = NameMatcher(store().unit_records(vintage)).resolve(request.args.get("q", ""),
                                                              request.args.get("unit_type"))
    return jsonify({"vintage": vintage, "code": unit.code, "name": unit.name,
                    "full_name": unit.full_name, "unit_type": unit.unit_type})


@bp.get("/sources")
def sources():
    return jsonify({"vintages": list(VINTAGES), "reform_date": REFORM_DATE,
                    "boundaries": store().sources(), "build": store().meta()})


@bp.get("/crosswalk")
def crosswalk():
    return jsonify(store().crosswalk())


def _attribution(vintage):
    return [s["attribution"] for s in store().sources() if s["vintage"] == vintage]
