"""Adding minutes from the browser, in real Chromium against real gunicorn: an editor
uploads a Word minutes, sees its audit, commits it and finds it; a reader cannot
reach the upload page. The server runs on an index of its own (the shared one
stays as the other browser tests expect it)."""
import re
import shutil

import pytest

import indexer

from .. import variants
from ..conftest import ARTIFACTS, open_page, start_gunicorn
from ..ingest.test_uploads import PASSWORD, add_users, minutes_text

pytestmark = [pytest.mark.browser, pytest.mark.serving]
WORD = "紫水晶"


@pytest.fixture(scope="module")
def upload_server(index_dir, tmp_path_factory):
    index = tmp_path_factory.mktemp("upload-browser") / "ix"
    shutil.copytree(index_dir, index)
    add_users(index, editor1="editor", reader1="reader")
    proc, base = start_gunicorn(index, index.parent / "gunicorn.log")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(browser, upload_server):
    page, close = open_page(browser, upload_server, ignore=lambda text: "403" in text)
    yield page
    close()


def sign_in(page, name: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form.draft-form").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/(search)?(\?.*)?$"))


def test_an_editor_uploads_a_word_minutes_sees_its_audit_commits_and_finds_it(page):
    text = minutes_text(931, WORD)
    doc = indexer.parse_text(text)
    sign_in(page, "editor1")
    page.goto("/upload")
    page.get_by_label("文件", exact=True).set_input_files(files=[{
        "name": "常务会议纪要-931.docx", "buffer": variants.word_document(text),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.get_by_role("button", name="上传并核查").click()
    page.wait_for_url(re.compile(r"/upload/[A-Za-z0-9_-]+$"))
    row = page.locator('tr.upload-row[data-name="常务会议纪要-931.docx"]')
    assert row.locator(".upload-title").inner_text() == doc.title
    assert "〔2019〕931号" in row.inner_text()
    page.screenshot(path=ARTIFACTS / "upload-audit.png", full_page=True)
    page.get_by_role("button", name="确认入库").click()
    status = page.locator("p.summary[role=status]")
    assert re.sub(r"\s+", "", status.inner_text()).startswith("以下1份文件已入库，已可检索。")
    link = page.locator(f'.upload-documents li[data-doc-id="{doc.id}"] a')
    assert link.inner_text() == doc.title
    page.screenshot(path=ARTIFACTS / "upload-done.png", full_page=True)

    page.get_by_label("检索词").fill(WORD)
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator(".hit")
    assert hits.count() >= 1
    assert page.locator(".hit .snippet mark").first.inner_text() == WORD
    page.locator(".hit-link").first.click()
    page.wait_for_url(re.compile(rf"/doc/{doc.id}"))
    assert page.locator(".doc-number").inner_text() == "〔2019〕931号"


def test_a_reader_cannot_reach_the_upload_page(page):
    sign_in(page, "reader1")
    response = page.goto("/upload")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问（403）"
    assert page.get_by_label("文件", exact=True).count() == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(page):
    page.goto("/upload")
    page.wait_for_url(re.compile(r"/login\?next=/upload$"))
    assert page.locator("h1").inner_text() == "登录"
