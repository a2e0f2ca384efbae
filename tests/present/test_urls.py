"""The product's URL scheme (indexer/present/urls.py), written out by hand."""
from __future__ import annotations

import pytest

import indexer
from indexer.analytics.crossrefs import DocRef


def _hit(**fields) -> indexer.Hit:
    base = dict(id="abc#item-5", doc_id="abc", doc_title="t", doc_number="", doc_type="会议纪要", date="",
                item_no=5, item_title="", citation="", fragments=(), score=1.0)
    return indexer.Hit(**(base | fields))


@pytest.mark.parametrize("fields,q,url", [
    ({}, "", "/doc/abc#item-5"),
    ({}, "电梯 安全", "/doc/abc?q=%E7%94%B5%E6%A2%AF+%E5%AE%89%E5%85%A8#item-5"),
    ({"part": "preamble", "item_no": 0}, "", "/doc/abc#preamble"),
    ({"item_no": 0}, "", "/doc/abc"),  # a document without items is one record: no anchor
])
def test_a_hit_opens_its_place_in_the_reading_view(fields, q, url):
    assert indexer.hit_url(_hit(**fields), q) == url


def test_places_passages_and_anchors():
    assert indexer.place_url(DocRef("abc", "t", "", "", item_no=3)) == "/doc/abc#item-3"
    assert indexer.place_url(DocRef("abc", "t", "", "")) == "/doc/abc"
    passage = dict(doc_id="abc", doc_title="t", doc_number="", date="", text="", citation="", similarity=1.0, shared=())
    assert [indexer.passage_url(indexer.Passage(item_no=n, subpoint=s, **passage)) for n, s in ((2, 1), (2, 0), (0, 0))] \
        == ["/doc/abc#item-2-1", "/doc/abc#item-2", "/doc/abc#preamble"]
    assert [indexer.item_anchor(*a) for a in ((5,), (5, 3), (0,))] == ["item-5", "item-5-3", "item-0"]


def test_policy_tasks_and_searches():
    assert indexer.policy_url("示例市电梯安全条例（草案）") == (
        "/policy?title=%E7%A4%BA%E4%BE%8B%E5%B8%82%E7%94%B5%E6%A2%AF%E5%AE%89%E5%85%A8%E6%9D%A1%E4%BE%8B"
        "%EF%BC%88%E8%8D%89%E6%A1%88%EF%BC%89")
    assert indexer.tasks_url("市发改委") == "/tasks?dept=%E5%B8%82%E5%8F%91%E6%94%B9%E5%A7%94"
    assert indexer.tasks_url("市发改委", "2021", indexer.CO_LEAD) == \
        "/tasks?dept=%E5%B8%82%E5%8F%91%E6%94%B9%E5%A7%94&year=2021&role=co-lead"
    assert indexer.search_url() == "/search" and indexer.with_params("/audit", [("warning", "no_date")]) == \
        "/audit?warning=no_date"


def test_a_search_request_as_url_parameters():
    """Defaults left out; each facet by its parameter (type for doc_type), in the facets' order."""
    assert set(indexer.FACET_PARAMS) == set(indexer.FACETS) == {*indexer.FACET_FIELDS, "validity"}
    assert indexer.search_params(indexer.SearchRequest()) == []
    req = indexer.SearchRequest(q="电梯", dept=("市发改委", "市财政局"), doc_type=("通知",), year=("2021",),
                                validity=("已废止",), page=2, size=20, sort="newest")
    assert indexer.search_params(req) == [("q", "电梯"), ("dept", "市发改委"), ("dept", "市财政局"), ("year", "2021"),
                                          ("type", "通知"), ("validity", "已废止"), ("sort", "newest"), ("size", "20"),
                                          ("page", "2")]
