"""Cross-references over the whole index: 引用 / 被引用, a reviewed document's
path through meetings, and each department's assigned tasks.

Everything here is built from stored fields once per searcher and cached with
it (see :class:`indexer.engine.SearchIndex`), then answered from memory. The
build is done in steps (:meth:`CrossReferences.steps`: a record read, an item
rebuilt, a document's citations found) so that requests can carry it out under
their deadlines (:class:`indexer.deadline.Resumable`).
"""
from __future__ import annotations

import json
import os
import pickle
import re
import threading
import weakref
from collections.abc import Generator
from dataclasses import dataclass, replace
from pathlib import Path

from ..citation import citation
from ..deadline import NO_DEADLINE, Deadline, Resumable
from ..model import CO_LEAD, LEAD, Document, Item, from_dict
from ..parse import (
    TITLE,
    Citation,
    Registry,
    cited,
    gazetteer,
    normalize_title,
    resolve,
)
from ..search import identity
from ..store import PREAMBLE, Postings, item_from_record
from ..visibility import Access

SCOPED_CACHE_SIZE = 64  # distinct accesses whose view a build keeps


@dataclass(frozen=True)
class DocRef:
    """A place in a document, for listing: the document, and the item (0: none)."""

    doc_id: str
    doc_title: str
    doc_number: str
    date: str
    item_no: int = 0
    item_title: str = ""
    issuer: str = ""

    @property
    def citation(self) -> str:
        return citation(self.doc_title, self.doc_number, self.item_no, issuer=self.issuer, date=self.date)


@dataclass(frozen=True)
class Reference:
    citation: Citation
    source: DocRef  # where the mention stands (for cited-by lists)


@dataclass(frozen=True)
class PolicyStep:
    place: DocRef
    action: str  # 审议 / 研究 / … or 提及
    decision: str  # 原则同意 / 同意 / …, "" when the item records none


@dataclass(frozen=True)
class Task:
    place: DocRef
    role: str  # lead or co-lead
    sentence: str  # the sentence that gives the department its part


@dataclass(frozen=True)
class Entry:
    """What the cross-references keep of one document, and the content and visibility it
    was read with (``key``): a later build reuses it while they are the same."""

    key: tuple[str, str]
    document: Document  # without its texts (see _without_texts)
    mentioned: tuple[tuple[str, str, int], ...]  # see references.cited
    sentences: tuple[tuple[str, ...], ...]  # per item, per role: the sentence giving a lead or co-lead its task


