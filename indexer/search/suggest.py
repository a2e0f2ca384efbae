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
"""
from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from whoosh import query as wq

from ..deadline import NO_DEADLINE, Deadline, Resumable
from ..parse import gazetteer
from ..store import fold
from .query import text_query
from .tables import derived_path, drop_older, read_derived, write_derived

PREFIX = "vocabulary-"
FORMAT = 1  # bump when the entries change meaning: files of another format are rebuilt

KIND_ORDER = {"dept": 0, "topic": 1, "title": 2, "term": 3}
# The field an entry read from the records came from: a caller is offered a title or a word only
# when a record they may read holds it there (issue 26). That its words occur in some readable
# text is not enough: a hidden title made of common words would be named.
SOURCE_FIELDS = {"title": "titles", "term": "body"}


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

    def __init__(self, entries: dict[str, tuple[str, str, int]], present: Callable[[str, Deadline, int | None], bool],
                 holds: Callable[[str, str, Deadline, int], bool]):
        self._entries = entries  # key → (value, kind, weight)
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
        entries = _load(folder, searcher) if folder is not None else None
        if entries is None:
            entries = yield from _entry_steps(searcher)

        def present(word: str, deadline: Deadline, scope: int | None = None) -> bool:
            q = text_query(word)
            return q is not None and matches(q, deadline, scope)

        def holds(fieldname: str, text: str, deadline: Deadline, scope: int) -> bool:
            return matches(wq.Term(fieldname, text), deadline, scope)

        return cls(entries, present, holds)

    def complete(self, prefix: str, limit: int = 10, deadline: Deadline = NO_DEADLINE,
                 scope: int | None = None) -> tuple[Suggestion, ...]:
        """Entries that start with ``prefix``, then those that contain it. With ``scope`` (the
        bitset of records a caller may read), only entries found in those records: the
        vocabulary is the whole index's, and must not name what the caller may not read."""
        key = _key(prefix)
        if not key:
            return ()
        starts, inside = [], []
        for n, (entry_key, (value, kind, weight)) in enumerate(self._entries.items()):
            if n % 1024 == 0:
                deadline.check()
            if entry_key == key:
                continue
            if entry_key.startswith(key):
                starts.append((KIND_ORDER[kind], -weight, len(value), value, kind))
            elif key in entry_key:
                inside.append((KIND_ORDER[kind], -weight, len(value), value, kind))
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
                scope: int | None = None, bits: Callable[[object], int] | None = None) -> str:
        """``query`` with each word the index (the records of ``scope``, when given) does not
        contain replaced by the nearest known word it contains; "" when nothing was replaced.
        ``bits`` evaluates a query (a search's own evaluation, which has matched the query's words
        already): whether a typed word is present is then not evaluated again."""
        corrected = query
        for word in words:
            q = text_query(word) if bits is not None else None
            if (bits(q) & (scope if scope is not None else -1)) if q is not None else self._present(word, deadline, scope):
                continue
            best = self._nearest(word, deadline, scope)
            if best:
                corrected = corrected.replace(word, best)
        return corrected if corrected != query else ""

    def _nearest(self, word: str, deadline: Deadline, scope: int | None = None) -> str:
        key = _key(word)
        limit = 1 if len(key) <= 4 else 2
        near = []
        nearby = (k for n in range(len(key) - limit, len(key) + limit + 1) for k in self._by_length.get(n, ()))
        for n, entry_key in nearby:  # an edit distance within the limit needs a length within it
            deadline.check()
            value, kind, weight = self._entries[entry_key]
            distance = edit_distance(key, entry_key, limit)
            if distance <= limit:
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


def _entry_steps(searcher) -> Generator[None, None, dict[str, tuple[str, str, int]]]:
    """Everything worth suggesting (key → value, kind, weight), read from the index a
    name or term at a time."""
    entries: dict[str, tuple[str, str, int]] = {}

    def add(value: str, kind: str, weight: int) -> None:
        key = _key(value)
        if len(key) < 2:
            return
        old = entries.get(key)
        if old is None or (KIND_ORDER[kind], -weight) < (KIND_ORDER[old[1]], -old[2]):
            entries[key] = (value, kind, weight)

    for dept in gazetteer.departments():
        weight = searcher.doc_frequency("dept", dept.name)
        for name in (dept.name, *dept.aliases, *dept.short):
            add(name, "dept", weight)
            yield
    for topic in gazetteer.topics():
        add(topic.name, "topic", searcher.doc_frequency("topic", topic.name))
        yield
    for title, info in searcher.reader().iter_field("titles"):
        add(title.decode("utf-8") if isinstance(title, bytes) else title, "title", info.doc_frequency())
        yield
    for term in gazetteer.policy_terms():
        add(term, "term", 1)
        yield
    for term, info in searcher.reader().iter_field("body"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if info.doc_frequency() >= 2 and len(text) >= 2 and not text.isdigit():
            add(text, "term", info.doc_frequency())
        yield
    return entries


def _load(folder: Path, searcher) -> dict[str, tuple[str, str, int]] | None:
    """The entries written for this searcher's state of the index, or None."""
    data = read_derived(folder, PREFIX, FORMAT, searcher)
    try:
        return None if data is None else {key: (value, kind, weight) for key, value, kind, weight in data["entries"]}
    except (KeyError, ValueError, TypeError):
        return None  # damaged: build instead


def save_vocabulary(folder: Path, searcher) -> Path:
    """Write the entries for the searcher's state of the index (unless there already);
    drop older files."""
    if _load(folder, searcher) is None:
        entries = Resumable(lambda: _entry_steps(searcher)).result()  # every step, no deadline
        return write_derived(folder, PREFIX, FORMAT, searcher,
                             {"entries": [[key, *entry] for key, entry in entries.items()]})
    drop_older(folder, PREFIX, searcher)
    return derived_path(folder, PREFIX, searcher)
