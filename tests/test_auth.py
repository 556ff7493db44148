"""Accounts: login, rate limit, sessions, CSRF, roles, login-only reading, the CLI, the admin page."""
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fixtures.entry import (PASSWORDS, add_accounts, api_upload, csrf_token, login, make_app,
                            userdata)
from flask import g

from maison_geo.userdata import UserData, UserDataError
from maison_geo.web import security

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def app(store, tmp_path):
    app = make_app(store, tmp_path)
    app.tokens = add_accounts(app)

    @app.get("/test/whoami")
    def whoami():
        return {"user": g.user.name if g.user else None, "role": g.user.role if g.user else None}
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def test_login_and_logout(app, client):
    assert client.get("/test/whoami").get_json()["user"] is None
    response = login(client, "lan")
    assert response.status_code == 302 and response.headers["Location"].endswith("/imports")
    assert client.get("/test/whoami").get_json() == {"user": "lan", "role": "editor"}
    page = client.get("/map").get_data(as_text=True)
    assert "/imports" in page and "/logout" in page
    token = csrf_token(client, "/imports")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/test/whoami").get_json()["user"] is None


def test_wrong_password_and_unknown_user(client):
    wrong = login(client, "lan", "not-the-password")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.get_data(as_text=True)
    assert login(client, "nobody", "whatever-password").status_code == 401
    assert client.get("/test/whoami").get_json()["user"] is None


def test_login_rate_limit(app, client):
    for _ in range(5):
        assert login(client, "lan", "wrong-password").status_code == 401
    limited = login(client, "lan")  # even the right password waits
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "900"
    assert "15" in limited.get_data(as_text=True)
    assert login(client, "admin").status_code == 302  # another account from the same address still may


def test_passwords_are_hashed_and_tokens_stored_as_hashes(app):
    with userdata(app).db.read() as conn:
        hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
        tokens = [r[0] for r in conn.execute("SELECT token_hash FROM tokens")]
    assert all(h.startswith(("scrypt:", "pbkdf2:")) for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())
    assert all(len(t) == 64 for t in tokens) and not set(app.tokens.values()) & set(tokens)


def test_session_cookie_flags(store, tmp_path, app, client):
    response = login(client, "lan")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = make_app(store, tmp_path, SESSION_COOKIE_SECURE=True)
    other = secure.test_client()
    assert "Secure" in other.get("/login").headers["Set-Cookie"]


def test_a_password_change_ends_other_sessions(app, client):
    login(client, "lan")
    userdata(app).set_password("lan", "a-new-password", "admin")
    assert client.get("/test/whoami").get_json()["user"] is None


def test_csrf_is_required_on_every_form(app, client):
    rejected = client.post("/login", data={"name": "lan", "password": PASSWORDS["lan"]})
    assert rejected.status_code == 400 and "CSRF" in rejected.get_data(as_text=True)
    login(client, "admin")
    for path in ("/imports", "/logout", "/versions/1/restore", "/admin/users", "/admin/users/lan"):
        response = client.post(path, data={"csrf_token": "forged"})
        assert response.status_code == 400, path
    assert client.get("/test/whoami").get_json()["user"] == "admin"  # the logout was refused too


def test_roles(app):
    viewer, editor, admin = app.test_client(), app.test_client(), app.test_client()
    login(viewer, "xem")
    login(editor, "lan")
    login(admin, "admin")
    assert viewer.get("/imports").status_code == 403 and viewer.get("/versions").status_code == 403
    assert editor.get("/imports").status_code == 200 and editor.get("/versions").status_code == 200
    assert editor.get("/audit").status_code == 403 and admin.get("/audit").status_code == 200
    forbidden = viewer.get("/imports?lang=en").get_data(as_text=True)
    assert "needs the role editor" in forbidden


def test_reading_can_require_a_login(store, tmp_path):
    app = make_app(store, tmp_path, LOGIN_REQUIRED_TO_READ=True)
    tokens = add_accounts(app)
    client = app.test_client()
    page = client.get("/map?indicator=households")
    assert page.status_code == 302 and "/login?next=" in page.headers["Location"]
    api = client.get("/api/values?indicator=households")
    assert api.status_code == 401 and api.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/login").status_code == 200 and client.get("/static/site.css").status_code == 200
    with_token = client.get("/api/indicators", headers={"Authorization": f"Bearer {tokens['xem']}"})
    assert with_token.status_code == 200
    login(client, "xem")
    assert client.get("/map").status_code == 200


def test_login_does_not_redirect_to_another_host(client):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        token = csrf_token(client)
        response = client.post("/login", data={"name": "lan", "password": PASSWORDS["lan"], "next": target,
                                               "csrf_token": token})
        assert response.headers["Location"] == "/imports", target
    token = csrf_token(client)
    kept = client.post("/login", data={"name": "lan", "password": PASSWORDS["lan"], "csrf_token": token,
                                       "next": "/versions"})
    assert kept.headers["Location"] == "/versions"


