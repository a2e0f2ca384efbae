"""User journeys in real Chromium (Debian's, driven by Playwright) against real gunicorn.

Screenshots of the main pages are written to test-artifacts/ at the repository root."""
import re

import pytest

from indexer.parse import gazetteer

from ..conftest import ARTIFACTS, open_page
from ..search.test_search import item_texts

# Without Playwright or chromium these tests are skipped with the reason, or fail under CI=true
# (conftest.require_browser).
pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server):
    page, close = open_page(browser, live_server, permissions=["clipboard-read", "clipboard-write"])
    yield page
    close()


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def facet(page, name, value):
    return page.locator(f'[data-facet="{name}"] a[data-value="{value}"]')


def test_search_two_departments_chip_document_anchor_and_citation(page):
    page.goto("/")
    page.get_by_label("检索词").fill("电梯")
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    before = total(page)
    assert page.locator(".hit .snippet mark").first.inner_text() == "电梯"

    housing_alone = int(facet(page, "dept", "市住建局").locator(".count").inner_text())
    facet(page, "dept", "市市场监管局").click()
    page.wait_for_url(re.compile(r"dept="))
    regulator = total(page)
    assert regulator < before
    # Disjunctive counts: 市住建局 still shows what it would add on its own.
    assert int(facet(page, "dept", "市住建局").locator(".count").inner_text()) == housing_alone
    facet(page, "dept", "市住建局").click()
    page.wait_for_url(re.compile(r"dept=.*dept="))
    both = total(page)
    assert regulator <= both <= before
    assert page.locator(".chip").count() == 2
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)

    page.locator(".chip", has_text="市市场监管局").click()
    page.wait_for_url(lambda url: url.count("dept=") == 1)
    assert page.locator(".chip").count() == 1
    assert total(page) == housing_alone

    first = page.locator(".hit-link").first
    href = first.get_attribute("href")
    anchor = href.split("#")[1]
    first.click()
    page.wait_for_url(re.compile(rf"/doc/\w+\?q=.*#{anchor}$"))
    target = page.locator(f"#{anchor}")
    assert target.is_visible()
    assert target.locator("mark").first.inner_text() == "电梯"
    citation = target.locator(".item-foot .citation").inner_text()
    target.locator(".item-foot").get_by_role("button", name="复制引用", exact=True).click()
    page.wait_for_selector("body[data-copied]", state="attached")  # no eval: the CSP forbids it
    assert page.evaluate("document.body.dataset.copied") == citation
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert re.fullmatch(r"《.+》（.+）第.项", citation)
    page.screenshot(path=ARTIFACTS / "document.png", full_page=True)


def test_document_number_lookup(page):
    page.goto("/")
    page.get_by_label("检索词").fill("〔2021〕9号")
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url(re.compile(r"/doc/\w+\?q=.*from=reference"))
    assert page.locator("h1").inner_text() == "示例市人民政府常务会议纪要"
    assert page.locator(".doc-number").inner_text() == "〔2021〕9号"
    page.get_by_role("link", name="查看全部检索结果").click()
    page.wait_for_url(re.compile(r"/search\?.*list=1"))
    assert total(page) >= 7


def test_drafting_aid_on_a_paragraph_from_a_sample(page):
    paragraph = "市市场监管局要会同市大数据局，建设电梯安全智慧监管平台，实现困人故障实时报警和应急处置全程可追溯。"
    page.goto("/draft")
    page.get_by_label("起草内容").fill(paragraph)
    page.get_by_role("button", name="查找相近表述").click()
    page.wait_for_selector(".passage")
    first = page.locator(".passage").first
    assert first.locator(".citation").inner_text() == "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项第（二）点"
    assert int(re.search(r"(\d+)%", first.locator(".similarity").inner_text()).group(1)) >= 90
    assert "建设电梯安全智慧监管平台" in "".join(first.locator("mark").all_inner_texts())
    first.get_by_role("button", name="复制原文并引用").click()
    page.wait_for_selector("body[data-copied]", state="attached")  # no eval: the CSP forbids it
    copied = page.evaluate("document.body.dataset.copied")
    assert copied.startswith("“（二）推进电梯安全智慧监管。") and copied.endswith("第五项第（二）点）")
    page.screenshot(path=ARTIFACTS / "draft.png", full_page=True)


