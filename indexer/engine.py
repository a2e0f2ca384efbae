"""The index, opened and searched: :class:`SearchIndex`, the engine's one face for reading.

:class:`SearchIndex` holds one open index and one searcher per process and reopens the
searcher when the index has changed (where it is written: :mod:`indexer.ingest.indexing`;
opened and checked: :mod:`indexer.store.index`). It never calls Whoosh's
``Searcher.refresh()``: on whoosh-reloaded 2.7.5 that returns the old and the new
segments together after a merge (duplicate hits), and a reopen costs the same.

A request is matched once (:mod:`indexer.search.evaluation`); the search page's hits,
facet counts, timeline and number lookup all come from that one match (:meth:`SearchIndex.page`).
The cross-references, the meeting calendar, the vocabulary of suggestions and the short names
the documents define are built once per searcher (or read from the files ``minutes index``
saved) and kept with it.

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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import settings
from .analytics import (
    Answer,
    CrossReferences,
    Labels,
    Lineage,
    Timeline,
    Validity,
    ValidityTable,
    answer,
    ask,
    lineage,
    load_validity,
    month_codes,
    series,
    subjects,
    subjects_ready,
    with_validity,
)
from .deadline import NO_DEADLINE, Deadline, Resumable
from .errors import DocumentNotFound, IndexNotFound
from .model import Document, from_dict
from .search import (
    AliasTable,
    Evaluation,
    Expansion,
    Hit,
    IndexStats,
    Matcher,
    Passage,
    Scorer,
    SearchRequest,
    SearchResult,
    Snapshot,
    Suggestion,
    Tables,
    Vocabulary,
    as_mask,
    evaluate,
    similar_passages,
)
from .store import (
    PREAMBLE,
    Postings,
    folder_identity,
    item_from_record,
    live_dir,
    open_whoosh_index,
)
from .visibility import Access

SEARCH_TIME_LIMIT_S = settings.default("SEARCH_TIME_LIMIT")  # an index's limit per call (3 s), unless opened with another
VISIBLE_CACHE_SIZE = 64  # distinct accesses (sets of labels) whose visible records a searcher keeps


@dataclass
class _SearcherState:
    """One open searcher and what is kept with it until the index changes."""

    snapshot: Snapshot
    folder: Path  # the index's live/ folder, where the derived files are
    open_searcher: Callable[[], object]  # a searcher of its own, for the cross-references' build
    labels: Labels  # each document's force (its facet is in the snapshot's tables) ...
    # Built on first use, under the deadlines of the requests that need them.
    vocabulary: Resumable[Vocabulary] = field(init=False)  # suggestions and corrections
    crossrefs: Resumable[CrossReferences] = field(init=False)  # citations, policies, tasks
    aliases: Resumable[AliasTable] = field(init=False)  # short names the documents define
    # ... and its evidence: read on first use (a document page, the answer card), not at opening.
    _validity: ValidityTable | None = None
    _validity_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    _visible: dict[frozenset[str], int] = field(init=False, default_factory=dict)
    _scoped: dict[frozenset[str], Snapshot] = field(init=False, default_factory=dict)
    _months: object = field(init=False, default=None)  # each record's month, for timelines (read on first use)

    def __post_init__(self):
        self.vocabulary = Resumable(lambda: Vocabulary.steps(self.searcher, self.matches, self.folder))
        self.crossrefs = Resumable(lambda: CrossReferences.saved_or_steps(self.open_searcher, self.folder))
        self.aliases = Resumable(lambda: AliasTable.steps(self.searcher, self.folder))

    @property
    def searcher(self):
        return self.snapshot.searcher

    @property
    def validity(self) -> ValidityTable:
        with self._validity_lock:  # (read once, whichever thread asks first)
            if self._validity is None:
                self._validity = load_validity(self.folder, self.searcher)
            return self._validity

    def visible(self, access: Access | None) -> int:
        """The live records ``access`` may read, as a bitset (None: every record)."""
        if access is None or access.unrestricted:
            return self.snapshot.matcher.live
        bits = self._visible.get(access.labels)
        if bits is None:
            bits = self.snapshot.labelled(access.labels)
            if len(self._visible) >= VISIBLE_CACHE_SIZE:
                self._visible.clear()
            self._visible[access.labels] = bits
        return bits

    def scoped(self, access: Access | None) -> Snapshot:
        """The snapshot as ``access`` sees it: its scorer counts term statistics over the records
        ``access`` may read only (issue 26), so no score depends on a hidden record."""
        if access is None or access.unrestricted:
            return self.snapshot
        snapshot = self._scoped.get(access.labels)
        if snapshot is None:
            visible = self.visible(access)
            # A caller who may read every record is scored as the whole index is (Whoosh's exactly).
            scorer = self.snapshot.scorer if visible == self.snapshot.matcher.live else \
                self.snapshot.scorer.within(as_mask(visible, self.snapshot.size))
            snapshot = replace(self.snapshot, scorer=scorer)
            if len(self._scoped) >= VISIBLE_CACHE_SIZE:
                self._scoped.clear()
            self._scoped[access.labels] = snapshot
        return snapshot

    def expansions(self, access: Access | None, deadline: Deadline) -> Callable[[str], tuple[Expansion, ...]]:
        """The names the documents ``access`` may read define for a word (see :mod:`indexer.search.aliases`)."""
        table = self.aliases.result(deadline)
        return lambda word: table.expansions(word, access)

    def evaluation(self, request: SearchRequest, deadline: Deadline, access: Access | None) -> Evaluation:
        """``request`` parsed for ``access``, not yet matched."""
        return Evaluation.of(self.scoped(access), request, self.visible(access), self.expansions(access, deadline))

    def matches(self, q, deadline: Deadline, scope: int | None = None) -> bool:
        """Whether ``q`` matches any record (of ``scope``, a bitset, when given)."""
        bits = self.snapshot.matcher.bits(q, deadline)
        return bool(bits if scope is None else bits & scope)

    def months(self):
        """Each record's month, read once per searcher (see :func:`indexer.analytics.timeline.month_codes`)."""
        if self._months is None:
            self._months = month_codes(self.snapshot.matcher.postings, self.snapshot.size)
        return self._months


