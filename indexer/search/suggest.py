"""Autocomplete and "did you mean", built from the index itself.

Whoosh's own ``correct_query`` is not used: on whoosh-reloaded it raises
TypeError on jieba-analysed queries, and with either distribution it corrects
single tokens, while a Chinese query word is several. Here a word is checked
as a run of characters, and a misspelt one is replaced by the closest known
name or term (edit distance 1, or 2 for long words), the most frequent first.

The vocabulary is built in steps, a known name or term at a time
(:meth:`Vocabulary.steps`), so that requests can carry the build out under their
deadlines (:class:`indexer.deadline.Resumable`); completions and corrections check
the deadline as they go through it. Reading every title and word through Whoosh
takes a second or more at a city's scale, so ``minutes index`` writes the entries
after each commit (:func:`save_vocabulary`, ``vocabulary-<generation>.json``
beside the index) and a searcher of that state of the index loads them instead.

The weights are counted per visibility label (issue 26): a caller's suggestions are ranked by how
many records *they* may read use an entry, a word needs two of those records to be offered, and a
title or word is offered only when a record they may read holds it. Counts over every record would
tell, by the order of two suggestions, whether hidden records use a word.
"""
from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import query as wq

from ..deadline import NO_DEADLINE, Deadline, Resumable
from ..parse import gazetteer
from ..store import Postings, fold
from .query import text_query
from .tables import derived_path, drop_older, read_derived, write_derived

PREFIX = "vocabulary-"
FORMAT = 2  # bump when the entries change meaning: files of another format are rebuilt

KIND_ORDER = {"dept": 0, "topic": 1, "title": 2, "term": 3}
# The field an entry read from the records came from: a caller is offered a title or a word only
# when a record they may read holds it there (issue 26). That its words occur in some readable
# text is not enough: a hidden title made of common words would be named.
SOURCE_FIELDS = {"title": "titles", "term": "body"}
MIN_TERM_RECORDS = 2  # a word of the text is offered when this many records (the caller may read) use it

# key → (value, kind, weight, counts): weight, the records using it; counts, those records per
# visibility label (the vocabulary's ``labels``, in order), or () for a name that is everyone's (a policy term).
Entries = dict[str, tuple[str, str, int, tuple[int, ...]]]


@dataclass(frozen=True)
class Suggestion:
    value: str
    kind: str  # dept, topic, title or term


