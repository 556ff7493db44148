"""POST /api/imports and the upload pages: who may import, reports, commits, limits, escaping, headers."""
import io
import re
import threading

import pytest
from fixtures.entry import EVIL, add_accounts, api_upload, csrf_token, login, make_app, userdata, xlsx

HOUSEHOLDS = "Mã;Tên xã;Số hộ\n04105;Hát Lót;5.300\n04108;Chiềng Sung;1.600\n".encode()


@pytest.fixture()
def app(store, tmp_path):
    app = make_app(store, tmp_path, MAX_CONTENT_LENGTH=64 * 1024)
    app.tokens = add_accounts(app)
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def households(client):
    body = client.get("/api/values?indicator=households&period=2024").get_json()
    return {r["code"]: r for r in body["rows"]}


# ---- who may import -----------------------------------------------------------------------------------

def test_anonymous_and_viewer_clients_cannot_import(app, client):
    anonymous = api_upload(client, HOUSEHOLDS, period=2024)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert "API token" in anonymous.get_json()["error"]
    viewer = api_upload(client, HOUSEHOLDS, token=app.tokens["xem"], period=2024)
    assert viewer.status_code == 403 and "editor" in viewer.get_json()["error"]
    forged = api_upload(client, HOUSEHOLDS, token="msg_not-a-real-token", period=2024)
    assert forged.status_code == 401 and "not valid" in forged.get_json()["error"]
    login(client, "xem")
    assert client.get("/imports").status_code == 403
    token = csrf_token(client, "/")
    page = client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(HOUSEHOLDS), "a.csv"),
                                         "period": "2024", "status": "official", "source": "s"},
                       content_type="multipart/form-data")
    assert page.status_code == 403
    anonymous_page = app.test_client().get("/imports")
    assert anonymous_page.status_code == 302 and "/login?next=/imports" in anonymous_page.headers["Location"]
    assert userdata(app).head() == 0


def test_a_revoked_token_and_a_disabled_user_are_refused(app, client):
    data = userdata(app)
    token_id = data.tokens()[0]["id"]
    data.revoke_token(token_id, "admin")
    assert api_upload(client, HOUSEHOLDS, token=app.tokens["lan"], period=2024).status_code == 401
    fresh = data.add_token("lan")
    assert api_upload(client, HOUSEHOLDS, token=fresh, period=2024, dry_run=True).status_code == 200
    data.set_active("lan", False, "admin")
    assert api_upload(client, HOUSEHOLDS, token=fresh, period=2024, dry_run=True).status_code == 401


# ---- dry run, commit, report ---------------------------------------------------------------------------

def test_dry_run_validates_only(app, client):
    response = api_upload(client, HOUSEHOLDS, "số hộ.csv", token=app.tokens["lan"], dry_run=True, period=2024)
    body = response.get_json()
    assert response.status_code == 200 and body["dry_run"] is True and body["report"]["ok"] is True
    assert body["report"]["counts"]["values"] == 2 and body["report"]["file"]["name"] == "số hộ.csv"
    changes = {c["code"]: c for c in body["report"]["changes"]}
    assert changes["04105"]["current"] == 5264 and changes["04105"]["current_status"] == "illustrative"
    assert userdata(app).head() == 0 and "version" not in body
    assert households(client)["04105"]["value"] == 5264


def test_commit_makes_a_version_whose_figures_win(app, client):
    response = api_upload(client, HOUSEHOLDS, "ho.csv", token=app.tokens["lan"], period=2024, status="reported",
                          source="Báo cáo UBND xã 12/2024", note="đợt 1")
    body = response.get_json()
    assert response.status_code == 201, body
    version = body["version"]
    assert (version["id"], version["user_name"], version["action"], version["figures_written"]) == (1, "lan", "import", 2)
    assert version["file_name"] == "ho.csv" and len(version["sha256"]) == 64 and version["status"] == "reported"
    rows = households(client)
    assert rows["04105"]["value"] == 5300 and rows["04105"]["status"] == "reported"
    assert rows["04105"]["source"] == "Báo cáo UBND xã 12/2024" and rows["04105"]["note"] == "đợt 1"
    census = api_upload(client, "Mã;Dân số\n04105;17.000\n".encode(), token=app.tokens["lan"], period=2019,
                        status="reported")
    assert census.status_code == 201
    population = client.get("/api/values?indicator=population&period=2019").get_json()
    row = {r["code"]: r for r in population["rows"]}["04105"]
    assert (row["value"], row["status"]) == (17000, "reported")  # the import beats the official census


