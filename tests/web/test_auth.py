"""Sign-in, roles, CSRF, the failed sign-in limits and single sign-on, through the real app
(Flask's test client with CSRF on) over a real index whose documents have different visibility."""
from __future__ import annotations

import re
import shutil
import stat
import time
from pathlib import Path

import pytest

import indexer
from webapp import create_app

from ..conftest import CORPUS

PASSWORD = "correct horse 1"
# Six samples public, one minutes internal, one minutes for the 财政组 group only.
RULES = """\
default = "public"
[[rule]]
match = "*常务会议纪要-2021-09.txt"
visibility = "internal"
[[rule]]
match = "*专题会议纪要-2021-03.txt"
visibility = "财政组"
"""
BAD = "用户名或密码不正确。"
LOCKED = "该用户名登录失败次数过多，已暂停登录，请 15 分钟后再试。"


@pytest.fixture(scope="session")
def auth_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("auth-index")
    (path / "visibility.toml").write_text(RULES, encoding="utf-8")
    assert indexer.index_paths([CORPUS], path).failed == ()
    return path


@pytest.fixture(scope="session")
def doc_ids(auth_index) -> dict[str, str]:
    """The id of each document that matters here, by its number, read with no access limit."""
    with indexer.SearchIndex(auth_index) as ix:
        return {n: ix.lookup(n)[0] for n in ("〔2021〕9号", "〔2021〕3号", "〔2021〕12号")}


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> Path:
    """Four users, their passwords hashed once (scrypt: a sixth of a second each); each test's
    app gets a copy of the file."""
    path = tmp_path_factory.mktemp("users") / "users.json"
    users = indexer.UsersFile(path)
    for name, role, groups in [("reader1", "reader", ()), ("fin", "reader", ("财政组",)),
                               ("editor1", "editor", ()), ("admin1", "admin", ())]:
        users.add(name, role, groups, PASSWORD)
    return path


@pytest.fixture
def make_app(auth_index, users_file, tmp_path, request):
    """A fresh app over the shared index, with its own users file, log and sign-in state."""
    shutil.copy2(users_file, tmp_path / "users.json")

    def make(**config):
        app = create_app({"INDEX": str(auth_index), "TESTING": True, "USERS_FILE": str(tmp_path / "users.json"),
                          "AUDIT_LOG": str(tmp_path / "audit.log"), "SIGNIN_STATE": str(tmp_path / "signin.sqlite"),
                          "SECRET_KEY": "test key", **config})
        request.addfinalizer(app.extensions["minutes"].close)
        return app
    return make


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def message(html: str) -> str:
    found = re.search(r'<p class="relaxed" role="alert" id="login-message">([^<]*)</p>', html)
    return found.group(1) if found else ""


def sign_in(client, name: str, password: str = PASSWORD, next_url: str = "", **kwargs):
    token = csrf_token(client.get("/login", **kwargs).get_data(as_text=True))
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": next_url},
                       **kwargs)


def test_sign_in_and_out(client):
    page = client.get("/login?next=/search%3Fq%3D电梯")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>登录</h1>" in html and 'class="login-link"' not in html
    response = sign_in(client, "reader1", next_url="/search?q=电梯")
    assert (response.status_code, response.headers["Location"]) == (302, "/search?q=%E7%94%B5%E6%A2%AF")
    home = client.get("/").get_data(as_text=True)
    assert '<span class="user-name" title="读者">reader1</span>' in home and "<button type=\"submit\">退出</button>" in home
    response = client.post("/logout", data={"csrf_token": csrf_token(home)})
    assert (response.status_code, response.headers["Location"]) == (302, "/search")
    after = client.get("/").get_data(as_text=True)
    assert "reader1" not in after and '>登录</a>' in after
    search = client.get("/search?q=电梯").get_data(as_text=True)  # back to the same search afterwards
    assert '<a class="login-link" href="/login?next=/search?q%3D%E7%94%B5%E6%A2%AF">登录</a>' in search


