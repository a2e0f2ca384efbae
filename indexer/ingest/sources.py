"""Which files an index holds and where they are: source roots and paths under them.

A *source root* is a folder (or a single file) given to ``minutes index``. The index
records its roots in ``minutes-sources.json`` inside ``live/`` (an id for each root,
and the root's absolute path today); each record stores its root's id (``root``) and
its file's path under the root (``source``, with ``/``). A file is known by that
place and by its content hash, never by its absolute path alone, so:

- the same bytes found under another root are a copy of a document already indexed:
  reported and left alone, not indexed twice nor refused as duplicates;
- when a root's folder is gone and a folder given to ``minutes index`` holds its files
  (the same bytes at the same paths under it), the archive has moved: the root is
  re-linked to the new place, and its documents stay without being read again;
- a rebuild re-reads every recorded root, so it never drops documents it was not told
  to drop.

Indexes of schema 11 and older stored each file's absolute path and no roots; their
documents read here with the root ``""`` and that path, so a rebuild can find them.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Copy, FileFailure, Moved
from ..store import Location

SOURCES_FILE = "minutes-sources.json"
LEGACY_ROOT = ""  # documents of an older index: their path is absolute


@dataclass(frozen=True)
class Indexed:
    """A document as the index holds it."""

    doc_id: str
    location: Location
    content_hash: str


class Roots:
    """The recorded roots: id → absolute path, and whether the root is a single file."""

    def __init__(self, roots: dict[str, dict] | None = None):
        self._roots: dict[str, dict] = {k: dict(v) for k, v in (roots or {}).items()}

    @classmethod
    def load(cls, data_dir: Path) -> Roots:
        try:
            data = json.loads((Path(data_dir) / SOURCES_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls({str(k): {"path": str(v["path"]), "file": bool(v.get("file"))}
                    for k, v in data.get("roots", {}).items()})

    def save(self, data_dir: Path) -> None:
        """Written whole to a scratch file and renamed over the old one."""
        path = Path(data_dir) / SOURCES_FILE
        scratch = path.with_suffix(".tmp")
        scratch.write_text(json.dumps({"roots": self._roots}, ensure_ascii=False, indent=2) + "\n", "utf-8")
        os.replace(scratch, path)

    def copy(self) -> Roots:
        return Roots(self._roots)

    def __eq__(self, other) -> bool:
        return isinstance(other, Roots) and self._roots == other._roots

    def ids(self) -> list[str]:
        return list(self._roots)

    def path(self, root: str) -> Path:
        return Path(self._roots[root]["path"])

    def is_file(self, root: str) -> bool:
        return self._roots[root]["file"]

    def file(self, location: Location) -> Path:
        """The file's absolute path today."""
        if location.root == LEGACY_ROOT or location.root not in self._roots:
            return Path(location.path)
        root = self.path(location.root)
        return root if self.is_file(location.root) else root / location.path

    def find(self, path: Path) -> Location | None:
        """The place of a file (absolute, resolved) under the deepest recorded root holding it."""
        best: tuple[int, Location] | None = None
        for root, entry in self._roots.items():
            base = Path(entry["path"])
            if entry["file"]:
                found = Location(root, path.name) if path == base else None
            else:
                found = Location(root, path.relative_to(base).as_posix()) if path.is_relative_to(base) else None
            if found and (best is None or len(base.parts) > best[0]):
                best = (len(base.parts), found)
        return best[1] if best else None

    def covers(self, path: Path) -> bool:
        """Whether a path given to ``minutes index`` lies within a recorded root."""
        return self.find(path) is not None

    def add(self, path: Path, *, is_file: bool) -> str:
        root = str(max((int(k) for k in self._roots if k.isdigit()), default=0) + 1)
        self._roots[root] = {"path": str(path), "file": is_file}
        return root

    def relink(self, root: str, path: Path) -> None:
        self._roots[root]["path"] = str(path)

    def keep_only(self, roots: Iterable[str]) -> None:
        """Forget roots no document comes from."""
        wanted = set(roots)
        self._roots = {k: v for k, v in self._roots.items() if k in wanted}


def indexed_documents(searcher) -> tuple[dict[str, Indexed], int]:
    """The documents an open index holds, by id, and its number of records."""
    docs: dict[str, Indexed] = {}
    records = 0
    for stored in searcher.all_stored_fields():
        records += 1
        if stored["doc_id"] not in docs:
            location = Location(stored.get("root", LEGACY_ROOT), stored["source"])
            docs[stored["doc_id"]] = Indexed(stored["doc_id"], location, stored["content_hash"])
    return docs, records


def absolute(path: str | Path) -> Path:
    """A path made absolute and normalized, without resolving symbolic links: a file
    keeps the place it was found at under its root."""
    return Path(os.path.abspath(path))


def digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # parsing will report why