def _key(text: str) -> str:
    return fold(text).lower().strip()


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class Vocabulary:
    """Everything worth suggesting, with a weight (how many items use it)."""

    def __init__(self, entries: Entries, present: Callable[[str, Deadline, int | None], bool],
                 holds: Callable[[str, str, Deadline, int], bool], labels: tuple[str, ...] = ()):
        self._entries = entries
        self._labels = labels  # the visibility labels the counts of the entries are by
        # (word, deadline, scope) → bool: does the index (the records of the bitset ``scope``, when
        # not None) contain it as a run of characters?
        self._present = present
        # (field, term, deadline, scope) → bool: does a record of ``scope`` hold the term in the field?
        self._holds = holds
        self._policy_terms = frozenset(gazetteer.policy_terms())
        self._by_length: dict[int, list[tuple[int, str]]] = {}  # key length → (entry order, key), for corrections
        for n, key in enumerate(entries):
            self._by_length.setdefault(len(key), []).append((n, key))

    @classmethod
    def steps(cls, searcher, matches, folder: Path | None = None) -> Generator[None, None, Vocabulary]:
        """The build, yielding after each name or term; returns the vocabulary.
        ``matches(query, deadline, scope)`` says whether a query matches any record (of the
        bitset ``scope``, when not None). The
        entries ``minutes index`` wrote in ``folder`` for this state of the index are
        loaded instead, when there are any."""
        loaded = _load(folder, searcher) if folder is not None else None
        labels, entries = loaded if loaded is not None else (yield from _entry_steps(searcher))

        def present(word: str, deadline: Deadline, scope: int | None = None) -> bool:
            q = text_query(word)
            return q is not None and matches(q, deadline, scope)

        def holds(fieldname: str, text: str, deadline: Deadline, scope: int) -> bool:
            return matches(wq.Term(fieldname, text), deadline, scope)

        return cls(entries, present, holds, labels)

    def _weighing(self, labels: frozenset[str] | None) -> Callable[[tuple], int]:
        """An entry's weight for a caller who may read ``labels`` (None: everything)."""
        if labels is None:
            return lambda entry: entry[2]
        chosen = [n for n, label in enumerate(self._labels) if label in labels]
        return lambda entry: sum(entry[3][n] for n in chosen) if entry[3] else entry[2]

    @staticmethod
    def _offered(kind: str, counts: tuple[int, ...], weight: int) -> bool:
        """Whether an entry of this weight (for the caller) may be offered at all: a title one
        record uses, a word of the text two (a name of the gazetteer is checked in the text)."""
        return not counts or kind not in SOURCE_FIELDS or weight >= (MIN_TERM_RECORDS if kind == "term" else 1)

    def complete(self, prefix: str, limit: int = 10, deadline: Deadline = NO_DEADLINE,
                 scope: int | None = None, labels: frozenset[str] | None = None) -> tuple[Suggestion, ...]:
        """Entries that start with ``prefix``, then those that contain it. With ``scope`` (the
        bitset of records a caller may read) and ``labels`` (the labels they may read), only
        entries found in those records, ranked by the caller's counts: the vocabulary is the
        whole index's, and must not name, or count, what the caller may not read."""
        key = _key(prefix)
        if not key:
            return ()
        weigh = self._weighing(labels if scope is not None else None)
        starts, inside = [], []
        for n, (entry_key, entry) in enumerate(self._entries.items()):
            if n % 1024 == 0:
                deadline.check()
            if entry_key == key or key not in entry_key:
                continue
            value, kind, _, counts = entry
            weight = weigh(entry)
            if not self._offered(kind, counts, weight):
                continue
            (starts if entry_key.startswith(key) else inside).append((KIND_ORDER[kind], -weight, len(value), value,
                                                                      kind))
        ranked = sorted(starts) + sorted(inside)
        if scope is None:
            return tuple(Suggestion(value, kind) for *_, value, kind in ranked[:limit])
        found = []
        for *_, value, kind in ranked:
            if len(found) == limit:
                break
            if self._readable(value, kind, deadline, scope):
                found.append(Suggestion(value, kind))
        return tuple(found)

    def correct(self, query: str, words: tuple[str, ...], deadline: Deadline = NO_DEADLINE,
                scope: int | None = None, bits: Callable[[object], int] | None = None,
                labels: frozenset[str] | None = None) -> str:
        """``query`` with each word the index (the records of ``scope``, when given) does not
        contain replaced by the nearest known word it contains; "" when nothing was replaced.
        ``bits`` evaluates a query (a search's own evaluation, which has matched the query's words
        already): whether a typed word is present is then not evaluated again."""
        corrected = query
        for word in words:
            q = text_query(word) if bits is not None else None
            if (bits(q) & (scope if scope is not None else -1)) if q is not None else self._present(word, deadline, scope):
                continue
            best = self._nearest(word, deadline, scope, labels)
            if best:
                corrected = corrected.replace(word, best)
        return corrected if corrected != query else ""

    def _nearest(self, word: str, deadline: Deadline, scope: int | None = None,
                 labels: frozenset[str] | None = None) -> str:
        key = _key(word)
        weigh = self._weighing(labels if scope is not None else None)
        limit = 1 if len(key) <= 4 else 2
        near = []
        nearby = (k for n in range(len(key) - limit, len(key) + limit + 1) for k in self._by_length.get(n, ()))
        for n, entry_key in nearby:  # an edit distance within the limit needs a length within it
            deadline.check()
            entry = self._entries[entry_key]
            value, kind, _, counts = entry
            weight = weigh(entry)
            distance = edit_distance(key, entry_key, limit)
            if distance <= limit and self._offered(kind, counts, weight):
                near.append(((distance, KIND_ORDER[kind], -weight, n), value, kind))  # equal ranks: the first entry
        near.sort()
        if scope is None:
            return near[0][1] if near else ""
        return next((value for _, value, kind in near if self._readable(value, kind, deadline, scope)), "")

    def _readable(self, value: str, kind: str, deadline: Deadline, scope: int) -> bool:
        """Whether a record of ``scope`` is where the entry came from: a title among its titles, a
        word among its words. A department, topic or policy term is the gazetteer's (public) and
        needs only to be found in the text of one."""
        if kind in ("dept", "topic") or (kind == "term" and value in self._policy_terms):
            return self._present(value, deadline, scope)
        return self._holds(SOURCE_FIELDS[kind], value, deadline, scope)


