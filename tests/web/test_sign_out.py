"""Signing out ends the session on the server: a cookie saved before ``POST /logout`` is
worth nothing after it (issue 26). The real app, users file and index of test_auth."""
from __future__ import annotations

import indexer

from .test_auth import (  # noqa: F401 - fixtures used by name
    auth_index,
    csrf_token,
    doc_ids,
    make_app,
    sign_in,
    users_file,
)


def replay(app, cookie: str):
    """A new client carrying only the saved session cookie."""
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return other


def sign_out(client) -> None:
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_a_cookie_saved_before_signing_out_reads_nothing_after(make_app, doc_ids):
    app = make_app()
    admin, fin = app.test_client(), app.test_client()
    assert sign_in(admin, "admin1").status_code == 302 and sign_in(fin, "fin").status_code == 302
    name = app.config["SESSION_COOKIE_NAME"]
    admin_cookie, fin_cookie = admin.get_cookie(name).value, fin.get_cookie(name).value
    group_doc = f"/api/doc/{doc_ids['〔2021〕3号']}"
    assert replay(app, admin_cookie).get("/api/admin/users").status_code == 200  # the saved cookie works
    assert replay(app, fin_cookie).get(group_doc).status_code == 200

    sign_out(admin)
    sign_out(fin)
    assert replay(app, admin_cookie).get("/api/admin/users").get_json() == \
        {"ok": False, "error": "请先登录。", "status": 401}
    assert replay(app, fin_cookie).get(group_doc).status_code == 404
    assert 'class="user-name"' not in replay(app, fin_cookie).get("/").get_data(as_text=True)
    # Signing in again works, and with a new cookie only.
    assert sign_in(fin, "fin").status_code == 302 and fin.get(group_doc).status_code == 200
    assert replay(app, fin_cookie).get(group_doc).status_code == 404


def test_signing_out_ends_every_session_of_that_user_only(make_app):
    app = make_app()
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    for client, name in ((laptop, "editor1"), (phone, "editor1"), (colleague, "admin1")):
        assert sign_in(client, name).status_code == 302
    sign_out(laptop)
    assert phone.get("/api/audit").status_code == 401  # the same user elsewhere: ended too
    assert colleague.get("/api/admin/users").status_code == 200  # someone else: untouched


def test_sign_out_and_a_new_password_end_sessions_the_same_way(make_app, tmp_path):
    """One mechanism: the session carries the user's stamp; a new password or a sign-out changes it."""
    users = indexer.UsersFile(tmp_path / "users.json")
    before = users.get("reader1").stamp
    app = make_app()
    client = app.test_client()
    sign_in(client, "reader1")
    sign_out(client)
    after_sign_out = indexer.UsersFile(tmp_path / "users.json").get("reader1")
    assert after_sign_out.stamp != before
    assert after_sign_out.password_hash == users.get("reader1").password_hash  # the password stays
    assert indexer.UsersFile(tmp_path / "users.json").verify("reader1", "correct horse 1") is not None


def test_responses_to_signed_in_callers_are_not_stored_by_caches(make_app, doc_ids):
    app = make_app()
    client = app.test_client()
    anonymous = client.get("/search?q=电梯")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")  # a public page may be cached
    sign_in(client, "fin")
    for url in ("/", "/search?q=电梯", f"/api/doc/{doc_ids['〔2021〕3号']}", f"/doc/{doc_ids['〔2021〕3号']}",
                "/api/search?q=电梯"):
        assert client.get(url).headers.get("Cache-Control") == "private, no-store", url
    stranger = {"headers": {"X-Remote-User": "fin"}}  # signed in by a trusted proxy: the same
    proxied = make_app(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES="127.0.0.1").test_client()
    assert proxied.get("/search?q=电梯", **stranger).headers.get("Cache-Control") == "private, no-store"


def test_pages_that_differ_by_sign_in_vary_by_cookie(make_app):
    """Issue 26: an anonymous page may be cached, but a shared cache must never give it to a caller
    with a session cookie (nor a signed-in page to anyone): every page says ``Vary: Cookie``, and
    the trusted proxy's header too when there is one. Static files do not vary."""
    client = make_app().test_client()
    assert "Cookie" in client.get("/search?q=电梯").vary
    assert "Cookie" in client.get("/api/search?q=电梯").vary
    static = client.get("/static/style.css")
    static.close()
    assert "Cookie" not in static.vary
    sign_in(client, "fin")
    assert "Cookie" in client.get("/search?q=电梯").vary
    proxied = make_app(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES="127.0.0.1").test_client()
    assert {"Cookie", "X-Remote-User"} <= set(proxied.get("/search?q=电梯").vary)
