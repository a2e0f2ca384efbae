"""A document recognised from a scan, in real Chromium against real gunicorn: its reading view
carries the note 由扫描件识别，可能有误 with the page's confidence, under the site's
Content-Security-Policy (no inline style, no script error); a document read from its own text
carries none. One scanned page (tests/scan_gen.py, 150 dpi), indexed through the real pipeline."""
import shutil

import pytest

import indexer

from .. import scan_gen
from ..conftest import ARTIFACTS, MINUTES_2021_9, open_page, start_gunicorn
from .test_ocr_display import NOTICE, SCAN_TEXT, percent

pytestmark = [pytest.mark.browser, pytest.mark.ocr]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, the scan's document, the sample text's document)."""
    src = tmp_path_factory.mktemp("ocr-browser-src")
    scan = src / "扫描件.png"
    scan.write_bytes(scan_gen.save([scan_gen.render(scan_gen.layout(SCAN_TEXT)[0], 150)], "png", dpi=150))
    shutil.copy(MINUTES_2021_9, src / MINUTES_2021_9.name)
    index = tmp_path_factory.mktemp("ocr-browser-index")
    assert indexer.index_paths([src], index).failed == ()
    with indexer.SearchIndex(index, time_limit=None) as ix:
        docs = {d.ocr: d for d in ix.crossrefs().documents.values()}
    assert len(docs) == 2  # one of each
    proc, base = start_gunicorn(index, tmp_path_factory.mktemp("gunicorn-ocr") / "gunicorn.log")
    yield base, docs[True], docs[False]
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(browser, site):
    page, close = open_page(browser, site[0])
    yield page
    close()


def test_the_scans_reading_view_carries_the_note_and_the_pages_confidence(page, site):
    _, scan, plain = site
    assert scan.ocr_pages and not plain.ocr_pages
    page.goto(f"/doc/{scan.id}")
    note = page.get_by_role("note", name=NOTICE)
    assert note.is_visible()
    shown = percent(scan.ocr_pages[0].confidence)
    assert note.locator("li.ocr-page").all_inner_texts() == [f"第1页 识别置信度 {shown}%"]
    # Styled by the site's stylesheet (an inline style would be refused by the CSP and left unstyled).
    assert note.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    page.screenshot(path=ARTIFACTS / "ocr-notice.png", full_page=False)
    page.goto(f"/doc/{plain.id}")
    assert page.locator("h1").inner_text() == plain.title
    assert page.get_by_role("note").count() == 0 and page.get_by_text(NOTICE).count() == 0
