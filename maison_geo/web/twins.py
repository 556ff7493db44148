"""The machine-readable twins of the public pages (?format=json|csv|...), described for the OpenAPI
document with the same constants their views validate with (schemes, classes, eras) and the formats and
media types of the registry (web.renderers)."""
from .. import schemas
from ..classify import K_RANGE, SCHEMES
from ..contract import N_, Operation, Param, Reply
from .api import VINTAGE, formats
from .renderers import PAGES, content
from .views import DEFAULT_INDICATOR

MAPPABLE = Param("indicator", N_("The indicator's key: one with per-commune values."), default=DEFAULT_INDICATOR,
                 choices=lambda ctx: [i.key for i in ctx.catalogue.mappable()], example="hh_grid")
PERIOD = Param("period", N_("The year; by default the year with most communes covered."), type="integer", example=2024)
SCHEME = Param("scheme", N_("How values are put into classes."), choices=list(SCHEMES), default="quantiles",
               blank=False)
CLASSES = Param("k", N_("The number of classes."), type="integer", choices=list(K_RANGE), default=5)


def _twin(summary, params, json_schema, description="", not_found=False):
    return lambda endpoint: _operation(summary, params, PAGES[endpoint].formats(), json_schema, description,
                                       not_found)


def _operation(summary, params, fmts, json_schema, description, not_found):
    replies = {200: Reply(summary, content(fmts, json_schema))}
    if not_found:
        replies[404] = Reply(N_("No such unit in this era"), {"application/json": schemas.ERROR, "text/html": {}})
    replies[400] = Reply(N_("A parameter is not valid: the message names it and what is valid"),
                         {"application/json": schemas.ERROR, "text/html": {}})
    return Operation(summary, description, tag="pages",
                     params=params + (formats(*fmts, description=N_("The page (html) or one of its twins.")),),
                     replies=replies)


# endpoint -> (endpoint -> its Operation), made when the document is, from the formats registered then
TWINS = {
    "pages.map_page": _twin(
        N_("The map's data: every unit's value, status, source, class and colour, and the district figure"),
        (MAPPABLE, PERIOD, VINTAGE, SCHEME, CLASSES), schemas.MAP_VIEW,
        N_("Exactly what the map shows; illustrative rows are marked.")),
    "pages.profile": _twin(
        N_("A commune's profile: every indicator's latest value beside the district, its rank, status and source"),
        (Param("vintage", N_("The era of the code."), location="path", choices=list(VINTAGE.choices)),
         Param("code", N_("The unit's code in that era."), location="path", example="04135")),
        schemas.PROFILE, not_found=True),
    "compare.compare": _twin(
        N_("Communes side by side on every indicator"),
        (VINTAGE, Param("codes", N_("The units' codes, comma-separated."), type="list", example="04132,04135")),
        schemas.COMPARE),
    "compare.progress": _twin(
        N_("Progress of every unit towards the indicator's target (none is invented: without one, the answer says so)"),
        (MAPPABLE, PERIOD, VINTAGE, SCHEME, CLASSES), schemas.PROGRESS),
    "eras.eras": _twin(
        N_("The 8 communes of 1 July 2025 with the former communes inside them, and where the outline moved"),
        (), schemas.ERAS),
}