@dataclass(frozen=True)
class Found:
    """A file to read: its absolute path, its place under a root, its content hash."""

    path: Path
    location: Location
    digest: str


@dataclass
class Plan:
    files: list[Found] = field(default_factory=list)
    missing: list[FileFailure] = field(default_factory=list)  # paths given that do not exist
    relinked: list[Moved] = field(default_factory=list)


def plan(paths: Iterable[str | Path], roots: Roots, known: dict[str, Indexed], collect) -> Plan:
    """The files under ``paths``, each placed under a root (``roots`` gains the new ones,
    and re-links a root whose folder moved into one of ``paths``); ``collect`` is
    :func:`indexer.ingest.indexing.collect_files`."""
    result = Plan()
    seen: set[Path] = set()
    for raw in paths:
        given = absolute(raw)
        files, missing = collect([raw])
        result.missing += missing
        if missing:
            continue
        found = [(path, digest(path)) for path in map(absolute, files) if path not in seen]
        if not roots.covers(given):
            moved_from = _moved_root(given, found, roots, known)
            if moved_from is not None:
                result.relinked.append(Moved(str(roots.path(moved_from)), str(given)))
                roots.relink(moved_from, given)
            else:
                roots.add(given, is_file=given.is_file())
        for path, hashed in found:
            seen.add(path)
            result.files.append(Found(path, roots.find(path), hashed))
    return result


def _moved_root(given: Path, found: list[tuple[Path, str]], roots: Roots, known: dict[str, Indexed]) -> str | None:
    """The recorded root whose folder is gone and whose files are under ``given``
    (the same bytes at the same path under it), if any."""
    by_root: dict[str, dict[str, str]] = {}
    for doc in known.values():
        by_root.setdefault(doc.location.root, {})[doc.location.path] = doc.content_hash
    for root, files in by_root.items():
        if root not in roots.ids() or roots.path(root).exists() or roots.is_file(root) != given.is_file():
            continue
        for path, hashed in found:
            place = path.name if given.is_file() else path.relative_to(given).as_posix()
            if hashed and files.get(place) == hashed:
                return root
    return None


@dataclass
class Triage:
    """The files of a plan sorted by what the index already holds."""

    unchanged: list[Found] = field(default_factory=list)  # same place, same bytes: not even parsed
    copies: list[Copy] = field(default_factory=list)  # same bytes indexed from a file that is still there
    todo: list[Found] = field(default_factory=list)  # new or changed: to parse
    moved_from: dict[Location, Indexed] = field(default_factory=dict)  # todo files whose document moved here
    dropped: list[Indexed] = field(default_factory=list)  # their file now holds a copy of another document


def triage(files: list[Found], roots: Roots, known: dict[str, Indexed]) -> Triage:
    """Unchanged (same place, same bytes), copies (the same bytes are indexed, or about to be,
    from a file under another root), or to parse: new, changed, moved here from a place
    that no longer has these bytes, or a second file of one root with the same bytes
    (parsing reports it as a duplicate, as ``minutes audit`` does)."""
    by_place = {doc.location: doc for doc in known.values()}
    by_hash: dict[str, Indexed] = {}
    for doc in known.values():
        by_hash.setdefault(doc.content_hash, doc)
    this_run: dict[str, Found] = {}  # new content read in this run, by hash
    hashes: dict[Path, str] = {f.path: f.digest for f in files}
    result = Triage()
    for f in files:
        old = by_place.get(f.location)
        if old and old.content_hash == f.digest:
            result.unchanged.append(f)
            continue
        twin: tuple[Path, str] | None = None  # a file with the same bytes, and its root
        moved: Indexed | None = None
        first, other = (this_run.get(f.digest), by_hash.get(f.digest)) if f.digest else (None, None)
        if first is not None:
            twin = (first.path, first.location.root)
        elif other is not None and other.location != f.location:
            there = roots.file(other.location)
            if there not in hashes:
                hashes[there] = digest(there) if there.is_file() else ""
            if hashes[there] == f.digest:
                twin = (there, other.location.root)
            else:  # its file is gone, or holds something else now
                moved = other
        if twin is not None and twin[1] != f.location.root:
            result.copies.append(Copy(str(f.path), str(twin[0])))
            if old is not None:
                result.dropped.append(old)
            continue
        result.todo.append(f)
        if moved is not None:
            result.moved_from[f.location] = moved
        if twin is None and f.digest:
            this_run[f.digest] = f
    return result


def lost(known: dict[str, Indexed], roots: Roots, paths: set[Path], hashes: set[str]) -> list[tuple[Indexed, Path]]:
    """The documents found neither at their place (``paths``: the files read) nor
    by their content (``hashes``) anywhere else, with the file they came from."""
    gone = []
    for doc in known.values():
        there = roots.file(doc.location)
        if there not in paths and doc.content_hash not in hashes:
            gone.append((doc, there))
    return sorted(gone, key=lambda t: str(t[1]))
