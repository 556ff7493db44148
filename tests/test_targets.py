"""Targets officers set: versioned, audited, and the progress page then assesses every commune."""
import pytest

from maison_geo.progress import check_target
from fixtures.entry import add_accounts, csrf_token, login, make_app, userdata


@pytest.fixture()
def site(store, tmp_path):
    app = make_app(store, tmp_path)
    tokens = add_accounts(app)
    return app, userdata(app), tokens


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_without_a_target_the_page_compares_with_the_district_and_invites(client):
    page = client.get("/progress?indicator=hh_grid_pct").get_data(as_text=True)
    assert 'id="no-target"' in page and 'id="versus-table"' in page and "trên mức huyện" in page
    assert 'id="target-form"' not in page  # anonymous readers cannot set one
    body = client.get("/progress?indicator=hh_grid_pct&format=json").get_json()
    relations = {r["relation"] for r in body["versus_district"]}
    assert body["target"] is None and relations <= {"above", "below", "equal", "no_data"} and "above" in relations
    district = body["district"]
    assert all((r["value"] > district) == (r["relation"] == "above") for r in body["versus_district"] if r["value"] is not None)


def test_editor_sets_a_target_by_token_and_progress_follows(site):
    app, data, tokens = site
    web = app.test_client()
    res = web.put("/api/targets/hh_grid_pct", json={"value": 99, "year": 2030, "source": "Nghị quyết Đảng bộ huyện"},
                  headers=_auth(tokens["lan"]))
    assert res.status_code == 200 and res.get_json()["target"]["value"] == 99
    body = web.get("/progress?indicator=hh_grid_pct&format=json").get_json()
    assert body["target"] == {"value": 99, "year": 2030, "source": "Nghị quyết Đảng bộ huyện"}
    assert sum(body["summary"].values()) == 22 and body["versus_district"] is None
    states = {r["state"] for r in body["rows"]}
    assert states <= {"met", "on_track", "behind", "no_data"} and len(states) > 1
    audit = [e for e in data.audit_log() if e["action"] == "target.set"]
    assert audit and audit[0]["target"] == "hh_grid_pct" and audit[0]["actor"] == "lan"
    # a second version, then removal: history keeps all three
    web.put("/api/targets/hh_grid_pct", json={"value": 100, "year": 2030, "source": "Kế hoạch UBND"},
            headers=_auth(tokens["lan"]))
    assert web.delete("/api/targets/hh_grid_pct", headers=_auth(tokens["lan"])).status_code == 200
    history = web.get("/api/targets/hh_grid_pct").get_json()["history"]
    assert [h["value"] for h in history] == [None, 100, 99]
    assert web.get("/progress?indicator=hh_grid_pct&format=json").get_json()["target"] is None


def test_only_editors_set_targets(site):
    app, _, tokens = site
    web = app.test_client()
    body = {"value": 90, "year": 2030, "source": "x"}
    assert web.put("/api/targets/hh_grid_pct", json=body).status_code == 401
    assert web.put("/api/targets/hh_grid_pct", json=body, headers=_auth(tokens["xem"])).status_code == 403
    assert web.post("/progress", data={"indicator": "hh_grid_pct", **body}).status_code in (302, 400, 403)
    assert web.get("/progress?indicator=hh_grid_pct&format=json").get_json()["target"] is None


@pytest.mark.parametrize("body, param", [
    ({"value": 120, "year": 2030, "source": "x"}, "value"), ({"value": "lots", "year": 2030, "source": "x"}, "value"),
    ({"value": float("nan"), "year": 2030, "source": "x"}, "body"), ({"value": 90, "year": 1990, "source": "x"}, "year"),
    ({"value": 90, "year": 2030, "source": "  "}, "source"), ({"value": 90, "year": 2030}, "source"),
])
def test_a_wrong_target_is_named_and_nothing_is_saved(site, body, param):
    app, data, tokens = site
    web = app.test_client()
    res = web.put("/api/targets/hh_grid_pct", json=body, headers=_auth(tokens["lan"]))
    assert res.status_code == 400 and res.get_json()["param"] == param
    assert data.target_history("hh_grid_pct") == []


def test_the_form_on_the_progress_page_keeps_what_was_typed(site):
    app, data, _ = site
    web = app.test_client()
    login(web, "lan")
    page = web.get("/progress?indicator=hh_clean_water_pct")
    assert 'id="target-form"' in page.get_data(as_text=True)
    token = csrf_token(web, "/progress?indicator=hh_clean_water_pct")
    bad = web.post("/progress?indicator=hh_clean_water_pct", data={
        "csrf_token": token, "indicator": "hh_clean_water_pct", "value": "150", "year": "2030", "source": "Quyết định 12"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="target-error"' in text and 'value="Quyết định 12"' in text
    good = web.post("/progress?indicator=hh_clean_water_pct", data={
        "csrf_token": token, "indicator": "hh_clean_water_pct", "value": "95,5", "year": "2030", "source": "Quyết định 12"})
    assert good.status_code == 302
    assert data.targets()["hh_clean_water_pct"]["value"] == 95.5
    assert 'id="progress-summary"' in web.get("/progress?indicator=hh_clean_water_pct").get_data(as_text=True)


def test_targets_only_for_numbers(catalogue):
    with pytest.raises(Exception, match="counts, lengths and percentages"):
        check_target(catalogue.get("road_paved_to_centre"), {"value": 1, "year": 2030, "source": "x"})
