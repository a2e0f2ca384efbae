"""Committing an upload: a staged batch's files indexed into the live index and moved into
the uploads folder, each with the document it became (see :mod:`.uploads` for staging).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import IndexLocked
from ..read import ocr
from ..store import index_location, writer_lock
from ..visibility import Access
from .indexing import index_paths
from .uploads import (
    ADDED,
    CLASSIFIED,
    CLASSIFIED_REASON,
    COMMIT_TIMEOUT_S,
    DUPLICATE_REASON,
    FAILED,
    FILES,
    HIDDEN,
    HIDDEN_REASON,
    REPLACED,
    UNCHANGED,
    Batch,
    Refusal,
    _Held,
    _staging,
    commit_lock,
    copy_refusal,
    duplicate_refusal,
    files_dir,
    load,
)


@dataclass(frozen=True)
class CommittedDocument:
    name: str
    doc_id: str
    title: str
    doc_number: str
    visibility: str
    status: str  # ADDED, REPLACED or UNCHANGED
    previous_id: str  # the id the replaced file's document had ("" when new); the same for a numbered document


@dataclass(frozen=True)
class CommitResult:
    batch_id: str
    documents: tuple[CommittedDocument, ...]
    failed: tuple[Refusal, ...]
    generation: int  # the index's generation after the commit: a searcher at it or later sees the documents
    total_documents: int  # in the index after the commit


def commit(index_dir: str | Path | None, batch_id: str, owner: str, *, timeout: float = COMMIT_TIMEOUT_S,
           access: Access | None = None) -> CommitResult:
    """Move the batch's files into the uploads root and index them; the batch is gone after.
    On :class:`IndexLocked` (or any error of the index) nothing has changed and the batch stays.
    ``access`` as for :func:`stage`: a file whose name holds, by now, a document outside it
    is left out (reported as failed)."""
    index_dir = index_location(index_dir)
    deadline = time.monotonic() + timeout

    def left() -> float:
        return max(deadline - time.monotonic(), 0.0)

    with commit_lock(index_dir, timeout):
        batch = load(index_dir, batch_id, owner)
        folder = _staging(index_dir) / batch_id
        target = files_dir(index_dir)
        target.mkdir(parents=True, exist_ok=True)
        with _Held(index_dir) as held:
            current = {f.name: held.at_name(f.name) or {} for f in batch.files}
            rooted = bool(held.root)
        hidden = [name for name, record in current.items()
                  if record and access is not None and not access.allows(record.get("visibility", ""))]
        previous = {name: record.get("doc_id", "") for name, record in current.items()}
        moves = _Moves(folder, target, [f.name for f in batch.files if f.name not in hidden])
        try:
            with writer_lock(index_dir, left()):  # no writer sees half the batch moved in
                moves.apply()
            # Never no paths: index_paths would read every recorded source again.
            with ocr.apart():  # scans come from the OCR cache the check filled, else from a child
                report = index_paths(moves.placed() if rooted and moves.names else [target], index_dir,
                                     lock_timeout=left(), fast_segmenter=False)  # a few files: jieba alone
        except BaseException:
            moves.undo()
            raise
        result = _result(index_dir, batch, moves, report, previous, access)
        return replace(result, failed=(*result.failed, *(Refusal(name, HIDDEN, HIDDEN_REASON) for name in hidden)))


class _Moves:
    """The batch's files moved into the uploads root, the files they replace kept aside."""

    def __init__(self, folder: Path, target: Path, names: list[str]):
        self.folder, self.target, self.names = folder, target, names
        self.kept = folder / "replaced"
        self.replaced: set[str] = set()
        self.moved: list[str] = []

    def apply(self) -> None:
        self.kept.mkdir(exist_ok=True)
        for name in self.names:
            if (self.target / name).exists():
                os.replace(self.target / name, self.kept / name)
                self.replaced.add(name)
            os.replace(self.folder / FILES / name, self.target / name)
            self.moved.append(name)

    def placed(self) -> list[Path]:
        return [self.target / name for name in self.names]

    def undo(self, names: Iterable[str] | None = None) -> list[Path]:
        """Put files back where they were (all, or ``names``); the old files restored."""
        restored = []
        for name in self.names if names is None else names:
            if name in self.moved:
                os.replace(self.target / name, self.folder / FILES / name)
                self.moved.remove(name)
            if name in self.replaced:
                self.replaced.discard(name)
                os.replace(self.kept / name, self.target / name)
                restored.append(self.target / name)
        return restored


