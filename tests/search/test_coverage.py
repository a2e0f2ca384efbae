"""A long query's ranking: how much of it a record covers is a factor of its score, not a strict
level, and a record's document may cover it between its records (issue 25; invented specimens)."""
from __future__ import annotations

import numpy as np
import pytest

import indexer
from indexer.search.evaluation import document_coverage
from indexer.search.ranking import coordination

FILLER = "各单位要加强组织领导，明确责任分工，细化工作措施，确保各项任务按时完成。"


def notice(title: str, number: int, *items: str) -> str:
    numbered = "\n".join(f"　　{'一二三四'[i]}、{text}" for i, text in enumerate(items))
    return (f"示例县人民政府{title}\n示县发〔2024〕{number}号\n各乡镇人民政府：\n　　现将有关事项通知如下。\n"
            f"{numbered}\n示例县人民政府\n2024年3月{number}日\n（此件公开发布）\n")


QUERY = "农机 补贴 合作社 烘干 仓储"
SPECIMENS = {
    # about four of the five, again and again
    "focused.txt": notice("关于春耕生产的通知", 11,
                          "农机购置补贴向合作社倾斜，合作社新购烘干设备的，农机补贴优先兑付。"
                          "农机合作社的烘干能力纳入补贴考核，烘干补贴按季度拨付合作社。"),
    # all five, each once, in passing among other work
    "passing.txt": notice("关于年度重点工作的通知", 12, FILLER * 3 + "统筹农机、补贴、合作社、烘干、仓储等事项。"
                          + FILLER * 3),
    # between its two items, all five: the first holds three, the second the other two
    "split.txt": notice("关于粮食生产的通知", 13, "落实农机补贴，扶持合作社发展。" + FILLER,
                        "建设烘干中心和仓储设施。" + FILLER),
    # four of the five in one record
    "four.txt": notice("关于农业服务的通知", 14, "落实农机补贴，扶持合作社发展，建设烘干中心。" + FILLER),
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage-docs")
    for name, text in SPECIMENS.items():
        (folder / name).write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("coverage-index")
    assert indexer.index_paths([folder], index).failed == ()
    with indexer.SearchIndex(index, time_limit=None) as opened:
        yield opened


def order(ix, q: str) -> list[str]:
    """Each document's short title, in the order of its best hit."""
    hits = ix.search(indexer.SearchRequest(q=q, size=50)).hits
    return list(dict.fromkeys(h.doc_title.removeprefix("示例县人民政府") for h in hits))


def test_a_record_all_about_four_words_passes_one_that_names_five_in_passing(ix):
    found = order(ix, QUERY)
    assert found.index("关于春耕生产的通知") < found.index("关于年度重点工作的通知")


def test_a_document_whose_records_cover_the_query_between_them_counts_as_covering_it(ix):
    found = order(ix, QUERY)
    assert found.index("关于粮食生产的通知") < found.index("关于农业服务的通知")
    hits = ix.search(indexer.SearchRequest(q=QUERY, size=50)).hits
    # (a record is found by what it holds itself: the item with two of the five is no match)
    assert [h.item_no for h in hits if h.doc_title.endswith("关于粮食生产的通知")] == [1]


def test_coordination_and_document_coverage_by_hand():
    assert [coordination(k, 5) for k in (5, 4, 3)] == pytest.approx([1.0, 0.64, 0.36])
    documents = np.array([0, 0, 1, -1, 1], dtype=np.int32)  # record → document (-1: deleted)
    concepts = [0b00001, 0b00010, 0b10100 | 0b01000]  # records 0 and 1 split two; 2 and 4 (and 3) the third
    at_least = document_coverage(concepts, documents, scope=0b10111)
    assert at_least == (0b10111, 0b10111, 0b00011, 0)
