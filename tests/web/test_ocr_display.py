"""Where a document recognised from a scan says so: ``ocr`` and each page's confidence in
``/api/doc/<id>``, the notice on the reading view (由扫描件识别，可能有误), the parse audit
(``minutes audit``, ``/api/audit``, ``/audit``, an upload's check) and its warning for a page
below ``indexer.OCR_LOW_CONFIDENCE``; nothing of it for a document whose text is its file's own.

One scanned page of minutes (tests/scan_gen.py, 150 dpi) and one sample text file, indexed
through the real ``indexer.index_paths`` into an index of this module's own. The recognizer
runs once per file content: ``indexer.parse.document.read_file`` is wrapped here to keep what it read
(everything after the reading, parsing and auditing included, runs each time)."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from dataclasses import replace

import pytest
from click.testing import CliRunner

import indexer
from indexer.ingest import audit as audit_module
from indexer.parse import document as parse_module
from minutes_cli import cli
from webapp import create_app
from webapp.pages import reading
from webapp.openapi import SPEC

from .. import scan_gen
from ..conftest import MINUTES_2021_9
from ..ingest.test_uploads import TOKEN, add_users, sign_in

SCAN_TEXT = """示例市人民政府专题会议纪要
〔2022〕7号
示例市人民政府办公室
2022年3月8日，副市长李强主持召开专题会议，研究城区排水防涝工作。纪要如下：
一、关于排水管网改造
会议同意市住建局提出的排水管网改造方案，由市住建局牵头，市财政局配合，年底前完成老城区管网改造。
二、关于易涝点整治
会议要求市水务局会同各区政府排查易涝点，汛期前完成整治。
出席：李强
列席：市住建局、市财政局、市水务局
"""
NOTICE = "由扫描件识别，可能有误"


def percent(confidence: float) -> int:
    """The whole percent a page is shown at, rounded down (an oracle apart from indexer.ocr_percent)."""
    return int(f"{confidence:.4f}".replace(".", "")) // 100


# --- pure: percent, threshold, warning, shapes (no recognizer) --------------------------------

def test_a_confidence_shows_as_whole_percent_rounded_down_and_low_is_below_the_threshold():
    assert [indexer.ocr_percent(c) for c in (1.0, 0.98, 0.9509, 0.9499, 0.29, 0.0)] == [100, 98, 95, 94, 29, 0]
    assert indexer.OCR_LOW_CONFIDENCE == 0.95
    assert [indexer.low_confidence(c) for c in (0.9499, 0.95, 0.99)] == [True, False, False]
    assert indexer.ocr_summary((indexer.OcrPage(1, 0.98), indexer.OcrPage(2, 0.9112))) == "page 1 98%, page 2 91%"


@pytest.fixture(scope="module")
def three_pages() -> indexer.Document:
    """A sample's text as if read from a three-page scan, its second and third pages unsure."""
    doc = indexer.parse_text(MINUTES_2021_9.read_text("utf-8"), source="scan.pdf")
    return replace(doc, ocr_pages=(indexer.OcrPage(1, 0.9812), indexer.OcrPage(2, 0.8512), indexer.OcrPage(3, 0.6)))


def test_pages_below_the_threshold_are_one_warning_naming_them(three_pages):
    row = indexer.audit_documents([three_pages]).files[0]
    assert row.ocr and row.ocr_pages == three_pages.ocr_pages
    assert [w for w in row.warnings if w.kind == "ocr_low_confidence"] == [
        indexer.AuditWarning("ocr_low_confidence", "page 2 85%, page 3 60%")]
    data = indexer.file_audit_dict(row)
    assert (data["ocr"], data["ocr_pages"]) == (True, [{"page": 1, "confidence": 0.9812},
                                                       {"page": 2, "confidence": 0.8512},
                                                       {"page": 3, "confidence": 0.6}])
    assert {"kind": "ocr_low_confidence",
            "message": "text recognised from a scan with low confidence (below 95%): page 2 85%, page 3 60%",
            "detail": "page 2 85%, page 3 60%"} in data["warnings"]
    plain = indexer.audit_documents([replace(three_pages, ocr_pages=())]).files[0]
    assert "ocr_low_confidence" not in plain.warning_kinds
    assert (indexer.file_audit_dict(plain)["ocr"], indexer.file_audit_dict(plain)["ocr_pages"]) == (False, [])


def test_the_reading_views_notice_marks_the_low_pages(three_pages):
    view = reading.document_page(three_pages)["ocr_view"]
    assert view["threshold"] == 95
    assert [(p["page"], p["percent"], p["low"]) for p in view["pages"]] == [
        (1, 98, False), (2, 85, True), (3, 60, True)]
    assert reading.document_page(replace(three_pages, ocr_pages=()))["ocr_view"] is None


# --- one real scan, indexed -------------------------------------------------------------------

