"""Reading a map view from the request: indicator, period, vintage, scheme, classes."""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext

from ..classify import check_scheme
from ..errors import InvalidChoice
from .. import eras, symbols
from ..maps import build_view, symbol_view
from ..qualitative import build_qualitative_view
from ..units import DEFAULT_VINTAGE, check_vintage
from ..values import figure_index, indicator_values
from .context import catalogue, store
from .locale import current_lang

DEFAULT_INDICATOR = "ban_gate_pct"


@dataclass
class MapRequest:
    indicator: str
    period: object
    vintage: str
    scheme: str
    k: int
    symbol: str = "choropleth"

    def args(self, **changes):
        base = {"indicator": self.indicator, "period": self.period, "vintage": self.vintage,
                "scheme": self.scheme, "k": self.k, "symbol": self.symbol}
        base.update(changes)
        return {k: v for k, v in base.items() if v not in (None, "")}


def map_request():
    args = request.args
    vintage = check_vintage(args.get("vintage", DEFAULT_VINTAGE))
    key = args.get("indicator") or DEFAULT_INDICATOR
    ind = catalogue().get(key)
    if ind.district_only:
        raise InvalidChoice("indicator", key, [i.key for i in catalogue().mappable()])
    scheme, k = check_scheme(args.get("scheme", "quantiles"), args.get("k", 5))
    symbol = args.get("symbol") or symbols.default_symbol(ind)
    if symbol not in symbols.symbols_for(ind):
        raise InvalidChoice("symbol", symbol, symbols.symbols_for(ind), f"{key} is a {ind.kind}")
    return MapRequest(key, args.get("period"), vintage, scheme, k, symbol)


def choropleth(req):
    """The ValueTable and ChoroplethView of a map request."""
    index = figure_index(store(), catalogue(), req.vintage)
    table = indicator_values(store(), catalogue(), req.indicator, req.period, req.vintage, index=index)
    req.period = table.period
    return view_for(table, req)


def view_for(table, req):
    """The view of a table as the request asks: categories by name, circles, or classes."""
    if table.indicator.qualitative:
        return build_qualitative_view(table, current_lang(), gettext)
    if req.symbol == "circles":
        return symbol_view(table, current_lang(), gettext)
    return build_view(table, req.scheme, req.k, current_lang(), gettext)


def profile_url(vintage, code):
    return url_for("pages.profile", vintage=vintage, code=code)


def profile_url_pattern(vintage):
    """The profile URL with '{code}' in place of the code, for the map's click handler."""
    return url_for("pages.profile", vintage=vintage, code="CODE").replace("CODE", "{code}")


# Pages whose units are named by code: a code means another place in the other era (04136 is Nà Bó
# before 2025, Tà Hộc after), so the switch opens the era's starting page instead.
ERA_START = {"pages.profile": "pages.map_page", "compare.compare": "compare.compare",
             "plans.plan": "plans.plan", "plans.scenario": "plans.plan"}


def other_era_url(vintage):
    """The same view in the other era, for the era banner's switch."""
    other = eras.other(vintage).key
    if request.endpoint in ERA_START or not request.endpoint:
        return url_for(ERA_START.get(request.endpoint, "pages.map_page"), vintage=other)
    args = {k: v for k, v in request.args.items() if k not in ("vintage", "codes", "format")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, vintage=other)
