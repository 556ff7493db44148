"""The OpenAPI document of the JSON API (/api/openapi.json) and its readable page (/api/docs), made
from the URL map and the Operation attached to each view (maison_geo.contract)."""
from dataclasses import replace

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_babel import gettext

from .. import schemas
from ..contract import N_, Operation, Param, Reply, document
from ..figures import STATUSES
from ..planning.common import CRITERIA, MAX_BENEFIT_WEIGHT, OBJECTIVES, PLAN_YEARS, RANKINGS
from ..planning.frontier import MAX_POINTS
from ..units import DEFAULT_VINTAGE, VINTAGES
from .api import RequestContext, operation

bp = Blueprint("openapi", __name__, url_prefix="/api")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ERROR_REPLY = Reply(N_("A parameter or the body is not valid: the message names it and what is valid"),
                    {"application/json": schemas.ERROR},
                    example={"error": f"vintage='2020' is not valid; choose one of: {', '.join(VINTAGES)}",
                             "param": "vintage", "value": "2020", "choices": list(VINTAGES)})
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "An API token: python -m maison_geo token add NAME"},
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The session cookie of a login at /login"},
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
             "description": "With a session: the CSRF token of the page (csrf_token form field or this header)"}}

MONEY_TEXT = {"type": "string", "description": "an amount as people write it: 50 tỷ, 2,5 tỷ, 780 triệu, "
              "50.000.000.000 (. groups thousands, , is the decimal mark)", "example": "50 tỷ"}
PLAN_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["budget"], "properties": {
        "vintage": {"type": "string", "enum": list(VINTAGES)},
        "budget": {"oneOf": [{"type": "number", "minimum": 0}, MONEY_TEXT,
                             {"type": "object", "additionalProperties": {"oneOf": [
                                 {"type": "number", "minimum": 0}, MONEY_TEXT]},
                              "description": f"VND per year, years {PLAN_YEARS[0]}–{PLAN_YEARS[-1]}"}]},
        "period": {"type": "integer", "nullable": True},
        "interventions": {"type": "array", "items": {"type": "string"}},
        "objective": {"type": "string", "enum": list(OBJECTIVES)},
        "ranking": {"type": "string", "enum": list(RANKINGS)},
        "weights": {"type": "object", "properties": {c: {"type": "number", "minimum": 0} for c in CRITERIA},
                    "additionalProperties": False},
        "min_share": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "max_share": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "unit_costs": {"type": "object", "additionalProperties": {"oneOf": [{"type": "number", "minimum": 0},
                                                                             MONEY_TEXT]}},
        "benefit_weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0,
                                                                       "maximum": MAX_BENEFIT_WEIGHT}},
        "time_limit": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 60}}},
    "example": {"vintage": DEFAULT_VINTAGE, "budget": 20_000_000_000, "objective": "benefit"}}}}
FRONTIER_BODY = {"required": True, "content": {"application/json": {"schema": {
    **PLAN_BODY["content"]["application/json"]["schema"],
    "properties": {**PLAN_BODY["content"]["application/json"]["schema"]["properties"],
                   "points": {"type": "integer", "minimum": 2, "maximum": MAX_POINTS}}},
    "example": {"vintage": DEFAULT_VINTAGE, "budget": "20 tỷ", "points": 12}}}}
TARGET_BODY = {"required": True, "content": {"application/json": {"schema": schemas.TARGET_INPUT,
                                                                  "example": {"value": 95, "year": 2030,
                                                                              "source": "Nghị quyết ..."}}}}
INDICATOR_IN_PATH = Param("indicator", N_("The indicator's key (see /api/indicators)."), location="path",
                          example="hh_grid_pct")
EDITOR = (("bearer",), ("session", "csrf"))
EDITOR_REPLIES = {401: Reply(N_("No valid token or login"), {"application/json": schemas.ERROR},
                             headers=("WWW-Authenticate",)),
                  403: Reply(N_("The account may not set targets"), {"application/json": schemas.ERROR})}
IMPORT_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the filled template (.xlsx) or a CSV"},
        "vintage": {"type": "string", "enum": list(VINTAGES)}, "period": {"type": "integer"},
        "status": {"type": "string", "enum": list(STATUSES)}, "source": {"type": "string"},
        "note": {"type": "string"}, "dry_run": {"type": "string", "enum": ["0", "1"]}}}}}}

