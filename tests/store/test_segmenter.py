"""The compiled segmenter (rjieba) gives jieba's words with our word table, or it is not used."""
from __future__ import annotations

import pytest

from indexer.store import segmenter
from indexer.store.records import Location, document_records

WORD_FIELDS = ("doc_title", "item_title", "body", "reviewed", "people")


@pytest.fixture
def fast():
    if segmenter._twin() is None:
        pytest.skip("rjieba is not installed: jieba segments everything (setup.py installs it)")
    segmenter.use_fast_segmenter()
    segmenter.cut_words.cache_clear()
    yield
    segmenter.use_fast_segmenter(False)
    segmenter.cut_words.cache_clear()


def jieba_words(text: str) -> list[str]:
    return list(segmenter._segmenter().cut(text))


def test_same_words_as_jieba_on_the_whole_real_corpus(fast, real_docs):
    texts = []
    for name, doc in real_docs.items():
        texts.append(doc.text)
        for record in document_records(doc, Location("1", name)):
            texts += [record[f] for f in WORD_FIELDS if record.get(f)]
    texts = [segmenter.fold(t) for t in dict.fromkeys(texts)]
    assert sum(map(len, texts)) > 1_000_000  # the whole corpus, not a sample of it
    differ = [t[:80] for t in texts if segmenter._cut(t) != jieba_words(t)]
    assert differ == []


def test_where_rjieba_differs_jieba_cuts(fast):
    # jieba-rs keeps these whole; jieba splits them, and so do we.
    text = "电话0531-6780XXXX，网址cnea.gov.cn，2021-2023年，增长3.5%"
    assert segmenter._cut(text) == jieba_words(text)
    assert "2021" in segmenter._cut(text) and "cnea" in segmenter._cut(text)


def test_rjieba_alone_would_differ(fast):
    """Why the blocks above go to jieba: checks that the rule still has a reason to exist."""
    text = "2021-2023年"
    assert segmenter._twin().cut(text) != jieba_words(text)


def test_total_carried_over(fast):
    """A user word that replaced a dictionary word counts twice in jieba's total, and the
    total decides close calls: 约谈 (3 in the dictionary) is one word with our total."""
    assert segmenter._cut("对企业进行约谈") == jieba_words("对企业进行约谈") == ["对", "企业", "进行", "约谈"]


def test_without_rjieba_jieba_segments(monkeypatch):
    monkeypatch.setattr(segmenter, "_fast", True)
    monkeypatch.setattr(segmenter, "_twin", lambda: None)
    text = "会议原则同意，由市发改委牵头。"
    assert segmenter._cut(text) == jieba_words(text)
