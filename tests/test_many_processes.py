"""Two server processes on one PostgreSQL database behave as one app: an import through one is seen
through the other at the next request (their response caches included), a login on one is valid on
the other, a scenario saved through one is listed by the other, and neither writes a file of its own.
Runs in the PostgreSQL pass of the suite (.ci/run, make test-postgres)."""
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import postgres
import pytest
from browser import Server

from maison_geo.userdata import UserData

pytestmark = pytest.mark.skipif(not postgres.enabled(), reason="needs MAISON_TEST_DATABASE_URL (make test-postgres)")
PASSWORD = "editor-password"
CSV = "Mã;Tên xã;Số hộ\n04105;Hát Lót;5.432\n".encode()


@pytest.fixture(scope="module")
def two_servers(store):
    url = postgres.app_database()
    token = None
    data = UserData(url)
    data.add_user("lan", "editor", PASSWORD)
    token = data.add_token("lan")
    # a store path that does not exist: with the URL set, nothing may read it
    shared = {"MAISON_DATABASE_URL": url, "MAISON_SECRET_KEY": "shared-" + "k" * 40,
              "MAISON_STORE": "/nonexistent/maison.gpkg"}
    first = Server(store.location, env=shared)
    try:
        second = Server(store.location, env=shared)
    except Exception:
        first.stop()
        raise
    yield first, second, token
    first.stop()
    second.stop()


def get_json(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
        return json.load(response)


def upload(base, token):
    boundary = uuid.uuid4().hex
    fields = {"period": "2024", "status": "official", "source": "Báo cáo UBND xã, 12/2024"}
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="h.csv"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + CSV + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/api/imports?lang=en", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def households(base):
    rows = get_json(f"{base}/api/values?indicator=households&period=2024")["rows"]
    return {r["code"]: r["value"] for r in rows}


def test_an_import_through_one_process_is_seen_through_the_other(two_servers):
    first, second, token = urls(two_servers)
    before = households(second)  # now in the second process's response cache
    assert before.get("04105") != 5432
    upload(first, token)
    assert households(second)["04105"] == 5432
    assert households(first)["04105"] == 5432


def urls(two_servers):
    first, second, token = two_servers
    return first.url, second.url, token


def logged_in(base):
    """An opener holding the session cookie of a login through base, and that cookie as a header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"name": "lan", "password": PASSWORD,
                                   "csrf_token": csrf_of(opener, f"{base}/login")}).encode()
    opener.open(f"{base}/login", data=form, timeout=30)
    return opener, "; ".join(f"{c.name}={c.value}" for c in jar)


def csrf_of(opener, url):
    page = opener.open(url, timeout=30).read().decode()
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_login_on_one_process_is_valid_on_the_other(two_servers):
    first, second, _ = urls(two_servers)
    _, cookie = logged_in(first)
    request = urllib.request.Request(f"{second}/versions?format=json", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and "versions" in json.load(response)
    with pytest.raises(urllib.error.HTTPError) as refused:  # and without the cookie, no entry
        urllib.request.build_opener(NoRedirect).open(f"{second}/versions?format=json", timeout=30)
    assert refused.value.code in (302, 401, 403)


def save_scenario(base, opener):
    name = f"Kế hoạch họp {uuid.uuid4().hex[:6]}"
    form = urllib.parse.urlencode({"name": name, "query": "budget=2500000000&vintage=pre2025",
                                   "csrf_token": csrf_of(opener, f"{base}/plan")}).encode()
    opener.open(f"{base}/plan/scenarios", data=form, timeout=120)
    return name


def test_a_scenario_saved_through_one_process_is_listed_by_the_other(two_servers):
    first, second, _ = urls(two_servers)
    opener, cookie = logged_in(first)
    name = save_scenario(first, opener)
    request = urllib.request.Request(f"{second}/plan/scenarios?format=json", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert name in {saved["name"] for saved in json.load(response)}


def test_neither_process_writes_a_file_of_its_own(two_servers):
    first, second, token = two_servers
    upload(first.url, token)  # an import, a login, a saved plan: every kind of write
    save_scenario(second.url, logged_in(second.url)[0])
    for server in (first, second):
        assert sorted(path.name for path in server.workdir.iterdir()) == ["server.log"]
        assert "Traceback" not in server.log()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
