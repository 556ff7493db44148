"""JSON Schemas (OpenAPI 3.0 dialect) of what the APIs answer: the document shows them, schemathesis
checks every response against them."""
from .indicators import KINDS
from .units import UNIT_TYPES, VINTAGES

STRING_OR_NULL = {"type": "string", "nullable": True}
NUMBER_OR_NULL = {"type": "number", "nullable": True}
ANY_VALUE = {"nullable": True, "description": "a number; text for categorical indicators; null when unknown"}
STATUSES = {"type": "string", "nullable": True,
            "description": "official, estimate, illustrative... (the weakest of the figures used)"}

ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string", "description": "what is wrong, in the language asked (?lang=en)"},
    "status": {"type": "integer"},
    "param": {"type": "string", "description": "the parameter at fault"},
    "value": {"nullable": True, "description": "the value given"},
    "choices": {"type": "array", "items": {}, "description": "the valid values, when they can be listed"},
}}

GEOMETRY = {"type": "object", "nullable": True, "required": ["type"], "properties": {
    "type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                                         "MultiPolygon", "GeometryCollection"]},
    "coordinates": {"type": "array"}}}


def feature(properties=None, id_required=False):
    schema = {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": GEOMETRY,
        "properties": {"type": "object", "nullable": True, **({"properties": properties} if properties else {})}}}
    if id_required:
        schema["required"] = schema["required"] + ["id"]
    return schema


def feature_collection(properties=None, extra=None):
    return {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": feature(properties)}, **(extra or {})}}


UNIT_PROPERTIES = {
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "code": {"type": "string"},
    "name": {"type": "string"}, "full_name": {"type": "string"},
    "unit_type": {"type": "string", "enum": list(UNIT_TYPES)}, "area_km2": {"type": "number"},
    "source": {"type": "string"}, "source_id": STRING_OR_NULL}

UNITS = feature_collection(UNIT_PROPERTIES, {
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "reform_date": {"type": "string", "format": "date"},
    "attribution": {"type": "array", "items": {"type": "string"}}})

TOPOLOGY = {"type": "object", "required": ["type", "objects", "arcs"], "properties": {
    "type": {"type": "string", "enum": ["Topology"]}, "objects": {"type": "object"},
    "arcs": {"type": "array"}, "transform": {"type": "object"}, "bbox": {"type": "array", "items": {"type": "number"}},
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "attribution": {"type": "array", "items": {"type": "string"}}}}

TARGET = {"type": "object", "nullable": True, "properties": {
    "value": {"type": "number"}, "year": {"type": "integer"}, "source": {"type": "string"}}}

INDICATOR = {"type": "object", "required": ["key", "label_vi", "label_en", "kind"], "properties": {
    "key": {"type": "string"}, "label_vi": {"type": "string"}, "label_en": {"type": "string"},
    "unit": {"type": "string"}, "unit_en": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
    "higher_is_better": {"type": "boolean", "nullable": True}, "source": {"type": "string"},
    "theme": {"type": "string"}, "numerator": STRING_OR_NULL, "denominator": STRING_OR_NULL, "target": TARGET,
    "applies_to": {"type": "array", "items": {"type": "string"}}, "district_only": {"type": "boolean"}}}

VALUE_ROW = {"type": "object", "required": ["value", "status", "illustrative", "source"], "properties": {
    "code": STRING_OR_NULL, "name": STRING_OR_NULL, "full_name": STRING_OR_NULL, "unit_type": STRING_OR_NULL,
    "value": ANY_VALUE, "numerator": NUMBER_OR_NULL, "denominator": NUMBER_OR_NULL,
    "rank": {"type": "integer", "nullable": True}, "status": STATUSES,
    "illustrative": {"type": "boolean", "description": "true: a made-up demo value, never a real figure"},
    "source": {"type": "string"}, "note": {"type": "string"}, "level": {"type": "string"}}}

SOURCE_TEXT = {"type": "string", "description": "the source as a citation for people, in the language asked "
               "(?lang=en); `source` is the raw one"}
SOURCED_ROW = {"type": "object", "required": ["source", "source_text"], "properties": {
    "source": {"type": "string", "nullable": True}, "source_text": SOURCE_TEXT}}

VALUES = {"type": "object", "required": ["indicator", "vintage", "period", "rows", "district", "illustrative"],
          "properties": {
              "indicator": INDICATOR, "vintage": {"type": "string", "enum": list(VINTAGES)},
              "period": {"type": "integer"}, "periods": {"type": "array", "items": {"type": "integer"}},
              "illustrative": {"type": "boolean"}, "notice": STRING_OR_NULL, "district": VALUE_ROW,
              "rows": {"type": "array", "items": VALUE_ROW},
              "attribution": {"type": "array", "items": {"type": "string"}}}}

MATCH = {"type": "object", "required": ["vintage", "code", "name"], "properties": {
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "code": {"type": "string"},
    "name": {"type": "string"}, "full_name": {"type": "string"},
    "unit_type": {"type": "string", "enum": list(UNIT_TYPES)}}}

SOURCES = {"type": "object", "required": ["vintages", "reform_date", "boundaries", "build"], "properties": {
    "vintages": {"type": "array", "items": {"type": "string", "enum": list(VINTAGES)}},
    "reform_date": {"type": "string", "format": "date"},
    "boundaries": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "file": {"type": "string"}, "sha256": {"type": "string"},
        "vintage": {"type": "string"}, "attribution": {"type": "string"}, "licence": {"type": "string"},
        "url": {"type": "string"}}}},
    "build": {"type": "object"}}}