def _entry_steps(searcher) -> Generator[None, None, tuple[tuple[str, ...], Entries]]:
    """The visibility labels, and everything worth suggesting with its counts by label, read
    from the index a name or term at a time."""
    entries: Entries = {}
    postings = Postings(searcher)
    labels = tuple(sorted(_text(t) for t in searcher.lexicon("visibility")))
    codes = np.zeros(postings.size, dtype=np.int32)  # each live record's label, numbered from 1; 0: deleted
    for n, label in enumerate(labels, 1):
        codes[postings.get("visibility", label)[0]] = n
    live = np.zeros(postings.size, dtype=bool)
    live[list(searcher.reader().all_doc_ids())] = True
    codes[~live] = 0

    def counts(fieldname: str, text: str) -> tuple[int, ...]:
        return tuple(int(c) for c in np.bincount(codes[postings.get(fieldname, text)[0]],
                                                 minlength=len(labels) + 1)[1:])

    def add(value: str, kind: str, weight: int, by_label: tuple[int, ...] = ()) -> None:
        key = _key(value)
        if len(key) < 2:
            return
        old = entries.get(key)
        if old is None or (KIND_ORDER[kind], -weight) < (KIND_ORDER[old[1]], -old[2]):
            entries[key] = (value, kind, weight, by_label)

    for dept in gazetteer.departments():
        by_label = counts("dept", dept.name)
        for name in (dept.name, *dept.aliases, *dept.short):
            add(name, "dept", sum(by_label), by_label)
            yield
    for topic in gazetteer.topics():
        by_label = counts("topic", topic.name)
        add(topic.name, "topic", sum(by_label), by_label)
        yield
    for title, info in searcher.reader().iter_field("titles"):
        text = _text(title)
        add(text, "title", info.doc_frequency(), counts("titles", text))
        yield
    for term in gazetteer.policy_terms():
        add(term, "term", 1)
        yield
    for term, info in searcher.reader().iter_field("body"):
        text = _text(term)
        if info.doc_frequency() >= MIN_TERM_RECORDS and len(text) >= 2 and not text.isdigit():
            add(text, "term", info.doc_frequency(), counts("body", text))
        yield
    return labels, entries


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _load(folder: Path, searcher) -> tuple[tuple[str, ...], Entries] | None:
    """The labels and entries written for this searcher's state of the index, or None."""
    data = read_derived(folder, PREFIX, FORMAT, searcher)
    try:
        return None if data is None else (tuple(data["labels"]), {
            key: (value, kind, weight, tuple(by_label)) for key, value, kind, weight, by_label in data["entries"]})
    except (KeyError, ValueError, TypeError):
        return None  # damaged: build instead


def save_vocabulary(folder: Path, searcher) -> Path:
    """Write the entries for the searcher's state of the index (unless there already);
    drop older files."""
    if _load(folder, searcher) is None:
        labels, entries = Resumable(lambda: _entry_steps(searcher)).result()  # every step, no deadline
        return write_derived(folder, PREFIX, FORMAT, searcher,
                             {"labels": list(labels), "entries": [[key, *entry] for key, entry in entries.items()]})
    drop_older(folder, PREFIX, searcher)
    return derived_path(folder, PREFIX, searcher)
