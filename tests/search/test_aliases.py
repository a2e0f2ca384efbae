"""Short names the documents define, mined at commit into an alias table beside the index and
used to expand queries, only from documents the caller may read (invented specimens)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from indexer.search import AliasTable
from minutes_cli import cli
from webapp import create_app

PUBLIC, HIDDEN = "（此件公开发布）\n", "（此件不公开）\n"


def notice(title: str, number: int, body: str, closing: str = PUBLIC) -> str:
    return (f"示例市人民政府{title}\n示府发〔2023〕{number}号\n各区人民政府：\n　　{body}\n"
            f"　　一、落实责任。各区要抓好落实。\n示例市人民政府\n2023年3月{number}日\n{closing}")


SPECIMENS = {
    # defines 自贸区 and uses both names
    "defines.txt": notice("关于推进自由贸易试验区建设的意见", 11,
                          "加快建设中国（示例）自由贸易试验区（以下简称“自贸区”），自贸区要先行先试。"),
    # uses the full name only
    "full.txt": notice("关于企业登记便利化的通知", 12, "在自由贸易试验区内试行企业登记承诺制。"),
    # uses the short name only
    "short.txt": notice("关于外资项目备案的通知", 13, "自贸区内外资项目实行备案管理。"),
    # an internal document defines 沿协区; a public one uses the full name only
    "hidden.txt": notice("关于区域合作的意见", 14, "推进沿江协作发展区建设（以下简称“沿协区”）。", HIDDEN),
    "region.txt": notice("关于交通互联的通知", 15, "服务沿江协作发展区建设，完善交通网络。"),
    # a document title's short name is no alias
    "title.txt": notice("关于印发示例市电梯安全管理办法的通知", 16, "现将《示例市电梯安全管理办法》（以下简称《办法》）印发给你们。"),
}
EXPANSION_TEXT = "按“自由贸易试验区”检索（“自贸区”为《"


@pytest.fixture(scope="module")
def alias_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("alias-docs")
    for name, text in SPECIMENS.items():
        (folder / name).write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("alias-index")
    report = indexer.index_paths([folder], index)
    assert report.failed == ()
    return index


def titles(result) -> list[str]:
    return list(dict.fromkeys(h.doc_title for h in result.hits))  # documents, in the order of their best hit


def test_commit_writes_the_alias_table_beside_the_index(alias_index):
    files = list((alias_index / "live").glob("aliases-*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text("utf-8"))
    assert [(short, full, count, [title for _, title, _ in sources]) for short, full, count, sources in data["aliases"]] == [
        ("沿协区", "沿江协作发展区建设", 1, ["示例市人民政府关于区域合作的意见"]),
        ("自贸区", "自由贸易试验区", 1, ["示例市人民政府关于推进自由贸易试验区建设的意见"]),
    ]
    assert [visibility for *_, sources in data["aliases"] for *_, visibility in sources] == ["internal", "public"]


def test_the_table_is_rebuilt_from_the_index_alone(alias_index, tmp_path):
    ix = indexer.SearchIndex(alias_index)
    try:
        searcher = ix._current().searcher
        saved = AliasTable.saved(alias_index / "live", searcher)
        assert saved is not None and AliasTable.build(searcher).aliases == saved.aliases
    finally:
        ix.close()
    copy = tmp_path / "index"
    shutil.copytree(alias_index, copy)
    for f in (copy / "live").glob("aliases-*.json"):
        f.unlink()  # missing: a searcher builds it from the stored records
    with indexer.SearchIndex(copy) as ix:
        result = ix.search(indexer.SearchRequest(q="自贸区"))
        assert [e.expanded for e in result.expansions] == ["自由贸易试验区"]
    indexer.index_paths([], copy, if_needed=True)  # current: nothing to do, the file is not written
    report = indexer.index_paths([], copy)  # an update commits: the file is written again
    assert report.failed == () and len(list((copy / "live").glob("aliases-*.json"))) == 1


def test_a_short_name_finds_a_document_that_uses_only_the_full_name(alias_index):
    with indexer.SearchIndex(alias_index) as ix:
        result = ix.search(indexer.SearchRequest(q="自贸区"), access=indexer.Access.anonymous())
    assert titles(result) == ["示例市人民政府关于推进自由贸易试验区建设的意见",  # the word typed counts more
                              "示例市人民政府关于外资项目备案的通知",
                              "示例市人民政府关于企业登记便利化的通知"]
    assert result.expansions == (indexer.search.Expansion(
        "自贸区", "自由贸易试验区", "自贸区", result.hits[0].doc_id, "示例市人民政府关于推进自由贸易试验区建设的意见"),)


def test_a_full_name_finds_a_document_that_uses_only_the_short_name(alias_index):
    with indexer.SearchIndex(alias_index) as ix:
        result = ix.search(indexer.SearchRequest(q="自由贸易试验区"), access=indexer.Access.anonymous())
    assert "示例市人民政府关于外资项目备案的通知" in titles(result)
    assert [(e.word, e.expanded, e.short) for e in result.expansions] == [("自由贸易试验区", "自贸区", "自贸区")]


def test_an_alias_defined_only_in_a_hidden_document_is_not_used(alias_index):
    with indexer.SearchIndex(alias_index) as ix:
        anonymous = ix.search(indexer.SearchRequest(q="沿协区"), access=indexer.Access.anonymous())
        staff = ix.search(indexer.SearchRequest(q="沿协区"), access=indexer.Access.staff())
    # nothing has the word: only the relaxed fallback's hits that share some of its characters
    assert (anonymous.relaxed, anonymous.expansions) == (True, ())
    assert not staff.relaxed and titles(staff) == ["示例市人民政府关于区域合作的意见", "示例市人民政府关于交通互联的通知"]
    assert [(e.expanded, e.doc_title) for e in staff.expansions] == [("沿江协作发展区建设", "示例市人民政府关于区域合作的意见")]


def test_an_excluded_word_shows_no_expansion_and_a_title_short_name_none_at_all(alias_index):
    with indexer.SearchIndex(alias_index) as ix:
        excluded = ix.search(indexer.SearchRequest(q="企业 -自贸区"))
        title = ix.search(indexer.SearchRequest(q="办法"))
    # the excluded word's full name is excluded too: the record that says 自由贸易试验区 is not found,
    # only the item whose document title says 企业
    assert excluded.expansions == () and [(h.doc_title, h.part) for h in excluded.hits] == [
        ("示例市人民政府关于企业登记便利化的通知", "item")]
    assert title.expansions == ()


def test_the_page_the_json_and_the_command_line_show_the_expansion(alias_index):
    app = create_app({"INDEX": str(alias_index), "TESTING": True})  # anonymous: public documents
    try:
        client = app.test_client()
        data = client.get("/api/search?q=自贸区").get_json()
        page = client.get("/search?q=自贸区").get_data(as_text=True)
        hidden = client.get("/api/search?q=沿协区").get_json()
    finally:
        app.extensions["minutes"].close()
    doc_id = data["expansions"][0]["doc_id"]
    assert data["expansions"] == [{"word": "自贸区", "expanded": "自由贸易试验区", "short": "自贸区", "doc_id": doc_id,
                                   "doc_title": "示例市人民政府关于推进自由贸易试验区建设的意见",
                                   "url": f"/doc/{doc_id}"}]
    assert (f'按“自由贸易试验区”检索（“自贸区”为《<a href="/doc/{doc_id}">示例市人民政府关于推进自由贸易试验区建设的意见</a>》'
            "中定义的简称）") in page
    assert hidden["expansions"] == [] and "区域合作" not in json.dumps(hidden, ensure_ascii=False)  # the hidden title
    printed = json.loads(CliRunner().invoke(cli, ["search", "自贸区", "--index", str(alias_index), "--json"]).stdout)
    assert printed["expansions"] == data["expansions"]


@pytest.mark.real
def test_the_real_corpus_defines_short_names(real_index_dir):
    with indexer.SearchIndex(real_index_dir, time_limit=None) as ix:
        searcher = ix._current().searcher
        table = AliasTable.saved(real_index_dir / "live", searcher)
    assert table is not None  # written at commit
    print(f"\n{len(table.aliases)} aliases:", "; ".join(f"{a.short}={a.full} ({a.count})" for a in table.aliases[:10]))
    assert len(table.aliases) >= 15  # 21 when measured (2026-12)
    assert ("自贸试验区", "自由贸易试验区") in {(a.short, a.full) for a in table.aliases}


# --- short names no document defines: the synonym file (indexer/data/synonyms.tsv) ---------------

EVERYDAY = {
    "budget.txt": notice("关于加强预算审查监督的决定", 21,
                         "根据示例市人民代表大会常务委员会的决定，加强预算审查监督。"),
    "fund.txt": notice("关于加强医疗保障基金监管的通知", 22, "严厉打击欺诈骗取医疗保障基金行为。"),
    "other.txt": notice("关于预算执行情况的通知", 23, "人大代表对预算执行提出审查意见。"),
}


@pytest.fixture(scope="module")
def everyday_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("everyday-docs")
    for name, text in EVERYDAY.items():
        (folder / name).write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("everyday-index")
    assert indexer.index_paths([folder], index).failed == ()
    return index


@pytest.mark.parametrize("q, first", [
    # a place's 人大 spelt out, inside a name the segmenter keeps whole (示例市人民代表大会常务委员会)
    ("示例人大 预算 审查", "示例市人民政府关于加强预算审查监督的决定"),
    # a short name inside a longer word: 医保基金 → 医疗保障基金
    ("医保基金 监管", "示例市人民政府关于加强医疗保障基金监管的通知"),
])
def test_a_short_name_inside_a_word_is_spelt_out(everyday_index, q, first):
    with indexer.SearchIndex(everyday_index) as ix:
        result = ix.search(indexer.SearchRequest(q=q))
    assert not result.relaxed
    assert titles(result)[0] == first


def test_a_unit_named_only_in_the_red_header_is_found(tmp_path):
    """The issuer stands in the header, no record's body: its characters are searched too."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "contest.txt").write_text(
        "中共示例市委保密委员会办公室\n示密办函〔2021〕5号\n关于开展保密知识竞赛活动的通知\n各区保密办：\n"
        "　　为增强保密意识，决定开展知识竞赛活动。\n　　一、参赛对象。各单位干部职工。\n"
        "中共示例市委保密委员会办公室\n2021年3月31日\n", "utf-8")
    (folder / "meeting.txt").write_text(notice("关于召开保密工作会议的通知", 24, "市委保密办决定召开全市保密工作会议。"), "utf-8")
    index = tmp_path / "index"
    assert indexer.index_paths([folder], index).failed == ()
    with indexer.SearchIndex(index) as ix:
        result = ix.search(indexer.SearchRequest(q="市委保密办 知识竞赛"))
    assert not result.relaxed
    assert titles(result) == ["关于开展保密知识竞赛活动的通知"]
