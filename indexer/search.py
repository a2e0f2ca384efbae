"""Searching an index: requests in, hits and facet counts out, as plain data.

:class:`SearchIndex` holds one open index and one searcher per process and
reopens the searcher when the index has changed. It never calls Whoosh's
``Searcher.refresh()``: on whoosh-reloaded 2.7.5 that returns the old and the
new segments together after a merge (duplicate hits), and a reopen costs the
same.

Every method that reads the index takes the request's
:class:`~indexer.deadline.Deadline` (without one, a new one of the index's time
limit) and passes it to every step, so the whole request runs under the limit:
matching, scoring, reading and reranking the top records, snippets,
corrections, the drafting aid, and the first builds of the cross-references and
the vocabulary (see :mod:`indexer.deadline`).
"""
from __future__ import annotations

import json
import logging
import threading
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import query as wq

from .citation import citation
from .crossref import CrossReferences
from .deadline import NO_DEADLINE, Deadline, Resumable
from .draft import Passage, similar_passages
from .errors import DocumentNotFound, IndexNotFound
from .facets import FacetTable, as_mask, filter_and_count, iter_bits
from .highlight import snippets
from .indexing import item_from_record, open_whoosh_index
from .lifecycle import folder_identity, live_dir
from .matching import Matcher
from .model import Document, from_dict
from .postings import Postings
from .query import ParsedQuery, parse_query, proximity_bonus, reference_only, scoring_query
from .results import FacetValue, Hit, IndexStats, SearchRequest, SearchResult
from .schema import PREAMBLE
from .scoring import Scorer
from .suggest import Suggestion, Vocabulary
from .tables import Tables
from .timeline import Timeline, month_codes, series
from .visibility import Access

SEARCH_TIME_LIMIT_S = 3.0  # an index's time limit per call, unless it is opened with another
RERANK_EXTRA = 20  # hits beyond the page that the proximity bonus may lift onto it
VISIBLE_CACHE_SIZE = 64  # distinct accesses (sets of labels) whose visible records a searcher keeps


@dataclass
class _SearcherState:
    searcher: object
    folder: Path  # the index's live/ folder, where the derived files are
    tables: Tables
    matcher: Matcher
    scorer: Scorer
    open_searcher: Callable[[], object]  # a searcher of its own, for the cross-references' build
    # Built on first use, under the deadlines of the requests that need them.
    vocabulary: Resumable[Vocabulary] = field(init=False)  # suggestions and corrections
    crossrefs: Resumable[CrossReferences] = field(init=False)  # citations, policies, tasks

    _visible: dict[frozenset[str], int] = field(init=False, default_factory=dict)
    _months: object = field(init=False, default=None)  # each record's month, for timelines (read on first use)

    def __post_init__(self):
        self.vocabulary = Resumable(lambda: Vocabulary.steps(self.searcher, self.matches, self.folder))
        self.crossrefs = Resumable(lambda: _crossref_steps(self.open_searcher, self.folder))

    def visible(self, access: Access | None) -> int:
        """The live records ``access`` may read, as a bitset (None: every record)."""
        if access is None or access.unrestricted:
            return self.matcher.live
        bits = self._visible.get(access.labels)
        if bits is None:
            bits = 0
            for label in access.labels:
                bits |= self.matcher.bits(wq.Term("visibility", label))
            if len(self._visible) >= VISIBLE_CACHE_SIZE:
                self._visible.clear()
            self._visible[access.labels] = bits
        return bits

    @property
    def facets(self) -> FacetTable:
        return self.tables.facets

    def matches(self, q, deadline: Deadline, scope: int | None = None) -> bool:
        """Whether ``q`` matches any record (of ``scope``, a bitset, when given)."""
        bits = self.matcher.bits(q, deadline)
        return bool(bits if scope is None else bits & scope)

    def order(self, sort: str, matched: int, limit: int) -> list[int]:
        """The first ``limit`` matches by date (newest or oldest first, then item number)."""
        order = self.tables.order(sort)
        return order[as_mask(matched, self.facets.size)[order]][:limit].tolist()


@dataclass(frozen=True)
class _Matches:
    """What a request matches, before ranking."""

    parsed: ParsedQuery
    query: object  # the query that matched: the request's, or its relaxed form
    relaxed: bool
    matched: int  # bitset, after the filters
    facets: dict[str, tuple[FacetValue, ...]]
    sort: str


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


