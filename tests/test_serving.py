"""Serving: /healthz, ETags and 304, the response cache and its invalidation, hashed static URLs, gunicorn."""
import gzip
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import REPO, free_port
from fixtures.entry import add_accounts, api_upload, login, make_app, userdata

HOUSEHOLDS = "Mã;Tên xã;Số hộ\n04105;Hát Lót;5.300\n04108;Chiềng Sung;1.600\n".encode()
VALUES = "/api/values?indicator=households&period=2024"


def cache(app):
    return app.extensions["maison"]["responses"]


@pytest.fixture()
def fresh(store, tmp_path):
    app = make_app(store, tmp_path, PLANNING_DB=str(tmp_path / "planning.sqlite"))
    app.tokens = add_accounts(app)
    return app


def households(client):
    rows = client.get(VALUES).get_json()["rows"]
    return {r["code"]: r["value"] for r in rows}


# ---- /healthz -------------------------------------------------------------------------------------------

def test_healthz_answers_ok_when_the_store_and_the_user_data_can_be_read(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"store": "ok", "userdata": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_without_a_store(tmp_path):
    from maison_geo import create_app
    app = create_app({"TESTING": True, "STORE_PATH": str(tmp_path / "missing.gpkg"),
                      "USERDATA_PATH": str(tmp_path / "u.sqlite")})
    body = app.test_client().get("/healthz?lang=en")
    assert body.status_code == 503
    found = body.get_json()
    assert found["status"] == "error" and found["checks"]["userdata"] == "ok"
    assert "missing.gpkg" in found["checks"]["store"] and "store" in found["error"]
    vietnamese = app.test_client().get("/healthz").get_json()["error"]
    assert vietnamese.startswith("Chưa sẵn sàng")


def test_healthz_is_503_when_the_user_data_is_not_a_database(gpkg_store, tmp_path):
    broken = tmp_path / "userdata.sqlite"
    broken.write_bytes(b"this is not SQLite" * 100)
    app = make_app(gpkg_store, tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["store"] == "ok"
    assert "DatabaseError" in response.get_json()["checks"]["userdata"]


def test_healthz_needs_no_login_when_reading_does(store, tmp_path):
    app = make_app(store, tmp_path, LOGIN_REQUIRED_TO_READ=True)
    client = app.test_client()
    assert client.get("/map").status_code == 302
    assert client.get("/healthz").status_code == 200


# ---- ETag and 304 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/map", VALUES, "/api/units?vintage=pre2025", "/communes/pre2025/04105"])
def test_pages_and_api_answers_carry_an_etag_and_give_304(fresh, path):
    client = fresh.test_client()
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get(path, headers={"If-None-Match": first.headers["ETag"]})  # identity: another body
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]


def test_the_etag_differs_per_language(fresh):
    client = fresh.test_client()
    vi, en = client.get("/map?lang=vi"), client.get("/map?lang=en")
    assert vi.headers["ETag"] != en.headers["ETag"]
    assert "Bản đồ" in vi.get_data(as_text=True) and "Map" in en.get_data(as_text=True)


def test_static_files_have_hashed_urls_immutable_and_304(client):
    html = client.get("/eras").get_data(as_text=True)
    url = re.search(r'src="(/static/map\.js\?v=([0-9a-f]{12}))"', html)
    assert url, "map.js is not linked under its hash"
    import hashlib
    assert url.group(2) == hashlib.sha256((REPO / "maison_geo/static/map.js").read_bytes()).hexdigest()[:12]
    response = client.get(url.group(1))
    control = response.headers["Cache-Control"]
    assert response.status_code == 200 and "immutable" in control and "max-age=31536000" in control
    assert "no-cache" not in control
    assert client.get(url.group(1), headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    stale = client.get("/static/map.js?v=000000000000")  # an old hash: served, but not kept for a year
    assert stale.status_code == 200 and "immutable" not in stale.headers.get("Cache-Control", "")


def test_the_map_page_links_one_css_and_one_js_bundle_under_their_hashes(client):
    html = client.get("/map").get_data(as_text=True)
    head = html[:html.index("</head>")]
    assert not re.search(r'(?:src|href)="/static/(?:map|site)\.(?:js|css)|(?:src|href)="/static/vendor/leaflet/', head)
    import hashlib
    for name in ("map.css", "map.js"):
        url = re.search(rf'(?:src|href)="(/static/bundle/{re.escape(name)}\?v=([0-9a-f]{{12}}))"', head)
        assert url, f"{name} bundle is not linked under its hash"
        response = client.get(url.group(1))
        assert url.group(2) == hashlib.sha256(response.data).hexdigest()[:12]
        control = response.headers["Cache-Control"]
        assert response.status_code == 200 and "immutable" in control and "max-age=31536000" in control
        assert client.get(url.group(1), headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
        stale = client.get(f"/static/bundle/{name}?v=000000000000")
        assert stale.status_code == 200 and "immutable" not in stale.headers.get("Cache-Control", "")
    assert client.get("/static/bundle/nothing.js").status_code == 404


def test_a_bundle_holds_its_parts_in_order_with_their_relative_urls_made_absolute(client):
    css = client.get("/static/bundle/map.css").get_data(as_text=True)
    site, leaflet, ours = ((REPO / "maison_geo/static/site.css").read_text(),
                           ".leaflet-pane", (REPO / "maison_geo/static/map.css").read_text())
    assert css.index(site) < css.index(leaflet) < css.index(ours)
    assert "url(/static/vendor/leaflet/images/layers.png)" in css and "url(images/" not in css
    js = client.get("/static/bundle/map.js").get_data(as_text=True)
    assert js.index("Leaflet") < js.index((REPO / "maison_geo/static/map.js").read_text()) and "sourceMappingURL" not in js


def test_a_bundle_is_built_afresh_when_a_part_changes(fresh, tmp_path):
    import shutil
    folder = tmp_path / "static"
    shutil.copytree(REPO / "maison_geo/static", folder)
    fresh.static_folder = str(folder)
    client = fresh.test_client()
    before = re.search(r'"(/static/bundle/map\.js\?v=\w+)"', client.get("/map").get_data(as_text=True)).group(1)

    def bodies():  # identity and gzip, each kept before Flask after its first answer
        packed = client.get("/static/bundle/map.js", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        return client.get("/static/bundle/map.js").data, gzip.decompress(packed.data)
    assert not any(b"edited here" in body for body in bodies())
    with open(folder / "map.js", "a") as out:
        out.write("/* edited here */\n")
    after = re.search(r'"(/static/bundle/map\.js\?v=\w+)"', client.get("/map?lang=en").get_data(as_text=True)).group(1)
    assert after != before and all(b"edited here" in body for body in bodies())


@pytest.mark.parametrize("name", ["../..", "..", "../../server.py", "vendor", ""])
def test_a_static_name_outside_the_folder_or_not_a_file_has_no_hash(app, name):
    """The fuzz found /static/../.. asked with ?v=: hashing read a folder (a 500)."""
    from maison_geo.web.caching import static_hash
    with app.test_request_context("/"):
        assert static_hash(name) is None
        assert static_hash("map.js")


# ---- the response cache --------------------------------------------------------------------------------

def test_an_answer_is_rendered_once_then_served_from_the_cache(fresh, monkeypatch):
    client = fresh.test_client()
    first = client.get(VALUES)
    from maison_geo.web import views
    monkeypatch.setattr(views, "figure_index", lambda *a: pytest.fail("rendered again"))
    again = client.get(VALUES)
    assert again.status_code == 200 and again.data == first.data and len(cache(fresh)) >= 1


def test_an_import_is_seen_at_the_next_request_never_a_stale_answer(fresh):
    client = fresh.test_client()
    before = households(client)
    before_etag = client.get(VALUES).headers["ETag"]
    assert before.get("04105") != 5300
    response = api_upload(client, HOUSEHOLDS, token=fresh.tokens["lan"], period=2024, lang=None)  # no lang cookie
    assert response.status_code == 201, response.get_json()
    assert "lang" not in response.headers.get("Set-Cookie", "")
    assert households(client)["04105"] == 5300
    revalidated = client.get(VALUES, headers={"If-None-Match": before_etag})
    assert revalidated.status_code == 200 and revalidated.headers["ETag"] != before_etag


def same_database(app):
    url = app.config.get("DATABASE_URL")
    return {"DATABASE_URL": url} if url else {}


def test_another_process_on_the_same_files_sees_the_import(fresh, store, tmp_path):
    """Two app instances (two processes under gunicorn) share the files, not the caches."""
    other = make_app(store, tmp_path, **same_database(fresh))  # the same user-data file (or database)
    reader = other.test_client()
    assert households(reader).get("04105") != 5300  # kept in the other's cache
    assert api_upload(fresh.test_client(), HOUSEHOLDS, token=fresh.tokens["lan"], period=2024).status_code == 201
    assert households(reader)["04105"] == 5300


def test_a_restore_is_seen_at_the_next_request(fresh):
    client = fresh.test_client()
    original = households(client)
    api_upload(client, HOUSEHOLDS, token=fresh.tokens["lan"], period=2024, lang=None)
    assert households(client)["04105"] == 5300
    userdata(fresh).restore(0, "admin")
    assert households(client) == original


def test_a_target_set_by_an_editor_is_seen_at_the_next_request(fresh):
    client = fresh.test_client()
    assert client.get("/api/targets/households").status_code in (200, 404)
    before = client.get("/api/targets").data
    userdata(fresh).set_target("households", {"value": 1, "year": 2030, "source": "test"}, "lan")
    assert client.get("/api/targets").data != before


def test_a_logged_in_page_is_never_kept_nor_served_from_the_cache(fresh):
    anonymous = fresh.test_client()
    anonymous.get("/map")
    kept = len(cache(fresh))
    client = fresh.test_client()
    assert login(client, "lan").status_code == 302
    page = client.get("/map")
    assert page.status_code == 200
    assert len(cache(fresh)) == kept
    assert anonymous.get("/map").headers["ETag"] != page.headers["ETag"]
    answer = client.get(VALUES)  # a logged-in answer: an ETag from its body, and its 304
    assert len(cache(fresh)) == kept
    assert client.get(VALUES, headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304


def test_a_token_request_is_not_kept(fresh):
    client = fresh.test_client()
    client.get(VALUES, headers={"Authorization": f"Bearer {fresh.tokens['lan']}"})
    assert len(cache(fresh)) == 0


def test_unsafe_methods_and_forms_with_a_csrf_token_are_not_kept(fresh):
    client = fresh.test_client()
    assert client.get("/login").status_code == 200  # a CSRF token of this session
    client.post("/api/plans", json={})
    assert len(cache(fresh)) == 0


def _flask_hooks_counted(app):
    calls = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: calls.append(1))
    return calls


def test_a_kept_answer_is_sent_before_flask_the_same_as_flask_sends_it(fresh):
    client, gzip = fresh.test_client(), {"Accept-Encoding": "gzip"}
    client.get("/map", headers=gzip)
    calls = _flask_hooks_counted(fresh)
    fast = client.get("/map", headers=gzip)
    fast_304 = client.get("/map", headers={**gzip, "If-None-Match": fast.headers["ETag"]})
    assert calls == [] and fast.status_code == 200 and fast_304.status_code == 304
    client.set_cookie("other", "1")  # any cookie but the language's: through Flask, from its cache
    slow = client.get("/map", headers=gzip)
    slow_304 = client.get("/map", headers={**gzip, "If-None-Match": fast.headers["ETag"]})
    assert len(calls) == 2 and slow.data == fast.data and fast_304.data == slow_304.data == b""
    assert sorted(fast.headers.items()) == sorted(slow.headers.items())
    assert sorted(fast_304.headers.items()) == sorted(slow_304.headers.items())
    assert "Date" not in fast.headers and fast.headers["Content-Encoding"] == "gzip"


def test_a_static_file_is_kept_after_its_first_answer_and_follows_the_file(fresh, tmp_path):
    fresh.static_folder = str(tmp_path)
    (tmp_path / "x.js").write_text("var one;")
    client = fresh.test_client()
    first = client.get("/static/x.js")
    calls = _flask_hooks_counted(fresh)
    again = client.get("/static/x.js")
    assert calls == [] and again.data == first.data == b"var one;"
    assert sorted(again.headers.items()) == sorted((k, v) for k, v in first.headers.items() if k != "Date")
    assert client.get("/static/x.js", headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    assert calls == []
    (tmp_path / "x.js").write_text("var two, three;")  # another size: another answer
    assert client.get("/static/x.js").data == b"var two, three;" and len(calls) == 1
    client.set_cookie("session", "x")  # a session's requests all go through Flask
    client.get("/static/x.js")
    assert len(calls) == 2
    assert client.get("/static/missing.js").status_code == 404


def test_the_data_version_is_read_once_per_request(fresh, monkeypatch):
    client, store = fresh.test_client(), fresh.extensions["maison"]["store"]
    client.get("/map")  # rendered (the figure index reads it too)
    reads, read = [], store.data_version
    monkeypatch.setattr(store, "data_version", lambda: reads.append(1) or read())
    client.get("/map")  # kept
    client.get("/map", headers={"Cookie": "other=1"})  # kept, through Flask
    assert len(reads) == 2


def test_a_language_switch_from_a_kept_answer_still_sets_the_cookie(fresh):
    fresh.test_client().get("/map?lang=en")
    client = fresh.test_client()
    answer = client.get("/map?lang=en")
    assert answer.status_code == 200 and "lang=en" in answer.headers.get("Set-Cookie", "")
    assert '<html lang="en">' in client.get("/map").get_data(as_text=True)  # the cookie now says en


def test_a_session_is_never_answered_before_flask(fresh):
    anonymous = fresh.test_client()
    anonymous.get("/map")
    client = fresh.test_client()
    assert login(client, "lan").status_code == 302
    assert "Log out" in client.get("/map?lang=en").get_data(as_text=True)
    assert "Log out" in client.get("/map?lang=en").get_data(as_text=True)


def _blocked_reads():
    """A version read whose first call waits for `release`; each read returns the value at its start."""
    import threading
    state = {"value": 1, "reads": 0}
    started, release = threading.Event(), threading.Event()

    def read():
        state["reads"] += 1
        value = state["value"]
        if state["reads"] == 1:
            started.set()
            release.wait(10)
        return value
    return state, started, release, read


def test_a_request_never_shares_a_version_read_begun_before_it_came():
    import threading
    from maison_geo.web.caching import SharedReads
    state, started, release, read = _blocked_reads()
    shared, got = SharedReads(read), {}
    first = threading.Thread(target=lambda: got.__setitem__("first", shared()))
    first.start()
    started.wait(10)
    state["value"] = 2  # an import commits while the first read runs
    later = [threading.Thread(target=lambda i=i: got.__setitem__(i, shared())) for i in range(3)]
    for thread in later:
        thread.start()
    time.sleep(0.1)  # let them queue behind the first read (if they come later, they read anew: also 2)
    release.set()
    for thread in [first, *later]:
        thread.join(10)
    assert got == {"first": 1, 0: 2, 1: 2, 2: 2}
    assert state["reads"] <= 4


def test_requests_waiting_together_share_one_version_read():
    import threading
    from maison_geo.web.caching import SharedReads
    state, started, release, read = _blocked_reads()
    shared = SharedReads(read)
    threads = [threading.Thread(target=shared) for _ in range(4)]
    threads[0].start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while len(shared._free._waiters) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert state["reads"] == 2  # the first, and one for the three that came while it ran


def test_the_cache_is_bounded_least_recently_used_out():
    from maison_geo.web.caching import ResponseCache
    kept = ResponseCache(max_entries=2, max_bytes=10)
    kept.put("a", (200, [], b"1234"))
    kept.put("b", (200, [], b"1234"))
    kept.get("a")
    kept.put("c", (200, [], b"1234"))
    assert kept.get("b") is None and kept.get("a") and kept.get("c")
    kept.put("d", (200, [], b"123456789"))
    assert len(kept) == 1 and kept.get("d")


# ---- gunicorn ------------------------------------------------------------------------------------------

def test_gunicorn_starts_from_the_config_and_answers(store, tmp_path):
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "2", "THREADS": "2",
           "MAISON_STORE": str(store.location), "MAISON_USERDATA": str(tmp_path / "u.sqlite"),
           "MAISON_PLANNING_DB": str(tmp_path / "p.sqlite"), "MAISON_SECRET_KEY": "s" * 40}
    log = open(tmp_path / "gunicorn.log", "w+b")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "maison_geo:create_app()"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 60
        while body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.load(response)
            except OSError:
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        assert body["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/map", timeout=30) as response:
            assert response.status == 200 and response.headers["ETag"]
        time.sleep(0.5)
        text = (tmp_path / "gunicorn.log").read_text()
        assert "Using worker: gthread" in text and '"GET /map HTTP/1.1" 200' in text  # the access log
        assert f"127.0.0.1:{port}" in text
    finally:
        process.terminate()
        process.wait(20)
        log.close()
