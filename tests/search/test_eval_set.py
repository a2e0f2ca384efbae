"""The judged query set of scripts/eval's real-corpus block
(scripts/eval_real_queries.tsv): every judged document is a file of the corpus,
every quoted phrase is read from its file at run time and really occurs in that
document's text, and the set is as large as the benchmark promises.

The set holds no text of the corpus: a quoted phrase is a locator
{quote:PATH:OFFSET:LENGTH} that the benchmark resolves from the file.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

import indexer

from ..conftest import load_script

CLASSES = {"number", "title", "phrase", "dept", "paraphrase"}


EVAL = load_script("eval")


def _key(text: str) -> str:
    """Text compared as the parser may have rewritten it: compatibility forms unified
    (full-width and half-width punctuation alike), whitespace and line breaks dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def real_queries(real_corpus):
    return EVAL.load_real_queries(EVAL.REAL_QUERIES, real_corpus)


def test_the_set_is_as_large_as_promised(real_queries):
    per_class = Counter(q.cls for q in real_queries)
    assert set(per_class) == CLASSES
    assert min(per_class.values()) >= 6, per_class
    assert len(real_queries) >= 40


def test_judged_documents_are_documents_of_the_corpus(real_corpus, real_queries):
    files, _ = indexer.collect_files([real_corpus])
    documents = {f.relative_to(real_corpus).as_posix() for f in files}
    judged = {path for q in real_queries for path in q.relevant}
    assert judged - documents == set()


def test_quotes_occur_in_their_documents(real_corpus, real_queries):
    quoted = [(q, quote) for q in real_queries for quote in q.quotes]
    assert quoted
    texts = {}
    for query, (path, offset, length, quote) in quoted:
        raw = (real_corpus / path).read_bytes().decode("utf-8")
        assert quote == raw[offset:offset + length] and len(quote) == length > 0
        assert "\n" not in quote and "\r" not in quote, f"{path}:{offset} spans a line break"
        if path not in texts:
            texts[path] = _key(indexer.read_document(real_corpus / path).text)
        assert _key(quote) in texts[path], f"{path}:{offset}:{length} is not in the parsed text"
        assert path in query.relevant, f"{query.written}: the quote's own document is not judged"
        assert quote in query.text


def test_phrases_are_quoted_from_ten_documents(real_queries):
    phrases = [q for q in real_queries if q.cls == "phrase"]
    assert all(q.quotes for q in phrases)
    assert all(q.text.startswith('"') and q.text.endswith('"') for q in phrases)
    assert len({path for q in phrases for path, *_ in q.quotes}) >= 10


def test_the_set_holds_no_corpus_text_outside_locators():
    """Our own words only: a query's text outside its locators is short (a number, a
    title, a department, a paraphrase, or the punctuation around quotes)."""
    for line in EVAL.REAL_QUERIES.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        written = line.split("\t")[1]
        assert len(EVAL.QUOTE.sub("", written)) <= 30, written


def test_locators_that_read_nothing_or_span_lines_are_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("第一行文字\n第二行", "utf-8")
    tsv = tmp_path / "q.tsv"

    tsv.write_text('phrase\t"{quote:a.txt:1:3}"\ta.txt\n', "utf-8")
    [query] = EVAL.load_real_queries(tsv, corpus)
    assert (query.text, query.relevant, query.quotes) == ('"一行文"', ("a.txt",), (("a.txt", 1, 3, "一行文"),))

    for bad, message in [
        ('"{quote:a.txt:3:4}"', "not 4 characters on one line"),  # across the line break
        ('"{quote:a.txt:6:9}"', "not 9 characters on one line"),  # past the end
        ('"{quote:a.txt:0:0}"', "not 0 characters on one line"),
        ('"{quote:b.txt:0:2}"', "quoted file 'b.txt' is not a file"),
    ]:
        tsv.write_text(f"phrase\t{bad}\ta.txt\n", "utf-8")
        with pytest.raises(ValueError, match=re.escape(message)):
            EVAL.load_real_queries(tsv, corpus)
    tsv.write_text("title\t第一行\tmissing.txt\n", "utf-8")
    with pytest.raises(ValueError, match="judged document 'missing.txt' is not a file"):
        EVAL.load_real_queries(tsv, corpus)
