"""Ranking a request's matches: which come first, and the hits they make.

Records the query names outright (its document numbers and sessions) come first, then
those of a year it names, then the rest; within each, by BM25F over a position-free form
of the query (:func:`scoring_query`, scored by :mod:`indexer.search.scoring`), reranked by
how near the query's words stand in the record's text (:func:`proximity_bonus`), times a
factor for how much of a long query the record (or its document) covers
(:func:`coordination`) and one for a department the query names leading the work there;
equal scores newest first.
"""
from __future__ import annotations

from collections.abc import Callable

from whoosh import query as wq

from ..citation import citation
from ..deadline import Deadline
from ..store import fold
from .facets import as_mask
from .highlight import snippets
from .query import ParsedQuery, QuotedPhrase
from .results import Hit
from .snapshot import Snapshot

RERANK_EXTRA = 20  # hits beyond the page that the proximity bonus may lift onto it
Ranked = list[tuple[dict, float]]  # (stored fields, score), best first


def scoring_query(q: wq.Query, frequency=None) -> wq.Query:
    """``q`` for ranking only: the matches themselves are decided by ``q``; this
    only scores them, so it can be cheaper. Exclusions are dropped; a phrase
    becomes its terms, except on the bigram field, where a phrase (there for
    recall across segmentations) becomes its rarest bigram — one short posting
    list instead of every record that shares a common bigram. ``frequency(field,
    text)`` gives document frequencies; without it the first bigram is used."""
    if isinstance(q, QuotedPhrase):
        # Like a phrase of the bigram field, by its rarest bigram; not one the query holds
        # across punctuation (the text most likely has punctuation there too, and then
        # the bigram is in the joins field, which does not score), nor one the bigram
        # field lacks.
        held = [w for w in q.scored if frequency(q.fieldname, w)] if frequency else list(q.scored)
        rarest = min(held, key=lambda w: frequency(q.fieldname, w)) if held and frequency else (held or q.words)[0]
        return wq.Term(q.fieldname, rarest, boost=q.boost)
    if isinstance(q, wq.Phrase):
        if q.fieldname == "body_bigram":
            rarest = min(q.words, key=lambda w: frequency(q.fieldname, w)) if frequency else q.words[0]
            return wq.Term(q.fieldname, rarest, boost=q.boost)
        return wq.And([wq.Term(q.fieldname, w) for w in q.words], boost=q.boost)
    if isinstance(q, wq.AndNot):
        return scoring_query(q.a, frequency)
    if isinstance(q, wq.CompoundQuery):
        return q.__class__([scoring_query(child, frequency) for child in q.subqueries], boost=q.boost)
    return q


def proximity_bonus(text: str, words: tuple[str, ...]) -> float:
    """A multiplier for a hit's score: the words side by side (×1.5) or within a
    sentence's reach of each other (×1.2)."""
    if len(words) < 2:
        return 1.0
    folded = fold(text).lower()
    keys = [fold(w).lower() for w in words]
    if "".join(keys) in folded:
        return 1.5
    starts = [folded.find(k) for k in keys]
    if all(s >= 0 for s in starts) and max(starts) - min(starts) <= 40:
        return 1.2
    return 1.0


