"""Declarative parameters and operations: request validation and the OpenAPI document both read them,
so what the code accepts and what the document promises cannot drift apart.

A Param reads one query (or path) parameter: it converts the text, checks it against its choices or
bounds and raises InvalidChoice naming what is wrong. Choices may depend on the data (indicator keys,
periods): then they are a function of a context object with .catalogue and .store.
"""
import math
from dataclasses import dataclass, field

from .errors import InvalidChoice, NotFound

TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


def N_(text):  # noqa: N802 -- the usual name of gettext's marker
    """Marks a description for the translation catalogue; document() translates it when made."""
    return text


def _same(text):
    return text


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    type: str = "string"   # string, integer, number, boolean, or list (comma-separated strings)
    choices: object = None  # a list, or a function of the context giving one
    default: object = None
    example: object = None
    required: bool = False
    minimum: float = None
    maximum: float = None
    convert: object = None  # text -> value for structured values (a bbox), raising ValueError(reason)
    reason: str = ""        # what a valid value is, said when the text is not one
    schema: dict = None     # the JSON Schema of a converted value, when convert is given
    location: str = "query"
    blank: bool = True      # an empty value counts as not given (else it is checked, and refused)

    def allowed(self, ctx):
        found = self.choices(ctx) if callable(self.choices) else self.choices
        return list(found or [])

    def read(self, args, ctx=None):
        text = args.get(self.name)
        if text is None or (text == "" and self.blank):
            if self.required:
                raise InvalidChoice(self.name, text, self.allowed(ctx), reason=self.reason)
            return self.default
        value = self._convert(str(text), ctx)
        if self.type == "list":
            choices = self.allowed(ctx)
            for item in value:
                if choices and item not in choices:
                    raise InvalidChoice(self.name, item, choices, reason=self.reason)
            return tuple(dict.fromkeys(value))
        choices = self.allowed(ctx)
        if choices and value not in choices and self.location == "path":
            raise NotFound(f"{self.name}={text!r}: there is nothing at this address")
        if choices and value not in choices:
            raise InvalidChoice(self.name, text, choices, reason=self.reason)
        return value

    def _convert(self, text, ctx):
        fail = lambda why: InvalidChoice(self.name, text, self.allowed(ctx), reason=self.reason or why)  # noqa: E731
        if self.convert:
            try:
                return self.convert(text)
            except ValueError as exc:
                raise InvalidChoice(self.name, text, [], reason=str(exc) or self.reason) from None
        if self.type == "list":
            return [part.strip() for part in text.split(",") if part.strip()]
        if self.type == "boolean":
            if text.lower() not in TRUE + FALSE:
                raise fail("1 or 0 (true or false)")
            return text.lower() in TRUE
        if self.type not in ("integer", "number"):
            return text
        try:
            number = _integer(text) if self.type == "integer" else float(text)
        except ValueError:
            raise fail("a whole number is needed" if self.type == "integer" else "a number is needed") from None
        if isinstance(number, float) and (not math.isfinite(number) or self.type == "integer" and not number.is_integer()):
            raise fail("a whole number is needed" if self.type == "integer" else "a finite number is needed")
        if (self.minimum is not None and number < self.minimum) or \
                (self.maximum is not None and number > self.maximum):
            raise fail(self._bounds())
        return int(number) if self.type == "integer" else number

    def _bounds(self):
        if self.maximum is None:
            return f"at least {self.minimum:g}"
        if self.minimum is None:
            return f"at most {self.maximum:g}"
        return f"between {self.minimum:g} and {self.maximum:g}"

    def openapi(self, ctx, translate=_same):
        return {"name": self.name, "in": self.location, "required": self.required or self.location == "path",
                "description": translate(self.description), "schema": self.json_schema(ctx),
                **({"style": "form", "explode": False} if self.json_schema(ctx).get("type") == "array" else {}),
                **({"example": self.example} if self.example is not None else {})}

    def json_schema(self, ctx):
        if self.schema is not None:
            return dict(self.schema)
        choices = self.allowed(ctx)
        if self.type == "list":
            return {"type": "array", "minItems": 1, "items": {"type": "string", **({"enum": choices} if choices else {})}}
        schema = {"type": self.type}
        if choices:
            schema["enum"] = choices
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.default is not None:
            schema["default"] = self.default
        return schema


def _integer(text):
    """Exact for whole numbers of any length (a float would turn 10**25 into 10000000000000000905969664);
    '2024.0' is 2024."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def read_all(params, args, ctx=None):
    """{name: value} of every parameter of an operation, each checked."""
    return {p.name: p.read(args, ctx) for p in params}


@dataclass(frozen=True)
class Reply:
    """One response of an operation: {media type: JSON Schema} (a schema may be a function of ctx)."""
    description: str
    content: dict = field(default_factory=dict)
    example: object = None
    headers: tuple = ()


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str = ""
    tag: str = "data"
    params: tuple = ()
    replies: dict = field(default_factory=dict)  # status → Reply
    body: dict = None        # requestBody object (OpenAPI)
    security: tuple = ()     # alternatives, each a tuple of the security schemes it needs together
    operation_id: str = ""

    def openapi(self, ctx, endpoint, translate=_same):
        entry = {"operationId": self.operation_id or endpoint.replace(".", "_"), "summary": translate(self.summary),
                 "tags": [self.tag], "parameters": [p.openapi(ctx, translate) for p in self.params],
                 "responses": {str(status): _reply(reply, ctx, translate) for status, reply in self.replies.items()}}
        if self.description:
            entry["description"] = translate(self.description)
        if self.body:
            entry["requestBody"] = self.body
        if self.security:
            entry["security"] = [{name: [] for name in needed} for needed in self.security]
        return entry


def _reply(reply, ctx, translate):
    content = {}
    for media, schema in reply.content.items():
        content[media] = {"schema": schema(ctx) if callable(schema) else schema}
        if reply.example is not None and "json" in media:
            content[media]["example"] = reply.example
    out = {"description": translate(reply.description)}
    if content:
        out["content"] = content
    if reply.headers:
        out["headers"] = {name: {"schema": {"type": "string"}} for name in reply.headers}
    return out


def openapi_path(rule):
    """Flask's /versions/<int:version_id> → OpenAPI's /versions/{version_id}."""
    import re
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def document(routes, ctx, info, components=None, servers=None, translate=_same):
    """The OpenAPI 3.0 document of [(rule, method, endpoint, Operation)] routes; translate(text) gives
    each description in the language asked."""
    paths = {}
    for rule, method, endpoint, operation in sorted(routes, key=lambda r: (r[0], r[1])):
        paths.setdefault(openapi_path(rule), {})[method.lower()] = operation.openapi(ctx, endpoint, translate)
    doc = {"openapi": "3.0.3", "info": info, "paths": paths}
    if servers:
        doc["servers"] = servers
    if components:
        doc["components"] = components
    return doc
