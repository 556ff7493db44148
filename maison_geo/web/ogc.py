"""OGC API – Features under /ogc: the core (maison_geo.ogc) with links, media types, CORS and HTML.
Parameters are read through Operations, and /ogc/api is made from them (maison_geo.contract)."""
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext

from .. import ogc, schemas
from ..contract import N_, Operation, Param, Reply, document
from ..errors import InvalidChoice
from ..units import VINTAGES
from ..values import figure_index
from . import geo
from .api import operation
from .context import catalogue, store
from .locale import current_lang

bp = Blueprint("ogc", __name__, url_prefix="/ogc")
GEOJSON, OPENAPI = "application/geo+json", "application/vnd.oai.openapi+json;version=3.0"
ALWAYS_ALLOWED = ("f", "lang")  # the format and the page language are accepted everywhere


class OgcContext:
    @property
    def provider(self):
        return provider()

    @property
    def catalogue(self):
        return catalogue()


def provider():
    return ogc.Provider(store(), catalogue(), lambda vintage: figure_index(store(), catalogue(), vintage))


def collection_ids(ctx):
    return [c.id for c in ctx.provider.collections()]


ENUM_LIMIT = 1000  # more codes than this (a country) would make the API document megabytes long


def unit_codes(ctx):
    codes = sorted({u.code for v in VINTAGES for u in ctx.provider.store.unit_records(v)})
    return codes if len(codes) <= ENUM_LIMIT else []


def f_param(*formats):
    return Param("f", N_("The format: json (GeoJSON for features) or html."), choices=list(formats),
                 default=None, blank=False)


F = f_param("json", "html")
LANG = Param("lang", N_("The language of titles and messages: vi (default) or en."), choices=["vi", "en"])
COLLECTION = Param("collectionId", N_("The collection: units-<era> or <indicator>-<era>."), location="path",
                   choices=collection_ids, example=f"ban_gate_pct-{VINTAGES[0]}")
FEATURE = Param("featureId", N_("The unit's code."), location="path", choices=unit_codes, example="04135")
SIMPLIFIED = Param("simplified", N_("1: the web geometry (about a metre's precision); default: the full geometry."),
                   type="boolean", default=False)
ITEM_PARAMS = (COLLECTION, F, LANG, SIMPLIFIED,
               Param("period", N_("Only this year's value, status and source (value, status, source, "
                     "illustrative); default: every year as value_<year>, status_<year>, source_<year>."),
                     type="integer", example=2024),
               Param("datetime", N_("Only the years in this instant or interval (2024, 2019/2024, ../2024), "
                     "as value_<year>...; ignored by the units collections, which have no time."),
                     convert=ogc.parse_datetime, schema={"type": "string"}, example="2019/2024"),
               Param("properties", N_("Only these properties on each feature."), type="list",
                     example="code,name,value_2024"))
