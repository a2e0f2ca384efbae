"""The benchmark's query set: distinct queries drawn with a fixed seed from the generated corpus.

Each query is drawn from one record of a seeded sample of the generated documents, so it
finds something, in the shapes staff type: 1–3 of the record's words, a quoted run of 2–6 of
its characters (inside one run of CJK characters, so that punctuation does not decide whether
tantivy agrees), a department or topic filter of the record with one of its words, its document
number, and the empty query. Words are drawn record by record, so a common word is drawn more
often than a rare one, as in real use. A :class:`Query` keeps its parts, so the tantivy side
builds the same request without parsing our query language.
"""
from __future__ import annotations

import random
import re
import types
from dataclasses import dataclass
from pathlib import Path

import indexer
from indexer.store import analysis
from indexer.store import records

# Queries per class for the latency set (311 in all); the load test draws LOAD_SCALE times as many.
CLASS_COUNTS = {"1 word": 90, "2 words": 60, "3 words": 40, "phrase": 50, "dept filter": 30, "topic filter": 20,
                "number": 20, "empty": 1}
LOAD_SCALE = 20
SAMPLE_DOCUMENTS = 600
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True)
class Query:
    cls: str
    text: str  # in our query language, as typed in the search box
    words: tuple[str, ...] = ()  # plain words, each must match
    phrase: str = ""  # a quoted run of characters
    dept: str = ""
    topic: str = ""
    number: str = ""  # a document number: the document's records, or text that cites it


@dataclass(frozen=True)
class Sample:
    """What queries are drawn from: one record's words, runs of characters and facet values."""

    words: tuple[str, ...]
    runs: tuple[str, ...]
    dept: tuple[str, ...]
    topic: tuple[str, ...]
    number: str


def records_of(doc: indexer.Document, name: str):
    """The index records of a parsed document, as ours writes them. Calls the private
    record builder ``indexer.store.records.document_records`` on purpose: the benchmark must feed tantivy
    and draw queries from exactly the records ours indexes (a bench script may; the app may not)."""
    return records.document_records(doc, types.SimpleNamespace(root="bench", path=name, key=name))


def samples(corpus: Path, documents: int = SAMPLE_DOCUMENTS, seed: int = 314) -> list[Sample]:
    files = sorted(corpus.iterdir())
    files = sorted(random.Random(seed).sample(files, min(documents, len(files))))
    out = []
    for path in files:
        for rec in records_of(indexer.parse_file(path), path.name):
            words = tuple(dict.fromkeys(w for w in analysis.words(rec["body"]) if _CJK_WORD.match(w)))
            if words:
                out.append(Sample(words, tuple(_CJK_RUN.findall(rec["body"])), _values(rec["dept"]),
                                  _values(rec["topic"]), rec["doc_number"]))
    return out


def _values(joined: str) -> tuple[str, ...]:
    return tuple(v for v in joined.split(",") if v)


def _one(cls: str, s: Sample, rng: random.Random) -> Query | None:
    """A query of class ``cls`` drawn from one record, or None when the record has no such part."""
    if cls.endswith(("word", "words")):
        n = int(cls[0])
        if len(s.words) < n:
            return None
        words = tuple(rng.sample(s.words, n))
        return Query(cls, " ".join(words), words=words)
    if cls == "phrase":
        if not s.runs:
            return None
        run = rng.choice(s.runs)
        length = rng.randint(2, min(6, len(run)))
        start = rng.randrange(len(run) - length + 1)
        phrase = run[start:start + length]
        return Query(cls, f'"{phrase}"', phrase=phrase)
    if cls == "dept filter":
        if not s.dept:
            return None
        dept, word = rng.choice(s.dept), rng.choice(s.words)
        return Query(cls, f"部门：{dept} {word}", words=(word,), dept=dept)
    if cls == "topic filter":
        if not s.topic:
            return None
        topic = rng.choice(s.topic)
        if rng.random() < 0.3:
            return Query(cls, f"主题：{topic}", topic=topic)
        word = rng.choice(s.words)
        return Query(cls, f"主题：{topic} {word}", words=(word,), topic=topic)
    if cls == "number":
        return Query(cls, s.number, number=s.number) if s.number else None
    if cls == "empty":
        return Query(cls, "")
    raise ValueError(cls)


def draw(pool: list[Sample], counts: dict[str, int], seed: int) -> list[Query]:
    """Distinct queries, ``counts[cls]`` of each class (fewer when the sample runs out of them)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[Query] = []
    for cls, wanted in counts.items():
        made, tries = 0, 0
        while made < wanted and tries < wanted * 50:
            tries += 1
            q = _one(cls, rng.choice(pool), rng)
            if q is not None and q.text not in seen:
                seen.add(q.text)
                out.append(q)
                made += 1
    return out


def latency_set(pool: list[Sample]) -> list[Query]:
    return draw(pool, CLASS_COUNTS, seed=20260)


def load_set(pool: list[Sample]) -> list[Query]:
    return draw(pool, {cls: n * LOAD_SCALE for cls, n in CLASS_COUNTS.items()}, seed=20261)
