"""Who may read what, in real Chromium against real gunicorn (two workers, so the session
key in <index>/secret_key and the failed sign-in counts in SQLite are shared between them):
anonymous visitors see public minutes only, a reader signs in through the header and sees
the internal minutes, a group's document is for its group alone, five wrong passwords lock
a name, a deployment can require sign-in for everything, and the sign-in form works with
the keyboard alone.

What a caller should see is computed independently: an index built from only the files
that caller may read, searched with no access limit (the oracle), not the served app.
Screenshots of the sign-in page and of a signed-in search go to test-artifacts/."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

import indexer

from ..conftest import ARTIFACTS, CORPUS, open_page, start_gunicorn
from .test_auth import BAD, LOCKED, PASSWORD, RULES

pytestmark = [pytest.mark.browser, pytest.mark.serving]
INTERNAL = "示例市政府常务会议纪要-2021-09.txt"  # internal by RULES: 〔2021〕9号, the 128th executive meeting
GROUP = "示例市政府专题会议纪要-2021-03.txt"  # for the 财政组 group only: 〔2021〕3号
# In the internal minutes (its second item) and in the public 2022 work report only, so the
# internal minutes' title, number and meeting cannot come from any public hit.
WORD = "营商环境"
GROUP_WORD = "维保"  # only in the group's minutes
MISSING_ID = "0123456789ab"  # no document has it
USERS = {"reader1": ("reader", ()), "fin": ("reader", ("财政组",)), "locked1": ("reader", ())}
# A 4xx page is the answer some journeys expect (and assert); Chromium logs it as a console error.
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of (401|404|429) ")


@pytest.fixture(scope="module")
def auth_site(tmp_path_factory):
    """An index of the samples with one minutes internal and one for 财政组, its users,
    and the oracle indexes: the files an anonymous visitor, a reader and 财政组 may read."""
    root = tmp_path_factory.mktemp("browser-auth")
    index = root / "ix"
    index.mkdir()
    (index / indexer.VISIBILITY_FILE).write_text(RULES, encoding="utf-8")
    assert indexer.index_paths([CORPUS], index).failed == ()
    users = indexer.UsersFile(root / "users.json")
    for name, (role, groups) in USERS.items():
        users.add(name, role, groups, PASSWORD)
    files, _ = indexer.collect_files([CORPUS])
    oracles = {}
    for who, hidden in {"anonymous": {INTERNAL, GROUP}, "reader": {GROUP}, "fin": set()}.items():
        oracles[who] = root / f"oracle-{who}"
        assert indexer.index_paths([f for f in files if f.name not in hidden], oracles[who]).failed == ()
    with indexer.SearchIndex(index) as ix:  # with no access limit: the ids of the two hidden documents
        ids = {"internal": ix.lookup("〔2021〕9号")[0], "group": ix.lookup("〔2021〕3号")[0]}
    return {"root": root, "index": index, "oracles": oracles, "ids": ids}


def serve(site, name: str, anonymous_access: str):
    root = site["root"]
    return start_gunicorn(site["index"], root / f"{name}.log", {
        "MINUTES_ANONYMOUS_ACCESS": anonymous_access, "MINUTES_USERS_FILE": str(root / "users.json"),
        "MINUTES_AUDIT_LOG": str(root / f"{name}-audit.log"), "MINUTES_SIGNIN_STATE": str(root / f"{name}.sqlite")})


@pytest.fixture(scope="module")
def public_server(auth_site):
    """The default: anonymous visitors read public documents."""
    proc, base = serve(auth_site, "public", "public")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def closed_server(auth_site):
    """ANONYMOUS_ACCESS=none: sign in before anything."""
    proc, base = serve(auth_site, "closed", "none")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def fresh_page(browser, base: str, request):
    """A fresh browser context (no cookies) on ``base``; fails the test on any script error
    (but the failed statuses these tests provoke)."""
    page, close = open_page(browser, base, ignore=EXPECTED_STATUS.match)
    request.addfinalizer(close)
    return page


@pytest.fixture
def page(browser, public_server, request):
    return fresh_page(browser, public_server, request)


def expected(site, who: str, q: str) -> indexer.SearchResult:
    with indexer.SearchIndex(site["oracles"][who]) as ix:
        return ix.search(indexer.SearchRequest(q=q))


def shown(page) -> dict:
    """What a search page shows: the total, the documents of the hits, and every facet's values and counts."""
    facets = {}
    for section in page.locator("section.facet").all():
        facets[section.get_attribute("data-facet")] = [
            (a.get_attribute("data-value"), int(a.locator(".count").inner_text()))
            for a in section.locator("a.facet-value").all()]
    return {"total": int(page.locator("#total").inner_text()),
            "documents": {g.get_attribute("data-doc-id") for g in page.locator("section.group").all()},
            "facets": facets}


def as_shown(result: indexer.SearchResult) -> dict:
    return {"total": result.total, "documents": {h.doc_id for h in result.hits},
            "facets": {name: [(v.value, v.count) for v in values] for name, values in result.facets.items() if values}}


def search(page, q: str) -> None:
    page.goto(f"/search?q={quote(q)}")


