"""Legacy Word (.doc), WPS (.wps) and OFD files parse to the same structure as the
sample's plain text; files that cannot be read are named with the reason."""
import io
import zipfile

import pytest
from pypdf import PdfWriter

from indexer import ParseError, parse_file
from indexer.read import ocr as formats_ocr
from indexer.read.doc import doc_text
from indexer.read.ofd import ofd_text
from indexer.read.text import decode

from ..conftest import CORPUS
from ..legacy_gen import ofd_document, word6, word97
from .test_formats import SAMPLES, structure

WRITERS = {
    # Word 97: ASCII in compressed (Windows-1252) pieces, Chinese in UTF-16 ones, a hyperlink field
    "doc": (".doc", word97),
    "doc-utf16": (".doc", lambda text: word97(text, ascii_compressed=False, field=False)),
    "wps": (".wps", word97),  # WPS Office saves .wps in Word's binary format
    "wps-word6-gb18030": (".wps", word6),  # older WPS and Word 6/95: 8-bit text in the code page
    "ofd": (".ofd", ofd_document),
}


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("name", SAMPLES)
def test_legacy_variant_parses_like_the_text(tmp_path, name, kind):
    suffix, write = WRITERS[kind]
    path = tmp_path / (name.rsplit(".", 1)[0] + suffix)
    path.write_bytes(write((CORPUS / name).read_text("utf-8")))
    original = parse_file(CORPUS / name)
    variant = parse_file(path)
    assert structure(variant) == structure(original)
    assert variant.id == original.id


def test_doc_text_drops_field_instructions_and_keeps_table_cells():
    text = "第一行 ABC\n电梯安全"
    assert doc_text(word97(text), "x.doc", decode) == "第一行 ABC\n电梯安全\n"
    # The hyperlink field around 第一 keeps its result only; without it the text is the same.
    assert doc_text(word97(text, field=False), "x.doc", decode) == "第一行 ABC\n电梯安全\n"


def test_ofd_reading_order_comes_from_positions_not_from_the_file():
    text = "示例市人民政府常务会议纪要\n\u3000\u3000一、听取汇报\n示例市人民政府办公室    2021年5月20日"
    data = ofd_document(text, shuffle=True)
    assert ofd_text(data, "x.ofd") == text
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # the file's own order is not the reading order
        content = z.read("Doc_0/Pages/Page_0/Content.xml").decode()
    assert content.index("2021年5月20日") < content.index("一、听取汇报")


def test_ofd_pages_in_the_order_the_document_lists_them():
    text = "\n".join(f"第{n}行。" for n in range(1, 8))
    assert ofd_text(ofd_document(text, lines_per_page=3), "x.ofd") == text


def _ofd_without(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ofd_document("示例文字")), "r") as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def _empty_pdf() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def _encrypted_doc() -> bytes:
    data = bytearray(word97("示例"))
    start = 512  # the WordDocument stream is the first in the file: its FIB starts the first sector
    data[start + 0x0B] |= 0x01  # fEncrypted: 0x0100 of the little-endian flags at 0x0A
    return bytes(data)


SAMPLE_TEXT = (CORPUS / SAMPLES[0]).read_text("utf-8")
BROKEN = {
    "truncated.doc": (word97(SAMPLE_TEXT)[:3000], "damaged Word document (incomplete OLE sector)"),
    "plain-text.doc": ("示例市人民政府常务会议纪要".encode(), "not a Word document (not an OLE2 compound file)"),
    "dos-era.wps": (b"\x00\x00WPS-DOS" + bytes(600),
                    "not a WPS document (not an OLE2 compound file; a WPS file of the DOS era or WPS 97 is not supported)"),
    "excel.doc": (__import__("tests.legacy_gen", fromlist=["compound_file"]).compound_file({"Workbook": b"x"}),
                  "not a Word document (no WordDocument stream: another Office file?)"),
    "encrypted.doc": (_encrypted_doc(), "Word document is encrypted (password protected)"),
    "bad-zip.ofd": (ofd_document(SAMPLE_TEXT)[:200], "not a valid .ofd file (not a zip archive)"),
    "no-root.ofd": (_ofd_without("OFD.xml"), "not a valid .ofd file (no OFD.xml)"),
    "no-page.ofd": (_ofd_without("Doc_0/Pages/Page_0/Content.xml"),
                    "not a valid .ofd file (no Doc_0/Pages/Page_0/Content.xml)"),
    "no-pages.pdf": (_empty_pdf(), "PDF has no pages"),
    "not-an-image.png": (b"<html>not a picture</html>", "not an image file (not PNG, JPEG or TIFF)"),
}
# A damaged image is refused as unreadable with the ocr extra, as needing OCR without it
# (tests/ingest/test_progress.py, test_without_the_ocr_extra_a_scan_is_named_as_needing_it).
if formats_ocr.available():
    BROKEN.update({
        "damaged.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "not a readable image (damaged, or of a kind Pillow cannot read)"),
        "damaged.tif": (b"II*\x00" + bytes(64), "not a readable image (damaged, or of a kind Pillow cannot read)"),
    })


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path, name):
    data, reason = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError) as e:
        parse_file(path)
    assert (e.value.path, e.value.reason) == (str(path), reason)


FIXTURES = CORPUS.parent.parent / "tests" / "fixtures"


@pytest.mark.parametrize("name", ["示例市政府常务会议纪要-2021-09", "示例市政府关于印发电梯安全管理办法的通知-2021-20"])
def test_a_doc_written_by_libreoffice_parses_like_the_text(name):
    """Word 97 files from another writer (LibreOffice, see tests/fixtures/README.md)."""
    original = parse_file(CORPUS / f"{name}.txt")
    variant = parse_file(FIXTURES / f"{name}.doc")
    assert structure(variant) == structure(original)
    assert variant.id == original.id


def test_doc_table_rows_are_lines_and_cells_are_separated_by_spaces():
    """As the .docx reader gives them; an empty last cell leaves nothing behind."""
    assert doc_text((FIXTURES / "table.doc").read_bytes(), "table.doc", decode) == (
        "示例市人民政府常务会议纪要\n〔2021〕9号\n出席 王明 李华\n列席 张三\n一、听取汇报\n")
