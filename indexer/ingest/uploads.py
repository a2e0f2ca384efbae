"""Adding minutes from the browser: files staged in a batch, audited, then committed.

An upload goes through three steps, each a function here:

- :func:`stage` saves the files of one upload into a batch folder of their own
  (``<index>/uploads/.staging/<batch>/``, the batch id unguessable), refusing each
  file it cannot take with a reason (a name that leaves the folder, a type
  ``minutes index`` does not read, an empty or oversize file, a file that does
  not parse, the same bytes or the same document as one indexed from elsewhere),
  and audits the rest (:func:`indexer.audit_paths`, what ``minutes audit`` shows);
- :func:`commit` moves the batch's files into the uploads source root
  (``<index>/uploads/files/``, an ordinary source root of the index: ``minutes
  index --rebuild`` reads it again, ``minutes audit`` sees it) and indexes them
  through :func:`indexer.index_paths`, the one writer the command line uses too;
- :func:`discard` drops a batch; :func:`clean_staging` drops batches left for a day.

A file with the name of an uploaded one replaces it. The document keeps its id
when the id is the same (a numbered document: issuer and number, see
``indexer.parse.document``), so its links (``/doc/<id>``) keep working.

Commits run one at a time (``<index>/uploads/.commit.lock``), and each waits for
the writer lock before it moves any file, so a ``minutes index`` run never sees
half a batch; a writer busy past the timeout is :class:`IndexLocked`, and the
batch is left as it was, to be committed again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath

from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from .. import settings
from ..errors import MinutesError
from ..model import from_dict
from ..read import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from ..store import file_lock, index_location, live_dir
from ..visibility import Access
from .audit import AttendanceCounts, FileAudit, mark_duplicates
from .documents import collect_files, visibility_context
from .isolated import DEFAULT_LIMITS, CheckLimits, check_files
from .sources import Roots, absolute

UPLOADS, FILES, STAGING = "uploads", "files", ".staging"
BATCH_FILE = "batch.json"
MAX_FILES = settings.default("UPLOAD_MAX_FILES")  # per batch (50)
STAGING_MAX_AGE_S = 24 * 3600  # a batch neither committed nor discarded is dropped after this
# A folder without its batch file is a stage in progress (seconds, within gunicorn's timeout) or one
# whose worker was killed mid-way: dropped after this.
UNSAVED_MAX_AGE_S = 15 * 60
# Wait for other commits and the writer (15 s); within a web worker's timeout.
COMMIT_TIMEOUT_S = settings.default("UPLOAD_COMMIT_TIMEOUT")
MAX_SCAN_PAGES = DEFAULT_LIMITS.scan_pages  # scanned pages to recognise in one upload (6)
MAX_NAME_BYTES = 200
BATCH_ID = re.compile(r"[A-Za-z0-9_-]{22,64}")

# Why a file was refused or failed (the web app has a Chinese label for each kind).
BAD_NAME, UNSUPPORTED, EMPTY, TOO_LARGE, DUPLICATE_NAME, TOO_MANY = (
    "bad_name", "unsupported", "empty", "too_large", "duplicate_name", "too_many")
FAILED, CLASSIFIED, UNCHANGED, COPY, DUPLICATE, HIDDEN = (
    "failed", "classified", "unchanged", "copy", "duplicate", "hidden")
REFUSALS = (BAD_NAME, UNSUPPORTED, EMPTY, TOO_LARGE, DUPLICATE_NAME, TOO_MANY, FAILED, CLASSIFIED, UNCHANGED, COPY,
            DUPLICATE, HIDDEN)
# Said of a document the uploader may not read: nothing about it beyond that it exists (which the
# refusal cannot avoid saying: the id, number or bytes are taken).
HIDDEN_REASON = ("a document you may not read is indexed under this name, number or content; "
                 "ask an administrator")
CLASSIFIED_REASON = "classified ("  # how indexer.visibility.Classified's reason begins
DUPLICATE_REASON = "duplicate document: "  # how index_paths's failure of a duplicate begins
ADDED, REPLACED = "added", "replaced"


class BatchNotFound(MinutesError):
    """No such staging batch for this user: never staged, committed, discarded,
    expired, or someone else's (all read the same)."""

    def __init__(self, batch_id: str):
        super().__init__(f"no upload batch {batch_id!r} (committed, discarded, expired, or not yours)")
        self.batch_id = batch_id


