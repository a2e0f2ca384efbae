"""The naive pipeline the benchmarks compare against: jieba's bundled
``ChineseAnalyzer`` on one Whoosh field, queried through Whoosh's default
``QueryParser``. This is what a first attempt at Whoosh + jieba looks like; it
exists only to be measured against (``scripts/eval``, ``scripts/bench``).

The default parser joins the query's words with AND. ``NaiveIndex(..., any_word=True)``
joins them with OR instead (``QueryParser(..., group=OrGroup)``): plain BM25 over every
record holding any word of the query, the textbook ranked retrieval that never
returns nothing for a long question. Both read the same index.

It indexes the same records as the real pipeline (same ids), so their results
can be judged against the same relevance set.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import fields, index
from whoosh.qparser import OrGroup, QueryParser

from indexer.model import Document
from indexer.store.schema import PREAMBLE_TITLE


def _records(doc: Document) -> Iterable[tuple[str, str]]:
    head = f"{doc.title} {doc.doc_number} {doc.session}"
    if doc.preamble and doc.items[0].number:
        yield f"{doc.id}#preamble", f"{head} {PREAMBLE_TITLE} {doc.preamble}"
    for item in doc.items:
        yield f"{doc.id}#item-{item.number}", f"{head} {item.title} {item.text}"


def build(docs: Iterable[Document], index_dir: str | Path) -> None:
    from jieba.analyse import ChineseAnalyzer  # leaks an open file at import; benchmarks only

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), content=fields.TEXT(analyzer=ChineseAnalyzer()))
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema)
    with ix.writer() as writer:
        for doc in docs:
            for record_id, text in _records(doc):
                writer.add_document(id=record_id, content=text)


class NaiveIndex:
    def __init__(self, index_dir: str | Path, any_word: bool = False):
        self._ix = index.open_dir(str(index_dir))
        self._searcher = self._ix.searcher()
        if any_word:  # OR of the query's words, scored by BM25 (Whoosh's default BM25F on one field)
            self._parser = QueryParser("content", self._ix.schema, group=OrGroup)
        else:  # Whoosh's default: every word (AND)
            self._parser = QueryParser("content", self._ix.schema)

    def search(self, text: str, limit: int = 10) -> tuple[list[str], int]:
        """Top record ids and the number of matches."""
        results = self._searcher.search(self._parser.parse(text), limit=limit)
        return [hit["id"] for hit in results], len(results)

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()
