"""The audit trail: what the web app and ``minutes users`` append, ``minutes log`` and the
admin page that show it (appends from two processes at once: tests/accounts/test_trail.py)."""
from __future__ import annotations

import json
import os
import re
import stat

from click.testing import CliRunner

import indexer
from minutes_cli import cli

from .test_auth import auth_index, csrf_token, doc_ids, make_app, sign_in, users_file  # noqa: F401 (fixtures)

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def lines(path) -> list[dict]:
    """The log's lines, parsed, each time checked for its form and then left out."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert TIME.fullmatch(data.pop("time")), line
        out.append(data)
    return out


def test_the_web_app_logs_sign_ins_searches_views_and_failures(make_app, tmp_path, doc_ids):
    client = make_app().test_client()
    client.get("/search?q=电梯安全")  # anonymous: counted, not logged
    sign_in(client, "reader1", "wrong password")
    sign_in(client, "reader1")
    client.get("/search?q=电梯安全&dept=市市场监管局&page=1")
    client.get("/api/search?q=防汛&year=2021")
    client.get(f"/doc/{doc_ids['〔2021〕9号']}")
    client.get(f"/api/doc/{doc_ids['〔2021〕3号']}")  # a group's document: not found, not viewed
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    local = "127.0.0.1"
    assert lines(tmp_path / "audit.log") == [
        {"user": "reader1", "address": local, "event": "sign_in_failed", "what": {}},
        {"user": "reader1", "address": local, "event": "sign_in", "what": {}},
        {"user": "reader1", "address": local, "event": "search",
         "what": {"q": "电梯安全", "filters": {"dept": ["市市场监管局"]}, "page": 1, "sort": "relevance"}},
        {"user": "reader1", "address": local, "event": "search",
         "what": {"q": "防汛", "filters": {"year": ["2021"]}, "page": 1, "sort": "relevance"}},
        {"user": "reader1", "address": local, "event": "view", "what": {"doc_id": doc_ids["〔2021〕9号"]}},
        {"user": "reader1", "address": local, "event": "sign_out", "what": {}},
    ]
    assert stat.S_IMODE(os.stat(tmp_path / "audit.log").st_mode) == 0o600


def test_a_lock_is_logged(make_app, tmp_path):
    client = make_app(SIGNIN_MAX_FAILURES=2).test_client()
    sign_in(client, "nobody", "wrong password")
    sign_in(client, "nobody", "wrong password")
    entries = lines(tmp_path / "audit.log")
    assert [(e["user"], e["event"]) for e in entries] == [
        ("nobody", "sign_in_failed"), ("nobody", "sign_in_failed"), ("nobody", "locked")]
    assert entries[2]["what"]["lock"] == "account" and TIME.fullmatch(entries[2]["what"]["until"])


def test_anonymous_searches_are_counted_without_their_words(make_app, tmp_path):
    app = make_app()
    client = app.test_client()
    for q in ("电梯安全", "保障性租赁住房", "〔2021〕20号"):
        assert client.get("/search", query_string={"q": q}).status_code in (200, 302)
    client.get("/api/search?q=防汛")
    assert not (tmp_path / "audit.log").exists()  # counted in memory until a minute has passed
    log = app.extensions["minutes_auth"].log
    log.flush()
    entries = lines(tmp_path / "audit.log")
    assert [(e["user"], e["event"], e["what"]["count"]) for e in entries] == [("", "anonymous_searches", 4)]
    text = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert not any(q in text for q in ("电梯", "保障性", "防汛"))
    log.count_anonymous_search(now=1000.0)
    log.count_anonymous_search(now=1030.0)
    log.count_anonymous_search(now=1060.0)  # a minute after the first: the count is appended
    assert lines(tmp_path / "audit.log")[1] == {"user": "", "address": "", "event": "anonymous_searches",
                                                "what": {"count": 3, "since": "1970-01-01T00:16:40Z"}}


def test_minutes_log_prints_and_filters(tmp_path):
    path = tmp_path / "audit.log"
    log = indexer.AuditLog(path)
    log.append("sign_in", "zhang", "10.0.0.5", now=1_780_000_000)
    log.append("search", "zhang", "10.0.0.5", {"q": "电梯", "filters": {"dept": ["市发改委", "市财政局"]}},
               now=1_780_003_600)
    log.append("sign_in_failed", "li", "10.0.0.6", now=1_780_090_000)
    runner = CliRunner()
    result = runner.invoke(cli, ["log", "--log", str(path)])
    assert result.stdout == (
        "2026-05-28T20:26:40Z  zhang  10.0.0.5  sign_in\n"
        "2026-05-28T21:26:40Z  zhang  10.0.0.5  search  q=电梯 dept=市发改委|市财政局\n"
        "2026-05-29T21:26:40Z  li  10.0.0.6  sign_in_failed\n")
    assert runner.invoke(cli, ["log", "--log", str(path), "--user", "li"]).stdout.count("\n") == 1
    assert runner.invoke(cli, ["log", "--log", str(path), "--since", "2026-05-29"]).stdout.startswith(
        "2026-05-29T21:26:40Z  li")
    as_json = runner.invoke(cli, ["log", "--log", str(path), "--event", "search", "--json"]).stdout
    assert [json.loads(line) for line in as_json.splitlines()] == [
        {"time": "2026-05-28T21:26:40Z", "user": "zhang", "address": "10.0.0.5", "event": "search",
         "what": {"q": "电梯", "filters": {"dept": ["市发改委", "市财政局"]}}}]
    result = runner.invoke(cli, ["log", "--log", str(path), "--event", "login"])
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, "Error: unknown event 'login': must be one of "
                                                                    "sign_in, sign_in_failed, sign_out, search, view, "
                                                                    "upload, user_add, user_remove, passwd, locked, "
                                                                    "anonymous_searches")


def test_user_changes_are_logged_by_the_cli(tmp_path):
    runner = CliRunner()
    index = ["--index", str(tmp_path / "ix")]
    runner.invoke(cli, ["users", "add", "zhang", "--role", "editor", "--group", "财政组", "--password-stdin", *index],
                  input="long enough\n")
    runner.invoke(cli, ["users", "passwd", "zhang", "--password-stdin", *index], input="longer still\n")
    runner.invoke(cli, ["users", "remove", "zhang", *index])
    runner.invoke(cli, ["users", "remove", "zhang", *index])  # refused: not logged
    assert [(e["address"], e["event"], e["what"]) for e in lines(tmp_path / "ix" / "audit.log")] == [
        ("cli", "user_add", {"name": "zhang", "role": "editor", "groups": ["财政组"]}),
        ("cli", "passwd", {"name": "zhang"}),
        ("cli", "user_remove", {"name": "zhang"}),
    ]


def test_the_admin_page_shows_the_log_newest_first(make_app, tmp_path):
    app = make_app()
    admin = app.test_client()
    sign_in(admin, "admin1")
    admin.get("/search?q=电梯安全")
    html = admin.get("/admin/log").get_data(as_text=True)
    rows = re.findall(r'<tr data-event="(\w+)"><td><time>[^<]+</time></td><td>([^<]+)</td><td>[^<]+</td>'
                      r'<td>([^<]+)</td><td>([^<]*)</td></tr>', html)
    assert rows == [("search", "admin1", "检索", "q=电梯安全 page=1 sort=relevance"),
                    ("sign_in", "admin1", "登录", "")]
    data = admin.get("/api/admin/log?event=sign_in").get_json()
    assert [(e["user"], e["event"]) for e in data["entries"]] == [("admin1", "sign_in")]
    assert admin.get("/api/admin/log?event=nonsense").get_json()["status"] == 400

