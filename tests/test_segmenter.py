"""The compiled segmenter (rjieba) gives jieba's words with our word table, or it is not used."""
from __future__ import annotations

import pytest

from indexer import analysis, indexing
from indexer.sources import Location

WORD_FIELDS = ("doc_title", "item_title", "body", "reviewed", "people")


@pytest.fixture
def fast():
    if analysis._twin() is None:
        pytest.skip("rjieba is not installed: jieba segments everything (setup.py installs it)")
    analysis.use_fast_segmenter()
    analysis._words.cache_clear()
    yield
    analysis.use_fast_segmenter(False)
    analysis._words.cache_clear()


def jieba_words(text: str) -> list[str]:
    return list(analysis._segmenter().cut(text))


def test_same_words_as_jieba_on_the_whole_real_corpus(fast, real_docs):
    texts = []
    for name, doc in real_docs.items():
        texts.append(doc.text)
        for record in indexing._records(doc, Location("1", name)):
            texts += [record[f] for f in WORD_FIELDS if record.get(f)]
    texts = [analysis.fold(t) for t in dict.fromkeys(texts)]
    assert sum(map(len, texts)) > 1_000_000  # the whole corpus, not a sample of it
    differ = [t[:80] for t in texts if analysis._cut(t) != jieba_words(t)]
    assert differ == []


def test_where_rjieba_differs_jieba_cuts(fast):
    # jieba-rs keeps these whole; jieba splits them, and so do we.
    text = "电话0531-6780XXXX，网址cnea.gov.cn，2021-2023年，增长3.5%"
    assert analysis._cut(text) == jieba_words(text)
    assert "2021" in analysis._cut(text) and "cnea" in analysis._cut(text)


def test_rjieba_alone_would_differ(fast):
    """Why the blocks above go to jieba: checks that the rule still has a reason to exist."""
    text = "2021-2023年"
    assert analysis._twin().cut(text) != jieba_words(text)


def test_total_carried_over(fast):
    """A user word that replaced a dictionary word counts twice in jieba's total, and the
    total decides close calls: 约谈 (3 in the dictionary) is one word with our total."""
    assert analysis._cut("对企业进行约谈") == jieba_words("对企业进行约谈") == ["对", "企业", "进行", "约谈"]


def test_without_rjieba_jieba_segments(monkeypatch):
    monkeypatch.setattr(analysis, "_fast", True)
    monkeypatch.setattr(analysis, "_twin", lambda: None)
    text = "会议原则同意，由市发改委牵头。"
    assert analysis._cut(text) == jieba_words(text)
