"""The yardstick: tantivy (a compiled engine, the ``bench`` extra) fed exactly our tokens.

One tantivy document per record that ours indexes (``indexer.store.records.document_records``), with
our jieba words and our CJK bigrams, joined by spaces into fields that tantivy splits at
whitespace (``indexer.store.analysis`` already lowercased and folded them):

- ``body``   the record's text as jieba words; stored (the text snippets are cut from,
             which therefore shows words separated by spaces and no punctuation)
- ``other``  the words of the item title, document title, reviewed 《》 titles and people
- ``bigrams`` the bigram field's tokens of the title and text, with positions, for phrases
- ``dept``, ``topic``, ``meeting``, ``year``, ``doc_type``: raw fast fields (one value each
  of a multi-valued facet), counted by a terms aggregation over every match
- ``number`` (document-number keys) and ``date`` (for the empty query's newest first)

A query mirrors ours (``indexer.search.query``): every plain word must match, each by all its jieba
words in ``body`` or in ``other``, or by its bigrams in a row, or by a synonym, or (a
department's name) by the department facet; a quoted phrase is a phrase query over its
bigrams; a number also matches its documents' records; filters are terms. The bench prints
how many answers agree. Positions are consecutive (ours leaves a gap at punctuation), which
a phrase of overlapping bigrams cannot cross anyway; ours' quoted phrases also match across
punctuation (its joins field), so the query set draws phrases from runs without it.

    python scripts/bench_tantivy.py build CORPUS OUT PROCS   # prints {"seconds": …} as JSON
    python scripts/bench_tantivy.py start TANTIVY_DIR OURS_DIR  # process start → first answer
"""
from __future__ import annotations

import json
import multiprocessing
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import tantivy

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: bench.py's snapshot of the code wins
sys.path.insert(0, str(Path(__file__).resolve().parent))

import indexer  # noqa: E402
from indexer.store import analysis
from indexer.parse import gazetteer

from bench_queries import Query, records_of  # noqa: E402

