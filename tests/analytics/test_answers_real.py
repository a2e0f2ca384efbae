"""The answer card on the real corpus (issue 27): the acceptance questions, and the question set
eval/answers.tsv scored as scripts/eval scores it (precision ≥ 95%, recall ≥ 70% per type).

Skips with a message when ../shared/corpus is absent; fails under MINUTES_REQUIRE_REAL_CORPUS=1
(see tests/conftest.py). The files are read in place; the set holds facts only.
"""
from __future__ import annotations

import re

import pytest

import indexer

from ..conftest import load_script

JUDGE = load_script("eval_answers")
SUZHOU = "suzhou/suzhou_changwu_2021_9.txt"
SUZHOU_MINUTES = "《苏州市人民政府常务会议纪要》（〔2021〕9号）"
PENDING: set[str] = set()  # types whose line is not derived yet: no card may be wrong, none is required


@pytest.fixture(scope="module")
def path_of(real_search_index) -> dict[str, str]:
    return {d.id: d.source for d in real_search_index.crossrefs().documents.values()}


@pytest.fixture(scope="module")
def scored(real_search_index, path_of):
    questions = JUDGE.load()
    verdicts, scores = JUDGE.run(real_search_index, path_of, questions)
    return questions, verdicts, scores


@pytest.mark.parametrize("q", ["电梯安全条例谁牵头", "电梯安全条例"])
def test_the_elevator_regulation_names_item_five_lead_meeting_and_date(real_search_index, real_corpus, path_of, q):
    card = indexer.answer_dict(real_search_index.answer(q))
    assert path_of[card["place"]["doc_id"]] == SUZHOU
    assert card["place"]["citation"] == SUZHOU_MINUTES + "第五项"
    assert [(u["name"], u["role"], u["citation"]) for u in card["units"]] == [
        ("市市场监管局", "lead", SUZHOU_MINUTES + "第五项第（一）点"),
        ("市司法局", "co-lead", SUZHOU_MINUTES + "第五项第（一）点"),
    ]
    assert {k: card["meeting"][k] for k in ("doc_number", "session", "date", "chair", "citation")} == {
        "doc_number": "〔2021〕9号", "session": "第128次常务会议", "date": "2021-02-23", "chair": "李亚平市长",
        "citation": SUZHOU_MINUTES}
    assert card["decision"]["citation"] == SUZHOU_MINUTES + "第五项第（一）点"
    # Every quoted line is the file's own words (its hard line wraps aside), not generated text.
    text = re.sub(r"\s+", "", (real_corpus / SUZHOU).read_text("utf-8"))
    for sentence in [card["decision"]["text"]] + [u["sentence"] for u in card["units"]]:
        assert sentence.startswith(("原则同意", "由市场监管局")) and re.sub(r"\s+", "", sentence) in text


@pytest.mark.parametrize("q", ["电梯安全", "垃圾分类管理条例谁牵头", "优化营商环境条例谁牵头"])
def test_no_card_where_the_structure_does_not_answer(real_search_index, q):
    assert real_search_index.answer(q) is None


def test_the_question_set_is_real_and_large_enough(real_corpus, real_docs):
    questions = JUDGE.load()
    assert len(questions) >= 40
    assert {q.type for q in questions} == set(JUDGE.TYPES)
    assert sum(q.type == "none" for q in questions) >= 5  # questions the structure cannot answer
    missing = {q.file for q in questions if q.file and q.file not in real_docs}
    assert missing == set()


def test_precision_and_recall_per_question_type(scored):
    questions, verdicts, scores = scored
    wrong = [(q.id, q.question) for q in questions if verdicts[q.id] == JUDGE.WRONG]
    assert wrong == []  # a wrong answer is worse than none
    low = {t: f"{s.recall:.0%}" for t, s in scores.items()
           if t not in PENDING and t not in ("none", "all") and s.recall < 0.70}
    assert low == {}
    assert all(s.precision >= 0.95 for s in scores.values())