CROSSWALK = {"type": "array", "items": {"type": "object", "required": ["old_code", "new_code"], "properties": {
    "old_code": {"type": "string"}, "new_code": {"type": "string"}, "merge": {"type": "string"},
    "legal_basis": STRING_OR_NULL, "effective_date": STRING_OR_NULL}}}

ERA_PATCHES = feature_collection({
    "change": {"type": "string", "enum": ["left", "added"]}, "area_km2": {"type": "number"},
    "old_code": STRING_OR_NULL, "old_name": STRING_OR_NULL, "now_in": STRING_OR_NULL,
    "now_in_code": STRING_OR_NULL, "label": {"type": "string"}})

PLAN = {"type": "object", "description": "the plan: what to build where, year by year, with its costs and the "
        "figures it rests on (status and source on each)"}

FRONTIER_POINT = {"type": "object", "required": ["budget", "cost", "beneficiaries"], "properties": {
    "budget": {"type": "number"}, "cost": {"type": "number", "nullable": True},
    "beneficiaries": {"type": "number", "nullable": True}, "objective": {"type": "number", "nullable": True},
    "status": {"type": "string"}, "optimal": {"type": "boolean"}}}
FRONTIER = {"type": "object", "required": ["points", "chosen"], "properties": {
    "points": {"type": "array", "items": FRONTIER_POINT},
    "chosen": {**FRONTIER_POINT, "properties": {**FRONTIER_POINT["properties"],
               "extra_budget": {"type": "number"}, "extra_beneficiaries": {"type": "number", "nullable": True},
               "marginal_cost_per_beneficiary": {"type": "number", "nullable": True},
               "covers_every_gap": {"type": "boolean"}}},
    "cost_to_close_all_vnd": {"type": "number"}, "illustrative": {"type": "boolean"},
    "notices": {"type": "array", "items": {"type": "string"}}}}
TARGET_INPUT = {"type": "object", "required": ["value", "year", "source"], "properties": {
    "value": {"type": "number", "minimum": 0}, "year": {"type": "integer", "minimum": 2020, "maximum": 2050},
    "source": {"type": "string", "minLength": 1, "maxLength": 300}}}
TARGET_VALUE = {"type": "object", "nullable": True, "properties": {
    "value": {"type": "number"}, "year": {"type": "integer"}, "source": {"type": "string"}}}
TARGET_VERSION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "value": {"type": "number", "nullable": True},
    "year": {"type": "integer", "nullable": True}, "source": {"type": "string"}, "by": {"type": "string"},
    "at": {"type": "string"}}}
TARGETS = {"type": "object", "required": ["targets"], "properties": {
    "targets": {"type": "object", "additionalProperties": TARGET_VALUE}}}
TARGET_HISTORY = {"type": "object", "required": ["indicator", "target", "history"], "properties": {
    "indicator": {"type": "string"}, "target": TARGET_VALUE,
    "history": {"type": "array", "items": TARGET_VERSION}}}
TARGET_SET = {"type": "object", "required": ["indicator", "target"], "properties": {
    "indicator": {"type": "string"}, "target": TARGET_VALUE, "version": {"type": "integer"}}}

