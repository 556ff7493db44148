"""Hardening (issue 16): unchecked input never gives a 500, sessions end when they should, the login
limit and confirms hold under concurrent requests."""
import json
import threading

import pytest
from fixtures.entry import add_accounts, api_upload, csrf_token, login, make_app, userdata

HUGE = "9" * 400


@pytest.fixture()
def app(store, tmp_path):
    app = make_app(store, tmp_path, PLANNING_DB=str(tmp_path / "planning.sqlite"))
    app.tokens = add_accounts(app)
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def admin_headers(app):
    return {"Authorization": f"Bearer {app.tokens['admin']}"}


# ---- finding 5: 500s from unchecked input --------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/units", "/api/outline", "/api/units?format=topojson"])
def test_a_quote_or_a_long_query_does_not_reach_the_etag(client, path):
    sep = "&" if "?" in path else "?"
    for query in ('x="', "x=" + "a" * 100_000):
        response = client.get(path + sep + query)
        assert response.status_code == 200
        etag = response.headers["ETag"]
        assert '"' not in etag.strip('"').removeprefix("W/") and len(etag) < 100
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("body", ['{"budget": 1e9, "period": Infinity}', '{"budget": 1e9, "period": -Infinity}',
                                  '{"budget": 1e9, "period": NaN}', '{"budget": NaN}',
                                  "[" * 100_000, '{"a":' * 100_000, '{"budget": 1e9, "period": 1e300}',
                                  '{"budget": 1e9, "period": ' + HUGE + "}",
                                  '{"budget": 1e9, "period": [2019]}'])
def test_bad_plan_bodies_get_a_400_naming_the_problem(client, body):
    response = client.post("/api/plans", data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]