def test_next_never_leaves_the_site(client):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "search"):
        assert sign_in(client, "reader1", next_url=target).headers["Location"] == "/search", target


def test_session_cookie_flags(make_app):
    client = make_app().test_client()
    cookie = sign_in(client, "reader1").headers["Set-Cookie"]
    assert cookie.startswith("minutes_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    https = make_app().test_client()
    over_https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/login"}}
    assert "Secure" in sign_in(https, "reader1", **over_https).headers["Set-Cookie"]
    forced = make_app(SESSION_COOKIE_SECURE=True).test_client()
    assert "Secure" in sign_in(forced, "reader1").headers["Set-Cookie"]


def test_reading_anonymously_sets_no_cookie(client):
    response = client.get("/search?q=电梯")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_unknown_user_and_wrong_password_look_the_same(client):
    wrong = sign_in(client, "reader1", "wrong password")
    unknown = sign_in(client, "nobody", "wrong password")
    assert (wrong.status_code, message(wrong.get_data(as_text=True))) == (401, BAD)
    assert (unknown.status_code, message(unknown.get_data(as_text=True))) == (401, BAD)
    assert wrong.get_data(as_text=True).replace("reader1", "nobody") == unknown.get_data(as_text=True).replace(
        csrf_token(unknown.get_data(as_text=True)), csrf_token(wrong.get_data(as_text=True)))


def test_five_failures_lock_the_name_and_say_so(client):
    statuses = [sign_in(client, "reader1", "wrong password").status_code for _ in range(4)]
    fifth = sign_in(client, "reader1", "wrong password")
    assert statuses == [401] * 4
    assert (fifth.status_code, message(fifth.get_data(as_text=True))) == (429, LOCKED)
    right = sign_in(client, "reader1")  # the right password too, while locked
    assert (right.status_code, message(right.get_data(as_text=True))) == (429, LOCKED)
    assert sign_in(client, "editor1").status_code == 302  # other names are not locked


def test_an_unknown_name_is_locked_alike(client):
    responses = [sign_in(client, "nobody", "wrong password") for _ in range(6)]
    assert [(r.status_code, message(r.get_data(as_text=True))) for r in responses] == \
        [(401, BAD)] * 4 + [(429, LOCKED)] * 2


@pytest.mark.slow
def test_a_lock_ends(make_app):
    client = make_app(SIGNIN_MAX_FAILURES=2, SIGNIN_LOCK_MINUTES=0.02).test_client()
    assert [sign_in(client, "reader1", "x" * 8).status_code for _ in range(3)] == [401, 429, 429]
    time.sleep(1.3)
    assert sign_in(client, "reader1").status_code == 302


def test_one_address_is_limited_across_names(make_app):
    client = make_app(SIGNIN_MAX_FAILURES_PER_ADDRESS=3).test_client()
    responses = [sign_in(client, name, "wrong password") for name in ("a1", "a2", "a3", "reader1")]
    assert [(r.status_code, message(r.get_data(as_text=True))) for r in responses] == [
        (401, BAD), (401, BAD), (429, "本机登录失败次数过多，已暂停登录，请 15 分钟后再试。"),
        (429, "本机登录失败次数过多，已暂停登录，请 15 分钟后再试。")]
    other = make_app(SIGNIN_MAX_FAILURES_PER_ADDRESS=3).test_client()
    assert sign_in(other, "reader1", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_forms_without_a_csrf_token_are_refused(client):
    response = client.post("/login", data={"name": "reader1", "password": PASSWORD})
    assert response.status_code == 400
    assert "表单已失效或缺少安全校验码，请刷新页面后重试。" in response.get_data(as_text=True)
    assert client.post("/login", data={"name": "reader1", "password": PASSWORD, "csrf_token": "forged"}).status_code == 400
    sign_in(client, "reader1")
    assert client.post("/logout").status_code == 400
    assert 'class="user-name"' in client.get("/").get_data(as_text=True)  # still signed in
    # The drafting aid's POSTs change nothing and carry no token.
    assert client.post("/api/draft", json={"text": "电梯安全"}).status_code == 200
    assert client.post("/draft", data={"text": "电梯安全"}).status_code == 200


def test_roles(make_app):
    app = make_app()
    anonymous = app.test_client()
    response = anonymous.get("/audit?warning=no_date")
    assert (response.status_code, response.headers["Location"]) == (302, "/login?next=/audit?warning%3Dno_date")
    assert anonymous.get("/api/audit").get_json() == {"ok": False, "error": "请先登录。", "status": 401}
    assert anonymous.get("/admin/users").status_code == 302
    reader = app.test_client()
    sign_in(reader, "reader1")
    for url in ("/audit", "/admin/users", "/admin/log"):
        page = reader.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 403 and "无权访问（403）" in html and 'class="brand"' in html, url
    for url in ("/api/audit", "/api/admin/users", "/api/admin/log"):
        assert reader.get(url).get_json() == {"ok": False, "error": "您的账户无权访问此页面。", "status": 403}, url
    assert 'href="/audit"' not in reader.get("/").get_data(as_text=True)
    editor = app.test_client()
    sign_in(editor, "editor1")
    assert editor.get("/api/audit").status_code == 200 and editor.get("/admin/log").status_code == 403
    assert 'href="/audit">解析核查</a>' in editor.get("/").get_data(as_text=True)
    admin = app.test_client()
    sign_in(admin, "admin1")
    assert admin.get("/api/admin/users").get_json() == {"ok": True, "users": [
        {"name": "admin1", "role": "admin", "role_label": "管理员", "groups": []},
        {"name": "editor1", "role": "editor", "role_label": "编辑", "groups": []},
        {"name": "fin", "role": "reader", "role_label": "读者", "groups": ["财政组"]},
        {"name": "reader1", "role": "reader", "role_label": "读者", "groups": []}]}
    html = admin.get("/admin/users").get_data(as_text=True)
    assert '<tr data-user="fin"><td>fin</td><td>读者</td><td>财政组</td></tr>' in html and "scrypt" not in html


def test_each_caller_reads_what_their_access_allows(make_app, doc_ids):
    app = make_app()
    callers = {"anonymous": app.test_client()}
    for name in ("reader1", "fin", "admin1"):
        callers[name] = app.test_client()
        assert sign_in(callers[name], name).status_code == 302
    seen = {}
    for who, client in callers.items():
        health = client.get("/healthz").get_json()
        opens = tuple(client.get(f"/api/doc/{doc_ids[n]}").status_code for n in ("〔2021〕9号", "〔2021〕3号", "〔2021〕12号"))
        seen[who] = (health["documents"], opens)
    assert seen == {"anonymous": (6, (404, 404, 200)), "reader1": (7, (200, 404, 200)),
                    "fin": (8, (200, 200, 200)), "admin1": (8, (200, 200, 200))}
    anonymous = callers["anonymous"]
    assert anonymous.get("/search?q=〔2021〕9号").status_code == 200  # no redirect to a hidden document
    assert callers["reader1"].get("/search?q=〔2021〕9号").headers["Location"].startswith(f"/doc/{doc_ids['〔2021〕9号']}?")
    assert set(anonymous.get("/healthz").get_json()) == {"ok", "status", "current", "documents", "records"}
    assert {"last_modified", "index"} <= set(callers["reader1"].get("/healthz").get_json())


def test_a_staff_network_reads_internal_documents_without_signing_in(make_app, doc_ids):
    client = make_app(ANONYMOUS_ACCESS="staff").test_client()
    assert client.get("/healthz").get_json()["documents"] == 7
    assert client.get(f"/api/doc/{doc_ids['〔2021〕3号']}").status_code == 404  # a group's: sign in
    assert client.get("/api/audit").status_code == 200  # everyone on a staff network is staff


def test_sign_in_required_for_everything(make_app):
    client = make_app(ANONYMOUS_ACCESS="none").test_client()
    response = client.get("/search?q=电梯")
    assert (response.status_code, response.headers["Location"]) == (302, "/login?next=/search?q%3D%E7%94%B5%E6%A2%AF")
    assert client.get("/api/search?q=电梯").get_json() == {"ok": False, "error": "请先登录。", "status": 401}
    assert client.get("/doc/x").status_code == 302
    assert client.get("/login").status_code == 200
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
    health = client.get("/healthz").get_json()
    assert (set(health), health["documents"]) == ({"ok", "status", "current", "documents", "records"}, 6)
    assert sign_in(client, "reader1").status_code == 302
    assert client.get("/api/search?q=电梯").status_code == 200


def test_bad_anonymous_access_is_refused_at_start(auth_index):
    with pytest.raises(ValueError, match="ANONYMOUS_ACCESS must be one of public, none, staff, not 'all'"):
        create_app({"INDEX": str(auth_index), "ANONYMOUS_ACCESS": "all"})


def test_a_removed_user_or_a_changed_password_ends_the_session(make_app, tmp_path):
    app = make_app()
    client = app.test_client()
    sign_in(client, "reader1")
    users = indexer.UsersFile(tmp_path / "users.json")
    users.passwd("reader1", "another password")
    assert 'class="user-name"' not in client.get("/").get_data(as_text=True)
    sign_in(client, "editor1")
    users.remove("editor1")
    assert client.get("/api/audit").status_code == 401


def test_trusted_header_from_a_trusted_proxy_only(make_app):
    app = make_app(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES="127.0.0.1, 10.8.0.0/16")
    client = app.test_client()
    via_proxy = {"environ_base": {"REMOTE_ADDR": "10.8.3.4"}}
    assert client.get("/api/admin/users", headers={"X-Remote-User": "admin1"}).status_code == 200  # from 127.0.0.1
    assert client.get("/api/admin/users", headers={"X-Remote-User": "admin1"}, **via_proxy).status_code == 200
    elsewhere = {"environ_base": {"REMOTE_ADDR": "192.168.1.20"}}
    assert client.get("/api/admin/users", headers={"X-Remote-User": "admin1"}, **elsewhere).get_json() == \
        {"ok": False, "error": "请先登录。", "status": 401}
    # Someone the proxy vouches for but the users file does not know: a reader without groups.
    stranger = {"headers": {"X-Remote-User": "wang.wu"}, **via_proxy}
    assert client.get("/healthz", **stranger).get_json()["documents"] == 7
    assert client.get("/api/audit", **stranger).status_code == 403
    assert '<span class="user-name" title="读者">wang.wu</span>' in client.get("/", **stranger).get_data(as_text=True)


def test_forwarded_addresses_only_with_proxy_fix(make_app, tmp_path):
    """With PROXY_FIX the log and the limits see the client's address from X-Forwarded-For,
    while the trusted header is still judged by the socket peer, never a forwarded address."""
    app = make_app(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES=["127.0.0.1"], PROXY_FIX=1)
    client = app.test_client()
    forwarded = {"X-Remote-User": "reader1", "X-Forwarded-For": "203.0.113.7"}
    assert client.get("/search?q=电梯", headers=forwarded).status_code == 200  # from the proxy, 127.0.0.1
    spoofed = {"X-Remote-User": "admin1", "X-Forwarded-For": "127.0.0.1"}
    assert client.get("/api/admin/users", headers=spoofed,
                      environ_base={"REMOTE_ADDR": "192.168.1.20"}).status_code == 401
    entries = list(app.extensions["minutes_auth"].log.entries())
    assert [(e.user, e.address, e.event) for e in entries] == [("reader1", "203.0.113.7", "search")]
    plain = make_app(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES=["127.0.0.1"]).test_client()
    plain.get("/search?q=防汛", headers=forwarded)
    assert [e.address for e in app.extensions["minutes_auth"].log.entries()][-1] == "127.0.0.1"


@pytest.mark.serving
def test_gunicorn_workers_share_the_session_key_and_the_limits(auth_index, tmp_path):
    """Under real gunicorn (two workers): a session made by one worker is good in the other
    (the key made once in <index>/secret_key), and failures counted by either lock the name."""
    import concurrent.futures

    import requests

    from ..conftest import start_gunicorn

    indexer.UsersFile(auth_index / "users.json").add("served", "reader", (), PASSWORD)
    proc, base = start_gunicorn(auth_index, tmp_path / "gunicorn.log")
    try:
        def attempt(name, password, session=None):
            session = session or requests.Session()
            token = csrf_token(session.get(base + "/login", timeout=20).text)
            return session.post(base + "/login", data={"name": name, "password": password, "csrf_token": token},
                                allow_redirects=False, timeout=20)

        signed_in = requests.Session()
        assert attempt("served", PASSWORD, signed_in).status_code == 302
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            pages = list(pool.map(lambda _: signed_in.get(base + "/help", timeout=20).text, range(24)))
        assert all('<span class="user-name" title="读者">served</span>' in page for page in pages)
        assert oct((auth_index / "secret_key").stat().st_mode & 0o777) == "0o600"
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            statuses = sorted(r.status_code for r in pool.map(lambda _: attempt("served", "wrong password"), range(5)))
        assert statuses == [401, 401, 401, 401, 429]
        assert attempt("served", PASSWORD).status_code == 429
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_session_key_is_made_once_when_first_needed(tmp_path):
    """Without SECRET_KEY, the key is made at the first form or session, kept in
    <index>/secret_key (0600) and read by every other process of the same index."""
    index = tmp_path / "ix"
    users = indexer.UsersFile(tmp_path / "users.json")
    users.add("reader1", "reader", (), PASSWORD)
    config = {"INDEX": str(index), "TESTING": True, "USERS_FILE": str(users.path),
              "AUDIT_LOG": str(tmp_path / "audit.log"), "SIGNIN_STATE": str(tmp_path / "signin.sqlite")}
    first, second = create_app(dict(config)), create_app(dict(config))
    client = first.test_client()
    assert client.get("/help").status_code == 200 and not index.exists()  # reading makes nothing
    assert sign_in(client, "reader1").status_code == 302
    assert oct((index / "secret_key").stat().st_mode & 0o777) == "0o600"
    cookie = client.get_cookie("minutes_session")
    other = second.test_client()
    other.set_cookie("minutes_session", cookie.value)
    assert '<span class="user-name" title="读者">reader1</span>' in other.get("/help").get_data(as_text=True)
    assert first.secret_key == second.secret_key == (index / "secret_key").read_text()


def test_forwarded_addresses_only_from_the_trusted_proxies(make_app):
    """Issue 26: with PROXY_FIX, a client that reached the app directly chose its own address
    (X-Forwarded-For) for the log and the limits. With TRUSTED_PROXIES set, only a request from
    one of them is believed."""
    app = make_app(TRUSTED_PROXIES=["10.8.0.0/16"], PROXY_FIX=1)
    client = app.test_client()
    forged = {"X-Forwarded-For": "203.0.113.7"}
    sign_in(client, "reader1", "wrong password", headers=forged, environ_base={"REMOTE_ADDR": "192.168.1.20"})
    sign_in(client, "reader1", "wrong password", headers=forged, environ_base={"REMOTE_ADDR": "10.8.3.4"})
    entries = list(app.extensions["minutes_auth"].log.entries())
    assert [(e.address, e.event) for e in entries] == [("192.168.1.20", "sign_in_failed"),
                                                       ("203.0.113.7", "sign_in_failed")]


def test_the_sign_in_state_is_private(make_app, tmp_path):
    """Issue 26: signin.sqlite (names typed and addresses) was made 0644."""
    client = make_app().test_client()
    sign_in(client, "reader1", "wrong password")
    assert stat.S_IMODE((tmp_path / "signin.sqlite").stat().st_mode) == 0o600
