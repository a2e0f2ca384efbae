"""Long batches: progress on standard error, failures named and summed up, and a run
stopped half-way (kill -9, Ctrl-C) that the next run finishes, each file indexed once."""
import io
import os
import re
import signal
import subprocess
import sys

import pytest
from PIL import Image
from pypdf import PdfWriter

import indexer
from indexer.read import ocr as formats_ocr
from indexer.store import lifecycle
from indexer.read.ocr import NEEDS_OCR

from .. import scan_gen, variants
from ..corpus_gen import write_minutes
from ..legacy_gen import ofd_document, word6, word97

pytestmark = pytest.mark.slow  # batches of 200 files through the command, in processes of their own
MINUTES_CLI = [sys.executable, "-c", "from minutes_cli import cli; cli()"]
# The CLI as a machine without the ocr extra runs it: the recognizer cannot be imported.
MINUTES_CLI_WITHOUT_OCR = [sys.executable, "-c", "import sys; sys.modules['rapidocr_onnxruntime'] = None; "
                                                 "from minutes_cli import cli; cli()"]


def _mixed_batch(folder):
    """200 files: 190 minutes as .txt, .doc, .wps, .ofd, .docx, .pdf, .html and (with the ocr
    extra) scans, as a TIFF and an image-only PDF, and 10 broken ones, with the reason each must
    be refused for."""
    paths = write_minutes(folder, 190)
    writers = [(".doc", word97), (".wps", word6), (".ofd", ofd_document), (".docx", variants.word_document)]
    for n, path in enumerate(paths[:40]):
        suffix, write = writers[n % len(writers)]
        path.with_suffix(suffix).write_bytes(write(path.read_text("utf-8")))
        path.unlink()
    for path in paths[40:42]:
        path.with_suffix(".pdf").write_bytes(variants.pdf_document(path.read_text("utf-8")))
        path.unlink()
    for path in paths[42:45]:
        path.with_suffix(".html").write_text(variants.web_page(path.read_text("utf-8"), path.stem), "utf-8")
        path.unlink()
    if formats_ocr.available():
        for path, kind in zip(paths[46:48], ("tif", "pdf")):
            pages = [scan_gen.render(page, 150, seed=n) for n, page in enumerate(scan_gen.layout(path.read_text("utf-8")))]
            path.with_suffix(f".{kind}").write_bytes(scan_gen.save(pages, kind, dpi=150))
            path.unlink()
    template = paths[45].read_text("utf-8")
    broken = {}
    for n in range(3):
        broken[folder / f"broken-{n}.doc"] = (word97(template)[:2000 + 700 * n],
                                              "damaged Word document (incomplete OLE sector)")
        broken[folder / f"broken-{n}.ofd"] = (ofd_document(template)[:300 * (n + 1)],
                                              "not a valid .ofd file (not a zip archive)")
    for n in range(2):
        empty = io.BytesIO()
        PdfWriter().write(empty)
        broken[folder / f"broken-{n}.pdf"] = (empty.getvalue(), "PDF has no pages")
        broken[folder / f"broken-{n}.png"] = (b"GIF89a not a png at all" * 4,
                                              "not an image file (not PNG, JPEG or TIFF)")
    for path, (data, _) in broken.items():
        path.write_bytes(data)
    return {str(path): reason for path, (_, reason) in broken.items()}


