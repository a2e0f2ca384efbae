"""The numpy scorer and posting reader give what Whoosh gives, on real indexes.

The search page ranks with :class:`indexer.search.scoring.Scorer` instead of Whoosh's
collector; the promise is the same scores for the same records. Checked here
against ``searcher.search`` for every judged query of ``scripts/eval`` and the
query language's other shapes, on the samples' index and on an index of many
segments with deleted records.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import indexer
from indexer.store.index import open_whoosh_index
from indexer.store.postings import Postings
from indexer.search.query import parse_query
from indexer.search.ranking import scoring_query
from indexer.search.scoring import Scorer

from ..conftest import CORPUS, ROOT
from ..corpus_gen import two_segment_index, write_minutes

EVAL_QUERIES = [line.split("\t")[1] for line in (ROOT / "scripts" / "eval_queries.tsv").read_text("utf-8").splitlines()
                if line and not line.startswith("#")]
MORE_QUERIES = [
    "电梯", "电梯 安全", "电梯 OR 防汛", "-电梯 安全", "部门：市住建局 电梯", "主题：安全生产", "会议", "要求",
    "〔2021〕9号", "[2021]9号", "第128次常务会议", "年份：2021 预算", "日期:2021-03..2021-12 防汛", "类型：纪要 财政",
    '"由市发改委牵头"', "保障性租赁住房 市住建局 房源", "市发改委", "ELEVATOR", "一网通办",
    '"原则，同意"', "“电梯、安全 管理”", "「示例市」", '"第128次"', "30分钟", "〔2021〕 9号 电梯", "示府发（2021）20号",
]


def assert_same_scores(searcher, queries):
    scorer = Scorer(Postings(searcher))
    checked = 0
    for text in queries:
        parsed = parse_query(text)
        for q in filter(None, (parsed.query, parsed.relaxed)):
            scoring = scoring_query(q, searcher.doc_frequency)
            expected = {hit.docnum: hit.score for hit in searcher.search(scoring, limit=None)}
            scores = scorer.scores(scoring)
            got = {} if scores is None else {int(d): float(scores[d]) for d in np.flatnonzero(scores)}
            live = set(searcher.reader().all_doc_ids())
            got = {d: s for d, s in got.items() if d in live}  # deleted records: the caller's live set drops them
            assert got.keys() == expected.keys(), text
            for d, s in expected.items():
                assert got[d] == pytest.approx(s, rel=1e-9, abs=1e-12), (text, d)
            checked += len(expected)
    return checked


def test_scores_match_whoosh_on_the_samples(index_dir):
    with open_whoosh_index(index_dir).searcher() as searcher:
        assert assert_same_scores(searcher, EVAL_QUERIES + MORE_QUERIES) > 500


@pytest.mark.slow
def test_scores_match_whoosh_across_segments_and_deletions(tmp_path):
    folder, index_dir = two_segment_index(tmp_path, 5)
    changed = next(folder.glob("*2021-09.txt"))
    changed.write_text(changed.read_text("utf-8").replace("电梯", "电梯设备"), "utf-8")
    indexer.index_paths([folder], index_dir)  # the old version's records are deleted, not yet merged
    with open_whoosh_index(index_dir).searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) > 1
        assert searcher.reader().has_deletions()
        assert assert_same_scores(searcher, EVAL_QUERIES + MORE_QUERIES) > 500


def test_top_orders_by_score_then_document_number(index_dir):
    with open_whoosh_index(index_dir).searcher() as searcher:
        scorer = Scorer(Postings(searcher))
        q = scoring_query(parse_query("会议 要求").query, searcher.doc_frequency)
        everything = np.ones(searcher.doc_count_all(), dtype=bool)
        # limit=None: with a limit, Whoosh's block skipping may leave out records tied at the top
        expected = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=None)][:5]
        got = scorer.top(q, everything, 5)
        assert [d for d, _ in got] == [d for d, _ in expected]
        only = np.zeros_like(everything)
        only[[d for d, _ in expected[2:]]] = True
        assert [d for d, _ in scorer.top(q, only, 5)] == [d for d, _ in expected[2:]]


def test_postings_are_whooshs(index_dir: Path):
    with open_whoosh_index(index_dir).searcher() as searcher:
        postings = Postings(searcher, budget=50)
        reader = searcher.reader()
        for fieldname in ("body", "body_bigram", "dept", "item_title"):
            for term in list(reader.lexicon(fieldname))[:300:7]:
                text = term.decode("utf-8")
                m = reader.postings(fieldname, text)
                pairs = []
                while m.is_active():
                    pairs.append((m.id(), m.weight()))
                    m.next()
                ids, weights = postings.get(fieldname, text)
                assert list(zip(ids.tolist(), weights.tolist())) == pairs, (fieldname, text)
        assert postings._lists._held <= 50 or len(postings._lists._items) == 1  # the budget bounds what is kept


def test_positions_are_whooshs(tmp_path):
    _, index_dir = two_segment_index(tmp_path)
    with open_whoosh_index(index_dir).searcher() as searcher:
        postings = Postings(searcher)
        reader = searcher.reader()
        for fieldname in ("body", "body_bigram"):
            for term in list(reader.lexicon(fieldname))[::37]:
                text = term.decode("utf-8")
                expected = []
                for leaf, offset in reader.leaf_readers():
                    if (fieldname, text) in leaf:
                        m = leaf.postings(fieldname, text)
                        for d, positions in m.items_as("positions"):
                            expected += [(offset + d) << 32 | p for p in positions]
                assert postings.positions(fieldname, text).tolist() == expected, (fieldname, text)


@pytest.mark.parametrize("partial", [1, 10_000])
def test_phrases_match_whooshs_phrase_matcher(tmp_path, monkeypatch, partial):
    """The numpy phrase check finds exactly the records Whoosh's phrase matcher finds,
    whether positions are decoded for the candidates only or for the whole term."""
    monkeypatch.setattr(indexer.store.postings, "PARTIAL_DECODE", partial)
    from indexer.search.facets import FacetTable, iter_bits
    from indexer.search.matching import Matcher
    from whoosh import query as wq

    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    write_minutes(folder, 4)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    with open_whoosh_index(index_dir).searcher() as searcher:
        postings = Postings(searcher)
        table = FacetTable.build(postings)
        matcher = Matcher(postings, table.live)
        phrases = ["原则同意", "由市发改委牵头", "电梯安全", "安全安全", "会议研究", "市政府", "工作", "的的"]
        checked = 0
        for text in phrases:
            for fieldname, words in (("body", indexer.store.analysis.words(text)), ("body_bigram", [text[i:i + 2] for i in range(len(text) - 1)])):
                if len(words) < 2:
                    continue
                q = wq.Phrase(fieldname, words)
                expected = sorted(searcher.docs_for_query(q))
                for _ in range(2):  # decoded in part, then in full
                    assert list(iter_bits(matcher.bits(q), table.size)) == expected, (fieldname, text)
                checked += len(expected)
        assert checked > 50