IMPORT = {"type": "object", "required": ["dry_run", "report"], "properties": {
    "dry_run": {"type": "boolean"}, "upload_id": {"type": "integer"},
    "report": {"type": "object", "description": "rows read, problems by row and column, what would change"},
    "version": {"type": "object", "description": "the data version written (201 only)"}}}

LINK = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}}
LINKS = {"type": "array", "items": LINK}
OGC_EXCEPTION = {"type": "object", "required": ["code", "description"], "properties": {
    "code": {"type": "string"}, "description": {"type": "string"}, "param": {"type": "string"},
    "value": {"nullable": True}, "choices": {"type": "array", "items": {}}}}
OGC_LANDING = {"type": "object", "required": ["links"], "properties": {
    "title": {"type": "string"}, "description": {"type": "string"}, "links": LINKS}}
OGC_CONFORMANCE = {"type": "object", "required": ["conformsTo"], "properties": {
    "conformsTo": {"type": "array", "items": {"type": "string"}}}}
OGC_COLLECTION = {"type": "object", "required": ["id", "links"], "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
    "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}},
    "extent": {"type": "object", "properties": {
        "spatial": {"type": "object", "properties": {"bbox": {"type": "array", "items": {
            "type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}}, "crs": {"type": "string"}}},
        "temporal": {"type": "object", "properties": {"interval": {"type": "array", "items": {
            "type": "array", "items": {"type": "string", "nullable": True}}}}}}},
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "indicator": STRING_OR_NULL,
    "periods": {"type": "array", "items": {"type": "integer"}}, "links": LINKS}}
OGC_COLLECTIONS = {"type": "object", "required": ["links", "collections"], "properties": {
    "links": LINKS, "collections": {"type": "array", "items": OGC_COLLECTION}}}
OGC_ITEMS = {**feature_collection(extra={
    "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0},
    "timeStamp": {"type": "string"}, "links": LINKS, "notice": {"type": "string"}})}
OGC_ITEMS["required"] = ["type", "features", "numberMatched", "numberReturned", "links"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAP_ROW = {**VALUE_ROW, "required": VALUE_ROW["required"] + ["source_text"],
           "properties": {**VALUE_ROW["properties"], "source_text": SOURCE_TEXT}}
MAP_VIEW = {**VALUES, "properties": {**VALUES["properties"], "district": MAP_ROW, "rows": {"type": "array", "items": MAP_ROW},
                                     "classification": {"type": "object", "properties": {
    "scheme": {"type": "string"}, "k": {"type": "integer"},
    "classes": {"type": "array", "items": {"type": "object"}}, "no_data": {"type": "object"}}}}}
PROFILE = {"type": "object", "required": ["unit", "illustrative", "indicators"], "properties": {
    "unit": MATCH, "illustrative": {"type": "boolean"}, "facts": {"type": "array", "items": {"type": "object"}},
    "indicators": {"type": "array", "items": {"type": "object", "required": ["indicator", "status"], "properties": {
        "indicator": {"type": "string"}, "label": {"type": "string"}, "period": {"type": "integer", "nullable": True},
        "value": ANY_VALUE, "status": STATUSES, "source": {"type": "string"}, "source_text": SOURCE_TEXT,
        "illustrative": {"type": "boolean"}}}}}}
COMPARE = {"type": "object", "required": ["vintage", "codes", "illustrative", "rows"], "properties": {
    "vintage": {"type": "string", "enum": list(VINTAGES)}, "codes": {"type": "array", "items": {"type": "string"}},
    "illustrative": {"type": "boolean"}, "rows": {"type": "array", "items": SOURCED_ROW}}}
PROGRESS = {"type": "object", "required": ["indicator", "period", "vintage", "illustrative", "rows"], "properties": {
    "indicator": {"type": "string"}, "period": {"type": "integer"}, "vintage": {"type": "string", "enum": list(VINTAGES)},
    "target": {**TARGET}, "message": STRING_OR_NULL, "summary": {"type": "object", "nullable": True},
    "illustrative": {"type": "boolean"}, "rows": {"type": "array", "items": SOURCED_ROW}}}
ERAS = {"type": "object", "required": ["reform_date", "communes"], "properties": {
    "reform_date": {"type": "string", "format": "date"}, "communes": {"type": "array", "items": {"type": "object"}},
    "patches": {"type": "array", "items": {"type": "object"}}}}