class SearchIndex:
    """An open index. Create one per process (gunicorn worker) and reuse it.

    ``time_limit`` is the seconds a call made without a deadline may take: by default
    ``SEARCH_TIME_LIMIT_S`` as it is when the index is opened; None for no limit
    (the command line: the user who waits is the one who asked)."""

    def __init__(self, index_dir: str | Path, time_limit: float | None | types.EllipsisType = ...):
        self.path = Path(index_dir)
        self.time_limit = SEARCH_TIME_LIMIT_S if time_limit is ... else time_limit
        self._ix = open_whoosh_index(self.path)
        self._identity = folder_identity(self.path)
        self._state: _SearcherState | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._state:
                self._state.searcher.close()
                self._state = None
            self._ix.close()

    def _current(self) -> _SearcherState:
        """The searcher, reopened (never refreshed) when the index has changed."""
        with self._lock:
            state = self._state
            try:
                swapped = folder_identity(self.path) != self._identity  # a rebuild was swapped in
            except FileNotFoundError:
                raise IndexNotFound(str(self.path)) from None
            if state is None or swapped or not state.searcher.up_to_date():
                if state is not None:
                    state.searcher.close()
                if swapped:
                    self._ix.close()
                    self._ix = open_whoosh_index(self.path)  # checks schema and analyzer again
                    self._identity = folder_identity(self.path)
                searcher = self._ix.searcher()
                postings = Postings(searcher)
                folder = live_dir(self.path)
                tables = Tables.load(folder, searcher) or Tables.build(postings)
                matcher = Matcher(postings, tables.facets.live)
                state = self._state = _SearcherState(searcher, folder, tables, matcher, Scorer(postings),
                                                     self._ix.searcher)
            return state

    def stats(self, access: Access | None = None) -> IndexStats:
        """How many documents and records ``access`` may read (None: all), and when the index changed."""
        state = self._current()
        searcher = state.searcher
        mtime = max((p.stat().st_mtime for p in live_dir(self.path).iterdir() if p.is_file()), default=0.0)
        if access is None or access.unrestricted:
            documents, records = sum(1 for _ in searcher.lexicon("doc_id")), searcher.doc_count()
        else:
            visible = state.visible(access)
            mask = as_mask(visible, state.facets.size)
            # A document's records share its visibility (deleted records are not in the mask).
            documents = sum(1 for doc_id in searcher.lexicon("doc_id")
                            if mask[state.matcher.postings.get("doc_id", doc_id)[0]].any())
            records = visible.bit_count()
        return IndexStats(documents=documents, records=records, last_modified=mtime, path=str(self.path))

    def deadline(self) -> Deadline:
        """A new deadline, this index's time limit from now."""
        return Deadline.after(self.time_limit)

    def _deadline(self, deadline: Deadline | None) -> Deadline:
        return deadline if deadline is not None else self.deadline()

    def search(self, request: SearchRequest, deadline: Deadline | None = None,
               access: Access | None = None) -> SearchResult:
        """The request's page of hits and its facet counts, over what ``access`` may read
        (None: everything; the web app always passes the caller's)."""
        started = time.perf_counter()
        deadline = self._deadline(deadline)
        state = self._current()
        scope = state.visible(access)
        found = self._match(state, request, deadline, scope)
        offset = (request.page - 1) * request.size
        hits = self._hits(self._ranked(state, found, offset, request.size, deadline), found.parsed.terms, deadline)
        did_you_mean = ""
        if found.parsed.words and (found.relaxed or not found.matched):
            vocabulary = state.vocabulary.result(deadline)
            did_you_mean = vocabulary.correct(request.q, found.parsed.words, deadline,
                                              None if access is None or access.unrestricted else scope)
        return SearchResult(
            request=request,
            total=found.matched.bit_count(),
            hits=hits,
            facets=found.facets,
            terms=found.parsed.terms,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            relaxed=found.relaxed,
            did_you_mean=did_you_mean,
        )

    def hits(self, request: SearchRequest, limit: int, deadline: Deadline | None = None,
             access: Access | None = None) -> tuple[Hit, ...]:
        """The first ``limit`` hits of ``request`` in its order (its page and size aside),
        from one search: for exports, which want more than a page."""
        deadline = self._deadline(deadline)
        state = self._current()
        found = self._match(state, request, deadline, state.visible(access))
        return self._hits(self._ranked(state, found, 0, limit, deadline), found.parsed.terms, deadline)

    @staticmethod
    def _match(state: _SearcherState, request: SearchRequest, deadline: Deadline, scope: int) -> _Matches:
        """Every record of ``scope`` (a bitset: what the caller may read) the request matches
        (see :mod:`indexer.matching`), filtered, with facet counts."""
        parsed = parse_query(request.q)
        query, relaxed = parsed.query, False
        candidates = state.matcher.bits(query, deadline) & scope
        if not candidates and parsed.relaxed is not None:
            query, relaxed = parsed.relaxed, True  # nothing has every word: show what has some
            candidates = state.matcher.bits(query, deadline) & scope
        matched, facets = filter_and_count(state.facets, candidates, request.filters())
        deadline.check()
        sort = request.sort if request.sort != "relevance" or not parsed.is_empty else "newest"
        return _Matches(parsed, query, relaxed, matched, facets, sort)

    @classmethod
    def _ranked(cls, state: _SearcherState, found: _Matches, offset: int, count: int,
                deadline: Deadline) -> list[tuple[dict, float | None]]:
        """(stored fields, score) of matches ``offset`` to ``offset + count`` in the request's order."""
        if not found.matched:
            return []
        if found.sort == "relevance":
            ranked = cls._by_relevance(state, found.parsed, found.query if found.relaxed else None, found.matched,
                                       offset + count, deadline)
            return ranked[offset:offset + count]
        return [(state.searcher.stored_fields(d), None)
                for d in _checked(state.order(found.sort, found.matched, offset + count)[offset:], deadline)]

    @classmethod
    def _hits(cls, ranked: list[tuple[dict, float | None]], terms: tuple[str, ...],
              deadline: Deadline) -> tuple[Hit, ...]:
        hits = []
        for stored, score in ranked:
            hits.append(cls._hit(stored, terms, score))
            deadline.check()  # after each hit's snippets
        return tuple(hits)

    @classmethod
    def _by_relevance(cls, state: _SearcherState, parsed, relaxed_query, matched: int, depth: int, deadline: Deadline):
        """(stored fields, score) of the top ``depth`` matches. The records the query
        names outright (its document numbers and sessions: ``parsed.pinned``) come
        first, whatever BM25 thinks of the records that only mention them; then the
        records where a department it names leads the work (``parsed.preferred``);
        then the rest. Within each, by score (see :meth:`_by_score`)."""
        scoring = scoring_query(relaxed_query or parsed.query, state.searcher.doc_frequency)
        pinned = state.matcher.bits(parsed.pinned, deadline) & matched if parsed.pinned is not None else 0
        preferred = (state.matcher.bits(parsed.preferred, deadline) & matched & ~pinned
                     if parsed.preferred is not None else 0)
        final = []
        for tier in (pinned, preferred, matched & ~pinned & ~preferred):
            if tier and len(final) < depth:
                final += cls._by_score(state, parsed, scoring, tier, depth - len(final), deadline)
        return final

    @staticmethod
    def _by_score(state: _SearcherState, parsed, scoring, matched: int, depth: int, deadline: Deadline):
        """(stored fields, score) of the top ``depth`` of ``matched``: scored by the position-free query (restricted
        to the true matches), reranked by proximity read from the stored text; equal scores
        newest first. Matches the scoring query leaves out follow, newest first."""
        if not matched:
            return []
        searcher = state.searcher
        wanted = depth + RERANK_EXTRA
        scored = state.scorer.top(scoring, as_mask(matched, state.facets.size), wanted, deadline)
        if len(scored) < wanted and len(scored) < matched.bit_count():
            seen = {d for d, _ in scored}
            scored += [(d, 0.0) for d in state.order("newest", matched, wanted) if d not in seen][:wanted - len(scored)]
        final = []
        for docnum, score in scored:
            deadline.check()
            stored = searcher.stored_fields(docnum)  # read once: the rerank and the hit both use it
            final.append((stored, score * proximity_bonus(stored.get("body", ""), parsed.words)))
        final.sort(key=lambda t: t[0].get("date", ""), reverse=True)
        final.sort(key=lambda t: -t[1])  # stable: equal scores stay newest first
        return final

    def timeline(self, request: SearchRequest, unit: str = "", deadline: Deadline | None = None,
                 access: Access | None = None) -> Timeline:
        """What ``request`` matches (its page and sort aside) per month or year (``unit``; by
        default by the span of the matches), stacked by document type: see :mod:`indexer.timeline`."""
        deadline = self._deadline(deadline)
        state = self._current()
        found = self._match(state, request, deadline, state.visible(access))
        if state._months is None:
            state._months = month_codes(state.matcher.postings, state.facets.size)
        return series(state._months, state.facets, found.matched, unit)

    def lookup(self, q: str, deadline: Deadline | None = None, access: Access | None = None) -> tuple[str, ...]:
        """The documents a query names outright by number or session (〔2021〕9号,
        第128次常务会议), in date order; empty when the query is anything else."""
        reference = reference_only(q)
        if reference is None:
            return ()
        deadline = self._deadline(deadline)
        state = self._current()
        found = {}
        bits = state.matcher.bits(reference, deadline) & state.visible(access)
        for docnum in _checked(iter_bits(bits, state.facets.size), deadline):
            stored = state.searcher.stored_fields(docnum)
            found.setdefault(stored["doc_id"], stored.get("date", ""))
        return tuple(sorted(found, key=found.get, reverse=True))

    def similar(self, draft: str, limit: int = 10, deadline: Deadline | None = None,
                access: Access | None = None) -> tuple[Passage, ...]:
        """Past passages closest to a paragraph being drafted."""
        state = self._current()
        return similar_passages(state.scorer, as_mask(state.visible(access), state.facets.size), draft, limit,
                                self._deadline(deadline))

    def crossrefs(self, deadline: Deadline | None = None, access: Access | None = None) -> CrossReferences:
        """Citations, policy paths and department tasks over the documents ``access`` may
        read (built on first use: a build cut short by the deadline goes on at the next call)."""
        return self._current().crossrefs.result(self._deadline(deadline)).scoped(access)

    def suggest(self, prefix: str, limit: int = 10, deadline: Deadline | None = None,
                access: Access | None = None) -> tuple[Suggestion, ...]:
        """Completions for what is typed so far: departments, topics, titles, frequent terms
        (only those found in what ``access`` may read)."""
        deadline = self._deadline(deadline)
        state = self._current()
        scope = None if access is None or access.unrestricted else state.visible(access)
        return state.vocabulary.result(deadline).complete(prefix, limit, deadline, scope)

    def warm(self, deadline: Deadline | None = None, background: bool = False) -> None:
        """Open the searcher and build what it keeps for later (the vocabulary, the
        cross-references) now, before requests need it; what the deadline leaves undone,
        requests finish. ``background``: the cross-references (seconds at a city's scale,
        and no search needs them) are built on a thread of their own, with a searcher of
        their own, so that searches are answered meanwhile."""
        deadline = self._deadline(deadline)
        state = self._current()
        state.vocabulary.result(deadline)  # read from its file: milliseconds
        if background:
            threading.Thread(target=_build, args=(state.crossrefs,), name="crossrefs", daemon=True).start()
        else:
            state.crossrefs.result(deadline)

    @staticmethod
    def _hit(f: dict, terms: tuple[str, ...], score: float | None) -> Hit:
        return Hit(
            id=f["id"], doc_id=f["doc_id"], doc_title=f["doc_title"], doc_number=f.get("doc_number", ""),
            doc_type=f.get("doc_type", ""), date=f.get("date", ""), item_no=f["item_no"],
            item_title=f.get("item_title", ""),
            citation=citation(f["doc_title"], f.get("doc_number", ""), f["item_no"],
                              issuer=f.get("issuer", ""), date=f.get("date", "")),
            part=f.get("part", "item"),
            fragments=snippets(f.get("body", ""), terms),
            score=round(score, 4) if score is not None else 0.0,
            departments=_split(f.get("dept", "")), topics=_split(f.get("topic", "")),
        )

    def document(self, doc_id: str, deadline: Deadline | None = None, access: Access | None = None) -> Document:
        """The document; :class:`DocumentNotFound` when there is none or ``access`` may not read it."""
        deadline = self._deadline(deadline)
        records = sorted(self._current().searcher.documents(doc_id=doc_id), key=lambda r: r["item_no"])
        if not records or (access is not None and not access.allows(records[0].get("visibility", ""))):
            raise DocumentNotFound(doc_id)
        records = [r for r in records if r.get("part") != PREAMBLE]
        meta = json.loads(records[0]["doc_meta"])
        items = tuple(item_from_record(r) for r in _checked(records, deadline))
        return replace(from_dict(Document, {**meta, "items": []}), items=items)


def _crossref_steps(open_searcher, folder: Path):
    """The cross-references ``minutes index`` saved for this state of the index, else their
    build on a searcher of its own (closed when done), so that it may run on another thread
    than the requests' searcher."""
    searcher = open_searcher()
    try:
        saved = CrossReferences.saved(folder, searcher)
        if saved is not None:
            return saved
        return (yield from CrossReferences.steps(searcher))
    finally:
        searcher.close()


def _build(work: Resumable) -> None:
    try:
        work.result(NO_DEADLINE)
    except Exception:  # noqa: BLE001 - a failed build is retried by the next request that needs it
        logging.getLogger(__name__).exception("building in the background failed")


def _checked(values: Iterable, deadline: Deadline):
    """The values, the deadline checked before each."""
    for value in values:
        deadline.check()
        yield value
