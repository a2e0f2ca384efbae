"""Scans read back: the samples drawn as scanned pages (tests/scan_gen.py) at 300 and 150 dpi,
turned by 1° and sprinkled with noise, as TIFF pages and as an image-only PDF, recognised
through ``read_file``/``parse_file`` exactly as ``minutes index`` reads them.

Each case prints its character error rate (``-s`` shows them), as indexed (both texts
normalized as the index normalizes them, so 〔2021〕 read as [2021] or "," as "，" is no error)
and character for character: the goal, as indexed, is at most 2% at 300 dpi and 5% at 150 dpi, and the parsed document must carry the same number, date, title and
item titles as the text it was drawn from.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader, PdfWriter

import indexer
from indexer import parse_file
from indexer.read.files import read_file
from indexer.parse.document import parse_text
from indexer.read.ocr import Box, page_lines

from .. import scan_gen, variants
from ..conftest import CORPUS

MINUTES = CORPUS / "示例市政府常务会议纪要-2021-09.txt"
NOTICE = CORPUS / "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt"

# name: (sample, dpi, degrees turned, share of pixels noise, file kind, goal for the error rate)
CASES = {
    "minutes-300dpi": (MINUTES, 300, 0.0, 0.0, "tif", 0.02),
    "minutes-150dpi": (MINUTES, 150, 0.0, 0.0, "tif", 0.05),
    "minutes-300dpi-turned-1deg": (MINUTES, 300, 1.0, 0.0, "tif", 0.02),
    "minutes-300dpi-noise": (MINUTES, 300, 0.0, 0.05, "tif", 0.02),
    "minutes-300dpi-pdf": (MINUTES, 300, 0.0, 0.0, "pdf", 0.02),
    "notice-300dpi-turned-1deg-noise": (NOTICE, 300, -1.0, 0.03, "tif", 0.02),
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Each case's file, drawn once, and the text its pages show."""
    folder = tmp_path_factory.mktemp("scans")
    made = {}
    for name, (sample, dpi, angle, noise, kind, _) in CASES.items():
        pages = scan_gen.layout(sample.read_text("utf-8"))
        images = [scan_gen.render(page, dpi, angle=angle, noise=noise, seed=n) for n, page in enumerate(pages)]
        path = folder / f"{name}.{kind}"
        path.write_bytes(scan_gen.save(images, kind, dpi=dpi))
        made[name] = (path, scan_gen.truth(pages), len(pages))
    return made


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_scan_reads_back_within_the_error_rate_goal_and_parses_like_its_text(scans, name):
    sample, dpi, angle, noise, kind, goal = CASES[name]
    path, truth, page_count = scans[name]
    read = read_file(path)  # what parse_file reads: recognised once, parsed from its text below
    rate = scan_gen.cer(truth, read.text)
    print(f"\nOCR {name}: CER {rate:.2%} as indexed ({scan_gen.cer(truth, read.text, as_indexed=False):.2%} "
          f"character for character) over {len(truth)} characters, {page_count} pages, confidence "
          + ", ".join(f"p{p.page} {p.confidence:.3f}" for p in read.ocr_pages))
    assert rate <= goal, f"{name}: character error rate {rate:.2%}, goal {goal:.0%}"
    assert [p.page for p in read.ocr_pages] == list(range(1, page_count + 1))
    assert all(0.9 <= p.confidence <= 1 for p in read.ocr_pages)

    scanned, original = parse_text(read.text, source=str(path)), parse_file(sample)
    assert (scanned.doc_number, scanned.date, scanned.title, scanned.doc_type) == \
        (original.doc_number, original.date, original.title, original.doc_type)
    assert [item.title for item in scanned.items] == [item.title for item in original.items]
    assert [item.leads for item in scanned.items] == [item.leads for item in original.items]


@pytest.mark.ocr
def test_a_pdf_with_one_scanned_page_among_text_pages_recognises_only_that_page(tmp_path):
    text = MINUTES.read_text("utf-8")
    pages = scan_gen.layout("示例市人民政府常务会议纪要\n附件\n" + "会议要求加强电梯安全管理，落实维保单位责任。" * 3)
    writer = PdfWriter()
    for part in (variants.pdf_document(text), scan_gen.save([scan_gen.render(pages[0], 150)], "pdf", dpi=150)):
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as out:
        writer.write(out)
    read = read_file(path)
    text_pages = len(PdfReader(io.BytesIO(variants.pdf_document(text))).pages)
    assert [p.page for p in read.ocr_pages] == [text_pages + 1]
    assert "落实维保单位责任" in read.text
    doc = parse_file(path)
    assert doc.doc_number == "〔2021〕9号"
    assert doc.ocr and doc.ocr_pages == read.ocr_pages


