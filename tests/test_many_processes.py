"""Two server processes on one PostgreSQL database behave as one app: an import through one is seen
through the other at the next request (their response caches included), a login on one is valid on
the other. Runs in the PostgreSQL pass of the suite (.ci/run, make test-postgres)."""
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
    shared = {"MAISON_DATABASE_URL": url, "MAISON_SECRET_KEY": "shared-" + "k" * 40}
    first = Server(store.location, env=shared)
    try:
        second = Server(store.location, env=shared)
    except Exception:
        first.stop()
        raise
    yield first.url, second.url, token
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
    first, second, token = two_servers
    before = households(second)  # now in the second process's response cache
    assert before.get("04105") != 5432
    upload(first, token)
    assert households(second)["04105"] == 5432
    assert households(first)["04105"] == 5432


def test_a_login_on_one_process_is_valid_on_the_other(two_servers):
    first, second, _ = two_servers
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{first}/login", timeout=30).read().decode()
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({"name": "lan", "password": PASSWORD, "csrf_token": csrf}).encode()
    opener.open(f"{first}/login", data=form, timeout=30)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    request = urllib.request.Request(f"{second}/versions?format=json", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and "versions" in json.load(response)
    with pytest.raises(urllib.error.HTTPError) as refused:  # and without the cookie, no entry
        urllib.request.build_opener(NoRedirect).open(f"{second}/versions?format=json", timeout=30)
    assert refused.value.code in (302, 401, 403)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
