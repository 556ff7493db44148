"""Property-based (hypothesis): random query strings and JSON bodies on every route of the URL map, as
anonymous and as an admin's API token; no answer may be a 5xx (issue 16)."""
import json
from urllib.parse import quote

import pytest
from fixtures.entry import add_accounts, make_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = ["vintage", "format", "indicator", "period", "page", "bbox", "grid", "properties", "geometry", "q",
          "unit_type", "budget", "per_year", "scheme", "k", "names", "show", "lang", "next", "codes", "code",
          "objective", "ranking", "interventions", "min_share_all", "cost_road", "w_cost", "dry_run", "base"]
TRICKY = ["", '"', "'", "\r\n", "%", "%00", "9" * 400, "-1", "0", "1e309", "nan", "Infinity", "../..", "<b>",
          "pre2025", "post2025", "04105", "json", "csv", "xlsx", "geojson", "topojson", "households", "2024",
          "0,0,1,1", "Hát Lót", "\u202e", "a" * 3000]
JSON_KEYS = ["budget", "vintage", "period", "objective", "ranking", "weights", "min_share", "max_share",
             "unit_costs", "time_limit", "interventions", "name", "query"]
SAFE = {"GET"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10 ** 30, max_value=10 ** 30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(TRICKY) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(JSON_KEYS) | st.text(max_size=8),
                                                                inner, max_size=4),
    max_leaves=12)
text = st.sampled_from(TRICKY) | st.text(st.sampled_from('"\'<>\\%&=;#[]{}\r\n\x00 a9ă.,-'), max_size=12) \
    | st.text(max_size=30)
queries = st.lists(st.tuples(st.sampled_from(PARAMS) | st.text(max_size=10), text), max_size=5)


@pytest.fixture(scope="module")
def fuzz_app(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    app = make_app(store, folder, PLANNING_DB=str(folder / "planning.sqlite"), ANONYMOUS_SOLVE_SECONDS=1.0)
    app.tokens = add_accounts(app)
    app.rules = [r for r in app.url_map.iter_rules()]
    return app


def _path(rule, values):
    """The rule's URL with each argument from values (any text; an <int:> gets digits)."""
    path = rule.rule
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        value = values.get(name, "1")
        if converter == "IdConverter":
            value = "".join(ch for ch in value if ch.isdigit()) or "1"
        for form in (f"<int:{name}>", f"<path:{name}>", f"<{name}>"):
            path = path.replace(form, quote(value, safe="") or "x")
    return path


def _check(response, method, path):
    assert response.status_code < 500, (method, path, response.status_code, response.get_data(as_text=True)[:400])


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data(), query=queries, admin=st.booleans(), loose=st.booleans())
def test_random_query_strings_never_get_a_5xx(fuzz_app, data, query, admin, loose):
    rule = data.draw(st.sampled_from([r for r in fuzz_app.rules if "GET" in r.methods]))
    values = {name: data.draw(text) for name in rule.arguments}
    path = _path(rule, values)
    # loose: what a careless client sends as it is (quotes, brackets, backslashes), not percent-encoded
    keep = "\"'<>[]{}|\\^`,;:/?@!$()*" if loose else ""
    raw = "&".join(f"{quote(k, safe=keep)}={quote(v, safe=keep)}" for k, v in query)
    headers = {"Authorization": f"Bearer {fuzz_app.tokens['admin']}"} if admin else {}
    response = fuzz_app.test_client().get(f"{path}?{raw}", headers=headers)
    _check(response, "GET", f"{path}?{raw}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data(), body=json_values, raw=st.booleans(), admin=st.booleans())
def test_random_json_bodies_never_get_a_5xx(fuzz_app, data, body, raw, admin):
    rule = data.draw(st.sampled_from([r for r in fuzz_app.rules if "POST" in r.methods]))
    values = {name: data.draw(text) for name in rule.arguments}
    path = _path(rule, values)
    payload = json.dumps(body, allow_nan=True)
    if raw:
        payload = payload[: data.draw(st.integers(0, len(payload)))] + data.draw(st.sampled_from(["[" * 5000, "", "}", "\x00"]))
    # The solver with a token has up to 60 s: random plans go anonymous (a few seconds at most).
    token = admin and path != "/api/plans"
    headers = {"Authorization": f"Bearer {fuzz_app.tokens['admin']}"} if token else {}
    response = fuzz_app.test_client().post(path, data=payload, content_type="application/json", headers=headers)
    _check(response, "POST", path)