@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """(the scan's path, the document the recognizer made of it, the index folder, the sample
    text file's document): the scan and a sample text file indexed together."""
    real_read = parse_module.read_file
    kept = {}

    def read_once(path):
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        if key not in kept:
            kept[key] = real_read(path)
        return kept[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parse_module, "read_file", read_once)
        src = tmp_path_factory.mktemp("ocr-src")
        scan = src / "专题会议纪要扫描件.png"
        scan.write_bytes(scan_gen.save([scan_gen.render(scan_gen.layout(SCAN_TEXT)[0], 150)], "png", dpi=150))
        shutil.copy(MINUTES_2021_9, src / MINUTES_2021_9.name)
        doc = indexer.parse_file(scan)
        index = tmp_path_factory.mktemp("ocr-index")
        report = indexer.index_paths([src], index)
        assert report.failed == () and len(report.indexed) == 2
        yield scan, doc, index, indexer.parse_file(src / MINUTES_2021_9.name)


@pytest.fixture
def client(scanned):
    app = create_app({"INDEX": str(scanned[2]), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})
    yield app.test_client()
    app.extensions["minutes"].close()


@pytest.mark.ocr
def test_the_scan_is_read_as_one_page_of_minutes(scanned):
    _, doc, _, plain = scanned
    assert (doc.doc_number, doc.doc_type, len(doc.items)) == ("〔2022〕7号", "会议纪要", 2)
    assert [p.page for p in doc.ocr_pages] == [1] and doc.ocr
    assert indexer.OCR_LOW_CONFIDENCE <= doc.ocr_pages[0].confidence <= 1  # a clean page is not low
    assert plain.ocr_pages == () and not plain.ocr


@pytest.mark.ocr
def test_the_documents_json_gives_ocr_and_each_pages_confidence(client, scanned):
    _, doc, _, plain = scanned
    data = client.get(f"/api/doc/{doc.id}").get_json()
    assert (data["ocr"], data["ocr_pages"]) == (True, [{"page": 1, "confidence": doc.ocr_pages[0].confidence}])
    other = client.get(f"/api/doc/{plain.id}").get_json()
    assert (other["ocr"], other["ocr_pages"]) == (False, [])
    required = SPEC["components"]["schemas"]["Document"]["required"]
    assert {"ocr", "ocr_pages"} <= set(required) and all(k in data and k in other for k in required)


@pytest.mark.ocr
def test_the_reading_view_shows_the_notice_with_each_pages_confidence_for_the_scan_only(client, scanned):
    _, doc, _, plain = scanned
    page = client.get(f"/doc/{doc.id}").get_data(as_text=True)
    shown = percent(doc.ocr_pages[0].confidence)
    assert '<aside class="ocr-notice" role="note" aria-labelledby="ocr-notice-title">' in page
    assert f'<p id="ocr-notice-title"><strong>{NOTICE}</strong>' in page
    assert (f'<li class="ocr-page" data-page="1" data-confidence="{doc.ocr_pages[0].confidence}">'
            f'第1页 识别置信度 {shown}%</li>') in page
    assert "ocr-low" not in page and "ocr-page low" not in page and "style=" not in page
    other = client.get(f"/doc/{plain.id}").get_data(as_text=True)
    assert NOTICE not in other and "ocr-notice" not in other and "识别置信度" not in other


@pytest.mark.ocr
def test_the_audit_api_and_page_give_the_pages_and_no_warning_for_a_clean_scan(client, scanned):
    _, doc, _, plain = scanned
    rows = {r["doc_id"]: r for r in client.get("/api/audit").get_json()["files"]}
    assert (rows[doc.id]["ocr"], rows[doc.id]["ocr_pages"]) == (
        True, [{"page": 1, "confidence": doc.ocr_pages[0].confidence}])
    assert "ocr_low_confidence" not in [w["kind"] for w in rows[doc.id]["warnings"]]
    assert (rows[plain.id]["ocr"], rows[plain.id]["ocr_pages"]) == (False, [])
    assert set(SPEC["components"]["schemas"]["FileAudit"]["required"]) == set(rows[doc.id]) - {"url"}
    page = client.get("/audit").get_data(as_text=True)
    shown = percent(doc.ocr_pages[0].confidence)
    assert (f'<span class="meta ocr-summary" data-ocr-pages="1">扫描件识别：'
            f'<span class="ocr-page" data-page="1">第1页 {shown}%</span></span>') in page
    assert page.count("扫描件识别：") == 1


@pytest.fixture
def strict(monkeypatch, scanned):
    """The threshold just above the scan's page: the page is low."""
    monkeypatch.setattr(audit_module, "OCR_LOW_CONFIDENCE", scanned[1].ocr_pages[0].confidence + 0.0001)
    monkeypatch.setattr(indexer, "OCR_LOW_CONFIDENCE", audit_module.OCR_LOW_CONFIDENCE)