ITEMS_PARAMS = ITEM_PARAMS[:1] + (
    Param("limit", N_("At most this many features."), type="integer", minimum=1, maximum=ogc.MAX_LIMIT,
          default=ogc.DEFAULT_LIMIT),
    Param("offset", N_("Skip this many features (the next and prev links page with it)."), type="integer",
          minimum=0, default=0),
    Param("bbox", N_("Only the features reaching into this box: west,south,east,north in degrees (CRS84)."),
          convert=ogc.parse_bbox, example="103.9,21.0,104.2,21.3",
          schema={"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}),
) + ITEM_PARAMS[1:]


def _error(description):
    return Reply(description, {"application/json": schemas.OGC_EXCEPTION, "text/html": {"type": "string"}})


def _ops(summary, params, content, description=""):
    replies = {200: Reply(summary, content), 400: _error(N_("A parameter is not valid (OGC exception; a page with f=html)"))}
    if any(p.location == "path" for p in params):
        replies[404] = _error(N_("No such collection or feature (OGC exception; a page with f=html)"))
    return Operation(summary, description, tag="ogc", params=params, replies=replies)


LANDING = _ops(N_("The landing page: links to the API definition, conformance and collections"), (F, LANG),
               {"application/json": schemas.OGC_LANDING, "text/html": {"type": "string"}})
CONFORMANCE = _ops(N_("The conformance classes implemented"), (F, LANG),
                   {"application/json": schemas.OGC_CONFORMANCE, "text/html": {"type": "string"}})
API = _ops(N_("This API definition (OpenAPI 3.0)"), (f_param("json", "html"), LANG),
           {OPENAPI: {"type": "object"}, "text/html": {"type": "string"}})
COLLECTIONS = _ops(N_("The collections: the units of each era, and each indicator in each era"), (F, LANG),
                   {"application/json": schemas.OGC_COLLECTIONS, "text/html": {"type": "string"}})
COLLECTION_OP = _ops(N_("One collection: its extent, periods and links"), (COLLECTION, F, LANG),
                     {"application/json": schemas.OGC_COLLECTION, "text/html": {"type": "string"}})
ITEMS = _ops(N_("The features of a collection, a page at a time"), ITEMS_PARAMS,
             {GEOJSON: schemas.OGC_ITEMS, "text/html": {"type": "string"}},
             N_("Illustrative values (made up for the demo) are marked illustrative=true with the notice "
             "in every feature that carries one."))
ITEM = _ops(N_("One feature"), (COLLECTION, FEATURE) + ITEM_PARAMS[1:],
            {GEOJSON: schemas.feature(id_required=True), "text/html": {"type": "string"}})


def read(op):
    known = {p.name for p in op.params if p.location == "query"} | set(ALWAYS_ALLOWED)
    for name in request.args:
        if name not in known:
            raise InvalidChoice(name, request.args.get(name), sorted(known), reason="unknown parameter")
    args = {**request.args.to_dict(), **(request.view_args or {})}
    return {p.name: p.read(args, OgcContext()) for p in op.params}


def wants_html(args):
    if args.get("f"):
        return args["f"] == "html"
    best = request.accept_mimetypes.best_match(["application/json", GEOJSON, "text/html"])
    return best == "text/html"


def link(endpoint, rel, media, title, **values):
    return {"href": url_for(endpoint, _external=True, **values), "rel": rel, "type": media, "title": title}


def reply(args, body, page, media="application/json", **context):
    if wants_html(args):
        return render_template("ogc.html", page=page, body=body, **context,
                               parts=map_parts(context["collection"], context.get("period"),
                                               body.get("id") if page == "item" else None)
                               if "collection" in context else None)
    response = jsonify(body)
    response.mimetype = media
    return response


@bp.after_request
def cors(response):
    """Read-only and public: any site may read it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
    return response


@bp.get("", strict_slashes=False)
@operation(LANDING)
def landing():
    args = read(LANDING)
    body = {"title": gettext("Mai Sơn communes: boundaries and indicators"),
            "description": gettext("OGC API – Features of the communes of Mai Sơn before and after 1 July "
                                   "2025, with the value, status and source of every indicator."),
            "links": [link("ogc.landing", "self", "application/json", gettext("This document"), f="json"),
                      link("ogc.landing", "alternate", "text/html", gettext("This document as HTML"), f="html"),
                      link("ogc.api", "service-desc", OPENAPI, gettext("The API definition")),
                      link("ogc.api", "service-doc", "text/html", gettext("The API documentation"), f="html"),
                      link("ogc.conformance", "conformance", "application/json", gettext("Conformance")),
                      link("ogc.collections", "data", "application/json", gettext("Collections"))]}
    return reply(args, body, "landing")


@bp.get("/conformance")
@operation(CONFORMANCE)
def conformance():
    return reply(read(CONFORMANCE), {"conformsTo": ogc.CONFORMANCE}, "conformance")


@bp.get("/api")
@operation(API)
def api():
    args = read(API)
    from .openapi import routes
    info = {"title": "maison-geo OGC API – Features", "version": "1",
            "description": gettext("OGC API – Features of the communes of Mai Sơn before and after 1 July "
                                   "2025, with the value, status and source of every indicator.")}
    doc = document([r for r in routes(current_app, "/ogc") if r[3]], OgcContext(), info, translate=gettext,
                   servers=[{"url": request.url_root.rstrip("/")}],
                   components={"schemas": {"exception": schemas.OGC_EXCEPTION}})
    if wants_html(args):
        return render_template("api_docs.html", doc=doc, doc_url=url_for("ogc.api", f="json"),
                               title=gettext("OGC API – Features"))
    return Response(current_app.json.dumps(doc), mimetype=OPENAPI)


@bp.get("/collections")
@operation(COLLECTIONS)
def collections():
    args = read(COLLECTIONS)
    source = provider()
    body = {"links": [link("ogc.collections", "self", "application/json", gettext("Collections"), f="json"),
                      link("ogc.collections", "alternate", "text/html", gettext("Collections"), f="html")],
            "collections": [describe(source, c) for c in source.collections()]}
    return reply(args, body, "collections")


@bp.get("/collections/<collectionId>")
@operation(COLLECTION_OP)
def collection(collectionId):  # noqa: N803 -- the OGC name of the path parameter
    args = read(COLLECTION_OP)
    source = provider()
    return reply(args, describe(source, source.collection(args["collectionId"])), "collection")


def describe(source, coll):
    lang = current_lang()
    periods = source.periods(coll)
    extent = {"spatial": {"bbox": [source.bbox(coll)], "crs": ogc.CRS84}}
    if periods:
        extent["temporal"] = {"interval": [[f"{periods[0]}-01-01T00:00:00Z", f"{periods[-1]}-12-31T23:59:59Z"]]}
    ind = coll.indicator
    description = (gettext("The units of this era: code, name, type and area, with the boundary.") if ind is None
                   else gettext("Value, status and source of %(label)s (%(unit)s) for each unit in each year; "
                                "source of the indicator: %(source)s.", label=ind.label(lang),
                                unit=ind.unit_label(lang), source=ind.source))
    return {"id": coll.id, "title": title(coll, lang), "description": description, "itemType": "feature",
            "crs": [ogc.CRS84], "extent": extent, "vintage": coll.vintage,
            "indicator": ind.key if ind else None, "periods": periods,
            "links": [link("ogc.collection", "self", "application/json", coll.id, collectionId=coll.id, f="json"),
                      link("ogc.collection", "alternate", "text/html", coll.id, collectionId=coll.id, f="html"),
                      link("ogc.items", "items", GEOJSON, gettext("Features"), collectionId=coll.id, f="json"),
                      link("ogc.items", "items", "text/html", gettext("Features"), collectionId=coll.id, f="html")]}


def title(coll, lang):
    if coll.indicator is None:
        return gettext("Communes · %(era)s", era=gettext(coll.vintage))
    return f"{coll.indicator.label(lang)} · {gettext(coll.vintage)}"


def _options(source, coll, args):
    period = source.check_period(coll, args["period"])
    periods = None
    if args["datetime"] and coll.indicator is not None and period is None:
        first, last = args["datetime"]
        periods = [p for p in source.periods(coll) if (first is None or p >= first) and (last is None or p <= last)]
    return {"period": period, "periods": periods, "properties": args["properties"],
            "simplified": args["simplified"], "lang": current_lang()}


@bp.get("/collections/<collectionId>/items")
@operation(ITEMS)
def items(collectionId):  # noqa: N803
    args = read(ITEMS)
    source = provider()
    coll = source.collection(args["collectionId"])
    limit, offset = args["limit"], args["offset"]
    shown, matched, fields = source.features(coll, bbox=args["bbox"], limit=limit, offset=offset,
                                             **_options(source, coll, args))
    body = {"type": "FeatureCollection", "features": shown, "numberMatched": matched,
            "numberReturned": len(shown), "timeStamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": _page_links(coll, matched, limit, offset)}
    if coll.indicator is not None and any(f["properties"].get("illustrative") for f in shown):
        body["notice"] = ogc.ILLUSTRATIVE_NOTICE
    return reply(args, body, "items", GEOJSON, collection=describe(source, coll), fields=fields,
                 period=args["period"])


def _page_links(coll, matched, limit, offset):
    kept = {k: v for k, v in request.args.items() if k not in ("offset", "f")}
    here = lambda rel, media, at, title: link("ogc.items", rel, media, title, collectionId=coll.id,  # noqa: E731
                                              **{**kept, "offset": at, "f": "json" if "json" in media else "html"})
    links = [here("self", GEOJSON, offset, gettext("This page")),
             here("alternate", "text/html", offset, gettext("This page as HTML")),
             link("ogc.collection", "collection", "application/json", coll.id, collectionId=coll.id)]
    if offset + limit < matched:
        links.append(here("next", GEOJSON, offset + limit, gettext("Next page")))
    if offset > 0:
        links.append(here("prev", GEOJSON, max(offset - limit, 0), gettext("Previous page")))
    return links


@bp.get("/collections/<collectionId>/items/<featureId>")
@operation(ITEM)
def item(collectionId, featureId):  # noqa: N803
    args = read(ITEM)
    source = provider()
    coll = source.collection(args["collectionId"])
    options = _options(source, coll, args)
    found = source.feature(coll, args["featureId"], **options)
    found["links"] = [link("ogc.item", "self", GEOJSON, found["id"], collectionId=coll.id, featureId=found["id"]),
                      link("ogc.collection", "collection", "application/json", coll.id, collectionId=coll.id)]
    return reply(args, found, "item", GEOJSON, collection=describe(source, coll),
                 fields=list(found["properties"]), period=args["period"])


def map_parts(coll, period, locator=None):
    """The collection on a map for its HTML pages: the indicator's choropleth of the year shown (by
    default the year the map page would show), or the units alone; a click opens the unit's profile."""
    from .. import maps
    from ..qualitative import build_qualitative_view
    from ..values import indicator_values
    from .views import profile_url_pattern
    vintage = coll["vintage"]
    view = None
    if coll["indicator"]:
        table = indicator_values(store(), catalogue(), coll["indicator"], period, vintage,
                                 index=provider().index_of(vintage))
        view = (build_qualitative_view(table, current_lang(), gettext) if table.indicator.qualitative
                else maps.build_view(table, "quantiles", 5, current_lang(), gettext))
    attribution = [s["attribution"] for s in store().sources() if s["vintage"] == vintage]
    return maps.render_parts(maps.build_map(view, geo.map_sources(vintage), profile_url_pattern(vintage),
                                            geo.labels(vintage), geo.bounds(vintage), attribution,
                                            height="100%", locator_code=locator, _=gettext))


def exception(status, body):
    """The OGC exception format, keeping what our errors name (param, value, choices)."""
    code = {400: "InvalidParameterValue", 404: "NotFound", 405: "MethodNotAllowed"}.get(status, "ServerError")
    extra = {k: v for k, v in body.items() if k in ("param", "value", "choices")}
    return jsonify({"code": code, "description": body.get("error", ""), **extra}), status
