"""The drafting aid's results, for ``/draft`` and ``/api/draft``."""
from __future__ import annotations

import indexer

from .markup import fragment_html, quoted


def passage_json(p: indexer.Passage) -> dict:
    return {
        "doc_id": p.doc_id,
        "doc_title": p.doc_title,
        "doc_number": p.doc_number,
        "date": p.date,
        "item_no": p.item_no,
        "subpoint": p.subpoint,
        "text": p.text,
        "citation": p.citation,
        "similarity": p.similarity,
        "shared": [list(span) for span in p.shared],
        "url": indexer.passage_url(p),
    }


def draft_json(text: str, passages: tuple[indexer.Passage, ...]) -> dict:
    return {"ok": True, "text": text, "passages": [passage_json(p) for p in passages]}


def draft_page(text: str, passages: tuple[indexer.Passage, ...] | None) -> dict:
    rows = None
    if passages is not None:
        rows = [
            dict(passage_json(p), percent=round(p.similarity * 100),
                 html=fragment_html(indexer.Fragment(p.text, p.shared)), quote=quoted(p.text, p.citation))
            for p in passages
        ]
    return {"text": text, "passages": rows, "max_chars": indexer.MAX_DRAFT_CHARS}