def test_admin_manages_accounts_and_every_change_is_audited(app):
    admin = app.test_client()
    login(admin, "admin")
    token = csrf_token(admin, "/audit")
    admin.post("/admin/users", data={"csrf_token": token, "name": "<b>hoa</b>", "role": "editor",
                                     "password": "x"})  # a bad name and a short password are refused
    added = admin.post("/admin/users", data={"csrf_token": token, "name": "hoa", "role": "editor",
                                             "password": "hoa-password"})
    assert added.status_code == 302 and userdata(app).user("hoa").role == "editor"
    admin.post("/admin/users/hoa", data={"csrf_token": token, "action": "role", "role": "viewer"})
    admin.post("/admin/users/hoa", data={"csrf_token": token, "action": "disable"})
    made = admin.post("/admin/users/lan", data={"csrf_token": token, "action": "token", "label": "script"})
    new_token = made.get_data(as_text=True).split('<code class="token">')[1].split("</code>")[0]
    assert made.headers["Cache-Control"] == "no-store"
    assert api_upload(app.test_client(), b"M\xc3\xa3;S\xe1\xbb\x91 h\xe1\xbb\x99\n04105;5300\n", token=new_token,
                      period=2024, dry_run=True).status_code == 200
    assert userdata(app).user("hoa").role == "viewer" and not userdata(app).user("hoa").active
    own = admin.post("/admin/users/admin", data={"csrf_token": token, "action": "disable"})
    assert own.status_code == 302 and userdata(app).user("admin").active
    page = admin.get("/audit").get_data(as_text=True)
    assert "<b>hoa</b>" not in page
    actions = [e["action"] for e in admin.get("/audit?format=json").get_json()["entries"]]
    assert {"user.add", "user.role", "user.disable", "token.add"} <= set(actions)
    assert "Khóa tài khoản" in page and "hoa" in page


def test_the_last_admin_cannot_be_removed(database_location):
    data = UserData(database_location)
    data.add_user("root", "admin", "root-password")
    with pytest.raises(UserDataError):
        data.set_role("root", "editor", "root")
    with pytest.raises(UserDataError):
        data.set_active("root", False, "root")
    with pytest.raises(UserDataError):
        data.add_user("Root", "editor", "another-password")  # names are case-insensitive


def test_cli_user_add_and_token_add(store, tmp_path, database_location):
    path = database_location

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "maison_geo", *args, "--userdata", str(path)], input=stdin,
                              capture_output=True, text=True, cwd=REPO, timeout=60)
    added = run("user", "add", "thu", "--role", "editor", "--password-stdin", stdin="thu-password\n")
    assert added.returncode == 0, added.stderr
    assert run("user", "add", "thu", "--role", "admin", "--password-stdin", stdin="xxxxxxxxxx\n").returncode == 1
    assert run("user", "add", "ngan", "--role", "admin", "--password-stdin", stdin="short\n").returncode == 1
    made = run("token", "add", "thu")
    assert made.returncode == 0 and made.stdout.strip().startswith("msg_")
    assert run("token", "add", "nobody").returncode == 1
    on_postgres = str(path).startswith("postgresql://")
    app = make_app(store, tmp_path, **{"DATABASE_URL" if on_postgres else "USERDATA_PATH": str(path)})
    response = api_upload(app.test_client(), "Mã;Số hộ\n04105;5300\n".encode(), token=made.stdout.strip(),
                          period=2024, dry_run=True)
    assert response.status_code == 200
    client = app.test_client()
    assert login(client, "thu", "thu-password").status_code == 302
    audit = [e["action"] for e in UserData(path).audit_log()]
    assert audit == ["token.add", "user.add"]


def test_the_secret_key_is_made_once_in_the_instance_folder(tmp_path):
    fake = SimpleNamespace(config={}, instance_path=str(tmp_path / "instance"))
    first = security.secret_key(fake)
    assert len(first) >= 32 and security.secret_key(fake) == first
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    assert security.secret_key(SimpleNamespace(config={"TESTING": True}, instance_path="/nonexistent")) != first


def test_api_token_requests_need_no_csrf_token_but_cookies_do(app):
    admin = app.test_client()
    api_upload(admin, "Mã;Số hộ\n04105;5300\n".encode(), token=app.tokens["lan"], period=2024)
    bearer = {"Authorization": f"Bearer {app.tokens['admin']}"}
    restored = admin.post("/versions/0/restore?format=json", data={"note": "script"}, headers=bearer)
    assert restored.status_code == 201 and restored.get_json()["restored_from"] == 0
    login(admin, "admin")
    assert admin.post("/versions/1/restore?format=json", data={"note": "x"}).status_code == 400
    forged = admin.post("/versions/1/restore", data={"note": "x"}, headers={"Authorization": "Bearer msg_forged"})
    assert forged.status_code == 400  # a bad token is no token: the cookie needs its CSRF token
