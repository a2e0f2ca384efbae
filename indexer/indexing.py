"""Building and updating the index from files.

Every file is parsed on its own: a file that fails is reported with its reason
and the rest of the batch is still indexed. A document's item records are
replaced together in one writer commit, never half.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError

from . import gazetteer, numbers
from .analysis import with_keywords
from .errors import IndexLocked, IndexNotFound, IndexOutdated, MinutesError, ParseError
from .lifecycle import WRITER_TIMEOUT_S, clear_scratch, scratch_dir, swap_in, writer_lock
from .model import Document, FileFailure, IndexReport, Item, from_dict
from .formats import MARKDOWN_SUFFIXES
from .normalize import CJK
from .parse import SUPPORTED_SUFFIXES, parse_file
from .postings import Postings
from .roles import department_roles
from .schema import ITEM, PREAMBLE, PREAMBLE_TITLE, PREAMBLE_TITLES, build_schema, check_meta, write_meta
from .tables import Tables


def default_index_dir() -> Path:
    """``$MINUTES_INDEX`` if set, else ``index/`` in the working directory."""
    return Path(os.environ.get("MINUTES_INDEX") or "index")


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


def _records(doc: Document) -> Iterable[dict]:
    # Items have records of their own; spans are kept inside them. (asdict of the whole
    # document would convert every item only to drop it: 6% of indexing time.)
    meta = asdict(replace(doc, items=(), text=""))
    del meta["items"], meta["text"]
    doc_meta = json.dumps(meta, ensure_ascii=False)
    common = dict(
        doc_id=doc.id, source=doc.source, content_hash=doc.content_hash, doc_title=doc.title,
        doc_number=doc.doc_number, issuer=doc.issuer, doc_type=doc.doc_type, session=doc.session, meeting=doc.meeting,
        number_key=",".join(numbers.document_keys(doc.doc_number, doc.number_aliases, doc.number_year, doc.number_seq)),
        date=doc.date, year=doc.year,
    )
    people = _people(doc)
    if doc.preamble and doc.items[0].number:
        # The opening paragraph (who met, when, what was heard) is searchable too,
        # and carries the names of the people at the meeting.
        roles = department_roles(doc.preamble, doc.issuer_level, gazetteer.issuer_place(doc.issuer))
        yield dict(
            common,
            id=f"{doc.id}#preamble",
            part=PREAMBLE,
            item_no=0,
            item_title=PREAMBLE_TITLES.get(doc.doc_type, PREAMBLE_TITLE),
            people=people,
            titles=doc.title,
            body=doc.preamble,
            body_bigram=f"{doc.title}\n\n{doc.preamble}",
            body_joins=f"{doc.title}\n\n{doc.preamble}",
            dept=",".join(r.name for r in roles),
            topic=",".join(t.topic for t in gazetteer.find_topics(doc.preamble)),
        )
        people = ""
    for n, item in enumerate(doc.items):
        yield dict(
            common,
            id=f"{doc.id}#item-{item.number}",
            part=ITEM,
            people=people if n == 0 else "",  # no preamble record: the first item carries them
            **({"doc_meta": doc_meta} if n == 0 else {}),  # the document's own fields, stored once
            item_no=item.number,
            item_title=item.title,
            body=item.text,
            # The title too, so a run of characters in it is found whatever jieba made of the
            # title; the blank line keeps phrases from running across the join. The joins
            # field reads the same text (see indexer.analysis).
            body_bigram=f"{doc.title}\n\n{item.text}",
            body_joins=f"{doc.title}\n\n{item.text}",
            reviewed="\n".join(item.reviewed),
            titles="\n".join((doc.title, *item.reviewed)),
            dept=",".join(item.departments),
            dept_lead=",".join(item.leads),
            topic=",".join(item.topics),
            item_json=_compact_item(item),
        )


def _compact_item(item: Item) -> str:
    """The item as JSON without its texts: they are slices of the stored ``body``
    (see :func:`item_from_record`), so storing them again would triple the index."""
    data = asdict(item)
    del data["text"]
    for part in (*data["paragraphs"], *data["subpoints"], *(p for sp in data["subpoints"] for p in sp["points"])):
        del part["text"]
    return json.dumps(data, ensure_ascii=False)


def item_from_record(stored: dict) -> Item:
    """The :class:`Item` an index record holds."""
    data = json.loads(stored["item_json"])
    body, start = stored.get("body", ""), data["span"][0]

    def cut(span) -> str:
        return body[span[0] - start:span[1] - start].strip()

    data["text"] = body
    for part in (*data["paragraphs"], *data["subpoints"], *(p for sp in data["subpoints"] for p in sp["points"])):
        part["text"] = cut(part["span"])
    return from_dict(Item, data)


def _people(doc: Document) -> str:
    a = doc.attendance
    persons = [doc.chair_name, *a.present, *(p for unit in a.attending for p in unit.persons), *a.absent, a.recorder]
    return " ".join(p for p in persons if p)


def index_state(index_dir: Path) -> str:
    """"current", "missing", or why the index is outdated."""
    if not whoosh_index.exists_in(str(index_dir)):
        return "missing"
    try:
        check_meta(index_dir)
    except IndexOutdated as e:
        return e.reason
    return "current"


def index_paths(
    paths: Iterable[str | Path],
    index_dir: str | Path | None = None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    if_needed: bool = False,
    procs: int = 1,
    on_file: Callable[[Path], None] | None = None,
) -> IndexReport:
    """Index files and folders; unchanged files (same content hash) are skipped.

    ``rebuild`` builds a fresh index beside the live one and swaps it in
    atomically; ``prune`` drops documents whose file is gone; ``if_needed``
    does nothing when a current index exists, and rebuilds an outdated one.
    ``procs`` > 1 analyses in that many processes when building a fresh index
    (offline rebuilds; a web worker never does this).
    """
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    with writer_lock(index_dir):
        clear_scratch(index_dir)
        state = index_state(index_dir)
        if if_needed and state == "current":
            return IndexReport(indexed=(), unchanged=(), failed=(), skipped=True)
        if state not in ("current", "missing") and not (rebuild or if_needed):
            raise IndexOutdated(str(index_dir), state)
        if rebuild or state != "current":
            target = scratch_dir(index_dir) if state != "missing" else index_dir
            report = _index_into(_create(target), paths, on_file, prune=False, procs=procs)
            if target != index_dir:
                swap_in(target, index_dir)
            return replace(report, rebuilt=state != "missing")
        return _index_into(whoosh_index.open_dir(str(index_dir)), paths, on_file, prune=prune)


PARALLEL_PARSE_MIN = 64  # files; fewer are parsed in this process


def _parse_one(path: Path) -> Document | FileFailure:
    try:
        return read_document(path)
    except ParseError as e:
        return FileFailure(e.path, e.reason)  # plain data: crosses the process boundary


def _parse_all(paths: list[Path], procs: int) -> Iterator[Document | FileFailure]:
    """Parsed documents (or why not) in the order of ``paths``; in ``procs`` processes
    when there are many (parsing and keywords are a quarter of indexing time)."""
    if procs <= 1 or len(paths) < PARALLEL_PARSE_MIN:
        yield from map(_parse_one, paths)
        return
    with ProcessPoolExecutor(procs, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_parse_one, paths, chunksize=16)


def _write_tables(ix) -> None:
    """Facet table and date orders for the committed state, so web workers load them
    instead of building them (see :mod:`indexer.tables`)."""
    with ix.searcher() as searcher:
        folder = Path(ix.storage.folder)
        if Tables.load(folder, searcher) is None:
            Tables.build(Postings(searcher)).save(folder, searcher)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # parsing will report why


def _create(target: Path):
    target.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(target), build_schema())
    write_meta(target)
    return ix


def _index_into(ix, paths, on_file, *, prune: bool, procs: int = 1) -> IndexReport:
    files, failed = collect_files(paths)
    known: dict[str, str] = {}  # source file → content hash
    owners: dict[str, str] = {}  # doc id → source file
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            known[stored["source"]] = stored["content_hash"]
            owners[stored["doc_id"]] = stored["source"]
    docs: list[Document] = []
    unchanged: list[str] = []
    gone = sorted(src for src in known if not Path(src).exists()) if prune else []
    todo = []
    for path in files:
        source = str(path.resolve())  # identifies the file whatever folder the command ran from
        if source in known and _digest(path) == known[source]:
            if on_file:
                on_file(path)
            unchanged.append(source)  # same bytes: not even parsed
            continue
        todo.append((path, source))
    for (path, source), parsed in zip(todo, _parse_all([p for p, _ in todo], procs)):
        if on_file:
            on_file(path)
        if isinstance(parsed, FileFailure):
            failed.append(parsed)
            continue
        doc = replace(parsed, source=source)
        if known.get(doc.source) == doc.content_hash:
            unchanged.append(doc.source)
            continue
        owner = owners.get(doc.id)
        if owner and owner != doc.source and Path(owner).exists():
            failed.append(FileFailure(str(path), f"duplicate document: {doc.doc_number or 'same text'} "
                                                  f"is already indexed from {owner}"))
            continue
        owners[doc.id] = doc.source
        docs.append(doc)
    if docs or gone:
        fresh = ix.doc_count_all() == 0
        options = {"procs": procs, "multisegment": True} if fresh and procs > 1 else {}
        try:
            # Not compound: Whoosh reads a compound segment's parts through BytesIO copies
            # (~16 ms per part and every part's size in each process); separate files are read in place.
            writer = ix.writer(timeout=WRITER_TIMEOUT_S, limitmb=256, compound=False, **options)
        except LockError:  # only if a writer ignored our lock file
            raise IndexLocked(str(ix.storage.folder)) from None
        with writer:
            for source in gone:
                writer.delete_by_term("source", source)
            for doc in docs:
                if not fresh:
                    writer.delete_by_term("source", doc.source)
                    writer.delete_by_term("doc_id", doc.id)
                for record in _records(doc):
                    writer.add_document(**record)
    _write_tables(ix)
    ix.close()
    return IndexReport(
        indexed=tuple(d.source for d in docs), unchanged=tuple(unchanged), failed=tuple(failed),
        pruned=tuple(gone),
    )


def open_whoosh_index(index_dir: str | Path):
    """Open an existing index after checking its schema version and analyzer."""
    index_dir = Path(index_dir)
    if not whoosh_index.exists_in(str(index_dir)):
        raise IndexNotFound(str(index_dir))
    check_meta(index_dir)
    try:
        return whoosh_index.open_dir(str(index_dir))
    except (OSError, ValueError) as e:  # corrupt or unreadable table of contents
        raise MinutesError(f"cannot open index at {index_dir}: {e}") from None