@pytest.mark.ocr
def test_a_photo_taken_sideways_is_read_upright_by_its_exif_orientation(tmp_path):
    page = scan_gen.layout("示例市人民政府办公室关于电梯安全的通知\n各区人民政府：\n"
                           + "为加强电梯安全管理，现就有关事项通知如下。" * 4)[0]
    image = scan_gen.render(page, 150).rotate(90, expand=True)  # as the camera stored it
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    path = tmp_path / "photo.jpg"
    image.save(path, "JPEG", quality=90, exif=exif)
    read = read_file(path)
    assert scan_gen.cer(scan_gen.truth([page]), read.text) <= 0.05


# --- Reading order, without the recognizer ------------------------------------------

def _box(x: float, y: float, text: str, char: float = 40, slope: float = 0.0) -> Box:
    width = char * len(text)
    return Box(((x, y), (x + width, y + slope * width), (x + width, y + slope * width + char), (x, y + char)),
               text, 0.99)


def test_boxes_come_back_as_lines_top_to_bottom_left_to_right_with_indents():
    boxes = [
        _box(100, 300, "会议纪要如下：这是一行满行的正文内容"),  # a full line at the margin
        _box(180, 200, "一、听取全市经济运行情况汇报"),  # indented two characters
        _box(100, 400, "记录：张三"),
        _box(700, 400, "分送：市发改委"),  # far right on the same line: kept apart by spaces
        _box(400, 100, "示例市人民政府"),  # centred
    ]
    assert page_lines(boxes) == [
        "\u3000\u3000示例市人民政府",
        "\u3000\u3000一、听取全市经济运行情况汇报",
        "会议纪要如下：这是一行满行的正文内容",
        "记录：张三" + " " * 8 + "分送：市发改委",
    ]


def test_a_comma_seen_beside_an_enumeration_comma_is_dropped():
    assert page_lines([_box(100, 100, "会同市应急管理局、，市消防救援支队，，按职责")]) == \
        ["会同市应急管理局、市消防救援支队，按职责"]


def test_a_turned_page_keeps_each_line_together():
    """Turned by 1.5°, a line's right end sits lower than the next line's left: the lines are
    read by their slope, not by the boxes' heights on the page."""
    slope = 0.026
    boxes = []
    for row in range(4):
        y = 100 + row * 60
        boxes.append(_box(100, y, "左边的文字内容一二三", slope=slope))
        boxes.append(_box(1700, y + slope * 1600, "右边的文字", slope=slope))
    lines = page_lines(boxes)
    assert len(lines) == 4
    assert all(line.startswith("左边") and line.rstrip().endswith("右边的文字") for line in lines)


@pytest.mark.ocr
def test_a_scan_is_recognised_once_and_kept_in_the_index_cache(tmp_path):
    """What a scan was read as is kept under <index>/cache/ocr by the file's bytes: a rebuild
    reads it from there (the cached text, altered here, is what gets indexed), and a cache
    entry of another recognizer or version is read again."""
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    folder.mkdir()
    page = scan_gen.layout("示例市人民政府办公室关于电梯安全的通知\n各区人民政府：\n"
                           + "为加强电梯安全管理，现就有关事项通知如下。" * 3)[0]
    (folder / "scan.png").write_bytes(scan_gen.save([scan_gen.render(page, 150)], "png", dpi=150))
    indexer.index_paths([folder], index_dir)
    [entry] = (index_dir / "cache" / "ocr").rglob("*.json")
    saved = json.loads(entry.read_text("utf-8"))
    assert "电梯安全管理" in saved["text"] and saved["pages"][0][0] == 1
    entry.write_text(json.dumps(dict(saved, text=saved["text"].replace("电梯", "锅炉")), ensure_ascii=False), "utf-8")

    def found(word: str) -> int:
        with indexer.SearchIndex(index_dir) as ix:
            return ix.search(indexer.SearchRequest(q=word)).total

    indexer.index_paths([folder], index_dir, rebuild=True)
    assert (found("锅炉"), found("电梯")) == (1, 0)
    entry.write_text(json.dumps(dict(saved, stamp="0/another"), ensure_ascii=False), "utf-8")
    indexer.index_paths([folder], index_dir, rebuild=True)
    assert (found("锅炉"), found("电梯")) == (0, 1)


@pytest.mark.ocr
def test_an_upload_with_more_scanned_pages_than_a_web_request_can_read_is_refused(tmp_path):
    """Its check would recognise every page inside the request, past a worker's timeout."""
    from indexer.ingest import uploads

    pages = scan_gen.layout(MINUTES.read_text("utf-8"))  # three pages
    scan = scan_gen.save([scan_gen.render(page, 100) for page in pages], "tif", dpi=100)
    batch = uploads.stage(tmp_path / "ix", "editor", [("scan.tif", scan)], max_scan_pages=2)
    assert [(r.name, r.kind) for r in batch.refused] == [("scan.tif", uploads.TOO_LARGE)]
    assert batch.refused[0].reason.startswith("3 scanned pages to recognise, and one upload may have at most 2")
    assert not batch.files


# --- The real corpus, drawn as scans ---------------------------------------------------

