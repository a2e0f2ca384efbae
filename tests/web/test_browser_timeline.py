"""Shapes over time in real Chromium against real gunicorn (issue 17): a timeline bar
clicked, or reached by keyboard, narrows the results to its count; the meeting calendar's
year facet and item links; the workload grid's cells open their tasks.

The server reads the real corpus (../shared/corpus, through conftest's ``real_index_dir``)
when it is present, else the samples; the screenshots docs/search.md shows
(test-artifacts/timeline.png, meetings.png, workload.png) come from these tests."""
import re

import pytest

from ..conftest import ARTIFACTS, REAL_CORPUS, open_page, start_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.real]  # the real corpus when present
DATE_TERM = re.compile(r"q=[^&]*(%E6%97%A5%E6%9C%9F|日期)")  # the query language's 日期：, in the URL


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """(base URL, a query with matches over several periods)."""
    if (REAL_CORPUS / "MANIFEST.tsv").is_file():
        index_dir, query = request.getfixturevalue("real_index_dir"), "安全生产"
    else:
        index_dir, query = request.getfixturevalue("index_dir"), "电梯"
    proc, base = start_gunicorn(index_dir, tmp_path_factory.mktemp("gunicorn-timeline") / "gunicorn.log")
    yield base, query
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(browser, site):
    page, close = open_page(browser, site[0])
    yield page
    close()


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def bar_counts(page) -> list[int]:
    return [int(c) for c in page.locator("a.bar").evaluate_all("els => els.map(e => e.dataset.count)")]


def test_clicking_a_bar_narrows_the_results_to_its_count(page, site):
    page.goto(f"/search?q={site[1]}")
    counts = bar_counts(page)
    assert len(counts) > 1
    assert sum(counts) + int(page.locator("#timeline").get_attribute("data-undated") or 0) == total(page)
    page.screenshot(path=ARTIFACTS / "timeline.png", full_page=False)
    tallest = counts.index(max(counts))
    bar = page.locator("a.bar").nth(tallest)
    period = bar.get_attribute("data-period")
    bar.click()
    page.wait_for_url(DATE_TERM)
    assert page.get_by_label("检索词").input_value() == f"{site[1]} 日期：{period}"
    assert total(page) == counts[tallest]
    # Every match now lies in that period: the narrowed timeline's bars hold them all.
    assert sum(bar_counts(page)) == counts[tallest]
    assert page.locator(".hit").count() == min(10, counts[tallest])


def test_a_bar_by_keyboard_shows_its_count_and_opens_its_period(page, site):
    page.goto(f"/search?q={site[1]}")
    page.locator("#timeline figcaption a").focus()
    page.keyboard.press("Tab")
    focused = page.locator("a.bar:focus")
    assert focused.count() == 1
    count = focused.get_attribute("data-count")
    label = focused.locator("text.count")
    assert label.is_visible() and label.text_content() == count  # hidden until hover or focus
    assert page.locator("a.bar").nth(1).locator("text.count").is_hidden()
    assert focused.get_attribute("aria-label").endswith(f"：{count} 条") or f"：{count} 条，" in focused.get_attribute(
        "aria-label")
    page.keyboard.press("Tab")
    assert page.locator("a.bar").nth(1).evaluate("e => e === document.activeElement")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(DATE_TERM)
    assert total(page) == int(count)


def test_the_calendar_by_year_and_its_items(page):
    page.goto("/meetings")
    page.screenshot(path=ARTIFACTS / "meetings.png", full_page=False)
    year = page.locator('[data-facet="year"] a.facet-value').first
    expected = int(year.locator(".count").inner_text())
    value = year.get_attribute("data-value")
    year.click()
    page.wait_for_url(f"**/meetings?year={value}")
    assert page.locator(".meeting").count() == expected == int(page.locator("#meeting-count").inner_text())
    item = page.locator(".meeting-items a").first
    anchor = item.get_attribute("href").split("#")[1]
    title = item.inner_text()
    item.click()
    page.wait_for_url(f"**#{anchor}")
    assert title.rstrip("…") in page.locator(f"#{anchor}").inner_text()  # long titles are cut with …


def test_a_workload_cell_opens_its_tasks(page):
    page.goto("/tasks")
    page.screenshot(path=ARTIFACTS / "workload.png", full_page=False)
    cell = page.locator("a.cell.lead").first
    count = int(cell.inner_text().split()[-1])
    cell.focus()  # a link: reached and followed by keyboard
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tasks\?dept=.*&year=\d{4}&role=lead"))
    assert int(page.locator("#task-count").inner_text()) == count
    assert page.eval_on_selector_all(".task", "els => els.map(e => e.dataset.role)") == ["lead"] * count
