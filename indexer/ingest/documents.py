"""Files to documents: which files a folder holds, each read and parsed, with the visibility
``minutes index`` would give it; many files parsed in processes.

Every file is parsed on its own: one that fails becomes a :class:`~indexer.model.FileFailure`
naming it and the reason, and the rest go on.
"""
from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import ParseError
from ..model import Document, FileFailure
from ..parse import parse_file
from ..patterns import CJK
from ..read import IMAGE_SUFFIXES, MARKDOWN_SUFFIXES, SUPPORTED_SUFFIXES, ocr
from ..store import index_location, live_dir, segmenter, with_keywords
from ..visibility import Rules, decide
from .sources import Roots, absolute


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileFailure]]:
    """Files named, plus the supported files under folders named (recursively).

    A named file is always tried (and fails with a reason if unsupported); inside
    folders only supported types are picked, and Markdown only when it is a
    Chinese document (a law database's ``# 标题``), so READMEs, notes and
    manifests beside the documents are left alone.
    """
    files: list[Path] = []
    missing: list[FileFailure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
                and (p.suffix.lower() not in MARKDOWN_SUFFIXES or _chinese_markdown(p))
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileFailure(str(path), "no such file or folder"))
    return files, missing


def _chinese_markdown(path: Path) -> bool:
    """Whether a Markdown file's first non-blank line holds Chinese (a document, not a note)."""
    try:
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8", "ignore")
    except OSError:
        return True  # let parsing report why it cannot be read
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(re.search(f"[{CJK}]", first))


def read_document(path: str | Path) -> Document:
    """Parse a file and add what analysis derives (keywords)."""
    return with_keywords(parse_file(path))


OCR_CACHE = "ocr"  # under the index's cache/: what scans were read as (indexer.read.ocr)


def visibility_context(index_dir: str | Path | None = None) -> tuple[Rules, Roots]:
    """What decides visibility outside an indexing run (``minutes parse``, ``minutes audit``):
    the rules of the index folder ``index_dir`` and the source roots it records; without
    one, the built-in default (internal) and no roots. Raises VisibilityRulesError."""
    if index_dir is None:
        return Rules(), Roots()
    index_dir = index_location(index_dir)
    return Rules.load(index_dir), Roots.load(live_dir(index_dir))


def path_under_root(path: str | Path, given: str | Path, roots: Roots) -> str:
    """The path rules match a file by: under the recorded root that holds it, else under
    ``given`` (the file or folder named, which ``minutes index`` would record as its root)."""
    path, given = absolute(path), absolute(given)
    found = roots.find(path)
    if found is not None:
        return found.path
    return path.relative_to(given).as_posix() if given != path and path.is_relative_to(given) else path.name


def read_decided(path: str | Path, index_dir: str | Path | None = None) -> Document:
    """:func:`read_document` with the visibility ``minutes index`` would give it (see
    :func:`visibility_context`); raises :class:`~indexer.visibility.Classified` for a
    document marked 秘密/机密/绝密."""
    rules, roots = visibility_context(index_dir)
    doc = read_document(path)
    return decide(doc, path_under_root(path, path, roots), rules)


PARALLEL_PARSE_MIN = 64  # files; fewer are parsed (and, in an update, analysed) in this process


def parse_one(path: Path) -> Document | FileFailure:
    try:
        return read_document(path)
    except ParseError as e:
        return FileFailure(e.path, e.reason)  # plain data: crosses the process boundary


def parse_all(paths: list[Path], procs: int) -> Iterator[Document | FileFailure]:
    """Parsed documents (or why not) in the order of ``paths``; in ``procs`` processes
    when there are many (parsing and keywords are a quarter of indexing time), or when two or
    more are images to recognise (seconds a page each)."""
    images = sum(1 for path in paths if path.suffix.lower() in IMAGE_SUFFIXES)
    if procs <= 1 or (len(paths) < PARALLEL_PARSE_MIN and images < 2):
        yield from map(parse_one, paths)
        return
    segmenter.warm_up()  # the word tables are built once, here, and shared by the forked processes
    # Each process recognises scans on one thread: the processes share the cores (indexer.read.ocr).
    with ProcessPoolExecutor(procs, mp_context=multiprocessing.get_context("fork"),
                             initializer=ocr.use_threads, initargs=(1,)) as pool:
        yield from pool.map(parse_one, paths, chunksize=16)