@pytest.mark.parametrize("target", ["/versions\r\nX: y", "/\x7f", "//evil.example", "https://evil.example/"])
def test_login_never_redirects_outside_or_with_control_characters(client, target):
    response = client.post("/login", data={"name": "lan", "password": "editor-password",
                                           "csrf_token": csrf_token(client), "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/imports"


@pytest.mark.parametrize("method, path", [
    ("get", "/versions/{n}"), ("get", "/versions/{n}/file"), ("post", "/imports/{n}/confirm"),
    ("post", "/versions/{n}/restore"), ("post", "/admin/tokens/{n}/revoke"), ("get", "/audit?page={n}"),
    ("get", "/audit?page=-{n}"), ("get", "/versions/{n}?format=json")])
def test_ids_too_large_for_sqlite_get_a_404_or_400(app, client, method, path):
    response = getattr(client, method)(path.format(n=HUGE), headers=admin_headers(app))
    assert response.status_code in (400, 404), response.status_code
    assert "error" in response.get_data(as_text=True)


def test_every_int_route_refuses_ids_too_large_for_sqlite(app):
    from maison_geo.web.converters import MAX_ID
    assert MAX_ID == 2 ** 63 - 1
    int_rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert int_rules and all(type(r._converters[name]).__name__ == "IdConverter"
                             for r in int_rules for name in r.arguments if "int:" in r.rule)


@pytest.mark.parametrize("back", ["x=1\r\nSet-Cookie: a=b", "x=1\rLocation: //evil.example", "x=1\n", "\r"])
def test_a_control_character_in_back_never_reaches_the_redirect(store, tmp_path, back):
    app = make_app(store, tmp_path, PLANNING_OPEN_EDIT=True, WTF_CSRF_ENABLED=False,
                   PLANNING_DB=str(tmp_path / "planning.sqlite"))
    response = app.test_client().post("/plan/costs", data={"back": back})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/plan") and not any(ord(ch) < 32 for ch in location)
    assert "Set-Cookie" not in response.headers and "//evil" not in location


# ---- finding 3: the login limit holds under concurrent attempts --------------------------------

def _at_once(n, job):
    """job(i) in n threads released together; the results in order."""
    barrier, results = threading.Barrier(n), [None] * n

    def run(i):
        barrier.wait()
        results[i] = job(i)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_concurrent_login_attempts_are_counted_before_any_is_checked(store, tmp_path):
    app = make_app(store, tmp_path, WTF_CSRF_ENABLED=False)
    add_accounts(app)

    def attempt(i):
        return app.test_client().post("/login", data={"name": "lan", "password": f"wrong-{i}"}).status_code
    codes = _at_once(16, attempt)
    assert codes.count(401) == 5 and codes.count(429) == 11, codes
    assert app.test_client().post("/login", data={"name": "lan", "password": "editor-password"}).status_code == 429


# ---- finding 4: logout, disabling and a password change end every session ----------------------

def _logged_in(app, name="lan"):
    client = app.test_client()
    assert login(client, name).status_code == 302
    return client


def _copy_cookie(source, target):
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def test_a_cookie_copied_before_logout_no_longer_opens_pages(app):
    first = _logged_in(app)
    copy = app.test_client()
    _copy_cookie(first, copy)
    assert copy.get("/versions").status_code == 200
    assert first.post("/logout", data={"csrf_token": csrf_token(first, "/imports")}).status_code == 302
    assert copy.get("/versions").status_code == 302  # to the login page
    assert first.get("/versions").status_code == 302


def test_logout_ends_every_session_of_the_account_only(app):
    laptop, phone, other = _logged_in(app), _logged_in(app), _logged_in(app, "admin")
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/imports")})
    assert phone.get("/versions").status_code == 302
    assert other.get("/versions").status_code == 200


@pytest.mark.parametrize("change", ["disable", "password"])
def test_disabling_or_a_new_password_ends_the_sessions_at_once(app, change):
    victim = _logged_in(app)
    assert victim.get("/versions").status_code == 200
    if change == "disable":
        userdata(app).set_active("lan", False, "admin")
        userdata(app).set_active("lan", True, "admin")  # even enabled again, the old session stays ended
    else:
        userdata(app).set_password("lan", "another-password", "admin")
    assert victim.get("/versions").status_code == 302


def test_a_user_data_file_of_the_previous_schema_is_upgraded_in_place(tmp_path):
    import sqlite3

    from maison_geo.db import SQLiteDatabase
    from maison_geo.repositories.schema import USERDATA_STEPS
    from maison_geo.userdata import UserData
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        for statement in USERDATA_STEPS[1]:
            conn.execute(SQLiteDatabase(path).ddl(statement))
        conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES ('lan', 'editor', 'x', 'now')")
        conn.execute("PRAGMA user_version = 1")
    data = UserData(path)
    before = data.user("lan").stamp
    data.end_sessions(data.user("lan").id)
    assert data.user("lan").name == "lan" and data.user("lan").stamp != before


# ---- finding 6: concurrent confirms cannot duplicate -------------------------------------------

HOUSEHOLDS = "Mã;Tên xã;Số hộ\n04105;Hát Lót;5.300\n04108;Chiềng Sung;1.600\n".encode()
FIELDS = {"period": "2024", "status": "official", "source": "Báo cáo UBND xã"}


def _dry_run(app, data=HOUSEHOLDS):
    response = api_upload(app.test_client(), data, token=app.tokens["lan"], dry_run=True, **FIELDS)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["upload_id"]


def test_the_same_upload_confirmed_twice_at_once_makes_one_version(app):
    upload_id = _dry_run(app)
    headers = {"Authorization": f"Bearer {app.tokens['lan']}"}

    def confirm(i):
        response = app.test_client().post(f"/imports/{upload_id}/confirm", data={**FIELDS, "base": "0"},
                                          headers=headers)
        return response.status_code, response.headers.get("Location")
    results = _at_once(4, confirm)
    assert [v["upload_id"] for v in userdata(app).versions()] == [upload_id]
    assert {r for r in results} == {(302, "/versions/1")}, results


def test_two_uploads_against_the_same_base_commit_one_and_refuse_the_other(app):
    from maison_geo.userdata import BaseMoved
    first, second = _dry_run(app), _dry_run(app, "Mã;Số hộ\n04162;700\n".encode())
    data = userdata(app)
    outcomes = []

    def commit(upload_id):
        try:
            data.commit_import("lan", _figures(app, upload_id), vintage="pre2025", status="official",
                               source="s", upload_id=upload_id, base=0)
            outcomes.append("committed")
        except BaseMoved as exc:
            outcomes.append(exc.render())
    _at_once(2, lambda i: commit((first, second)[i]))
    assert outcomes.count("committed") == 1 and any("was saved" in o for o in outcomes), outcomes
    assert len(data.versions()) == 1


def _figures(app, upload_id):
    from maison_geo import ingest
    upload = userdata(app).upload(upload_id)
    maison = app.extensions["maison"]
    declared = ingest.Declaration(vintage=None, period="2024", status="official", source="s", note="")
    return ingest.check(upload["content"], upload["file_name"], declared, maison["store"],
                        maison["catalogue"]).figures


def test_a_moved_base_on_the_api_is_a_409(app):
    client = app.test_client()
    assert api_upload(client, HOUSEHOLDS, token=app.tokens["lan"], **FIELDS).status_code == 201
    stale = api_upload(client, HOUSEHOLDS, token=app.tokens["lan"], base=0, **FIELDS)
    assert stale.status_code == 409 and "Version 1" in stale.get_json()["error"]


# ---- finding 1: solves run outside the request threads, bounded ----------------------------------

LONG_SOLVE = {"budget": {str(y): 7e9 for y in range(2026, 2031)}, "time_limit": 60, "objective": "weighted",
              "min_share": 0.045, "unit_costs": {"road": 123457, "grid": 99991}}


def _post_json(url, body, timeout=120):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                      headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_eight_long_anonymous_solves_leave_the_rest_of_the_app_answering(store):
    import time
    import urllib.request

    from browser import Server
    server = Server(store.location)
    try:
        results = []
        threads = [threading.Thread(target=lambda: results.append(_post_json(server.url + "/api/plans", LONG_SOLVE)))
                   for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the solves have started
        timings = []
        for _ in range(3):
            started = time.monotonic()
            with urllib.request.urlopen(server.url + "/api/units", timeout=60) as response:
                assert response.status == 200 and response.headers.get("Server") is None
            timings.append(time.monotonic() - started)
        for t in threads:
            t.join(120)
        assert max(timings) < 1.0, timings  # generous: 2 ms when idle
        codes = sorted(status for status, _, _ in results)
        assert len(codes) == 8 and codes.count(200) >= 1 and set(codes) <= {200, 429}, codes
        for status, headers, body in results:
            if status == 429:
                assert int(headers["Retry-After"]) > 0 and body["error"]
            else:
                assert body["summary"]["milp"]["time_limit_s"] <= 5  # anonymous: capped
    finally:
        server.stop()


def test_a_solve_past_its_deadline_is_killed_and_says_so(app, monkeypatch):
    import time

    from maison_geo import workers
    started = time.monotonic()
    with pytest.raises(workers.TimedOut):
        workers.run(time.sleep, 30, timeout=0.5)
    assert time.monotonic() - started < 10
    monkeypatch.setattr("maison_geo.web.limits.GRACE", 0.0)
    monkeypatch.setitem(app.config, "ANONYMOUS_SOLVE_SECONDS", 0.001)
    response = app.test_client().post("/api/plans?lang=en", json=LONG_SOLVE)
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert "stopped" in response.get_json()["error"]


def test_the_gate_counts_per_client_and_in_all():
    from maison_geo.workers import Busy, Gate
    gate = Gate(total=2, per_client=1)
    with gate.enter("a", 5):
        with pytest.raises(Busy) as again:
            with gate.enter("a", 5):
                pass
        assert again.value.per_client and again.value.retry_after == 5
        with gate.enter("b", 5):
            with pytest.raises(Busy) as full:
                with gate.enter("c", 5):
                    pass
            assert not full.value.per_client
    assert gate.running() == 0


@pytest.mark.parametrize("path", ["/api/plans", "/plan?budget=5000000000&format=json", "/plan?budget=5000000000"])
def test_a_client_past_its_share_of_heavy_jobs_gets_a_429_with_retry_after(app, path):
    gate = app.extensions["maison"]["gate"]
    with gate.enter("ip:127.0.0.1", 5):
        client = app.test_client()
        response = client.post(path, json={"budget": 5e9}) if path == "/api/plans" else client.get(path)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "đang có một phép tính" in response.get_data(as_text=True)


# ---- finding 8: value tables once per data version -----------------------------------------------

def test_value_tables_are_built_once_per_data_version(app, monkeypatch):
    from maison_geo import values
    built = []
    original = values.FigureIndex.__init__

    def counting(self, store, catalogue, vintage):
        built.append(vintage)
        original(self, store, catalogue, vintage)
    monkeypatch.setattr(values.FigureIndex, "__init__", counting)
    client = app.test_client()
    for path in ["/communes/pre2025/04105", "/api/values?indicator=households", "/communes/pre2025/04105",
                 "/map?indicator=households"]:
        assert client.get(path).status_code == 200
    assert built.count("pre2025") == 1, built
    assert api_upload(client, HOUSEHOLDS, token=app.tokens["lan"], **FIELDS).status_code == 201
    rows = client.get("/api/values?indicator=households&period=2024").get_json()["rows"]
    assert {r["code"]: r["value"] for r in rows}["04105"] == 5300  # the new version is seen at once
    assert built.count("pre2025") >= 2


# ---- finding 7: uploads are not kept forever; a quota per user -------------------------------------

def test_uploads_that_never_became_a_version_are_dropped_after_the_retention_period(app):
    client, token = app.test_client(), app.tokens["lan"]
    old_dry = _dry_run(app)
    committed = api_upload(client, HOUSEHOLDS, token=token, **FIELDS).get_json()["upload_id"]
    with userdata(app).db.write() as conn:
        conn.execute("UPDATE uploads SET at = '2020-01-01T00:00:00+07:00'")
    _dry_run(app)  # any upload applies the rule
    with userdata(app).db.read() as conn:
        kept = {r[0] for r in conn.execute("SELECT id FROM uploads")}
    assert old_dry not in kept and committed in kept and len(kept) == 2
    assert client.get("/versions/1/file", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_user_past_the_upload_quota_gets_a_clear_message(store, tmp_path):
    app = make_app(store, tmp_path, UPLOAD_QUOTA_MB=len(HOUSEHOLDS) * 2.5 / 1024 / 1024)
    tokens = add_accounts(app)
    client = app.test_client()
    for _ in range(2):
        assert api_upload(client, HOUSEHOLDS, token=tokens["lan"], dry_run=True, **FIELDS).status_code == 200
    refused = api_upload(client, HOUSEHOLDS, token=tokens["lan"], dry_run=True, **FIELDS)
    assert refused.status_code == 413 and "90" in refused.get_json()["error"]
    assert "quota" in refused.get_json()["error"]
    other = api_upload(client, HOUSEHOLDS, token=tokens["admin"], dry_run=True, **FIELDS)
    assert other.status_code == 200  # per user


# ---- finding 9: headers, scenario owners, token scope and expiry -----------------------------------

@pytest.mark.parametrize("path", ["/audit", "/versions", "/imports", "/versions?format=json", "/audit?format=json"])
def test_pages_that_need_a_login_are_never_stored_by_a_cache(app, path):
    response = app.test_client().get(path, headers=admin_headers(app))
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


def test_every_page_has_a_permissions_policy_and_the_app_names_no_server(app, client):
    for path in ["/map", "/api/units", "/nope"]:
        headers = client.get(path).headers
        assert "geolocation=()" in headers["Permissions-Policy"] and "camera=()" in headers["Permissions-Policy"]
        assert "Server" not in headers
    from server import serve_options
    assert serve_options()["ident"] == ""  # waitress then sends no Server header


def test_a_scenario_is_replaced_or_deleted_by_its_owner_or_an_admin_only(app):
    headers = {name: {"Authorization": f"Bearer {app.tokens[name]}"} for name in ("lan", "admin")}
    app.extensions["maison"]["store"].userdata.add_user("hoa", "editor", "another-password")
    hoa = {"Authorization": f"Bearer {userdata(app).add_token('hoa')}"}
    client = app.test_client()
    query = "budget=5000000000"
    assert client.post("/plan/scenarios", data={"name": "A", "query": query}, headers=headers["lan"]).status_code == 302
    taken = client.post("/plan/scenarios", data={"name": "A", "query": query}, headers=hoa)
    assert taken.status_code == 403 and "lan" in taken.get_data(as_text=True)
    assert client.post("/plan/scenarios/A/delete", headers=hoa).status_code == 403
    assert client.get("/plan/scenarios/A?format=json").get_json()["by"] == "lan"
    assert client.post("/plan/scenarios", data={"name": "A", "query": query}, headers=headers["lan"]).status_code == 302
    assert client.post("/plan/scenarios/A/delete", headers=headers["admin"]).status_code == 302
    assert client.get("/plan/scenarios/A").status_code == 404


def test_a_token_has_a_scope_and_an_expiry(app):
    data = userdata(app)
    read_only = data.add_token("admin", scope="viewer", days=30)
    writer = data.add_token("admin", scope="editor")
    client = app.test_client()
    bearer = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731
    assert client.get("/api/units", headers=bearer(read_only)).status_code == 200
    assert client.get("/versions", headers=bearer(read_only)).status_code == 403  # viewer scope
    assert client.get("/versions", headers=bearer(writer)).status_code == 200
    assert client.get("/audit", headers=bearer(writer)).status_code == 403    # not admin scope
    assert client.get("/audit", headers=admin_headers(app)).status_code == 200
    listed = {t["id"]: t for t in data.tokens()}
    assert {t["scope"] for t in listed.values()} >= {"viewer", "editor", "admin"}
    assert all(t["expires_at"] for t in listed.values())
    with data.db.write() as conn:
        conn.execute("UPDATE tokens SET expires_at = '2020-01-01T00:00:00+00:00'")
    expired = client.get("/versions?format=json&lang=en", headers=bearer(writer))
    assert expired.status_code == 401 and "expired" in expired.get_json()["error"]
    with pytest.raises(Exception):
        data.add_token("lan", scope="admin")  # never more than the account's role


def test_the_admin_page_makes_a_scoped_token_with_an_expiry(app):
    client = app.test_client()
    login(client, "admin")
    page = client.post("/admin/users/lan", data={"action": "token", "label": "read only", "scope": "viewer",
                                                 "days": "7", "csrf_token": csrf_token(client, "/audit")})
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    made = [t for t in userdata(app).tokens() if t["label"] == "read only"]
    assert made and made[0]["scope"] == "viewer" and made[0]["expires_at"]
    listed = client.get("/audit?lang=en").get_data(as_text=True)
    from maison_geo.formatting import local_time
    assert "Expires" in listed and local_time(made[0]["expires_at"], "en") in listed  # in Vietnam's time


def test_limits_can_be_set_from_the_environment(store, tmp_path, monkeypatch):
    monkeypatch.setenv("MAISON_HEAVY_JOBS", "3")
    monkeypatch.setenv("MAISON_UPLOAD_QUOTA_MB", "2.5")
    app = make_app(store, tmp_path)
    assert app.config["HEAVY_JOBS"] == 3 and app.config["UPLOAD_QUOTA_MB"] == 2.5
    assert app.extensions["maison"]["gate"].total == 3
    monkeypatch.setenv("MAISON_HEAVY_JOBS", "many")
    with pytest.raises(SystemExit, match="MAISON_HEAVY_JOBS"):
        make_app(store, tmp_path)


@pytest.mark.parametrize("path", ["/map?indicator=households&format=xlsx", "/map?indicator=households&format=gpkg",
                                  "/map?indicator=households&format=pdf", "/map?indicator=households&format=png&dpi=72",
                                  "/communes/pre2025/04123?format=pdf", "/atlas?vintage=post2025",
                                  "/plan?budget=5000000000&format=xlsx", "/plan?budget=5000000000&format=pdf"])
def test_workbook_and_geopackage_exports_wait_their_turn_then_get_a_429(app, path):
    app.config["READ_WAIT_SECONDS"] = 0.1
    with app.extensions["maison"]["gate"].enter("ip:127.0.0.1", 5):
        busy = app.test_client().get(path)
    assert busy.status_code == 429 and int(busy.headers["Retry-After"]) >= 5
    assert app.test_client().get(path).status_code == 200


def test_a_worker_that_dies_without_an_answer_is_a_503_not_a_500(app, monkeypatch):
    import os

    from maison_geo import workers
    with pytest.raises(workers.WorkerFailed):
        workers.run(os._exit, 3, timeout=20)
    monkeypatch.setattr("maison_geo.web.limits._pooled_solve",
                        lambda *args: workers.run(os._exit, 3, timeout=20))
    response = app.test_client().post("/api/plans", json={"budget": 5e9})
    assert response.status_code == 503 and "exit code 3" in response.get_json()["error"]
