"""The OpenAPI document of /api: generated from the definitions the views validate with, covering every
route, and checked against the running app by schemathesis."""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from maison_geo.contract import openapi_path
from maison_geo.web.openapi import routes

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def doc(app):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_route_is_in_the_document_and_nothing_else(app, doc):
    """Every route under /api, and the JSON twins of the public pages."""
    from maison_geo.web.twins import TWINS
    twins = {(openapi_path(r.rule), "get") for r in app.url_map.iter_rules() if r.endpoint in TWINS}
    assert {path for path, _ in twins} == {"/map", "/communes/{vintage}/{code}", "/compare", "/progress", "/eras"}
    in_app = twins | {(openapi_path(rule), method.lower()) for rule, method, _, _ in routes(app, "/api")}
    in_doc = {(path, method) for path, methods in doc["paths"].items() for method in methods}
    assert in_app == in_doc
    assert not [r for r in routes(app, "/api") if r[3] is None]


def test_parameters_list_the_catalogue_and_the_eras(doc, catalogue):
    params = {p["name"]: p for p in doc["paths"]["/api/values"]["get"]["parameters"]}
    assert params["indicator"]["schema"]["enum"] == catalogue.keys() and params["indicator"]["required"]
    assert params["vintage"]["schema"]["enum"] == ["pre2025", "post2025"]
    assert params["format"]["schema"] == {"type": "string", "enum": ["json", "csv"], "default": "json"}
    assert 2024 in params["period"]["schema"]["enum"]


def test_what_the_document_allows_is_what_the_view_accepts(client, doc):
    """Every enum value of every query parameter of a GET is accepted; a value outside it is a 400 naming it."""
    for path, methods in doc["paths"].items():
        for p in methods.get("get", {}).get("parameters", []):
            enum = p["schema"].get("enum")
            if not enum or p["name"] in ("indicator", "period") or "{" in path:
                continue
            base = "indicator=population&period=2019&" if path == "/api/values" else "q=Hat Lot&"
            if not path.startswith("/api/") and p["name"] != "format":
                base += "format=json&"
            for value in enum:
                assert client.get(f"{path}?{base}{p['name']}={value}").status_code in (200, 400), (path, value)
            bad = client.get(f"{path}?{base}{p['name']}=nonsense")
            assert bad.status_code == 400, (path, p["name"])
            assert (bad.get_json() or {}).get("param", p["name"]) == p["name"] and p["name"] in bad.get_data(as_text=True)


def test_document_names_the_auth_schemes(doc):
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer" and schemes["session"]["in"] == "cookie"
    assert doc["paths"]["/api/imports"]["post"]["security"] == [{"bearer": []}, {"session": [], "csrf": []}]


def test_docs_page_shows_every_operation(client, doc):
    page = client.get("/api/docs?lang=en").get_data(as_text=True)
    for path in doc["paths"]:
        assert path in page
    assert "ban_gate_pct" in page and "post2025" in page


def test_api_conforms_to_its_document(live_url):
    assert_conforms(schemathesis.openapi.from_url(f"{live_url}/api/openapi.json"), max_examples=12)


def assert_conforms(schema, max_examples):
    """Bounded examples per operation; every failure of every operation reported together."""
    failures, count = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=CHECKS)
        try:
            run()
        except Exception as exc:  # noqa: BLE001 -- collected and reported below
            failures[operation.label] = exc
    assert count > 5
    assert not failures, "\n\n".join(f"{label}: {exc}" for label, exc in failures.items())


@pytest.mark.parametrize("text,expected", [("2024", 2024), ("2024.0", 2024), (" 7 ", 7), ("9" * 30, int("9" * 30)),
                                           ("9" * 400, int("9" * 400))])
def test_integer_parameters_are_read_exactly(text, expected):
    from maison_geo.contract import Param
    assert Param("n", "", type="integer").read({"n": text}) == expected


@pytest.mark.parametrize("text", ["abc", "1.5", "nan", "inf", "1e400", "9" * 5000])
def test_integer_parameters_refuse_what_is_not_a_whole_number(text):
    from maison_geo.contract import Param
    from maison_geo.errors import InvalidChoice
    with pytest.raises(InvalidChoice, match="whole number"):
        Param("n", "", type="integer").read({"n": text})


def test_document_speaks_the_language_asked(client):
    vi = client.get("/api/openapi.json").get_json()
    en = client.get("/api/openapi.json?lang=en").get_json()
    assert vi["paths"]["/api/values"]["get"]["summary"].startswith("Giá trị của một chỉ tiêu")
    assert en["paths"]["/api/values"]["get"]["summary"].startswith("Values of one indicator")
    assert vi["paths"]["/api/values"]["get"]["parameters"][0]["schema"] == en["paths"]["/api/values"]["get"]["parameters"][0]["schema"]
    page = client.get("/api/docs?lang=vi").get_data(as_text=True)  # the language asked is remembered
    assert "Mã của chỉ tiêu" in page and "Tham số" in page


def test_the_examples_are_what_the_app_answers(client, doc):
    example = doc["paths"]["/api/match"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert client.get("/api/match?q=Hat Lot&unit_type=xa").get_json() == example
    error = doc["paths"]["/api/units"]["get"]["responses"]["400"]["content"]["application/json"]["example"]
    answer = client.get(f"/api/units?vintage={error['value']}").get_json()
    assert {k: answer[k] for k in error} == error