# Real documents of several kinds (the Suzhou executive minutes, State Council decisions, replies
# and letters, a decree from the law database), each drawn as scanned pages at 200 dpi from the
# text its file gives, read back, and parsed: the same fields as the file's own text.
REAL = [
    "suzhou/suzhou_changwu_2021_9.txt",
    "ZhouYNF__platform-1/决定_国务院_国发-2018-43号.txt",
    "ZhouYNF__platform-1/批复_国务院中央军委_国函-1996-95号.txt",
    "ZhouYNF__platform-1/函_国务院办公厅_国办函-2006-71号.txt",
    "LawRefBook__Laws/规定_国务院关于职工工作时间的规定_1995-03-25.md",
]
REAL_GOAL = 0.02  # character error rate, as for the samples at 300 dpi


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL)
def test_a_real_document_drawn_as_a_scan_reads_back_and_parses_like_its_file(tmp_path, real_corpus, relative):
    source = real_corpus / relative
    shown = read_file(source).text  # what the file's pages would show
    pages = scan_gen.layout(shown)
    scan = tmp_path / f"{source.stem}.tif"  # named as the file: a date in its name counts for both
    scan.write_bytes(scan_gen.save([scan_gen.render(page, 200, seed=n) for n, page in enumerate(pages)], "tif", dpi=200))
    read = read_file(scan)
    truth = scan_gen.truth(pages)
    rate = scan_gen.cer(truth, read.text)
    print(f"\nOCR real {relative}: CER {rate:.2%} as indexed ({scan_gen.cer(truth, read.text, as_indexed=False):.2%} "
          f"character for character) over {len(truth)} characters, {len(pages)} pages")
    assert rate <= REAL_GOAL, f"{relative}: character error rate {rate:.2%}"
    scanned, original = parse_text(read.text, source=str(scan)), parse_file(source)
    assert (scanned.doc_number, scanned.date, scanned.title, scanned.doc_type, scanned.issuer) == \
        (original.doc_number, original.date, original.title, original.doc_type, original.issuer)
    assert [item.title for item in scanned.items] == [item.title for item in original.items]


@pytest.mark.ocr
def test_an_upload_check_recognises_scans_in_a_child_process_and_the_commit_reads_the_cache(tmp_path):
    """A web worker that checks and commits an upload with scans never loads the recognizer
    itself (it would keep some 600 MB): the check reads each scan in a child process, a failure
    there comes back as the file's reason, and the commit finds the text in the OCR cache."""
    page = scan_gen.layout("示例市人民政府办公室关于电梯安全的通知\n各区人民政府：\n"
                           + "为加强电梯安全管理，现就有关事项通知如下。" * 3)[0]
    (tmp_path / "scan.png").write_bytes(scan_gen.save([scan_gen.render(page, 150)], "png", dpi=150))
    from PIL import Image

    Image.new("L", (600, 800), 255).save(tmp_path / "blank.png")
    code = f"""
import json, sys
from pathlib import Path
import indexer
folder = Path({str(tmp_path)!r})
files = [(name, (folder / name).read_bytes()) for name in ("scan.png", "blank.png")]
# Out of the way of the check's time limits (a loaded machine recognises slowly): not what is tested.
batch = indexer.stage_upload(folder / "ix", "editor", files,
                             limits=indexer.UploadCheckLimits(seconds=600.0, total_seconds=600.0))
checked = [(f.name, [p.page for p in f.audit.ocr_pages]) for f in batch.files]
refused = [(r.name, r.reason) for r in batch.refused]
result = indexer.commit_upload(folder / "ix", batch.id, "editor")
with indexer.SearchIndex(folder / "ix") as ix:
    found = ix.search(indexer.SearchRequest(q="电梯安全管理")).total
print(json.dumps(dict(checked=checked, refused=refused, found=found,
                      loaded="rapidocr_onnxruntime" in sys.modules), ensure_ascii=False))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"checked": [["scan.png", [1]]],
                      "refused": [["blank.png", "no text was recognised in the image (1 page)"]],
                      "found": 1, "loaded": False}


@pytest.mark.ocr
def test_scans_indexed_with_two_processes_each_read_once(tmp_path):
    """Two or more images send a batch to the parsing processes (one recognizer thread each),
    even when this process loaded a recognizer before."""
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    folder.mkdir()
    for n in (31, 32):
        page = scan_gen.layout(f"示例市人民政府关于电梯安全的通知\n示府发〔2021〕{n}号\n各区人民政府：\n"
                               + "为加强电梯安全管理，现就有关事项通知如下。" * 3)[0]
        (folder / f"scan-{n}.png").write_bytes(scan_gen.save([scan_gen.render(page, 150)], "png", dpi=150))
    report = indexer.index_paths([folder], index_dir, procs=2)
    assert (len(report.indexed), report.failed) == (2, ())
    with indexer.SearchIndex(index_dir) as ix:
        hits = ix.search(indexer.SearchRequest(q="电梯安全管理")).hits
        assert sorted(h.doc_number for h in hits) == ["示府发〔2021〕31号", "示府发〔2021〕32号"]
        assert all(ix.document(h.doc_id).ocr_pages[0].page == 1 for h in hits)
