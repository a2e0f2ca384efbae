"""Building and updating the index from files.

Every file is parsed on its own: a file that fails is reported with its reason
and the rest of the batch is still indexed. A document's item records are
replaced together in one writer commit, never half.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError

from .errors import IndexLocked, IndexNotFound, MinutesError, ParseError
from .model import Document, FileFailure, IndexReport
from . import gazetteer
from .analysis import with_keywords
from .parse import SUPPORTED_SUFFIXES, parse_file
from .roles import department_roles
from .schema import ITEM, PREAMBLE, PREAMBLE_TITLE, PREAMBLE_TITLES
from .schema import build_schema, check_meta, write_meta

WRITER_TIMEOUT_S = 10.0


def default_index_dir() -> Path:
    """``$MINUTES_INDEX`` if set, else ``index/`` in the working directory."""
    return Path(os.environ.get("MINUTES_INDEX") or "index")


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileFailure]]:
    """Files named, plus the supported files under folders named (recursively).

    A named file is always tried (and fails with a reason if unsupported); inside
    folders only supported types are picked, so READMEs and manifests are left alone.
    """
    files: list[Path] = []
    missing: list[FileFailure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileFailure(str(path), "no such file or folder"))
    return files, missing


def read_document(path: str | Path) -> Document:
    """Parse a file and add what analysis derives (keywords)."""
    return with_keywords(parse_file(path))


def _records(doc: Document) -> Iterable[dict]:
    meta = asdict(doc)
    del meta["items"], meta["text"]  # items have records of their own; spans are kept inside them
    doc_meta = json.dumps(meta, ensure_ascii=False)
    common = dict(
        doc_id=doc.id, source=doc.source, content_hash=doc.content_hash, doc_title=doc.title,
        doc_number=doc.doc_number, doc_type=doc.doc_type, session=doc.session, meeting=doc.meeting,
        date=doc.date, year=doc.year, doc_meta=doc_meta,
    )
    people = _people(doc)
    if doc.preamble and doc.items[0].number:
        # The opening paragraph (who met, when, what was heard) is searchable too,
        # and carries the names of the people at the meeting.
        roles = department_roles(doc.preamble)
        yield dict(
            common,
            id=f"{doc.id}#preamble",
            part=PREAMBLE,
            item_no=0,
            item_title=PREAMBLE_TITLES.get(doc.doc_type, PREAMBLE_TITLE),
            people=people,
            body=doc.preamble,
            body_bigram=f"{doc.title}。{doc.preamble}",
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
            item_no=item.number,
            item_title=item.title,
            body=item.text,
            # The title too, so a run of characters in it is found whatever jieba made of the
            # title; the 。 keeps phrases from running across the join.
            body_bigram=f"{doc.title}。{item.text}",
            reviewed="\n".join(item.reviewed),
            dept=",".join(item.departments),
            dept_lead=",".join(item.leads),
            topic=",".join(item.topics),
            item_json=json.dumps(asdict(item), ensure_ascii=False),
        )


def _people(doc: Document) -> str:
    a = doc.attendance
    persons = [doc.chair_name, *a.present, *(p for unit in a.attending for p in unit.persons), *a.absent, a.recorder]
    return " ".join(p for p in persons if p)


def _open_for_writing(index_dir: Path, rebuild: bool):
    if rebuild and index_dir.exists():
        for child in index_dir.iterdir():
            if child.name != ".gitkeep":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    index_dir.mkdir(parents=True, exist_ok=True)
    if whoosh_index.exists_in(str(index_dir)):
        check_meta(index_dir)
        return whoosh_index.open_dir(str(index_dir))
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    write_meta(index_dir)
    return ix


def index_paths(
    paths: Iterable[str | Path],
    index_dir: str | Path | None = None,
    *,
    rebuild: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> IndexReport:
    """Index files and folders; unchanged files (same content hash) are skipped."""
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    files, failed = collect_files(paths)
    ix = _open_for_writing(index_dir, rebuild)
    known: dict[str, str] = {}  # source file → content hash
    owners: dict[str, str] = {}  # doc id → source file
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            known[stored["source"]] = stored["content_hash"]
            owners[stored["doc_id"]] = stored["source"]
    docs: list[Document] = []
    unchanged: list[str] = []
    for path in files:
        if on_file:
            on_file(path)
        try:
            # The resolved path identifies the file whatever folder the command ran from.
            doc = replace(read_document(path), source=str(path.resolve()))
        except ParseError as e:
            failed.append(FileFailure(e.path, e.reason))
            continue
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
    if docs:
        try:
            writer = ix.writer(timeout=WRITER_TIMEOUT_S, limitmb=128)
        except LockError:
            raise IndexLocked(str(index_dir)) from None
        with writer:
            for doc in docs:
                writer.delete_by_term("source", doc.source)
                writer.delete_by_term("doc_id", doc.id)
                for record in _records(doc):
                    writer.add_document(**record)
    ix.close()
    return IndexReport(
        indexed=tuple(d.source for d in docs), unchanged=tuple(unchanged), failed=tuple(failed)
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