@dataclass(frozen=True)
class Refusal:
    """A file not taken, or not indexed: its name, the kind of reason and the reason (English)."""

    name: str
    kind: str  # one of REFUSALS
    reason: str


@dataclass(frozen=True)
class StagedFile:
    name: str
    size: int
    replaces: str  # the id of the document an uploaded file of this name holds now; "" when new
    audit: FileAudit  # its path is the name


@dataclass(frozen=True)
class Batch:
    id: str
    owner: str
    created: float  # seconds since the epoch
    files: tuple[StagedFile, ...]
    refused: tuple[Refusal, ...]


def uploads_dir(index_dir: str | Path | None) -> Path:
    return index_location(index_dir) / UPLOADS


def files_dir(index_dir: str | Path | None) -> Path:
    """The uploads source root: where committed files are kept."""
    return uploads_dir(index_dir) / FILES


def _staging(index_dir: Path) -> Path:
    return uploads_dir(index_dir) / STAGING


def check_name(name: str) -> str | None:
    """Why a file name cannot be used as is (None when it can): a bare name that
    stays inside the folder, of a type ``minutes index`` reads."""
    if "/" in name or "\\" in name:
        return f"{name!r} names a folder; upload the file itself"
    if not name or name != name.strip() or name.startswith("."):  # "." and ".." too
        return f"{name!r} is not a usable file name"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return f"{name!r} contains control characters"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"name longer than {MAX_NAME_BYTES} bytes"
    return None