def by_relevance(snapshot: Snapshot, parsed: ParsedQuery, query, matched: int, depth: int, deadline: Deadline,
                 bits: Callable[[object], int], coverage: tuple[int, ...] = (), relaxed: bool = False) -> Ranked:
    """The top ``depth`` of ``matched`` (the records ``query`` matched: the request's query or
    its relaxed form): the records the query names outright (``parsed.pinned``) first, whatever
    BM25 thinks of the records that only mention them; then records of a year the query names
    (``parsed.dated``: of the type it names too, or writing the year) before others. Within each
    tier, by score (see :func:`_by_score`) times :func:`coordination` of how many of the query's
    concepts a record, or its document between its records, covers (``coverage``, see
    :func:`indexer.search.evaluation.coverage`), times :data:`PREFERRED` where a department the
    query names leads the work (``parsed.preferred``). Factors, not tiers: a record that misses
    one of five concepts but is all about the other four may pass one that names all five in
    passing (strict levels ranked the harder set's paraphrases below plain BM25-OR). A relaxed
    query (nothing covers enough of the query) is ranked by its own score alone: its words may
    be whole sentences that only their bigrams match. ``bits`` evaluates a query to a bitset
    (the evaluation's, which evaluates each query once)."""
    # Records of a long query may miss a concept: scored by the concepts they hold (for a record
    # holding all of them, the same sum as the query's own conjunction).
    scored_by = wq.Or(list(parsed.concepts)) if coverage and not relaxed else query
    scoring = scoring_query(scored_by, snapshot.scorer.frequency)  # counted in the caller's scope
    pinned = bits(parsed.pinned) & matched if parsed.pinned is not None else 0
    rest = matched & ~pinned
    preferred = bits(parsed.preferred) & rest if parsed.preferred is not None else 0
    dated = bits(parsed.dated) & rest if parsed.dated is not None else 0
    if coverage and not relaxed:
        n = len(coverage) - 1
        levels = [(coverage[k] & ~(coverage[k + 1] if k < n else 0), coordination(k, n)) for k in range(n, -1, -1)]
    else:
        levels = [(matched, 1.0)]
    tiers = [[(pinned, 1.0)]] + [[(level & rest & d & p, factor * boost) for level, factor in levels
                                  for p, boost in ((preferred, PREFERRED), (~preferred, 1.0))]
                                 for d in (dated, ~dated)]
    final: Ranked = []
    for tier in tiers:
        if len(final) < depth:
            final += _by_score(snapshot, parsed, scoring, tier, depth - len(final), deadline)[:depth - len(final)]
    return final


COORDINATION = 2  # 1 and 2 do equally on the harder set; 3 and more (towards strict levels) worse
PREFERRED = 2.0  # the factor of a record where a department the query names leads (1.5-3 do equally)


def coordination(k: int, n: int) -> float:
    """The factor of a record's score for covering ``k`` of the query's ``n`` concepts (itself or
    its document between its records): (k / n) ** COORDINATION, after Lucene's classic coord."""
    return (k / n) ** COORDINATION if n else 1.0


def _by_score(snapshot: Snapshot, parsed: ParsedQuery, scoring, groups: list[tuple[int, float]], depth: int,
              deadline: Deadline) -> Ranked:
    """The top ``depth`` of the ``groups`` (bitsets of matches, each with its factor): each group's
    best by the position-free query (restricted to the true matches; matches it leaves out follow,
    newest first), times its factor, merged; the best of them reranked by proximity read from the
    stored text (read once for all groups); equal scores newest first."""
    wanted = depth + RERANK_EXTRA
    scored: list[tuple[int, float]] = []
    for matched, factor in groups:
        if not matched:
            continue
        top = snapshot.scorer.top(scoring, as_mask(matched, snapshot.size), wanted, deadline)
        if len(top) < wanted and len(top) < matched.bit_count():
            seen = {d for d, _ in top}
            top += [(d, 0.0) for d in snapshot.order("newest", matched, wanted) if d not in seen][:wanted - len(top)]
        scored += [(d, score * factor) for d, score in top]
    scored.sort(key=lambda t: -t[1])  # stable: each group's order kept among equal scores
    final = []
    for docnum, score in deadline.each(scored[:wanted]):
        stored = snapshot.stored(docnum)  # read once: the rerank and the hit both use it
        final.append((stored, score * proximity_bonus(stored.get("body", ""), parsed.words)))
    final.sort(key=lambda t: t[0].get("date", ""), reverse=True)
    final.sort(key=lambda t: -t[1])  # stable: equal scores stay newest first
    return final


def hit(f: dict, terms: tuple[str, ...], score: float | None) -> Hit:
    """The hit a record makes: its document's fields, the citation and the snippets."""
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


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)
