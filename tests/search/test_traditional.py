"""Traditional and simplified characters find each other, and snippets mark the text as published."""
import pytest

import indexer
from indexer import SearchRequest

from ..traditional import CITY_MINUTES, TRADITIONAL


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    """A real index of a district's minutes in traditional characters and a city's in simplified ones."""
    folder = tmp_path_factory.mktemp("docs")
    (folder / "青山區政府常務會議紀要-2023-12.txt").write_text(TRADITIONAL, "utf-8")
    (folder / "示例市政府常务会议纪要-2023-30.txt").write_text(CITY_MINUTES, "utf-8")
    index_dir = tmp_path_factory.mktemp("ix")
    indexer.index_paths([folder], index_dir)
    with indexer.SearchIndex(index_dir) as ix:
        yield ix


def marked(fragment):
    return [fragment.text[s:e] for s, e in fragment.highlights]


def test_a_simplified_query_finds_traditional_text_and_marks_its_characters(mixed_index):
    result = mixed_index.search(SearchRequest(q="老旧小区"))
    top = result.hits[0]
    assert (top.doc_number, top.item_no, top.item_title) == ("〔2023〕12号", 1, "聽取老舊小區改造進展情況彙報")
    assert top.citation == "《區政府第十二次常務會議紀要》（〔2023〕12号）第一项"
    assert top.fragments[0].text == "一、聽取老舊小區改造進展情況彙報"
    assert marked(top.fragments[0]) == ["老舊小區"]
    assert {h.doc_number for h in result.hits} == {"〔2023〕12号"}


def test_a_traditional_query_finds_simplified_text(mixed_index):
    result = mixed_index.search(SearchRequest(q="排水管網"))
    assert [(h.doc_number, h.item_no) for h in result.hits] == [("〔2023〕30号", 1)]
    assert marked(result.hits[0].fragments[0]) == ["排水管网"]


@pytest.mark.parametrize("q", ['"由区财政局牵头统筹"', '"由區財政局牽頭統籌"'])
def test_quoted_phrases_match_across_scripts(mixed_index, q):
    result = mixed_index.search(SearchRequest(q=q))
    assert [(h.doc_number, h.item_no) for h in result.hits] == [("〔2023〕12号", 2)]
    assert "由區財政局牽頭統籌" in marked(result.hits[0].fragments[0])


def test_facets_name_departments_in_simplified_characters(mixed_index):
    result = mixed_index.search(SearchRequest(q="財政局"))
    assert {v.value for v in result.facets["dept"]} >= {"区财政局", "市财政局"}
