"""Files made to exhaust a reader are refused, unread, with the limit they broke (issue 26,
items 4, 5 and 9): archives that lie about their size, parts of millions of elements, PDFs of
thousands of pages or of one page too large to render, images of too many pixels."""
import tracemalloc

import pytest

from indexer import ParseError
from indexer.read import read_file
from indexer.read.docx import docx_text
from indexer.read.ofd import ofd_text

from .. import hostile_gen
from ..legacy_gen import ofd_document

MIB = 1024 * 1024


def refusal(read, *args) -> str:
    with pytest.raises(ParseError) as e:
        read(*args)
    return e.value.reason


def test_a_docx_whose_part_lies_about_its_size_is_refused_without_inflating_it():
    data = hostile_gen.lying_docx(inflated=96 * MIB, declared=5000)
    tracemalloc.start()
    try:
        reason = refusal(docx_text, data, "lying.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "not a valid .docx file (word/document.xml: Bad CRC-32 for file 'word/document.xml')"
    assert peak < 8 * MIB  # read in 64 KB steps: 96 MB were inflated whole before


def test_a_part_over_the_byte_limit_is_refused_by_what_it_declares(monkeypatch):
    monkeypatch.setenv("MINUTES_READ_MAX_PART_BYTES", "100000")
    data = hostile_gen.lying_docx(inflated=MIB, declared=200_000)
    assert refusal(docx_text, data, "big.docx") == "not a valid .docx file (word/document.xml expands to 200000 bytes)"


def test_a_docx_of_millions_of_empty_elements_is_refused_unparsed():
    data = hostile_gen.many_elements_docx(6_800_000)
    assert refusal(docx_text, data, "empty.docx") == (
        "not a valid .docx file (word/document.xml has 6800003 XML elements, over the limit of 1000000)")


def test_an_ofd_page_of_millions_of_elements_is_refused_unparsed():
    data = hostile_gen.many_elements_ofd(2_000_000)
    assert refusal(ofd_text, data, "empty.ofd") == (
        "not a valid .ofd file (Doc_0/Pages/Page_0/Content.xml has 2000001 XML elements, over the limit of 1000000)")


def test_a_pdf_of_twenty_thousand_pages_is_refused_by_its_page_count(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(hostile_gen.many_pages_pdf(20_000))
    assert refusal(read_file, path) == "PDF has 20000 pages, over the limit of 1000"


def test_a_pdf_that_declares_fewer_pages_than_it_has_is_refused_by_the_pages_it_has(tmp_path, monkeypatch):
    monkeypatch.setenv("MINUTES_READ_MAX_PAGES", "2")
    path = tmp_path / "pages.pdf"
    path.write_bytes(hostile_gen.many_pages_pdf(3).replace(b"/Count 3", b"/Count 1"))
    assert refusal(read_file, path) == "PDF has 3 pages, over the limit of 2"


def test_an_ofd_of_more_pages_than_the_limit_is_refused_before_its_pages_are_read(monkeypatch):
    monkeypatch.setenv("MINUTES_READ_MAX_PAGES", "2")
    data = ofd_document("示例市人民政府常务会议纪要\n" + "会议要求加强管理。\n" * 100, lines_per_page=30)
    assert refusal(ofd_text, data, "long.ofd") == "OFD has 4 pages, over the limit of 2"


def test_a_tiny_pdf_of_one_huge_scanned_page_is_refused_before_it_is_rendered(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(hostile_gen.huge_page_pdf(7200))
    assert path.stat().st_size < 1000
    assert refusal(read_file, path) == (
        "PDF page too large to render for OCR (page 1, 7200 × 7200 pt: 400000000 pixels at 200 dpi, over the limit "
        "of 89478485)")


def test_an_image_of_four_hundred_million_pixels_is_refused_by_its_header(tmp_path):
    pytest.importorskip("PIL", reason="Pillow (the ocr extra) reads image headers")
    path = tmp_path / "huge.png"
    path.write_bytes(hostile_gen.huge_png(20_000))
    assert refusal(read_file, path) == (
        "image is 400000000 pixels, over the limit of 89478485 pixels (refused unread: a decompression bomb?)")


def test_the_pixel_limit_is_a_setting(tmp_path, monkeypatch):
    pytest.importorskip("PIL", reason="Pillow (the ocr extra) reads image headers")
    monkeypatch.setenv("MINUTES_READ_MAX_PIXELS", "1000000")
    path = tmp_path / "big.png"
    path.write_bytes(hostile_gen.huge_png(2000))
    assert refusal(read_file, path) == (
        "image is 4000000 pixels, over the limit of 1000000 pixels (refused unread: a decompression bomb?)")