def test_autocomplete_offers_departments(page):
    page.goto("/help")
    page.screenshot(path=ARTIFACTS / "help.png", full_page=True)
    page.get_by_label("检索词").type("发改")
    page.wait_for_selector("#suggestions option", state="attached")
    options = page.eval_on_selector_all("#suggestions option", "els => els.map(e => e.value)")
    assert options[0] == "发改委"


def test_phrase_search_and_pagination(page):
    page.goto("/search?q=%22原则同意%22&size=4")
    assert total(page) == 6
    assert page.locator(".hit").count() == 4
    for snippet in page.locator(".hit .snippet").all():
        assert "原则同意" in snippet.inner_text()
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".hit").count() == 2


def test_keyboard_only_search(page, docs):
    page.goto("/")
    page.keyboard.press("Tab")  # the brand link
    page.keyboard.press("Tab")  # the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("防汛")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E9%98%B2%E6%B1%9B"))
    words = ("防汛", *gazetteer.synonyms("防汛"))  # 抗洪, 防洪 (indexer/data/synonyms.tsv)
    assert total(page) == sum(any(w in t for w in words) for t in item_texts(docs).values()) > 0


def test_phone_sized_screen_stacks_the_layout(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/search?q=电梯")
    results_box = page.locator(".results").bounding_box()
    facets_box = page.locator(".facets").bounding_box()
    assert results_box["width"] <= 390
    assert facets_box["y"] > results_box["y"]  # facets move below the results
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    page.screenshot(path=ARTIFACTS / "phone.png", full_page=False)
    context.close()


def test_follow_citations_to_the_policy_tracker_and_a_departments_tasks(page, docs):
    page.goto("/search?q=%E7%A4%BA%E5%BA%9C%E5%8F%91%E3%80%942021%E3%80%9520%E5%8F%B7&list=1")
    page.locator(".group-head a").first.click()  # the notice
    page.wait_for_url("**/doc/**")
    cited_by = page.locator(".cited-by a").first
    assert cited_by.inner_text() == "《示例市人民政府常务会议纪要》（〔2021〕12号）第二项"
    page.locator(".cites a", has_text="第128次常务会议").click()  # the meeting that adopted it
    page.wait_for_url("**/doc/**")
    assert page.locator(".doc-number").inner_text() == "〔2021〕9号"
    page.locator("#item-5 a.reviewed").click()
    page.wait_for_url("**/policy?title=**")
    assert page.locator("h1").inner_text() == "《示例市电梯安全条例（草案）》"
    assert page.locator(".step .decision").first.inner_text() == "原则同意"
    page.screenshot(path=ARTIFACTS / "policy.png", full_page=True)
    page.go_back()
    page.locator("#item-1 a.task-link").first.click()
    page.wait_for_url("**/tasks?dept=**")
    assert page.locator("h1").inner_text() == "市发改委 · 督办事项"
    page.get_by_label("角色").select_option("lead")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**role=lead**")
    leads = sum("市发改委" in item.leads for d in docs.values() for item in d.items)  # items it leads
    assert page.eval_on_selector_all(".task", "els => els.map(e => e.dataset.role)") == ["lead"] * leads != []
    page.screenshot(path=ARTIFACTS / "tasks.png", full_page=True)


def test_audit_page_lists_what_each_document_parsed_into(page):
    page.goto("/")
    page.get_by_role("link", name="解析核查").click()
    page.wait_for_url(re.compile(r"/audit$"))
    api = page.request.get("/api/audit").json()
    rows = page.locator("tr.audit-row")
    assert rows.count() == int(page.locator("#audit-files").inner_text()) == len(api["files"])
    with_depts = rows.filter(has=page.locator("details")).first
    with_depts.locator("summary").click()
    assert with_depts.locator("details .tag").first.is_visible()
    page.screenshot(path=ARTIFACTS / "audit.png", full_page=True)
    title = rows.first.locator("td a").first
    href = title.get_attribute("href")
    title.click()
    page.wait_for_url(re.compile(rf"{href}$"))
    assert page.locator("h1").is_visible()