@dataclass(frozen=True)
class SearchPage:
    """A search page from one evaluation of its request: when asked, the documents a typed
    number or session names; unless that is exactly one document (the page opens it), the
    results and the timeline of the same matches."""

    named: tuple[str, ...]
    result: SearchResult | None
    timeline: Timeline | None


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
                # The labels alone from their file (else from the table, read or built): the facet needs them.
                labels, validity = Labels.saved(folder, searcher), None
                if labels is None:
                    validity = load_validity(folder, searcher)
                    labels = validity.labels
                tables = with_validity(tables, labels, postings)
                snapshot = Snapshot(searcher, tables, Matcher(postings, tables.facets.live), Scorer(postings))
                state = self._state = _SearcherState(snapshot, folder, self._ix.searcher, labels, validity)
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
            mask = as_mask(visible, state.snapshot.size)
            # A document's records share its visibility (deleted records are not in the mask).
            documents = sum(1 for doc_id in searcher.lexicon("doc_id")
                            if mask[state.snapshot.matcher.postings.get("doc_id", doc_id)[0]].any())
            records = visible.bit_count()
        return IndexStats(documents=documents, records=records, last_modified=mtime, path=str(self.path))

    def deadline(self) -> Deadline:
        """A new deadline, this index's time limit from now."""
        return Deadline.after(self.time_limit)

    def _deadline(self, deadline: Deadline | None) -> Deadline:
        return deadline if deadline is not None else self.deadline()

    def _evaluate(self, request: SearchRequest, deadline: Deadline, access: Access | None
                  ) -> tuple[_SearcherState, Evaluation]:
        state = self._current()
        return state, evaluate(state.scoped(access), request, deadline, state.visible(access),
                               state.expansions(access, deadline))

    def page(self, request: SearchRequest, deadline: Deadline | None = None, access: Access | None = None, *,
             lookup: bool = False, unit: str = "") -> SearchPage:
        """The search page of ``request`` over what ``access`` may read, from one evaluation:
        with ``lookup``, first the documents the query names when it is a document number or
        session on its own (when that is one document, nothing else is made: the page opens
        it); then the page of hits with the facet counts, and the timeline by ``unit``."""
        started = time.perf_counter()
        deadline = self._deadline(deadline)
        state = self._current()
        ev = state.evaluation(request, deadline, access)
        named = ev.named(deadline) if lookup else ()  # a number's own records first: maybe nothing more is needed
        if len(named) == 1:
            return SearchPage(named, None, None)
        ev.match(deadline)  # (the number's records are not evaluated again)
        result = self._result(state, ev, deadline, access, started)
        return SearchPage(named, result, series(state.months(), state.snapshot.facets, ev.matched, unit))

    def search(self, request: SearchRequest, deadline: Deadline | None = None,
               access: Access | None = None) -> SearchResult:
        """The request's page of hits and its facet counts, over what ``access`` may read
        (None: everything; the web app always passes the caller's)."""
        started = time.perf_counter()
        deadline = self._deadline(deadline)
        state, ev = self._evaluate(request, deadline, access)
        return self._result(state, ev, deadline, access, started)

    @staticmethod
    def _result(state: _SearcherState, ev: Evaluation, deadline: Deadline, access: Access | None,
                started: float) -> SearchResult:
        hits = state.labels.labelled(ev.page_hits(deadline))
        did_you_mean = ""
        if ev.parsed.words and (ev.relaxed or not ev.matched):
            vocabulary = state.vocabulary.result(deadline)
            restricted = access is not None and not access.unrestricted
            did_you_mean = vocabulary.correct(ev.request.q, ev.parsed.words, deadline, ev.scope if restricted else None,
                                              bits=lambda q: ev.bits(q, deadline),
                                              labels=access.labels if restricted else None)
        return SearchResult(
            request=ev.request,
            total=ev.total,
            hits=hits,
            facets=ev.facets,
            terms=ev.parsed.terms,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            relaxed=ev.relaxed,
            did_you_mean=did_you_mean,
            expansions=ev.parsed.expansions,
        )

    def hits(self, request: SearchRequest, limit: int, deadline: Deadline | None = None,
             access: Access | None = None) -> tuple[Hit, ...]:
        """The first ``limit`` hits of ``request`` in its order (its page and size aside),
        from one search: for exports, which want more than a page."""
        deadline = self._deadline(deadline)
        state, ev = self._evaluate(request, deadline, access)
        return state.labels.labelled(ev.hits(0, limit, deadline))

    def timeline(self, request: SearchRequest, unit: str = "", deadline: Deadline | None = None,
                 access: Access | None = None) -> Timeline:
        """What ``request`` matches (its page and sort aside) per month or year (``unit``; by
        default by the span of the matches), stacked by document type: see :mod:`indexer.analytics.timeline`."""
        deadline = self._deadline(deadline)
        state, ev = self._evaluate(request, deadline, access)
        return series(state.months(), state.snapshot.facets, ev.matched, unit)

    def lookup(self, q: str, deadline: Deadline | None = None, access: Access | None = None) -> tuple[str, ...]:
        """The documents a query names outright by number or session (〔2021〕9号,
        第128次常务会议), newest first; empty when the query is anything else."""
        deadline = self._deadline(deadline)
        state = self._current()
        # Only the reference is evaluated: the query's own match is not needed.
        ev = state.evaluation(SearchRequest(q=q), deadline, access)
        return ev.named(deadline)

    def similar(self, draft: str, limit: int = 10, deadline: Deadline | None = None,
                access: Access | None = None) -> tuple[Passage, ...]:
        """Past passages closest to a paragraph being drafted."""
        state = self._current()
        return similar_passages(state.scoped(access).scorer, as_mask(state.visible(access), state.snapshot.size), draft,
                                limit, self._deadline(deadline))

    def crossrefs(self, deadline: Deadline | None = None, access: Access | None = None) -> CrossReferences:
        """Citations, policy paths and department tasks over the documents ``access`` may
        read (built on first use: a build cut short by the deadline goes on at the next call)."""
        return self._current().crossrefs.result(self._deadline(deadline)).scoped(access)

    def answer(self, q: str, deadline: Deadline | None = None, access: Access | None = None, *,
               wait: bool = True) -> Answer | None:
        """The answer card of a query that names a decision's subject or asks about one, drawn
        from the documents ``access`` may read; None when their structure does not answer it
        (see :mod:`indexer.analytics.answers`). Without ``wait`` (the search page), also None
        while the cross-references and the subjects indexed from them are not ready: loading
        them takes seconds at a city's scale, which no search page waits for (a worker
        builds them in the background after it starts: :meth:`warm`)."""
        question = ask(q)
        if question is None:
            return None
        deadline = self._deadline(deadline)
        state = self._current()
        if not wait and not (state.crossrefs.done and subjects_ready(state.crossrefs.result(deadline))):
            return None
        everything = state.crossrefs.result(deadline)  # the subjects are indexed once, for every caller

        def full_item(doc_id: str, item_no: int):  # the one record, read whole (the card quotes its text)
            for record in self._current().searcher.documents(doc_id=doc_id):
                if record["item_no"] == item_no and record.get("part") != PREAMBLE and \
                        (access is None or access.allows(record.get("visibility", ""))):
                    return item_from_record(record)
            return None

        return answer(everything.scoped(access), question, full_item, deadline, everything, state.validity)

    def validity(self, doc_id: str, access: Access | None = None) -> Validity:
        """Whether the document is in force, and the evidence (see :mod:`indexer.analytics.validity`);
        :class:`DocumentNotFound` when there is none or ``access`` may not read it. The evidence is
        only ever public documents."""
        table = self._current().validity
        facts = table.documents.get(doc_id)
        if facts is None or (access is not None and not access.allows(facts.visibility)):
            raise DocumentNotFound(doc_id)
        return table.validity(doc_id)

    def lineage(self, title: str, deadline: Deadline | None = None, access: Access | None = None) -> Lineage:
        """A policy's path across its names (草案, adopted text, 印发, revisions, repeal), each link with
        its reason, over what ``access`` may read (see :mod:`indexer.analytics.lineage`)."""
        return lineage(title, self.crossrefs(deadline, access), self._current().validity, access)

    def validity_table(self) -> ValidityTable:
        """Every document's force and what each document says of others' (callers filter by access)."""
        return self._current().validity

    def suggest(self, prefix: str, limit: int = 10, deadline: Deadline | None = None,
                access: Access | None = None) -> tuple[Suggestion, ...]:
        """Completions for what is typed so far: departments, topics, titles, frequent terms
        (only those found in what ``access`` may read)."""
        deadline = self._deadline(deadline)
        state = self._current()
        scope = None if access is None or access.unrestricted else state.visible(access)
        return state.vocabulary.result(deadline).complete(prefix, limit, deadline, scope,
                                                          None if scope is None else access.labels)

    def warm(self, deadline: Deadline | None = None, background: bool = False) -> None:
        """Open the searcher and build what it keeps for later (the vocabulary, the
        cross-references and the answer card's subjects indexed from them) now, before
        requests need it; what the deadline leaves undone, requests finish. ``background``: the cross-references (seconds at a city's scale,
        and no search needs them) are built on a thread of their own, with a searcher of
        their own, so that searches are answered meanwhile."""
        deadline = self._deadline(deadline)
        state = self._current()
        state.vocabulary.result(deadline)  # read from its file: milliseconds
        state.aliases.result(deadline)  # the same
        if background:
            threading.Thread(target=_build, args=(state,), name="crossrefs",
                             daemon=True).start()
        else:
            subjects(state.crossrefs.result(deadline), deadline, state.validity)

    def document(self, doc_id: str, deadline: Deadline | None = None, access: Access | None = None) -> Document:
        """The document; :class:`DocumentNotFound` when there is none or ``access`` may not read it."""
        deadline = self._deadline(deadline)
        state = self._current()
        # Who may read it is checked before anything is loaded, from the posting list of its id and the
        # caller's visible records (issue 26): a hidden document and a missing one are the same work.
        visible = state.visible(access)
        numbers = [int(n) for n in state.snapshot.matcher.postings.get("doc_id", doc_id)[0] if visible >> int(n) & 1]
        if not numbers:
            raise DocumentNotFound(doc_id)
        records = sorted((state.searcher.stored_fields(n) for n in numbers), key=lambda r: r["item_no"])
        records = [r for r in records if r.get("part") != PREAMBLE]
        meta = json.loads(records[0]["doc_meta"])
        items = tuple(item_from_record(r) for r in deadline.each(records))
        return replace(from_dict(Document, {**meta, "items": []}), items=items)


def _build(state: _SearcherState) -> None:
    try:  # (the validity table is read here too, off the thread that serves)
        subjects(state.crossrefs.result(NO_DEADLINE), NO_DEADLINE, state.validity)  # and the answer card's subjects
    except Exception:  # noqa: BLE001 - a failed build is retried by the next request that needs it
        logging.getLogger(__name__).exception("building in the background failed")
