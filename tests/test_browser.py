"""User journeys in real Chromium (Debian's, driven by Playwright) against real gunicorn."""
import re
import shutil

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def test_search_facet_chip_document_and_citation(page):
    page.goto("/")
    page.get_by_label("检索词").fill("电梯安全")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    first = page.locator(".hit").first
    assert "第五项" in first.locator("h3").inner_text()
    assert first.locator(".snippet mark").first.inner_text() == "电梯安全"
    before = total(page)

    page.locator('[data-facet="dept"] a[data-value="市市场监管局"]').click()
    page.wait_for_url(re.compile(r"dept="))
    narrowed = total(page)
    assert narrowed < before
    assert page.locator('[data-facet="dept"] a[data-value="市市场监管局"] .count').inner_text() == str(narrowed)
    assert page.locator(".chip").inner_text().startswith("部门：市市场监管局")

    page.locator(".chip").click()
    page.wait_for_url(lambda url: "dept=" not in url)
    assert total(page) == before

    page.locator(".hit-link").first.click()
    page.wait_for_url(re.compile(r"/doc/\w+\?q=.*#item-5$"))
    item = page.locator("#item-5")
    assert item.is_visible()
    assert item.locator("mark").first.inner_text() == "电梯安全"
    item.locator(".item-foot").get_by_role("button", name="复制引用", exact=True).click()
    page.wait_for_function("document.body.dataset.copied !== undefined")
    assert page.evaluate("document.body.dataset.copied") == "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项"


def test_phrase_search_and_pagination(page):
    page.goto("/search?q=%22原则同意%22&size=4")
    assert total(page) == 6
    assert page.locator(".hit").count() == 4
    for snippet in page.locator(".hit .snippet").all():
        assert "原则同意" in snippet.inner_text()
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".hit").count() == 2


def test_phone_sized_screen_stacks_the_layout(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/search?q=电梯")
    results_box = page.locator(".results").bounding_box()
    facets_box = page.locator(".facets").bounding_box()
    assert results_box["width"] <= 390
    assert facets_box["y"] > results_box["y"]  # facets move below the results
    context.close()
