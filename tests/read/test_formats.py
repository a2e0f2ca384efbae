"""Every input format parses to the same structure as the sample's plain text."""
import pytest

from indexer import ParseError, parse_file
from indexer.read import ocr as formats_ocr
from indexer.read.ocr import NEEDS_OCR
from indexer.read.text import join_wrapped

from .. import variants
from ..conftest import CORPUS

SAMPLES = [
    "示例市政府常务会议纪要-2021-09.txt",
    "示例市政府常务会议纪要-2020-15-messy.txt",
    "示例市政府专题会议纪要-2021-03.txt",
    "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt",
    "示例市政府办公室关于加快发展保障性租赁住房的实施意见-2022-05.txt",
]


def structure(doc):
    """What a reader sees: fields, items, sub-points, roles, attendance."""
    return {
        "head": (doc.title, doc.doc_type, doc.doc_number, doc.session, doc.date, doc.chair, doc.issued, doc.signed),
        "items": [(i.number, i.title, i.text, [s.text for s in i.subpoints], i.roles, i.reviewed) for i in doc.items],
        "preamble": doc.preamble,
        "attendance": doc.attendance,
        "distribution": doc.distribution,
    }


def write_variant(tmp_path, name, kind):
    text = (CORPUS / name).read_text("utf-8")
    stem = name.rsplit(".", 1)[0]
    if kind == "gb18030":
        path, data = tmp_path / f"{stem}.txt", text.encode("gb18030")
    elif kind == "utf-16":
        path, data = tmp_path / f"{stem}.txt", text.encode("utf-16")
    elif kind == "utf-16-le-no-bom":
        path, data = tmp_path / f"{stem}.txt", text.encode("utf-16-le")
    elif kind == "utf-8-bom":
        path, data = tmp_path / f"{stem}.txt", b"\xef\xbb\xbf" + text.encode("utf-8")
    elif kind == "html":
        path, data = tmp_path / f"{stem}.html", variants.web_page(text, stem).encode("utf-8")
    elif kind == "docx":
        path, data = tmp_path / f"{stem}.docx", variants.word_document(text)
    elif kind == "pdf":
        path, data = tmp_path / f"{stem}.pdf", variants.pdf_document(text)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", ["gb18030", "utf-16", "utf-16-le-no-bom", "utf-8-bom", "html", "docx", "pdf"])
@pytest.mark.parametrize("name", SAMPLES)
def test_variant_parses_like_the_text(tmp_path, name, kind):
    original = parse_file(CORPUS / name)
    variant = parse_file(write_variant(tmp_path, name, kind))
    assert structure(variant) == structure(original)
    assert variant.id == original.id


def test_web_page_chrome_is_dropped(tmp_path):
    doc = parse_file(write_variant(tmp_path, SAMPLES[0], "html"))
    everything = doc.preamble + "".join(i.text for i in doc.items)
    for chrome in ("首页", "统计代码", "分享到", "备案号", "当前位置"):
        assert chrome not in everything


# What a PDF with no text at all is refused with: with the ocr extra its page was looked at too.
NO_TEXT_PDF = ("PDF has no text layer, and no text was recognised on its 1 page" if formats_ocr.available()
               else f"PDF has no text layer (a scan?): {NEEDS_OCR}")


@pytest.mark.slow  # with the ocr extra, its page is recognised (seconds)
def test_pdf_without_a_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    variants.pdf_without_text(path)  # drawings, no text: nothing to read or recognise
    with pytest.raises(ParseError) as e:
        parse_file(path)
    assert e.value.reason == NO_TEXT_PDF


def test_malformed_html_still_parses(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div id='content'><p>示例市人民政府专题会议纪要<p>〔2021〕7号"
                    "<p>一、关于防汛<b>会议要求<i>由市水务局牵头</div></span></table>做好准备。", "utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.doc_number) == ("示例市人民政府专题会议纪要", "〔2021〕7号")
    assert doc.items[0].leads == ("市水务局",)


def test_a_paragraph_that_runs_on_to_the_next_page_is_joined_without_the_page_number():
    """Pages laid out at a width (PDF, OFD, scans): the page number at a page's foot is dropped
    and a full last line is joined with the next page's first unless that starts a paragraph."""
    full = "会议要求各地各部门认真落实安全生产责任制度，"  # 22 characters: a full line
    pages = [f"\u3000\u3000一、安全生产\n\u3000\u3000{full[:20]}\n{full}\n— 1 —",
             f"{full[:10]}。\n\u3000\u3000二、其他事项\n\u3000\u3000会议同意。\n第2页 共2页"]
    assert join_wrapped(pages) == (f"\u3000\u3000一、安全生产\n\u3000\u3000{full[:20]}{full}{full[:10]}。\n"
                                   "\u3000\u3000二、其他事项\n\u3000\u3000会议同意。")
