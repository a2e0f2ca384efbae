"""indexer/read/doc.py on files Microsoft Word wrote (tests/fixtures/README.md says where they
come from) and on the structures of Word 6/95 files that tests/legacy_gen.py reproduces: only the
main document is read, in the order of its piece table."""
import pytest

from indexer import ParseError, parse_file
from indexer.read.text import decode
from indexer.read.doc import doc_text

from ..conftest import ROOT
from ..legacy_gen import word6, word97

FIXTURES = ROOT / "tests" / "fixtures"
MINUTES = "示例市人民政府常务会议纪要\n一、听取汇报 ABC\n会议要求，各部门抓好落实。"


def test_word_2007_compressed_text_with_accents():
    """One compressed (Windows-1252) piece, as LibreOffice and antiword read it."""
    data = (FIXTURES / "word2007-harmless-clean.doc").read_bytes()
    assert doc_text(data, "x.doc", decode) == (
        "Test\n\nThis is a harmless test document.\n\nIt contains neither macros nor dde links nor embedded "
        "viruses nor links to evil web pages. Not even a single insult. Boring!\n\nJust to make things slightly "
        "interesting, however, we add some ünicöde-ßtringß and different text sizes, colors and fonts\n")


def test_a_fast_saved_file_with_one_piece():
    """fComplex set (a fast save), Word 2003 FIB; its text is one UTF-16 piece."""
    data = (FIXTURES / "fast-saved-sample.doc").read_bytes()
    assert doc_text(data, "x.doc", decode) == "yet another test sample for doc type\n"


def test_wps_office_chinese_file():
    """Written by WPS Office 专业版 (Chinese WPS): one UTF-16 piece, fComplex set as WPS sets it."""
    data = (FIXTURES / "wps-office-chinese.doc").read_bytes()
    assert doc_text(data, "x.doc", decode) == (
        "这是一个用来测试nodejs解析Word文档.doccccc\nThis is a test for parsing the Word file in node.\n")


def test_word_for_mac_pieces_compressed_and_utf16_join_in_order():
    """Six pieces, compressed and UTF-16 alternating, cut inside words and inside form fields
    (Word 10.1 for the Mac); tables and fields as for other files."""
    text = doc_text((FIXTURES / "word-mac-pieces.doc").read_bytes(), "x.doc", decode)
    assert text.startswith("CREDO REFERENCE\n03/599\n\nTHE ROBERT GORDON UNIVERSITY\n\nResearch Governance Checklist\n")
    for across_a_piece_boundary in ("Dr J Malins Gray's School of Art PRINCIPAL INVESTIGATOR\n",
                                    "(see 2010 RGU Strategic Vision)"):
        assert across_a_piece_boundary in text
    assert "FORMTEXT" not in text and "FORMDROPDOWN" not in text
    assert text.endswith("completion of the Research Proposal Authorisation Process**\n")
    assert len(text) == 5289


def test_a_file_word_encrypted_is_refused_as_encrypted():
    with pytest.raises(ParseError) as e:
        parse_file(FIXTURES / "word-encrypted.doc")
    assert e.value.reason == "Word document is encrypted (password protected)"


def test_word6_reads_the_main_text_not_the_header_after_it():
    """A Word 6/95 file keeps its headers and footnotes after the main text, up to fcMac:
    ccpText says where the main text ends."""
    data = word6(MINUTES, after="页眉：示例市人民政府办公室")
    assert doc_text(data, "x.wps", decode) == MINUTES + "\n"


@pytest.mark.parametrize("after", ["", "页眉：示例市人民政府办公室"])
def test_word6_fast_saved_text_follows_the_piece_table(after):
    """A fast-saved Word 6/95 file: the main text's halves lie in the stream in the other order,
    with a deleted paragraph between them; the piece table gives the order."""
    data = word6(MINUTES, after=after, fast_saved=True)
    assert b"A paragraph deleted" in data
    assert doc_text(data, "x.wps", decode) == MINUTES + "\n"


def test_word6_fast_saved_without_its_piece_table_is_damaged():
    data = bytearray(word6(MINUTES, fast_saved=True))
    at = 512 + 0x164  # lcbClx in the FIB, which starts the first sector
    data[at:at + 4] = bytes(4)
    with pytest.raises(ParseError) as e:
        doc_text(bytes(data), "x.wps", decode)
    assert e.value.reason == "damaged Word 6/95 document (no piece table)"


def test_a_column_break_ends_a_line():
    """Word marks a column break with \\x0e, which is no character of the text."""
    text = "第一栏的文字\x0e第二栏的文字"
    assert doc_text(word97(text, field=False), "x.doc", decode) == "第一栏的文字\n第二栏的文字\n"


def test_nul_characters_are_dropped():
    """Word 10.1 for the Mac left a run of 117 NUL characters in a compressed piece of a real file
    (word-mac-pieces.doc); they reached the parsed document's text."""
    text = "会议要求\x00\x00\x00各部门抓好落实"
    assert doc_text(word97(text, field=False), "x.doc", decode) == "会议要求各部门抓好落实\n"
    text = doc_text((FIXTURES / "word-mac-pieces.doc").read_bytes(), "x.doc", decode)
    assert "\x00" not in text
    assert "without appropriate authorisation\n\nFailure to comply" in text