def test_a_mixed_batch_indexes_the_good_files_names_the_broken_ones_and_exits_1(tmp_path):
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    expected_failures = _mixed_batch(folder)
    result = subprocess.run([*MINUTES_CLI, "index", str(folder), "--index", str(index_dir)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "indexed 190, unchanged 0, failed 10\n"
    lines = result.stderr.splitlines()
    failed = dict(line.removeprefix("failed: ").rsplit(": ", 1) for line in lines if line.startswith("failed: "))
    assert failed == expected_failures
    assert lines[-1] == ("failed 10 files: 3 × damaged Word document; 3 × not a valid .ofd file; "
                         "2 × PDF has no pages; 2 × not an image file")
    # Not a terminal: plain progress lines, the first with the count, the last at 100%.
    progress = [line for line in lines if line.startswith("indexing:")]
    assert progress[0] == "indexing: 200 files"
    assert re.fullmatch(r"indexing: 200/200 files \(100%\), \d+\.\d files/s, ETA 0:00:00", progress[-1])
    shares = {int(m.group(1)) for line in progress if (m := re.search(r"\((\d+)%\)", line))}
    assert shares >= set(range(5, 101, 5))  # a line at every 5% (and more when a step takes over 10 s)
    with indexer.SearchIndex(index_dir) as ix:
        numbers = [h.doc_number for page in (1, 2, 3)
                   for h in ix.search(indexer.SearchRequest(q="其他事项", size=100, page=page)).hits]
    assert sorted(numbers) == sorted(f"〔2019〕{n}号" for n in range(1, 191))  # each once


def test_without_the_ocr_extra_a_scan_is_named_as_needing_it(tmp_path):
    folder = tmp_path / "docs"
    write_minutes(folder, 2)
    scan, pdf = folder / "scan.jpg", folder / "scan.pdf"
    Image.new("L", (200, 100), 255).save(scan, "JPEG")  # a real image: a broken one is "not a readable image"
    variants.pdf_without_text(pdf)
    result = subprocess.run([*MINUTES_CLI_WITHOUT_OCR, "index", str(folder), "--index", str(tmp_path / "ix")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert f"failed: {scan}: scanned image: {NEEDS_OCR}\n" in result.stderr
    assert f"failed: {pdf}: PDF has no text layer (a scan?): {NEEDS_OCR}\n" in result.stderr
    assert "indexed 2, unchanged 0, failed 2" in result.stdout


def _records(index_dir) -> int:
    with indexer.SearchIndex(index_dir) as ix:
        return ix.search(indexer.SearchRequest(q="", size=1)).total


def _oracle(tmp_path, folder) -> tuple[int, int]:
    """(documents, records) of the same files indexed in one uninterrupted run."""
    report = indexer.index_paths([folder], tmp_path / "oracle")
    return report.documents, _records(tmp_path / "oracle")


def test_kill_9_half_way_then_run_again_indexes_each_file_exactly_once(tmp_path):
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    paths = write_minutes(folder, 200)
    env = dict(os.environ, **{lifecycle.CRASH_ENV: "batch", indexer.ingest.indexing.COMMIT_EVERY_ENV: "50"})
    crashed = subprocess.run([*MINUTES_CLI, "index", str(folder), "--index", str(index_dir)],
                             capture_output=True, text=True, env=env, timeout=900)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr  # killed right after a commit, 100 files in
    report = indexer.index_paths([], index_dir)  # the recorded folder, as `minutes index` without PATHS
    # The 100 committed files are not read again; the other 100 are read once.
    assert report.unchanged == tuple(str(p) for p in paths[:100])
    assert report.indexed == tuple(str(p) for p in paths[100:])
    assert (report.failed, report.documents, _records(index_dir)) == ((), *_oracle(tmp_path, folder))


def test_ctrl_c_half_way_then_run_again_indexes_each_file_exactly_once(tmp_path):
    """SIGINT (what Ctrl-C sends) reaches the indexer paused at a named point (the test-only hook
    MINUTES_TEST_PAUSE_AT: a batch committed, half the files in), however loaded the machine is:
    it exits 130 saying so, and the next run reads only the files it had not committed."""
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    paths = write_minutes(folder, 200)
    env = dict(os.environ, **{lifecycle.PAUSE_ENV: "batch", indexer.ingest.indexing.COMMIT_EVERY_ENV: "20"})
    run = subprocess.Popen([*MINUTES_CLI, "index", str(folder), "--index", str(index_dir)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        before = []
        for line in run.stderr:
            if line == "paused at batch\n":
                run.send_signal(signal.SIGINT)
                break
            before.append(line)
        else:
            raise AssertionError(f"the run ended without pausing at batch: {''.join(before)[-2000:]}")
        stderr = run.communicate(timeout=300)[1]
        assert run.returncode == 130, stderr
    finally:
        run.kill()
        run.wait()
        run.stdout.close()
        run.stderr.close()
    assert stderr == ("\ninterrupted after 100 of 200 files; what was committed is kept: run the same "
                      "minutes index again to go on from there\n")
    report = indexer.index_paths([folder], index_dir)
    # The five batches committed before the interrupt are kept; the rest is read once.
    assert report.unchanged == tuple(str(p) for p in paths[:100])
    assert report.indexed == tuple(str(p) for p in paths[100:])
    assert (report.failed, report.documents, _records(index_dir)) == ((), *_oracle(tmp_path, folder))


def test_on_a_terminal_a_bar_shows_files_per_second_and_the_eta(tmp_path):
    import pty

    folder = tmp_path / "docs"
    write_minutes(folder, 30)
    main, sub = pty.openpty()
    run = subprocess.Popen([*MINUTES_CLI, "index", str(folder), "--index", str(tmp_path / "ix")],
                           stdout=subprocess.PIPE, stderr=sub, text=True, env=dict(os.environ, COLUMNS="120"))
    os.close(sub)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert run.wait(timeout=300) == 0
    assert run.stdout.read() == "indexed 30, unchanged 0, failed 0\n"
    run.stdout.close()
    screen = b"".join(chunks).decode()
    assert "indexing:" not in screen  # no plain lines on a terminal
    bar = r"indexing  \[#+-+\]  1\d/30   \d\d%  \d\d:\d\d:\d\d  \d+\.\d files/s  minutes-001\d\.txt"
    assert re.search(bar, screen), screen