def test_errors_give_422_and_the_report_names_row_and_column(app, client):
    data = "Mã;Tên xã;Số hộ;Số bản có cổng bản\n04105;Hát Lót;năm trăm;3\n;Hát Lót;10;2\n".encode()
    response = api_upload(client, data, token=app.tokens["lan"], period=2024)
    assert response.status_code == 422
    report = response.get_json()["report"]
    assert report["ok"] is False
    found = {(e["code"], e["row"], e["column"]) for e in report["errors"]}
    assert {("not_a_number", 2, "C"), ("ambiguous_name", 3, "B")} <= found
    assert userdata(app).head() == 0
    vietnamese = api_upload(app.test_client(), data, token=app.tokens["lan"], period=2024, lang=None).get_json()["report"]
    message = next(e["message"] for e in vietnamese["errors"] if e["code"] == "not_a_number")
    assert message == "“năm trăm” là chữ ở ô cần ghi số."  # Vietnamese by default


def test_utf16_and_xlsx_uploads(app, client):
    text = "Mã\tSố hộ\r\n04150\t1.296\r\n"
    utf16 = api_upload(client, "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"), "unicode.txt",
                       token=app.tokens["lan"], period=2024, dry_run=True)
    assert utf16.status_code == 200 and utf16.get_json()["report"]["file"]["encoding"] == "utf-16"
    book = xlsx([["Mã", "Số hộ"], ["04150", 1296]])
    assert api_upload(client, book, "so_lieu.xlsx", token=app.tokens["lan"], period=2024).status_code == 201


@pytest.mark.parametrize("data, code", [
    (b"PK\x03\x04 a damaged workbook", "bad_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "encrypted_or_xls"),
    (b"", "empty_file"),
])
def test_malformed_files_get_a_clear_422(app, client, data, code):
    response = api_upload(client, data, "x.xlsx", token=app.tokens["lan"], period=2024)
    assert response.status_code == 422
    assert response.get_json()["report"]["errors"][0]["code"] == code


@pytest.mark.parametrize("fields", [
    {"period": "abc"}, {"period": "99999999999999999999"}, {"vintage": "'; DROP TABLE versions; --"},
    {"status": "illustrative"}, {"status": "<script>"}, {"source": ""}, {"period": "2024", "note": "x" * 5000},
])
def test_junk_parameters_never_give_a_500(app, client, fields):
    response = api_upload(client, HOUSEHOLDS, token=app.tokens["lan"], **fields)
    assert response.status_code == 422 and response.get_json()["report"]["errors"]


def test_missing_file_field(app, client):
    response = client.post("/api/imports", data={"period": "2024"},
                           headers={"Authorization": f"Bearer {app.tokens['lan']}"})
    assert response.status_code == 400 and "file" in response.get_json()["error"]


def test_uploads_over_the_limit_get_a_clear_413(app, client):
    big = b"M\xc3\xa3;S\xe1\xbb\x91 h\xe1\xbb\x99\n" + b"04105;1\n" * 20_000
    response = api_upload(client, big, token=app.tokens["lan"], period=2024)
    assert response.status_code == 413 and response.get_json()["status"] == 413
    assert "larger than the limit of 0.0625 MB" in response.get_json()["error"]
    login(client, "lan")
    token = csrf_token(client, "/imports")
    page = client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(big), "big.csv")},
                       content_type="multipart/form-data")
    assert page.status_code == 413 and "MB" in page.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)


def test_session_clients_need_a_csrf_token_on_the_api(app, client):
    login(client, "lan")
    refused = api_upload(client, HOUSEHOLDS, period=2024, dry_run=True)
    assert refused.status_code == 400 and "CSRF" in refused.get_json()["error"]
    token = csrf_token(client, "/imports")
    allowed = api_upload(client, HOUSEHOLDS, period=2024, dry_run=True, headers={"X-CSRFToken": token})
    assert allowed.status_code == 200


