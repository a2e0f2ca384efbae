"""The hard judged set of scripts/eval's third block (scripts/eval_hard_queries.tsv):
six classes of queries in staff's own words, each with at least 14 queries, every
judged document a file of the real corpus; and the block skips, or fails under
MINUTES_REQUIRE_REAL_CORPUS=1, when the corpus is absent.
"""
from __future__ import annotations

import argparse
from collections import Counter

import pytest

import indexer

from .test_eval_set import EVAL

MIN_PER_CLASS, MIN_QUERIES = 14, 84


def problems(queries, documents: set[str]) -> list[str]:
    """What is wrong with a hard set: a class missing or short, an unknown class, too few
    queries, a judged path that is not a document of the corpus, a query with locators
    (the hard set is our own words only) or judged twice."""
    found = []
    per_class = Counter(q.cls for q in queries)
    for cls in EVAL.HARD_CLASSES:
        if per_class[cls] < MIN_PER_CLASS:
            found.append(f"class {cls}: {per_class[cls]} queries, fewer than {MIN_PER_CLASS}")
    found += [f"unknown class {cls!r}" for cls in sorted(set(per_class) - set(EVAL.HARD_CLASSES))]
    if len(queries) < MIN_QUERIES:
        found.append(f"{len(queries)} queries, fewer than {MIN_QUERIES}")
    for q in queries:
        found += [f"{q.text}: {path} is not a document of the corpus" for path in q.relevant if path not in documents]
        if q.quotes:
            found.append(f"{q.text}: quotes the corpus; the hard set is written in our own words")
    found += [f"{text!r} is judged twice" for text, n in Counter(q.text for q in queries).items() if n > 1]
    return found


@pytest.fixture(scope="module")
def corpus_documents(real_corpus) -> set[str]:
    files, _ = indexer.collect_files([real_corpus])
    return {f.relative_to(real_corpus).as_posix() for f in files}


def test_the_hard_set_has_six_classes_of_fourteen_and_judges_documents_of_the_corpus(real_corpus,
                                                                                     corpus_documents):
    queries = EVAL.load_real_queries(EVAL.HARD_QUERIES, real_corpus)
    assert problems(queries, corpus_documents) == []
    assert all(len(q.relevant) >= 1 for q in queries)


def test_the_check_finds_a_short_class_and_a_path_outside_the_corpus():
    def query(cls, text, path="a.txt"):
        return EVAL.RealQuery(cls, text, text, (path,), ())

    full = [query(cls, f"{cls} {n}") for cls in EVAL.HARD_CLASSES for n in range(MIN_PER_CLASS)]
    assert problems(full, {"a.txt"}) == []
    short = [q for q in full if q.text != "time 0"] + [query("time", "time x", "gone.txt")]
    assert problems(short, {"a.txt"}) == ["time x: gone.txt is not a document of the corpus"]
    assert problems(full[1:], {"a.txt"}) == [
        f"class paraphrase: {MIN_PER_CLASS - 1} queries, fewer than {MIN_PER_CLASS}",
        f"{len(full) - 1} queries, fewer than {MIN_QUERIES}"]


def _args(tmp_path):
    return argparse.Namespace(real_corpus=str(tmp_path / "no-corpus"), hard_queries=str(EVAL.HARD_QUERIES),
                              show_misses=False)


def test_the_hard_block_skips_without_the_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(EVAL.REQUIRE_REAL, raising=False)
    assert EVAL.hard_block(_args(tmp_path)) == 0
    assert "hard queries: skipped, no folder at" in capsys.readouterr().out


def test_the_hard_block_fails_without_the_corpus_when_it_is_required(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(EVAL.REQUIRE_REAL, "1")
    assert EVAL.hard_block(_args(tmp_path)) == 1
    assert f"{EVAL.REQUIRE_REAL}=1 makes this an error" in capsys.readouterr().err
