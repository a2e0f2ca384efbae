"""Uploads made to exhaust a web worker (issue 26, items 4, 5 and 9): each file refused with
its reason and the rest of the batch staged; files read in a child process within limits of
time and memory; nothing left in staging."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import requests

import indexer
from indexer.ingest import uploads

from .. import hostile_gen
from ..conftest import MINUTES_2021_9, start_gunicorn
from .test_uploads import add_users, web_sign_in

TEMPLATE = MINUTES_2021_9.read_text("utf-8")


def minutes(n: int) -> bytes:
    return TEMPLATE.replace("〔2021〕9号", f"〔2019〕{n}号").replace("第128次", f"第{1000 + n}次").encode()


@pytest.fixture
def index(index_dir, tmp_path) -> Path:
    path = tmp_path / "ix"
    shutil.copytree(index_dir, path)
    return path


def staging(index: Path) -> list[str]:
    folder = index / "uploads" / ".staging"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.slow
def test_each_hostile_file_of_an_upload_is_refused_with_its_reason_and_the_rest_is_staged(index):
    batch = indexer.stage_upload(index, "editor1", [
        ("lying.docx", hostile_gen.lying_docx()),
        *[(f"empty-{n}.docx", hostile_gen.many_elements_docx(6_800_000)) for n in range(3)],
        ("huge-page.pdf", hostile_gen.huge_page_pdf(7200)),
        ("pages.pdf", hostile_gen.many_pages_pdf(20_000)),
        ("good.txt", minutes(960)),
    ])
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("lying.docx", "failed", "not a valid .docx file (word/document.xml: Bad CRC-32 for file 'word/document.xml')"),
        *[(f"empty-{n}.docx", "failed", ("not a valid .docx file (word/document.xml has 6800003 XML elements, "
                                        "over the limit of 1000000)")) for n in range(3)],
        ("huge-page.pdf", "failed", ("PDF page too large to render for OCR (page 1, 7200 × 7200 pt: "
                                    "400000000 pixels at 200 dpi, over the limit of 89478485)")),
        ("pages.pdf", "failed", "PDF has 20000 pages, over the limit of 1000"),
    ]
    assert [f.name for f in batch.files] == ["good.txt"]
    assert staging(index) == [batch.id]
    assert sorted(p.name for p in (index / "uploads" / ".staging" / batch.id / "files").iterdir()) == ["good.txt"]


def test_an_image_of_too_many_pixels_is_refused_by_name_through_the_upload(index):
    pytest.importorskip("PIL", reason="Pillow (the ocr extra) reads image headers")
    batch = indexer.stage_upload(index, "editor1", [("huge.png", hostile_gen.huge_png(20_000))])
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("huge.png", "failed", ("image is 400000000 pixels, over the limit of 89478485 pixels "
                               "(refused unread: a decompression bomb?)"))]
    assert batch.files == () and staging(index) == []


@pytest.mark.slow
def test_a_file_that_reads_past_its_time_is_refused_and_the_files_after_it_are_read(index, monkeypatch):
    # Six million elements let through (the child reads this environment): seconds of parsing.
    monkeypatch.setenv("MINUTES_READ_MAX_XML_ELEMENTS", "10000000")
    batch = indexer.stage_upload(index, "editor1", [
        ("first.txt", minutes(961)),
        ("slow.docx", hostile_gen.many_elements_docx(6_800_000)),
        ("after.txt", minutes(962)),
    ], limits=indexer.UploadCheckLimits(seconds=1.0))
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("slow.docx", "too_large", ("reading it took longer than 1 s, the most reading one uploaded file may take; "
                                   "minutes index reads it without this limit"))]
    assert [f.name for f in batch.files] == ["first.txt", "after.txt"]
    assert staging(index) == [batch.id]


@pytest.mark.slow
def test_files_not_reached_within_the_uploads_time_are_refused_to_be_sent_again(index, monkeypatch):
    monkeypatch.setenv("MINUTES_READ_MAX_XML_ELEMENTS", "10000000")
    batch = indexer.stage_upload(index, "editor1", [
        ("slow.docx", hostile_gen.many_elements_docx(6_800_000)),
        ("later.txt", minutes(963)),
    ], limits=indexer.UploadCheckLimits(seconds=60.0, total_seconds=1.0))
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("slow.docx", "too_large", ("reading it took longer than the 1 s this upload's files may take together; "
                                   "minutes index reads it without this limit")),
        ("later.txt", "too_large", ("not read: checking this upload's files took the 1 s it may; upload it again "
                                   "on its own")),
    ]
    assert batch.files == () and staging(index) == []


def test_a_file_that_needs_more_memory_than_allowed_is_refused_and_the_next_is_read(index):
    batch = indexer.stage_upload(index, "editor1", [
        ("heavy.docx", hostile_gen.many_elements_docx(900_000)),  # a tree of about 100 MB
        ("light.txt", minutes(964)),
    ], limits=indexer.UploadCheckLimits(memory=32 * 1024 * 1024))
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("heavy.docx", "too_large", "reading it needs more than 32 MB of memory, the most an uploaded file may use")]
    assert [f.name for f in batch.files] == ["light.txt"]


def test_a_staging_folder_whose_worker_was_killed_is_dropped_after_a_while(index):
    kept = indexer.stage_upload(index, "editor1", [("kept.txt", minutes(965))])
    orphan = index / "uploads" / ".staging" / "killed-mid-way-0123456789"
    (orphan / "files").mkdir(parents=True)
    (orphan / "files" / "a.docx").write_bytes(b"PK")
    recent = index / "uploads" / ".staging" / "still-being-staged-0123456"
    recent.mkdir()
    old = time.time() - uploads.UNSAVED_MAX_AGE_S - 60
    os.utime(orphan, (old, old))
    assert indexer.clean_uploads(index) == [orphan.name]
    assert staging(index) == sorted([kept.id, recent.name])


# --- through real gunicorn -----------------------------------------------------------------

def workers(master: int) -> list[int]:
    """gunicorn's worker processes (the master's children)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.slow