class CrossReferences:
    @classmethod
    def saved_or_steps(cls, open_searcher, folder: Path):
        """The cross-references ``minutes index`` saved for this state of the index, else their
        build on a searcher of its own (closed when done), so that it may run on another thread
        than the requests' searcher."""
        searcher = open_searcher()
        try:
            saved = cls.saved(folder, searcher)
            if saved is not None:
                return saved
            return (yield from cls.steps(searcher))
        finally:
            searcher.close()

    @classmethod
    def steps(cls, searcher, previous: dict[str, Entry] | None = None) -> Generator[None, None, CrossReferences]:
        """The build, yielding after each item; returns the cross-references.

        One document is read at a time (its records found through the ``doc_id`` postings),
        and what is kept of it is small: its structure without texts, what its text cites
        and the sentences giving departments their tasks. Reading every record first, as
        the build once did, held the whole index's text in memory at once, and a worker
        keeps the high-water mark of its memory for life. A document whose content and
        visibility are those of its entry in ``previous`` (a saved build) is not read again."""
        postings, reader = Postings(searcher), searcher.reader()
        entries: dict[str, Entry] = {}
        first: dict[str, int] = {}  # document → its first record: the order records are stored in
        shared: dict = {}  # recurring values, kept once (see _without_texts)
        for term in searcher.lexicon("doc_id"):
            doc_id = term.decode("utf-8") if isinstance(term, bytes) else term
            docnums = [d for d in map(int, postings.get("doc_id", doc_id)[0]) if not reader.is_deleted(d)]
            if not docnums:
                continue  # every record of it was deleted
            first[doc_id] = min(docnums)
            head = searcher.stored_fields(docnums[0])
            key = (head.get("content_hash", ""), head.get("visibility", ""))
            if previous and doc_id in previous and previous[doc_id].key == key:
                entries[doc_id] = previous[doc_id]
                continue
            rows = [stored for d in docnums if (stored := searcher.stored_fields(d)).get("part") != PREAMBLE]
            if not rows:
                del first[doc_id]
                continue
            rows.sort(key=lambda r: r["item_no"])
            meta = json.loads(rows[0]["doc_meta"])
            items = []
            for r in rows:
                items.append(item_from_record(r))
                yield  # a step per item, as requests' deadlines are checked between steps
            doc = replace(from_dict(Document, {**meta, "items": []}), items=tuple(items))
            # Per item, per role (aligned with item.roles): the sentence giving a lead or co-lead its task.
            per_item = []
            for item in doc.items:
                row = []
                for r in item.roles:
                    text = (_task_sentence(item, (r.name, *gazetteer.synonyms(r.name)))
                            if r.role in (LEAD, CO_LEAD) else "")
                    row.append(shared.setdefault(text, text))
                per_item.append(tuple(row))
            # What is left to answer from is small.
            entries[doc_id] = Entry(key, _without_texts(doc, shared), cited(doc), tuple(per_item))
            yield
        # In the order of the index's records, as every list built from them always was (and
        # the registry's first-come rule for a number two documents share).
        entries = {doc_id: entries[doc_id] for doc_id in sorted(first, key=first.get)}
        documents = {doc_id: e.document for doc_id, e in entries.items()}
        registry = Registry.build(
            (d.id, d.title, d.doc_number, d.session, d.number_aliases) for d in documents.values())
        cites = {doc_id: resolve(doc_id, e.mentioned, registry) for doc_id, e in entries.items()}
        refs = cls(documents, registry, cites, {doc_id: e.sentences for doc_id, e in entries.items()})
        refs.entries = entries
        return refs

    @classmethod
    def saved(cls, folder: Path, searcher) -> CrossReferences | None:
        """The build ``minutes index`` saved for this searcher's state of the index, or None."""
        data = _load(_path(folder, searcher))
        if data is None or data["identity"] != identity(searcher):
            return None
        return cls(data["documents"], data["registry"], data["cites"], data["sentences"])

    def __init__(self, documents: dict[str, Document], registry: Registry,
                 cites: dict[str, tuple[Citation, ...]], sentences: dict[str, tuple[tuple[str, ...], ...]]):
        self.documents = documents  # without their texts (see _without_texts)
        self.registry = registry
        self.cites = cites
        # document → per item, per role of the item: the sentence giving a lead or co-lead its task ("" for others)
        self.sentences = sentences
        self.cited_by: dict[str, list[Reference]] = {}
        self.by_title: dict[str, list[Reference]] = {}
        self._scoped: dict[frozenset[str], CrossReferences] = {}
        self.entries: dict[str, Entry] = {}  # what a build read, per document (for the next save)
        for doc_id, found in self.cites.items():
            doc = self.documents[doc_id]
            for c in found:
                ref = Reference(c, self._place(doc, c.item_no))
                if c.target:
                    self.cited_by.setdefault(c.target, []).append(ref)
                if c.kind == TITLE:
                    self.by_title.setdefault(c.text, []).append(ref)

    def scoped(self, access: Access | None) -> CrossReferences:
        """The cross-references among the documents ``access`` may read (None: all): the
        others are neither listed nor named, and a citation of one reads as a citation of a
        document that is not indexed (no target), so nothing tells that it exists."""
        if access is None or access.unrestricted:
            return self
        view = self._scoped.get(access.labels)
        if view is None:
            documents = {k: d for k, d in self.documents.items() if access.allows(d.visibility)}
            cites = {k: tuple(c if not c.target or c.target in documents else replace(c, target="") for c in found)
                     for k, found in self.cites.items() if k in documents}
            view = CrossReferences(documents, self.registry, cites, self.sentences)
            if len(self._scoped) >= SCOPED_CACHE_SIZE:
                self._scoped.clear()
            self._scoped[access.labels] = view
        return view

    def _place(self, doc: Document, item_no: int) -> DocRef:
        item = next((i for i in doc.items if i.number == item_no), None)
        return DocRef(doc.id, doc.title, doc.doc_number, doc.date, item_no, item.title if item else "", doc.issuer)

    def summary(self, doc_id: str) -> DocRef:
        doc = self.documents[doc_id]
        return DocRef(doc.id, doc.title, doc.doc_number, doc.date, issuer=doc.issuer)

    def policy(self, title: str) -> tuple[DocRef | None, tuple[PolicyStep, ...]]:
        """The document a reviewed title names (if indexed) and every item that reviewed
        or mentioned it, oldest first."""
        title = normalize_title(title)
        target = self.registry.titles.get(title)
        target = target if target in self.documents else None  # not indexed, or not readable here
        steps = []
        for ref in self.by_title.get(title, []):
            doc = self.documents[ref.source.doc_id]
            item = next((i for i in doc.items if i.number == ref.source.item_no), None)
            action = item.action if item and title in item.title else "提及"
            steps.append(PolicyStep(ref.source, action or "提及", item.decision if item else ""))
        steps.sort(key=lambda s: (s.place.date, s.place.item_no))
        return (self.summary(target) if target else None), tuple(steps)

    def tasks(self, dept: str, year: str = "", role: str = "",
              deadline: Deadline = NO_DEADLINE) -> tuple[Task, ...]:
        """Every item that gives ``dept`` (any alias) a lead or co-lead role, newest first."""
        name = gazetteer.canonical_department(dept)
        found = []
        for doc in self.documents.values():
            deadline.check()
            if year and not doc.date.startswith(year):
                continue
            for item, sentences in zip(doc.items, self.sentences[doc.id]):
                for r, sentence in zip(item.roles, sentences):
                    if r.name == name and r.role in (LEAD, CO_LEAD) and (not role or r.role == role):
                        found.append(Task(self._place(doc, item.number), r.role, sentence))
        found.sort(key=lambda t: (t.place.date, -t.place.item_no), reverse=True)
        return tuple(found)


