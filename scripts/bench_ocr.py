"""OCR on this machine: pages per second and character error rates. Prints figures; asserts nothing.

The bundled samples' texts are drawn as scanned A4 pages (``tests/scan_gen.py``: GB/T 9704
layout, a Chinese font) and read back through ``indexer.read.files.read_file``, exactly as
``minutes index`` reads a scan:

- TIFF scans at 150 and 300 dpi, one process (the recognizer on every core); character error
  rates as indexed (both texts normalized as the index normalizes them) and character for character;
- image-only PDFs, whose pages ``indexer.read.ocr`` renders at ``PDF_DPI``, tried at several
  resolutions: what the choice of ``PDF_DPI`` rests on;
- the 300-dpi scans in two processes of one thread each, as ``minutes index`` reads a batch, against
  two processes each on every core (``MINUTES_OCR_THREADS``);
- the recognizer's load (first page in a new process, minus a page's time).

    scripts/bench --only ocr        # just this (a few minutes)
    .venv/bin/python scripts/bench_ocr.py
"""
from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.read import files as formats, ocr as formats_ocr  # noqa: E402
from tests import scan_gen  # noqa: E402

SAMPLES = sorted((ROOT / "samples" / "corpus").glob("*.txt"))
PDF_DPIS = (100, 150, 200, 300)


def _texts() -> list[tuple[str, str]]:
    return [(path.stem, formats.decode(path.read_bytes(), str(path))) for path in SAMPLES]


def _draw(folder: Path, dpi: int, kind: str) -> list[tuple[Path, str, int]]:
    """Each sample as a scan: (file, the text drawn, pages)."""
    made = []
    for name, text in _texts():
        pages = scan_gen.layout(text)
        images = [scan_gen.render(page, dpi, seed=n) for n, page in enumerate(pages)]
        path = folder / f"{name}-{dpi}.{kind}"
        path.write_bytes(scan_gen.save(images, kind, dpi=dpi))
        made.append((path, scan_gen.truth(pages), len(pages)))
    return made


def _read(path: Path) -> tuple[str, float]:
    start = time.perf_counter()
    text = formats.read_file(path).text
    return text, time.perf_counter() - start


def _run(scans) -> dict:
    pages = sum(n for _, _, n in scans)
    start = time.perf_counter()
    read = [(truth, _read(path)[0]) for path, truth, _ in scans]
    seconds = time.perf_counter() - start
    rates = [scan_gen.cer(truth, text) for truth, text in read]
    strict = [scan_gen.cer(truth, text, as_indexed=False) for truth, text in read]
    return {"pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 3),
            "cer_mean": round(statistics.mean(rates), 5), "cer_max": round(max(rates), 5),
            "cer_strict_mean": round(statistics.mean(strict), 5)}


def _set_threads(threads: str) -> None:
    os.environ[formats_ocr.THREADS_ENV] = threads


def _pool(scans, threads: str) -> dict:
    """Two fresh processes (spawned: each loads its own recognizer with ``threads``)."""
    pages = sum(n for _, _, n in scans)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context, initializer=_set_threads, initargs=(threads,)) as pool:
        list(pool.map(_warm, range(2)))  # load the recognizers before the clock starts
        start = time.perf_counter()
        list(pool.map(_read, [path for path, _, _ in scans]))
        seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 3)}


def _warm(_):
    from PIL import Image

    formats_ocr.recognise(Image.new("L", (200, 100), 255))
    time.sleep(0.5)  # so that each of the two workers gets one


def _load_seconds(scan: Path) -> float:
    """A new process's first page minus the same page again: the recognizer's load."""
    code = ("import sys, time; sys.path.insert(0, %r); from pathlib import Path; from indexer.read import files; p = Path(%r)\n"
            "t = time.perf_counter(); files.read_file(p); a = time.perf_counter() - t\n"
            "t = time.perf_counter(); files.read_file(p); b = time.perf_counter() - t\n"
            "print(a - b)") % (str(ROOT), str(scan))
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return round(float(out.strip().splitlines()[-1]), 2)


def bench_ocr() -> dict:
    if not formats_ocr.available():
        return {"skipped": "the ocr extra is not installed (pip install -e '.[ocr]')"}
    if scan_gen.chinese_font() is None:
        return {"skipped": "no Chinese font to draw scans with (fonts-wqy-microhei)"}
    figures: dict = {"font": Path(scan_gen.chinese_font()).name, "samples": len(SAMPLES)}
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        folder = Path(tmp)
        _warm(None)  # the recognizer loaded before any clock starts
        for dpi in (150, 300):
            figures[f"tiff_{dpi}dpi"] = _run(_draw(folder, dpi, "tif"))
        pdfs = _draw(folder, 300, "pdf")
        default = formats_ocr.PDF_DPI
        try:
            for dpi in PDF_DPIS:
                formats_ocr.PDF_DPI = dpi
                figures[f"pdf_rendered_at_{dpi}dpi"] = _run(pdfs)
        finally:
            formats_ocr.PDF_DPI = default
        figures["pdf_dpi"] = default
        tiffs = _draw(folder, 300, "tif")
        figures["two_processes_1_thread"] = _pool(tiffs, "1")
        figures["two_processes_all_threads"] = _pool(tiffs, "0")
        figures["load_seconds"] = _load_seconds(tiffs[0][0])
    return figures


def print_ocr(figures: dict) -> None:
    print("\nOCR (samples drawn as scanned A4 pages; read back as `minutes index` reads them):")
    if "skipped" in figures:
        print(f"  skipped: {figures['skipped']}")
        return
    print(f"  {figures['samples']} samples, font {figures['font']}; recognizer load {figures['load_seconds']} s "
          "per process")
    for key, label in [("tiff_150dpi", "TIFF 150 dpi, 1 process"), ("tiff_300dpi", "TIFF 300 dpi, 1 process")] + [
            (f"pdf_rendered_at_{d}dpi", f"PDF rendered at {d} dpi" + (" (PDF_DPI)" if d == figures["pdf_dpi"] else ""))
            for d in PDF_DPIS]:
        f = figures[key]
        print(f"  {label:<34}{f['pages']:>4} pages {f['pages_per_s']:>6.2f} pages/s   "
              f"CER as indexed: mean {f['cer_mean']:.2%} max {f['cer_max']:.2%}; "
              f"character for character: mean {f['cer_strict_mean']:.2%}")
    for key, label in [("two_processes_1_thread", "TIFF 300 dpi, 2 processes × 1 thread"),
                       ("two_processes_all_threads", "TIFF 300 dpi, 2 processes × all cores")]:
        f = figures[key]
        print(f"  {label:<38}{f['pages']:>4} pages {f['pages_per_s']:>6.2f} pages/s")


if __name__ == "__main__":
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print_ocr(bench_ocr())