def _suffix_ok(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUPPORTED_SUFFIXES


def stage(index_dir: str | Path | None, owner: str, files: Iterable[tuple[str, bytes]], *,
          max_file_bytes: int = MAX_FILE_BYTES, max_files: int = MAX_FILES, max_scan_pages: int = MAX_SCAN_PAGES,
          access: Access | None = None, limits: CheckLimits = DEFAULT_LIMITS) -> Batch:
    """Save ``files`` (name and bytes) into a new batch of ``owner``'s and audit them.
    Every file is either staged (with its audit) or refused with its reason; a batch
    may end up with no file at all (it is then dropped at once). ``access``: what the
    uploader may read (None: everything); a file that would replace or collide with a
    document outside it is refused without naming that document. The files are read in a
    child process within ``limits`` of time and memory (:mod:`.isolated`); whatever happens,
    a batch not saved leaves nothing behind."""
    index_dir = index_location(index_dir)
    clean_staging(index_dir)
    visibility_context(index_dir)  # a malformed visibility.toml stops the upload here, before any file is read
    batch_id = secrets.token_urlsafe(24)
    folder = _staging(index_dir) / batch_id
    (folder / FILES).mkdir(parents=True)
    try:
        batch = _stage(index_dir, folder, owner, files, max_file_bytes, max_files, access,
                       replace(limits, scan_pages=max_scan_pages))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not batch.files:
        shutil.rmtree(folder, ignore_errors=True)
    return batch


def _stage(index_dir: Path, folder: Path, owner: str, files: Iterable[tuple[str, bytes]], max_file_bytes: int,
           max_files: int, access: Access | None, limits: CheckLimits) -> Batch:
    refused: list[Refusal] = []
    kept: dict[str, int] = {}
    for raw_name, data in files:
        name = unicodedata.normalize("NFC", raw_name or "")
        why = check_name(name)
        if why:
            refused.append(Refusal(raw_name, BAD_NAME, why))
        elif not _suffix_ok(name):
            refused.append(Refusal(name, UNSUPPORTED, f"{PurePosixPath(name).suffix or 'no extension'} is not read; "
                                                      f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"))
        elif not data:
            refused.append(Refusal(name, EMPTY, "the file is empty"))
        elif len(data) > max_file_bytes:
            refused.append(Refusal(name, TOO_LARGE, f"{_mb(len(data))} is over the limit of {_mb(max_file_bytes)}"))
        elif name in kept:
            refused.append(Refusal(name, DUPLICATE_NAME, "another file of this upload has the same name"))
        elif len(kept) >= max_files:
            refused.append(Refusal(name, TOO_MANY, f"more than {max_files} files in one upload"))
        else:
            (folder / FILES / name).write_bytes(data)
            kept[name] = len(data)
    staged, more = _audited(index_dir, folder, kept, access, limits)
    batch = Batch(folder.name, owner, time.time(), staged, (*refused, *more))
    if staged:
        _save(folder, batch)
    return batch


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _audited(index_dir: Path, folder: Path, sizes: dict[str, int], access: Access | None,
             limits: CheckLimits) -> tuple[tuple[StagedFile, ...], list[Refusal]]:
    """The staged files' audits, and the files refused on what they hold or what reading them
    would cost (deleted from the batch)."""
    if not sizes:
        return (), []
    paths = [folder / FILES / name for name in sizes]
    # What minutes index reads in a folder (a rebuild reads the uploads root so): not a Markdown
    # note whose first line is not Chinese. A file it would skip there must not be indexed here.
    read, _ = collect_files([folder / FILES])
    skipped = [p for p in paths if p not in set(read)]
    for path in skipped:
        path.unlink()
    paths = [p for p in paths if p not in skipped]
    refused = [Refusal(p.name, UNSUPPORTED, "a Markdown file is read only when its first line is Chinese "
                                            "(minutes index leaves notes and READMEs alone)") for p in skipped]
    # Visibility as the commit will decide it: this index's rules, the file's name as its path under the root.
    checked = check_files(paths, index_dir, limits)
    for path, c in zip(paths, checked):
        if c.refused:
            refused.append(Refusal(path.name, TOO_LARGE, c.refused))
            path.unlink()
    by_path = {f.path: f for f in mark_duplicates([c.audit for c in checked if c.audit is not None])}
    paths = [p for p in paths if str(p) in by_path]
    staged = []
    with _Held(index_dir) as held:
        for path in paths:
            audit = by_path[str(path)]
            # Named by their names: the staging folder stays out of the page (a duplicate's message names it).
            audit = replace(audit, path=path.name, failure=audit.failure.replace(f"{folder / FILES}/", ""))
            why = _refusal(held, path, audit, access)
            if why:
                refused.append(why)
                path.unlink()
                continue
            current = held.at_name(path.name)
            staged.append(StagedFile(path.name, sizes[path.name], current["doc_id"] if current else "", audit))
    return tuple(staged), refused


def _refusal(held: _Held, path: Path, audit: FileAudit, access: Access | None) -> Refusal | None:
    """Why a staged file cannot be committed, from what it parsed into and what the index holds."""
    name = path.name
    if not audit.ok:
        return Refusal(name, CLASSIFIED if audit.failure.startswith(CLASSIFIED_REASON) else FAILED, audit.failure)
    same_bytes = held.by_hash(hashlib.sha256(path.read_bytes()).hexdigest())
    related = (held.at_name(name), same_bytes, held.by_id(audit.doc_id))
    if access is not None and any(r and not access.allows(r.get("visibility", "")) for r in related):
        return Refusal(name, HIDDEN, HIDDEN_REASON)
    if same_bytes and held.is_upload(same_bytes) and same_bytes["source"] == name:
        return Refusal(name, UNCHANGED, "the same file is already indexed under this name")
    if same_bytes:
        return copy_refusal(held, name, same_bytes)
    owner = held.by_id(audit.doc_id)
    if owner and not (held.is_upload(owner) and owner["source"] == name):
        return duplicate_refusal(held, name, audit, owner)
    return None


def copy_refusal(held: _Held, name: str, same_bytes: dict) -> Refusal:
    """A file whose bytes are indexed already: the document and where, never a server path."""
    return Refusal(name, COPY, f"the same bytes are already indexed as document {same_bytes['doc_id']}"
                               f" ({held.where(same_bytes)})")


def duplicate_refusal(held: _Held, name: str, audit: FileAudit, owner: dict) -> Refusal:
    """A file whose document (by number, else text) is indexed from another file: never a server path."""
    hint = (f"upload it as {owner['source']} to replace it" if held.is_upload(owner)
            else "replace the file in that folder and run minutes index")
    return Refusal(name, DUPLICATE, f"document {audit.doc_id} ({audit.doc_number or 'same text'}) is already "
                                    f"indexed from {held.where(owner)}; {hint}")


class _Held:
    """What the live index holds, looked up by file, content hash and document id
    (an empty index, or none yet, holds nothing)."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self.root = ""
        self._searcher = None
        live = live_dir(index_dir)
        try:
            if not whoosh_index.exists_in(str(live)):
                return
            self._searcher = whoosh_index.open_dir(str(live)).searcher()
        except Exception:  # noqa: BLE001 - an unreadable index holds nothing we can compare; the commit reports why
            return
        uploads = absolute(files_dir(index_dir))
        roots = Roots.load(live)
        self.root = next((r for r in roots.ids() if roots.path(r) == uploads), "")

    def __enter__(self) -> _Held:
        return self

    def __exit__(self, *exc) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def generation(self) -> int:
        """The generation of the index this was opened on (-1: none)."""
        return self._searcher.reader().generation() if self._searcher is not None else -1

    def documents(self, access: Access) -> int:
        """How many documents ``access`` may read (a document's records share its label)."""
        if self._searcher is None:
            return 0
        readable = set(self._searcher.docs_for_query(Or([Term("visibility", label) for label in access.labels])))
        reader = self._searcher.reader()
        return sum(1 for doc_id in self._searcher.lexicon("doc_id")
                   if any(n in readable for n in reader.postings("doc_id", doc_id).all_ids()))

    def _first(self, **term) -> dict | None:
        return self._searcher.document(**term) if self._searcher is not None else None

    def at_name(self, name: str) -> dict | None:
        return self._first(file=f"{self.root}:{name}") if self.root else None

    def by_hash(self, digest: str) -> dict | None:
        return self._first(content_hash=digest)

    def by_id(self, doc_id: str) -> dict | None:
        return self._first(doc_id=doc_id) if doc_id else None

    def is_upload(self, record: dict) -> bool:
        return bool(self.root) and record.get("root") == self.root

    def where(self, record: dict) -> str:
        return f"uploaded file {record['source']}" if self.is_upload(record) else "the archive folders"


def _save(folder: Path, batch: Batch) -> None:
    data = {
        "id": batch.id, "owner": batch.owner, "created": batch.created,
        "files": [{"name": f.name, "size": f.size, "replaces": f.replaces, "audit": asdict(f.audit)}
                  for f in batch.files],
        "refused": [{"name": r.name, "kind": r.kind, "reason": r.reason} for r in batch.refused],
    }
    scratch = folder / (BATCH_FILE + ".tmp")
    scratch.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(scratch, folder / BATCH_FILE)


def _audit_from(data: dict) -> FileAudit:
    attendance = data.get("attendance")
    audit = from_dict(FileAudit, {**data, "attendance": None})
    return replace(audit, attendance=from_dict(AttendanceCounts, attendance) if attendance else None)


def load(index_dir: str | Path | None, batch_id: str, owner: str) -> Batch:
    """``owner``'s staged batch; :class:`BatchNotFound` for any other."""
    index_dir = index_location(index_dir)
    if not BATCH_ID.fullmatch(batch_id or ""):
        raise BatchNotFound(batch_id)
    try:
        data = json.loads((_staging(index_dir) / batch_id / BATCH_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        raise BatchNotFound(batch_id) from None
    if data.get("owner") != owner or time.time() - data.get("created", 0) > STAGING_MAX_AGE_S:
        raise BatchNotFound(batch_id)
    return Batch(
        data["id"], data["owner"], data["created"],
        tuple(StagedFile(f["name"], f["size"], f["replaces"], _audit_from(f["audit"])) for f in data["files"]),
        tuple(Refusal(r["name"], r["kind"], r["reason"]) for r in data["refused"]),
    )


def discard(index_dir: str | Path | None, batch_id: str, owner: str) -> None:
    index_dir = index_location(index_dir)
    with commit_lock(index_dir, COMMIT_TIMEOUT_S):  # not while it is being committed
        load(index_dir, batch_id, owner)
        shutil.rmtree(_staging(index_dir) / batch_id, ignore_errors=True)


def clean_staging(index_dir: str | Path | None, max_age: float = STAGING_MAX_AGE_S) -> list[str]:
    """Drop batches staged more than ``max_age`` seconds ago, and folders never saved as a batch
    left for :data:`UNSAVED_MAX_AGE_S` (their worker was killed); their ids."""
    staging = _staging(index_location(index_dir))
    dropped = []
    if not staging.is_dir():
        return dropped
    now = time.time()
    for folder in staging.iterdir():
        saved = (folder / BATCH_FILE).exists()
        try:
            age = now - (folder / BATCH_FILE if saved else folder).stat().st_mtime
        except OSError:
            continue
        if age > (max_age if saved else min(max_age, UNSAVED_MAX_AGE_S)):
            shutil.rmtree(folder, ignore_errors=True)
            dropped.append(folder.name)
    return dropped


@contextmanager
def commit_lock(index_dir: Path, timeout: float) -> Iterator[None]:
    """One commit (or discard) at a time, across processes; IndexLocked after ``timeout`` s."""
    uploads_dir(index_dir).mkdir(parents=True, exist_ok=True)
    with file_lock(uploads_dir(index_dir) / ".commit.lock", timeout, index_dir):
        yield