# Views in other modules, described here so that those modules stay as they are.
ELSEWHERE = {
    "eras.era_patches": Operation(
        N_("Where the outline moved on 1 July 2025: the pieces of former communes now in another commune"),
        tag="eras", replies={200: Reply(N_("The pieces"), {"application/json": schemas.ERA_PATCHES})}),
    "plans.api_plans": Operation(
        N_("A budget plan: what to build in which commune, year by year, within the budget"),
        N_("A computation: nothing is stored, so no login and no CSRF token are needed."), tag="planning",
        body=PLAN_BODY, replies={200: Reply(N_("The plan"), {"application/json": schemas.PLAN})}),
    "plans.api_frontier": Operation(
        N_("What each extra tỷ buys: optimal plans from no budget to every gap closed"),
        N_("The body of /api/plans plus points; a computation, nothing is stored."), tag="planning",
        body=FRONTIER_BODY, replies={200: Reply(N_("The points and the chosen budget"),
                                                {"application/json": schemas.FRONTIER})}),
    "targets.api_targets": Operation(
        N_("The targets in force, and whether an editor set them"), tag="targets",
        replies={200: Reply(N_("Every target"), {"application/json": schemas.TARGETS})}),
    "targets.api_target": Operation(
        N_("One indicator's target and every change to it"), tag="targets", params=(INDICATOR_IN_PATH,),
        replies={200: Reply(N_("The target and its history"), {"application/json": schemas.TARGET_HISTORY})}),
    "targets.put_target": Operation(
        N_("Set an indicator's target (editors): a new version, audited"), tag="targets",
        params=(INDICATOR_IN_PATH,), body=TARGET_BODY, security=EDITOR,
        replies={200: Reply(N_("The target set"), {"application/json": schemas.TARGET_SET}), **EDITOR_REPLIES}),
    "targets.delete_target": Operation(
        N_("Remove an indicator's target (editors): a new version, audited"), tag="targets",
        params=(INDICATOR_IN_PATH,), security=EDITOR,
        replies={200: Reply(N_("The target removed"), {"application/json": schemas.TARGET_SET}), **EDITOR_REPLIES}),
    "imports.api_imports": Operation(
        N_("Import figures from a filled template (editors)"),
        N_("dry_run=1 only checks. A browser session must send the CSRF token; a Bearer token needs none."),
        tag="imports", body=IMPORT_BODY, security=(("bearer",), ("session", "csrf")),
        replies={200: Reply(N_("Checked (dry run)"), {"application/json": schemas.IMPORT}),
                 201: Reply(N_("Imported: a new data version"), {"application/json": schemas.IMPORT}),
                 401: Reply(N_("No valid token or login"), {"application/json": schemas.ERROR},
                            headers=("WWW-Authenticate",)),
                 403: Reply(N_("The account may not import"), {"application/json": schemas.ERROR}),
                 413: Reply(N_("The file is too large"), {"application/json": schemas.ERROR}),
                 422: Reply(N_("The file has problems: the report lists them"), {"application/json": schemas.IMPORT})}),
}
DOCUMENT = Operation(N_("This document (OpenAPI 3.0)"), tag="meta",
                     replies={200: Reply(N_("The OpenAPI document"), {"application/json": {"type": "object"}})})
DOCS = Operation(N_("This document as a page"), tag="meta",
                 replies={200: Reply(N_("The page"), {"text/html": {"type": "string"}})})


def operation_of(app, endpoint):
    return getattr(app.view_functions.get(endpoint), "operation", None) or ELSEWHERE.get(endpoint)


def routes(app, prefix):
    """[(rule, method, endpoint, Operation)] of every route under prefix; Operation None if undescribed."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule == prefix or rule.rule.startswith(prefix + "/"):
            found += [(rule.rule, m, rule.endpoint, operation_of(app, rule.endpoint))
                      for m in METHODS if m in rule.methods]
    return found


def api_document(app):
    info = {"title": "maison-geo API", "version": "1",
            "description": gettext("Communes of huyện Mai Sơn (Sơn La, Vietnam) before and after 1 July 2025: "
                                   "boundaries, indicators, values with status and source. Values marked "
                                   "illustrative are made up for the demo, never real figures. An error names "
                                   "the parameter at fault and the valid choices.")}
    from .twins import TWINS
    twins = [(r.rule, "GET", r.endpoint, TWINS[r.endpoint](r.endpoint))
             for r in app.url_map.iter_rules() if r.endpoint in TWINS]
    described = []
    for rule, method, endpoint, op in routes(app, "/api") + twins:
        if op is not None:
            replies = {**op.replies, 400: op.replies.get(400, ERROR_REPLY)}
            if op.params or op.body:
                op = replace(op, replies=replies)
            described.append((rule, method, endpoint, op))
    return document(described, RequestContext(), info, servers=[{"url": "/"}], translate=gettext,
                    components={"securitySchemes": SECURITY_SCHEMES, "schemas": {"Error": schemas.ERROR}})


@bp.get("/openapi.json")
@operation(DOCUMENT)
def openapi_json():
    return jsonify(api_document(current_app))


@bp.get("/docs")
@operation(DOCS)
def docs():
    return render_template("api_docs.html", doc=api_document(current_app), doc_url=url_for(".openapi_json"))