def fill_sign_in(page, name: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名", exact=True).fill(name)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_navigation():  # signed in and sent on, or the form again with a message
        page.locator("form.draft-form").get_by_role("button", name="登录").click()


def signed_in_as(page) -> str:
    names = page.locator("nav.account .user-name").all_inner_texts()
    return names[0] if names else ""


def main_html(page) -> str:
    return page.locator("main").inner_html()


def test_anonymous_search_sees_public_hits_only(page, auth_site):
    search(page, WORD)
    public = expected(auth_site, "anonymous", WORD)
    assert shown(page) == as_shown(public) and public.total == 2  # the work report's two items
    internal = auth_site["ids"]["internal"]
    assert internal not in page.content()
    text = page.locator("body").inner_text()
    for trace in ("示例市人民政府常务会议纪要", "〔2021〕9号", "第128次"):  # its title, number and meeting
        assert trace not in text, trace


def test_a_reader_signs_in_through_the_header_sees_the_internal_minutes_and_signs_out(page, auth_site):
    search(page, WORD)
    assert signed_in_as(page) == ""
    page.locator("nav.account").get_by_role("link", name="登录").click()
    page.wait_for_url(f"**/login?next=/search?q%3D{quote(quote(WORD))}")
    page.screenshot(path=ARTIFACTS / "login.png", full_page=True)
    fill_sign_in(page, "reader1")
    page.wait_for_url(f"**/search?q={quote(WORD)}")  # back where they were
    assert shown(page) == as_shown(expected(auth_site, "reader", WORD))
    assert auth_site["ids"]["internal"] in shown(page)["documents"]
    assert page.locator(f'section.group[data-doc-id="{auth_site["ids"]["internal"]}"] .group-head a').inner_text() \
        == "示例市人民政府常务会议纪要"
    assert signed_in_as(page) == "reader1"
    logout = page.locator("nav.account").get_by_role("button", name="退出")
    assert logout.is_visible()
    page.screenshot(path=ARTIFACTS / "search-signed-in.png", full_page=True)

    logout.click()
    page.wait_for_url(re.compile(r"/search$"))
    assert signed_in_as(page) == "" and page.locator("nav.account .login-link").inner_text() == "登录"
    search(page, WORD)
    assert shown(page) == as_shown(expected(auth_site, "anonymous", WORD))


def test_a_groups_document_is_for_its_group_only(browser, public_server, auth_site, request):
    group_doc = auth_site["ids"]["group"]
    fin = fresh_page(browser, public_server, request)
    fin.goto("/login")
    fill_sign_in(fin, "fin")
    fin.wait_for_url(re.compile(r"/search$"))
    search(fin, GROUP_WORD)
    assert shown(fin) == as_shown(expected(auth_site, "fin", GROUP_WORD))
    assert shown(fin)["documents"] == {group_doc}
    assert fin.goto(f"/doc/{group_doc}").status == 200
    assert fin.locator("h1").inner_text() == "示例市人民政府专题会议纪要"

    reader = fresh_page(browser, public_server, request)
    reader.goto("/login")
    fill_sign_in(reader, "reader1")
    reader.wait_for_url(re.compile(r"/search$"))
    search(reader, GROUP_WORD)
    assert shown(reader) == as_shown(expected(auth_site, "reader", GROUP_WORD))
    assert group_doc not in reader.content()
    assert reader.goto(f"/doc/{group_doc}").status == 404
    hidden = main_html(reader)
    assert reader.goto(f"/doc/{MISSING_ID}").status == 404
    assert hidden.replace(group_doc, MISSING_ID) == main_html(reader)  # word for word, but for the id asked for
    assert reader.locator("main h1").inner_text() == "未找到（404）"


def test_five_wrong_passwords_lock_the_name_and_say_so(page):
    page.goto("/login")
    messages = []
    for _ in range(5):
        fill_sign_in(page, "locked1", "wrong password")
        messages.append(page.get_by_role("alert").inner_text())
    assert messages == [BAD] * 4 + [LOCKED]
    assert "请 15 分钟后再试" in LOCKED  # in Chinese, with the time
    fill_sign_in(page, "locked1")  # the right password, while locked
    assert (page.url.endswith("/login"), signed_in_as(page)) == (True, "")
    assert page.get_by_role("alert").inner_text() == LOCKED
    page.goto("/")
    assert signed_in_as(page) == ""


def test_sign_in_required_for_everything(browser, closed_server, auth_site, request):
    page = fresh_page(browser, closed_server, request)
    public_doc = indexer.read_document(CORPUS / "示例市政府常务会议纪要-2021-12-gb18030.txt").id
    for path in ("/", f"/search?q={quote('电梯')}", "/help", "/draft", f"/doc/{public_doc}"):
        page.goto(path)
        assert page.url == closed_server + "/login?next=" + quote(path, safe="/?"), path
        assert page.locator("main h1").inner_text() == "登录"
        assert page.locator("section.group").count() == 0
    asked = f"/search?q={quote('电梯')}"
    page.goto(asked)
    fill_sign_in(page, "reader1")
    page.wait_for_url(closed_server + asked)
    assert shown(page) == as_shown(expected(auth_site, "reader", "电梯"))
    assert signed_in_as(page) == "reader1"
    page.goto(f"/doc/{public_doc}")
    assert page.url == closed_server + f"/doc/{public_doc}"


def test_the_sign_in_form_by_keyboard_alone(page):
    page.goto("/login?next=/help")
    name, password = page.get_by_label("用户名", exact=True), page.get_by_label("密码", exact=True)
    assert (name.get_attribute("id"), password.get_attribute("id")) == ("login-name", "login-password")
    assert page.evaluate("document.activeElement.id") == "login-name"  # autofocus
    page.keyboard.type("reader1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login-password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("[document.activeElement.type, document.activeElement.textContent]") == ["submit", "登录"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/help")  # where the sign-in was asked for
    assert signed_in_as(page) == "reader1"