def _without_texts(doc: Document, shared: dict) -> Document:
    """The document without its items' texts (their paragraphs and sub-points too): a
    worker keeps every document's structure, roles and titles in memory for the pages
    that list across the index, not a copy of the index's text (five times the memory).

    Values that recur across the index — departments with their roles, topics with their
    evidence, keywords, reviewed titles — are kept once (``shared``: value → the one copy):
    at 10,000 items 80,000 department roles hold a few hundred distinct values, and each
    copy read back from JSON cost an object, its attribute dict and its strings (together
    about half of what the cross-references kept)."""
    def one(value):
        return shared.setdefault(value, value)

    items = tuple(replace(item, text="", paragraphs=(), subpoints=(),
                          roles=one(tuple(one(r) for r in item.roles)),
                          topic_matches=one(tuple(one(t) for t in item.topic_matches)),
                          keywords=one(tuple(one(k) for k in item.keywords)),
                          reviewed=one(tuple(one(t) for t in item.reviewed)),
                          action=one(item.action), decision=one(item.decision))
                  for item in doc.items)
    return replace(doc, items=items, issuer=one(doc.issuer), doc_type=one(doc.doc_type),
                   visibility=one(doc.visibility), visibility_reason=one(doc.visibility_reason))


_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
_ROLE_WORDS = ("牵头", "会同", "负责", "要", "配合", "根据", "协助")


def _task_sentence(item: Item, names: tuple[str, ...]) -> str:
    sentences = [s.strip() for s in _SENTENCE.findall(item.text) if any(n in s for n in names)]
    with_role = [s for s in sentences if any(w in s for w in _ROLE_WORDS)]
    return (with_role or sentences or [item.title])[0]


# --- saved at commit ------------------------------------------------------------------------
# ``minutes index`` saves the build after each commit (``crossrefs-<generation>.pickle`` beside
# the index, like the vocabulary and tables), reading again only the documents that changed,
# and a worker loads it instead of building: the build is seconds of CPU per 10,000 items,
# which every worker paid after each start and each update. Pickle, as Whoosh's own files are:
# the index folder is trusted as the code is.

PREFIX, FORMAT = "crossrefs-", 1


def _path(folder: Path, searcher) -> Path:
    return Path(folder) / f"{PREFIX}{searcher.reader().generation()}.pickle"


def _load(path: Path) -> dict | None:
    try:
        with open(path, "rb") as f:
            data = pickle.load(f)
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None  # missing, from another version, or damaged: build instead


def save_crossrefs(folder: Path, searcher) -> Path:
    """Save the cross-references of the searcher's state of the index (unless there already),
    reusing the last saved build's documents that did not change; drop older files."""
    folder, path = Path(folder), _path(folder, searcher)
    if CrossReferences.saved(folder, searcher) is None:
        older = sorted(folder.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime)
        last = _load(older[-1]) if older else None
        refs = Resumable(lambda: CrossReferences.steps(searcher, last and last.get("entries"))).result()
        data = {"format": FORMAT, "identity": identity(searcher), "documents": refs.documents,
                "registry": refs.registry, "cites": refs.cites, "sentences": refs.sentences, "entries": refs.entries}
        scratch = path.with_name(path.name + ".tmp")
        with open(scratch, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, path)
    for old in folder.glob(f"{PREFIX}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


class PerView:
    """Values computed once per cross-references view (a view is per searcher and access)."""

    def __init__(self):
        self._cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, refs: CrossReferences, key: str, build):
        with self._lock:
            found = self._cache.setdefault(refs, {})
        if key not in found:
            found[key] = build()
        return found[key]

    def has(self, refs: CrossReferences, key: str) -> bool:
        """Whether the value is computed already (for a caller that must not wait for it)."""
        with self._lock:
            return key in self._cache.get(refs, {})


PER_VIEW = PerView()