@pytest.mark.ocr
def test_a_page_below_the_threshold_is_marked_low_and_warned_about(client, scanned, strict):
    _, doc, _, plain = scanned
    shown = percent(doc.ocr_pages[0].confidence)
    page = client.get(f"/doc/{doc.id}").get_data(as_text=True)
    assert (f'<li class="ocr-page low" data-page="1" data-confidence="{doc.ocr_pages[0].confidence}">'
            f'第1页 识别置信度 {shown}% <strong class="ocr-low">较低</strong></li>') in page
    data = client.get("/api/audit?warning=ocr_low_confidence").get_json()
    assert [(r["doc_id"], [w for w in r["warnings"] if w["kind"] == "ocr_low_confidence"]) for r in data["files"]] \
        == [(doc.id, [{"kind": "ocr_low_confidence", "detail": f"page 1 {shown}%",
                       "message": indexer.AUDIT_WARNINGS["ocr_low_confidence"] + f": page 1 {shown}%"}])]
    assert {"kind": "ocr_low_confidence", "message": indexer.AUDIT_WARNINGS["ocr_low_confidence"], "count": 1} \
        in data["totals"]["warnings"]
    audit_page = client.get("/audit?warning=ocr_low_confidence").get_data(as_text=True)
    assert f'<span class="ocr-page low" data-page="1">第1页 {shown}%（较低）</span>' in audit_page
    assert f'<li data-warning="ocr_low_confidence">扫描件识别置信度较低<span class="meta">（page 1 {shown}%）' \
        in audit_page


@pytest.mark.ocr
def test_minutes_audit_and_parse_print_the_pages_and_the_warning(scanned, strict):
    scan, doc, _, _ = scanned
    shown = percent(doc.ocr_pages[0].confidence)
    runner = CliRunner()  # the scan is read once (the module's fixture keeps what the recognizer read)
    data = json.loads(runner.invoke(cli, ["audit", str(scan), "--json"]).stdout)
    text = runner.invoke(cli, ["audit", str(scan)]).stdout
    parsed = runner.invoke(cli, ["parse", str(scan)]).stdout
    parsed_json = json.loads(runner.invoke(cli, ["parse", str(scan), "--json"]).stdout)
    row = data["files"][0]
    assert (row["ocr"], row["ocr_pages"]) == (True, [{"page": 1, "confidence": doc.ocr_pages[0].confidence}])
    assert "ocr_low_confidence" in [w["kind"] for w in row["warnings"]]
    assert f"    OCR        page 1 {shown}%\n" in text
    assert f"    warning    {indexer.AUDIT_WARNINGS['ocr_low_confidence']}: page 1 {shown}%\n" in text
    assert f"\nOCR: page 1 {shown}%\n" in parsed
    assert (parsed_json["ocr"], parsed_json["ocr_pages"]) == (
        True, [{"page": 1, "confidence": doc.ocr_pages[0].confidence}])
    plain = runner.invoke(cli, ["audit", str(MINUTES_2021_9)]).stdout
    assert "OCR" not in plain and "OCR" not in runner.invoke(cli, ["parse", str(MINUTES_2021_9)]).stdout



@pytest.mark.ocr
def test_an_uploaded_scan_shows_its_pages_and_warning_before_it_is_committed(scanned, strict, tmp_path):
    scan, doc, _, _ = scanned
    shown = percent(doc.ocr_pages[0].confidence)
    index = tmp_path / "ix"
    assert indexer.index_paths([MINUTES_2021_9], index).failed == ()
    add_users(index, editor1="editor")
    # Recognising a page takes seconds, many more on a loaded machine: this test is about what the
    # page shows, so the check's time limits (tests/ingest/test_upload_limits.py) are out of its way.
    app = create_app({"INDEX": str(index), "TESTING": True, "UPLOAD_PARSE_SECONDS": 600.0,
                      "UPLOAD_CHECK_SECONDS": 600.0})
    try:
        client = app.test_client()
        sign_in(client, "editor1")
        token = TOKEN.search(client.get("/upload").get_data(as_text=True)).group(1)
        staged = client.post("/upload", content_type="multipart/form-data", data={
            "csrf_token": token, "files": [(io.BytesIO(scan.read_bytes()), scan.name)]})
        assert staged.status_code == 303
        batch = staged.headers["Location"].rsplit("/", 1)[1]
        audit = client.get(f"/api/upload/{batch}").get_json()["files"][0]["audit"]
        page = client.get(f"/upload/{batch}").get_data(as_text=True)
    finally:
        app.extensions["minutes"].close()
    assert (audit["doc_id"], audit["ocr"], audit["ocr_pages"]) == (
        doc.id, True, [{"page": 1, "confidence": doc.ocr_pages[0].confidence}])
    assert [w["detail"] for w in audit["warnings"] if w["kind"] == "ocr_low_confidence"] == [f"page 1 {shown}%"]
    assert (f'<span class="meta ocr-summary" data-ocr-pages="1">扫描件识别：'
            f'<span class="ocr-page low" data-page="1">第1页 {shown}%（较低）</span></span>') in page
    assert '<li data-warning="ocr_low_confidence">扫描件识别置信度较低' in page