@pytest.mark.serving
def test_hostile_uploads_are_refused_by_a_worker_that_keeps_serving_and_keeps_its_memory(index, tmp_path):
    add_users(index, editor1="editor")
    hostile = [("lying.docx", hostile_gen.lying_docx()),
               *[(f"empty-{n}.docx", hostile_gen.many_elements_docx(6_800_000)) for n in range(3)],
               ("huge-page.pdf", hostile_gen.huge_page_pdf(7200)), ("pages.pdf", hostile_gen.many_pages_pdf(20_000)),
               ("huge.png", hostile_gen.huge_png(20_000))]
    proc, base = start_gunicorn(index, tmp_path / "gunicorn.log", {"MINUTES_WORKERS": "1"})
    try:
        (worker,) = workers(proc.pid)
        session = requests.Session()
        token = web_sign_in(session, base, "editor1")
        answers = []
        for _ in range(2):  # the second upload reuses the worker's fork server
            started = time.perf_counter()
            response = session.post(base + "/api/upload", headers={"X-CSRFToken": token}, timeout=120,
                                    files=[("files", (name, data)) for name, data in hostile])
            answers.append((response, time.perf_counter() - started))
        searched = session.get(base + "/api/search", params={"q": "电梯"}, timeout=30)
        memory = resident_mb(worker)
        assert workers(proc.pid) == [worker]  # the same worker: never killed
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\nhostile uploads: " + ", ".join(f"{seconds:.1f} s" for _, seconds in answers)
          + f"; worker resident after: {memory:.0f} MB")
    for response, _ in answers:
        assert response.status_code == 400, response.text
        assert sorted(r["name"] for r in response.json()["refused"]) == sorted(name for name, _ in hostile)
        assert response.json()["files"] == []
    assert searched.status_code == 200 and searched.json()["total"] > 0
    assert memory < 300
    assert staging(index) == []