def test_two_imports_at_the_same_time(app):
    barrier = threading.Barrier(2)
    results = {}

    def send(name, data):
        client = app.test_client()
        barrier.wait(10)
        results[name] = api_upload(client, data, f"{name}.csv", token=app.tokens["lan"], period=2024)

    first = "Mã;Số hộ\n" + "".join(f"{4105 + 3 * i:05d};{1000 + i}\n" for i in range(10))
    second = "Mã;Số bản/tiểu khu\n" + "".join(f"{4105 + 3 * i:05d};{10 + i}\n" for i in range(10))
    threads = [threading.Thread(target=send, args=(n, d.encode())) for n, d in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.status_code for r in results.values()) == [201, 201]
    assert sorted(r.get_json()["version"]["id"] for r in results.values()) == [1, 2]
    active = userdata(app).active_figures()
    assert len(active) == 20 and {f.indicator for f in active} == {"households", "ban_count"}


# ---- the upload page ---------------------------------------------------------------------------------

def test_upload_page_report_preview_and_confirm(app, client):
    login(client, "lan")
    page = client.get("/imports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/imports/template.xlsx" in html and 'name="csrf_token"' in html
    template = client.get("/imports/template.xlsx?vintage=post2025&period=2024")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    assert "maison_mau_post2025_2024.xlsx" in template.headers["Content-Disposition"]
    assert client.get("/imports/template.xlsx?period=1800").status_code == 400
    token = csrf_token(client, "/imports")
    bad = client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(b"Xa;So ho\nHat Lot;5\n"), "b.csv"),
                                        "period": "2024", "status": "official", "source": "s"},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "04135" in bad.get_data(as_text=True) and "/confirm" not in bad.get_data(as_text=True)
    good = client.post("/imports", data={"csrf_token": token, "file": (io.BytesIO(HOUSEHOLDS), "g.csv"),
                                         "period": "2024", "status": "official", "source": "Báo cáo",
                                         "note": EVIL}, content_type="multipart/form-data")
    html = good.get_data(as_text=True)
    assert good.status_code == 200 and EVIL not in html and "5.264" in html and "5.300" in html
    action = re.search(r'action="(/imports/\d+/confirm)"', html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    api_upload(app.test_client(), "Mã;Số hộ\n04162;700\n".encode(), token=app.tokens["admin"], period=2024)
    moved = client.post(action, data=fields)  # someone else committed meanwhile: look again
    assert moved.status_code == 200 and userdata(app).head() == 1
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', moved.get_data(as_text=True)))
    done = client.post(action, data=fields)
    assert done.status_code == 302 and done.headers["Location"].endswith("/versions/2")
    assert households(client)["04105"]["value"] == 5300 and households(client)["04162"]["value"] == 700
    other = app.test_client()
    login(other, "admin")
    assert client.post("/imports", data={"csrf_token": token}, content_type="multipart/form-data").status_code == 400


# ---- escaping and headers --------------------------------------------------------------------------------

def test_a_name_with_markup_is_escaped_on_the_map_page(app, client):
    response = api_upload(client, "Mã;Số bản có cổng bản\n04132;9\n".encode(), token=app.tokens["lan"],
                          period=2024, source=EVIL, note=EVIL)
    assert response.status_code == 201
    page = client.get("/map?indicator=ban_with_gate&period=2024")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and EVIL not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "<img" not in html
    data = client.get("/map?indicator=ban_with_gate&period=2024&format=json").get_json()
    assert {r["code"]: r["source"] for r in data["rows"]}["04132"] == EVIL  # JSON carries it as text
    profile = client.get("/communes/pre2025/04132").get_data(as_text=True)
    assert EVIL not in profile


@pytest.mark.parametrize("path", ["/map", "/api/units", "/login", "/api/nope", "/communes/pre2025/99999",
                                  "/api/values?indicator=x", "/static/site.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_tile_server_is_allowed_for_images(store, tmp_path):
    app = make_app(store, tmp_path, TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
    csp = app.test_client().get("/api/indicators").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org" in csp
