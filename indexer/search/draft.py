"""The drafting aid: past passages closest to a paragraph being drafted.

Candidates come from the index (BM25 over the draft's character bigrams, so
segmentation never hides a match: one large OR query, scored by
:class:`~indexer.search.scoring.Scorer` a term at a time under the request's deadline,
the same scores Whoosh's search gives); each candidate item is cut into passages —
its sub-points, else its paragraphs — and every passage is scored by the
cosine of its bigram set with the draft's. Shared wording is any run of four
or more characters that also occurs in the draft.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from ..citation import citation
from ..deadline import NO_DEADLINE, Deadline
from ..errors import QueryError
from ..normalize import normalize
from ..store import PREAMBLE, bigrams, fold, item_from_record
from .scoring import Scorer

MAX_DRAFT_CHARS = 3000
CANDIDATE_ITEMS = 40
MIN_SIMILARITY = 0.08
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class Passage:
    doc_id: str
    doc_title: str
    doc_number: str
    date: str
    item_no: int
    subpoint: int  # 0 when the passage is not a sub-point
    text: str
    citation: str
    similarity: float  # 0..1
    shared: tuple[tuple[int, int], ...]  # spans of wording the draft shares


def _grams(text: str) -> set[str]:
    return set(bigrams(text))


def shared_spans(passage: str, draft_grams: set[str]) -> tuple[tuple[int, int], ...]:
    """Runs of 4+ characters of ``passage`` whose every bigram is in the draft."""
    folded = fold(passage).lower()
    hits = [folded[i:i + 2] in draft_grams for i in range(len(folded) - 1)]
    spans, i = [], 0
    while i < len(hits):
        if hits[i]:
            j = i
            while j + 1 < len(hits) and hits[j + 1]:
                j += 1
            if j - i >= 2:  # three bigrams or more: four characters or more
                spans.append((i, j + 2))
            i = j + 1
        else:
            i += 1
    return tuple(spans)


def _passages(stored: dict) -> list[tuple[int, str]]:
    """(sub-point number, text) for each passage of an index record."""
    if stored.get("part") == PREAMBLE or not stored.get("item_json"):
        return [(0, p) for p in stored.get("body", "").split("\n") if p.strip()]
    item = item_from_record(stored)
    if item.subpoints:
        head = item.text[: item.subpoints[0].span[0] - item.span[0]]
        lead = [(0, p) for p in head.split("\n") if p.strip() and not _HEADING.match(p)]
        return lead + [(sp.number, sp.text) for sp in item.subpoints]
    return [(0, p.text) for p in item.paragraphs if not _HEADING.match(p.text)] or [(0, item.text)]


def similar_passages(scorer: Scorer, live: np.ndarray, draft: str, limit: int = 10,
                     deadline: Deadline = NO_DEADLINE) -> tuple[Passage, ...]:
    """The passages closest to ``draft`` among the items flagged in ``live``."""
    text = normalize(draft).strip() if draft.strip() else ""
    if not text:
        raise QueryError("text", "paste a paragraph to compare")
    if len(text) > MAX_DRAFT_CHARS:
        raise QueryError("text", f"draft is {len(text)} characters; the limit is {MAX_DRAFT_CHARS}")
    draft_grams = _grams(text)
    if not draft_grams:
        return ()
    candidates = scorer.top(wq.Or([wq.Term("body_bigram", g) for g in sorted(draft_grams)]), live,
                            CANDIDATE_ITEMS, deadline)
    found = []
    for docnum, _ in candidates:
        deadline.check()
        stored = scorer.searcher.stored_fields(docnum)
        for subpoint, passage in _passages(stored):
            grams = _grams(passage)
            if not grams:
                continue
            similarity = len(grams & draft_grams) / math.sqrt(len(grams) * len(draft_grams))
            if similarity < MIN_SIMILARITY:
                continue
            found.append(Passage(
                doc_id=stored["doc_id"], doc_title=stored["doc_title"], doc_number=stored.get("doc_number", ""),
                date=stored.get("date", ""), item_no=stored["item_no"], subpoint=subpoint, text=passage,
                citation=citation(stored["doc_title"], stored.get("doc_number", ""), stored["item_no"], subpoint,
                                  issuer=stored.get("issuer", ""), date=stored.get("date", "")),
                similarity=round(similarity, 4), shared=shared_spans(passage, draft_grams),
            ))
    found.sort(key=lambda p: (-p.similarity, p.date))
    return tuple(found[:limit])
