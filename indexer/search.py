"""Searching an index: requests in, hits and facet counts out, as plain data.

:class:`SearchIndex` holds one open index and one searcher per process and
reopens the searcher when the index has changed. It never calls Whoosh's
``Searcher.refresh()``: on whoosh-reloaded 2.7.5 that returns the old and the
new segments together after a merge (duplicate hits), and a reopen costs the
same.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .citation import citation
from .crossref import CrossReferences
from .draft import Passage, similar_passages
from .errors import DocumentNotFound, IndexNotFound
from .facets import FacetTable, as_mask, filter_and_count
from .highlight import snippets
from .indexing import item_from_record, open_whoosh_index
from .lifecycle import folder_identity
from .matching import Matcher
from .model import Document, from_dict
from .postings import Postings
from .query import parse_query, proximity_bonus, reference_only, scoring_query
from .results import Hit, IndexStats, SearchRequest, SearchResult
from .schema import PREAMBLE
from .scoring import Scorer
from .suggest import Suggestion, Vocabulary
from .tables import Tables

SEARCH_TIME_LIMIT_S = 3.0
RERANK_EXTRA = 20  # hits beyond the page that the proximity bonus may lift onto it

@dataclass
class _SearcherState:
    searcher: object
    tables: Tables
    matcher: Matcher
    scorer: Scorer

    @property
    def facets(self) -> FacetTable:
        return self.tables.facets

    def order(self, sort: str, matched: int, limit: int) -> list[int]:
        """The first ``limit`` matches by date (newest or oldest first, then item number)."""
        order = self.tables.order(sort)
        return order[as_mask(matched, self.facets.size)[order]][:limit].tolist()

    vocabulary: Vocabulary | None = None  # built on first use: suggestions and corrections
    crossrefs: CrossReferences | None = None  # built on first use: citations, policies, tasks


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


class SearchIndex:
    """An open index. Create one per process (gunicorn worker) and reuse it."""

    def __init__(self, index_dir: str | Path):
        self.path = Path(index_dir)
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
                tables = Tables.load(self.path, searcher) or Tables.build(postings)
                matcher = Matcher(postings, tables.facets.live, SEARCH_TIME_LIMIT_S)
                state = self._state = _SearcherState(searcher, tables, matcher, Scorer(postings))
            return state

    def stats(self) -> IndexStats:
        state = self._current()
        searcher = state.searcher
        documents = sum(1 for _ in searcher.lexicon("doc_id"))
        mtime = max((p.stat().st_mtime for p in self.path.iterdir() if p.is_file()), default=0.0)
        return IndexStats(documents=documents, records=searcher.doc_count(), last_modified=mtime, path=str(self.path))

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        state = self._current()
        searcher = state.searcher
        parsed = parse_query(request.q)
        filters = request.filters()
        query, relaxed = parsed.query, False
        candidates = self._docs(state, query)
        if not candidates and parsed.relaxed is not None:
            query, relaxed = parsed.relaxed, True  # nothing has every word: show what has some
            candidates = self._docs(state, query)
        matched, facets = filter_and_count(state.facets, candidates, filters)
        sort = request.sort if request.sort != "relevance" or not parsed.is_empty else "newest"
        offset = (request.page - 1) * request.size
        depth = offset + request.size
        if not matched:
            ranked: list[tuple[dict, float | None]] = []
        elif sort == "relevance":
            ranked = self._by_relevance(state, parsed, query if relaxed else None, matched, depth)
        else:
            ranked = [(searcher.stored_fields(d), None) for d in state.order(sort, matched, depth)[offset:]]
            offset = 0
        hits = tuple(self._hit(stored, parsed.terms, score) for stored, score in ranked[offset:offset + request.size])
        did_you_mean = ""
        if parsed.words and (relaxed or not matched):
            did_you_mean = self._vocabulary(state).correct(request.q, parsed.words)
        return SearchResult(
            request=request,
            total=matched.bit_count(),
            hits=hits,
            facets=facets,
            terms=parsed.terms,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            relaxed=relaxed,
            did_you_mean=did_you_mean,
        )

    @classmethod
    def _by_relevance(cls, state: _SearcherState, parsed, relaxed_query, matched: int, depth: int):
        """(stored fields, score) of the top ``depth`` matches. The records the query
        names outright (its document numbers and sessions: ``parsed.pinned``) come
        first, whatever BM25 thinks of the records that only mention them; then the
        records where a department it names leads the work (``parsed.preferred``);
        then the rest. Within each, by score (see :meth:`_ranked`)."""
        scoring = scoring_query(relaxed_query or parsed.query, state.searcher.doc_frequency)
        pinned = state.matcher.bits(parsed.pinned) & matched if parsed.pinned is not None else 0
        preferred = state.matcher.bits(parsed.preferred) & matched & ~pinned if parsed.preferred is not None else 0
        final = []
        for tier in (pinned, preferred, matched & ~pinned & ~preferred):
            if tier and len(final) < depth:
                final += cls._ranked(state, parsed, scoring, tier, depth - len(final))
        return final

    @staticmethod
    def _ranked(state: _SearcherState, parsed, scoring, matched: int, depth: int):
        """(stored fields, score) of the top ``depth`` of ``matched``: scored by the position-free query (restricted
        to the true matches), reranked by proximity read from the stored text; equal scores
        newest first. Matches the scoring query leaves out follow, newest first."""
        if not matched:
            return []
        searcher = state.searcher
        wanted = depth + RERANK_EXTRA
        scored = state.scorer.top(scoring, as_mask(matched, state.facets.size), wanted)
        if len(scored) < wanted and len(scored) < matched.bit_count():
            seen = {d for d, _ in scored}
            scored += [(d, 0.0) for d in state.order("newest", matched, wanted) if d not in seen][:wanted - len(scored)]
        final = []
        for docnum, score in scored:
            stored = searcher.stored_fields(docnum)  # read once: the rerank and the hit both use it
            final.append((stored, score * proximity_bonus(stored.get("body", ""), parsed.words)))
        final.sort(key=lambda t: t[0].get("date", ""), reverse=True)
        final.sort(key=lambda t: -t[1])  # stable: equal scores stay newest first
        return final

    def lookup(self, q: str) -> tuple[str, ...]:
        """The documents a query names outright by number or session (〔2021〕9号,
        第128次常务会议), in date order; empty when the query is anything else."""
        reference = reference_only(q)
        if reference is None:
            return ()
        searcher = self._current().searcher
        found = {}
        for hit in searcher.search(reference, limit=None):
            found.setdefault(hit["doc_id"], hit.get("date", ""))
        return tuple(sorted(found, key=found.get, reverse=True))

    def similar(self, draft: str, limit: int = 10) -> tuple[Passage, ...]:
        """Past passages closest to a paragraph being drafted."""
        return similar_passages(self._current().searcher, draft, limit)

    def crossrefs(self) -> CrossReferences:
        """Citations, policy paths and department tasks over the whole index."""
        state = self._current()
        if state.crossrefs is None:
            state.crossrefs = CrossReferences(state.searcher)
        return state.crossrefs

    def suggest(self, prefix: str, limit: int = 10) -> tuple[Suggestion, ...]:
        """Completions for what is typed so far: departments, topics, titles, frequent terms."""
        return self._vocabulary(self._current()).complete(prefix, limit)

    @staticmethod
    def _vocabulary(state: _SearcherState) -> Vocabulary:
        if state.vocabulary is None:
            state.vocabulary = Vocabulary.build(state.searcher, lambda q: bool(state.matcher.bits(q)))
        return state.vocabulary

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

    @staticmethod
    def _docs(state: _SearcherState, query) -> int:
        """Every record the query matches, as a bitset (see :mod:`indexer.matching`)."""
        state.matcher.time_limit = SEARCH_TIME_LIMIT_S
        return state.matcher.bits(query)

    def document(self, doc_id: str) -> Document:
        records = sorted(self._current().searcher.documents(doc_id=doc_id), key=lambda r: r["item_no"])
        if not records:
            raise DocumentNotFound(doc_id)
        records = [r for r in records if r.get("part") != PREAMBLE]
        meta = json.loads(records[0]["doc_meta"])
        return replace(from_dict(Document, {**meta, "items": []}), items=tuple(item_from_record(r) for r in records))
