"""The golden repeal and revision rows (eval/validity_golden.tsv) against the real corpus: the rows
are facts of the files (the line says what the row says), the statements found in the files'
text and in the index are those rows (precision first), and every label the index gives rests on
a document and its sentence. Skips when ../shared/corpus is absent; fails under
MINUTES_REQUIRE_REAL_CORPUS=1 (the real_corpus fixture)."""
from __future__ import annotations

import re

import pytest

from ..conftest import load_script

EV = load_script("eval_validity")
GOLDEN = EV.load_golden()
WORDS = {"revised": ("修订", "修正"), "repealed": ("废止", "停止执行"), "expired": ("失效",),
         "none": ("废止", "失效", "修订", "修正", "修改", "停止执行")}


def test_the_set_is_as_large_as_promised_and_holds_facts_only():
    assert len(GOLDEN) >= 30 and sum(g.kind != "none" for g in GOLDEN) >= 20
    assert len({(g.file, g.line, g.kind, g.target, g.date) for g in GOLDEN}) == len(GOLDEN)
    for g in GOLDEN:
        assert g.kind in WORDS and (g.kind == "none") == (not g.target and not g.number)
        assert not g.date or re.fullmatch(r"\d{4}-\d\d-\d\d", g.date)
        assert len(g.target) <= 60 and len(g.by) <= 60  # names, not passages


@pytest.mark.parametrize("row", GOLDEN, ids=lambda g: f"{g.file.split('/')[-1][:20]}:{g.line}")
def test_each_row_is_what_its_line_says(real_corpus, row):
    lines = (real_corpus / row.file).read_text("utf-8").split("\n")
    line = EV.key(lines[row.line - 1] + (lines[row.line] if row.line < len(lines) else ""))  # (a wrapped line goes on)
    assert any(w in line for w in WORDS[row.kind])
    if row.target and row.target != "<self>":
        assert row.target in line
    if row.number:
        assert row.number in line
    if row.kind != "none" and row.date and row.by:
        y, m, d = (int(p) for p in row.date.split("-"))
        assert f"{y}年{m}月{d}日" in line or row.file.endswith("国发-2004-18号.txt")  # (one date in Chinese numerals)


def test_what_the_text_says_is_found_line_by_line(real_corpus):
    result = EV.score(EV.raw_found(real_corpus), GOLDEN, real_corpus)
    assert result["false"] == []  # precision first: nothing found that no row says
    assert result["precision"] == 1.0 and result["recall"] >= 0.95, result["misses"]


def test_the_index_finds_the_rows_and_every_label_names_its_document_and_sentence(real_corpus, real_search_index):
    table = real_search_index.validity_table()
    path_of = {doc_id: real_search_index.document(doc_id).source for doc_id in table.documents}  # relative to the corpus
    assert all((real_corpus / p).is_file() for p in path_of.values())
    result = EV.score(EV.index_found(table, path_of), GOLDEN, real_corpus)
    assert result["false"] == [] and result["recall"] >= 0.95, result["misses"]
    labels = EV.labels_check(table)
    assert labels["unfounded"] == []
    assert "现行有效" not in labels["counts"]  # nothing in the corpus confirms a document in force


def test_the_lineage_of_real_policies(real_search_index):
    """The Suzhou minutes' item 五 reviewed the 草案 (the adopted 条例 is not in the corpus); the
    income tax regulation's revisions come from its own 沿革 and its decree."""
    elevator = real_search_index.lineage("苏州市电梯安全条例")
    assert [(link.stage, link.reason, link.title, link.place.doc_number, link.place.item_no, link.decision)
            for link in elevator.links] == [
        ("审议", "草案及其通过文本", "苏州市电梯安全条例（草案）", "〔2021〕9号", 5, "原则同意")]
    tax = real_search_index.lineage("中华人民共和国个人所得税法实施条例")
    assert [(link.date, link.stage) for link in tax.links if link.stage == "修订"] == [
        ("2005-12-19", "修订"), ("2008-02-18", "修订"), ("2011-07-19", "修订"), ("2018-12-18", "修订"),
        ("2019-01-01", "修订")]
    assert all(link.sentence for link in tax.links if link.stage == "修订")