def _result(index_dir: Path, batch: Batch, moves: _Moves, report, previous: dict[str, str],
            access: Access | None) -> CommitResult:
    by_path = {str(p): p.name for p in moves.placed()}
    failed = [Refusal(by_path[f.path], CLASSIFIED if f.reason.startswith(CLASSIFIED_REASON) else FAILED, f.reason)
              for f in report.failed if f.path in by_path and not f.reason.startswith(DUPLICATE_REASON)]
    with _Held(index_dir) as held:  # a duplicate or copy the index found: said as staging says it
        failed += _clashes(held, batch, report, by_path, access)
    seen = {*report.indexed, *report.unchanged, *(f.path for f in report.failed), *(c.path for c in report.copies)}
    failed += [Refusal(name, FAILED, "not read by minutes index (a Markdown file must begin with Chinese text)")
               for path, name in by_path.items() if path not in seen]
    restored = moves.undo([r.name for r in failed])
    if restored:
        # A replaced file that failed (or turned out a copy) is back: index it again if its records went
        # (a busy writer leaves that to the next run, which finds the file changed).
        try:
            index_paths(restored, index_dir, lock_timeout=COMMIT_TIMEOUT_S, fast_segmenter=False)
        except IndexLocked:
            pass
    shutil.rmtree(moves.folder, ignore_errors=True)
    documents = []
    with _Held(index_dir) as held:
        read = {*report.indexed, *report.unchanged}
        for name in (name for path, name in by_path.items() if path in read):  # in the batch's order
            record = held.at_name(name) or {}
            status = UNCHANGED if str(moves.target / name) in report.unchanged else (
                REPLACED if name in moves.replaced else ADDED)
            documents.append(CommittedDocument(
                name, record.get("doc_id", ""), record.get("doc_title", ""), record.get("doc_number", ""),
                record.get("visibility", ""), status, previous.get(name, "")))
        generation = held.generation()
        total = report.documents if access is None or access.unrestricted else held.documents(access)
    return CommitResult(batch.id, tuple(documents), tuple(failed), generation, total)


def _clashes(held: _Held, batch: Batch, report, by_path: dict[str, str], access: Access | None) -> list[Refusal]:
    """The batch's files index_paths found to be another file's document (same number, else text) or
    bytes: named by where the other is, never by a server path; the hidden reason if the caller may
    not read it (nor its title, nor its file's name)."""
    audits = {f.name: f.audit for f in batch.files}
    refusals = []
    clashes = [*((f.path, "duplicate") for f in report.failed if f.reason.startswith(DUPLICATE_REASON)),
               *((c.path, "copy") for c in report.copies)]
    for path, kind in ((path, kind) for path, kind in clashes if path in by_path):
        name = by_path[path]
        if kind == "copy":
            owner = held.by_hash(hashlib.sha256(Path(path).read_bytes()).hexdigest())
        else:
            owner = held.by_id(audits[name].doc_id)
        if owner is None:  # gone since: nothing to name
            refusals.append(Refusal(name, FAILED, "a document of the same number or text is already indexed"))
        elif access is not None and not access.allows(owner.get("visibility", "")):
            refusals.append(Refusal(name, HIDDEN, HIDDEN_REASON))
        else:
            refusals.append(copy_refusal(held, name, owner) if kind == "copy"
                            else duplicate_refusal(held, name, audits[name], owner))
    return refusals