FACETS = ("dept", "topic", "meeting", "year", "doc_type")
FACET_LIMIT = 30  # values per facet, as ours (indexer.search.facets.FACET_LIMIT)
SNIPPET_CHARS = 150
# size 30 as ours returns; segment_size above any facet's number of values, so counts are exact
AGGREGATIONS = {f: {"terms": {"field": f, "size": FACET_LIMIT, "segment_size": 100_000}} for f in FACETS}
WRITER_HEAP = 256_000_000


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=True, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("other", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("bigrams", tokenizer_name="whitespace", index_option="position")
    for name in (*FACETS, "number", "date"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    return sb.build()


# --- building ----------------------------------------------------------------------------

def _analyse(path: Path) -> list[dict[str, list[str]]]:
    """One file's records as tantivy field values (in a worker process)."""
    try:
        doc = indexer.parse_file(path)
    except indexer.ParseError:
        return []
    out = []
    for rec in records_of(doc, path.name):
        other = "\n".join(rec.get(f, "") for f in ("item_title", "doc_title", "reviewed", "people"))
        values = {
            "body": [" ".join(analysis.words(rec["body"]))],
            "other": [" ".join(analysis.words(other))],
            "bigrams": [" ".join(analysis.bigrams(rec["body_bigram"]))],
        }
        for name, key in (("dept", "dept"), ("topic", "topic"), ("number", "number_key")):
            values[name] = [v for v in rec.get(key, "").split(",") if v]  # comma-joined in ours
        for name in ("meeting", "year", "doc_type", "date"):
            values[name] = [rec[name]] if rec[name] else []  # no value, no facet term
        out.append(values)
    return out


def build(corpus: Path, out: Path, procs: int) -> dict:
    """Parse, analyse (in ``procs`` processes, as ours) and write; the time includes parsing."""
    indexer.warm_up()  # the word table, before the clock as for ours, and inherited by the workers
    start = time.perf_counter()
    paths, records, failed = sorted(corpus.iterdir()), 0, 0
    with multiprocessing.get_context("fork").Pool(procs) as pool:  # forked before the writer's threads start
        out.mkdir(parents=True)
        writer = tantivy.Index(schema(), path=str(out)).writer(heap_size=WRITER_HEAP, num_threads=procs)
        for values in pool.imap(_analyse, paths, chunksize=8):
            failed += not values
            for fields in values:
                doc = tantivy.Document()
                for name, texts in fields.items():
                    for text in texts:
                        doc.add_text(name, text)
                writer.add_document(doc)
                records += 1
    writer.commit()
    writer.wait_merging_threads()
    return {"seconds": time.perf_counter() - start, "records": records, "failed": failed,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- searching ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    total: int
    facets: dict[str, list[tuple[str, int]]]
    snippets: list[str]


class Engine:
    """An opened tantivy index and one searcher, as a worker would hold them."""

    def __init__(self, path: Path):
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def close(self) -> None:
        """tantivy has nothing to close: the searcher goes with its last reference."""
        del self.searcher, self.index

    def _term(self, field: str, text: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, text)

    def _all(self, field: str, tokens: list[str]) -> tantivy.Query | None:
        if not tokens:
            return None
        return _bool(tantivy.Occur.Must, [self._term(field, t) for t in tokens])

    def _run(self, tokens: list[str]) -> tantivy.Query | None:
        if not tokens:
            return None
        return self._term("bigrams", tokens[0]) if len(tokens) == 1 else \
            tantivy.Query.phrase_query(self.schema, "bigrams", tokens)

    def _word(self, word: str, expand: bool = True) -> tantivy.Query | None:
        """All the word's jieba words in one field, or its bigrams in a row; like ours, also its
        synonyms or a department's other names, and a department's records by the facet."""
        tokens = analysis.words(word)
        clauses = [self._all("body", tokens), self._all("other", tokens), self._run(analysis.bigrams(word))]
        if expand:
            clauses += [self._word(other, expand=False) for other in gazetteer.synonyms(word)]
            canonical = gazetteer.canonical_department(word)
            if canonical != word or gazetteer.is_known(word):
                clauses.append(self._term("dept", canonical))
        return _bool(tantivy.Occur.Should, clauses)

    def query(self, q: Query) -> tuple[tantivy.Query, list[str]]:
        """The tantivy query and the words to highlight."""
        must = [self._word(w) for w in q.words]
        highlight = [t for w in q.words for t in analysis.words(w)]
        if q.phrase:
            must.append(self._run(analysis.bigrams(q.phrase)))
            highlight += analysis.words(q.phrase)
        if q.number:
            must.append(_bool(tantivy.Occur.Should, [self._term("number", q.number), self._word(q.number)]))
            highlight += analysis.words(q.number)
        if q.dept:
            must.append(self._term("dept", q.dept))
        if q.topic:
            must.append(self._term("topic", q.topic))
        must = [m for m in must if m is not None]
        return (_bool(tantivy.Occur.Must, must) if must else tantivy.Query.all_query()), highlight

    def search(self, q: Query) -> Answer:
        """Top 10 (by score; the empty query newest first), exact counts of the five facets
        over every match (a terms aggregation: a second pass over the matches), snippets."""
        query, highlight = self.query(q)
        if q.cls == "empty":
            result = self.searcher.search(query, 10, order_by_field="date")
        else:
            result = self.searcher.search(query, 10)
        aggs = self.searcher.aggregate(query, AGGREGATIONS)
        facets = {f: [(b["key"], b["doc_count"]) for b in aggs[f]["buckets"]] for f in FACETS}
        generator = None
        if highlight:
            terms = [(tantivy.Occur.Should, self._term("body", t)) for t in dict.fromkeys(highlight)]
            generator = tantivy.SnippetGenerator.create(self.searcher, tantivy.Query.boolean_query(terms),
                                                        self.schema, "body")
            generator.set_max_num_chars(SNIPPET_CHARS)
        snippets = []
        for _, address in result.hits:
            doc = self.searcher.doc(address)
            snippets.append(generator.snippet_from_doc(doc).to_html() if generator
                            else doc.get_first("body")[:SNIPPET_CHARS])
        return Answer(result.count, facets, snippets)


def _bool(occur, clauses: list) -> tantivy.Query | None:
    clauses = [c for c in clauses if c is not None]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else tantivy.Query.boolean_query([(occur, c) for c in clauses])


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "build":
        print(json.dumps(build(Path(args[0]), Path(args[1]), int(args[2]))))
    elif command == "start":  # the parent times the whole process, as for ours
        indexer.warm_up(args[1])  # the segmenter's word table from the cache beside ours (a worker needs it too)
        Engine(Path(args[0])).search(Query("2 words", "电梯 安全", words=("电梯", "安全")))
    else:
        raise SystemExit(f"unknown command {command}")
