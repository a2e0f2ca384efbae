"""The answer card's precision and recall on the real corpus, per question type (issue 27).

eval/answers.tsv holds real questions on ../shared/corpus with their answers, written by
reading the files (facts only: the target file and item, the lead and co-lead units, the
meeting and its date, the decision word, the validity). Each question is asked of the card
(:meth:`indexer.SearchIndex.answer`, as /api/answer asks it) and judged:

- right: a card whose target is the question's file and item and whose line for what was
  asked says what the row says (lead: the same lead and co-lead units; meeting: the same
  session and date; decision: the decision word in the sentence; issued: the date; validity:
  the label; the subject alone: the target, and the lead and meeting where the row gives them);
- wrong: any other card, and any card for a question of type ``none``;
- none: no card.

precision = right / cards shown; recall = right / questions that have an answer. A wrong
answer is worse than none: precision first. Run by ``scripts/eval`` (the answers block) and
by the golden test tests/analytics/test_answers_real.py.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import indexer

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "answers.tsv"
TYPES = ("lead", "meeting", "decision", "issued", "validity", "subject", "none")
RIGHT, WRONG, NONE = "right", "wrong", "none"


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    question: str
    file: str
    item: int
    lead: str
    co_lead: str
    meeting: str
    date: str
    decision: str
    validity: str


def load(path: Path = QUESTIONS) -> list[Question]:
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [Question(r["id"], r["type"], r["question"], r["file"], int(r["item"] or 0), r["lead"], r["co_lead"],
                      r["meeting"], r["date"], r["decision"], r["validity"]) for r in rows]
    unknown = {q.type for q in found} - set(TYPES)
    if unknown:
        raise ValueError(f"{path}: unknown question types {sorted(unknown)}")
    return found


def _units(text: str) -> set[str]:
    return {u for u in text.split("、") if u}


def judge(q: Question, card: dict | None, path_of: dict[str, str]) -> str:
    """right, wrong or none (see the module's text); ``card`` is :func:`indexer.answer_dict`'s."""
    if card is None:
        return NONE
    if q.type == "none":
        return WRONG
    place = card["place"]
    if path_of.get(place["doc_id"]) != q.file or place["item_no"] != q.item:
        return WRONG
    leads = {u["name"] for u in card["units"] if u["role"] == indexer.LEAD}
    co_leads = {u["name"] for u in card["units"] if u["role"] == indexer.CO_LEAD}
    meeting = card["meeting"]
    lead_ok = leads == _units(q.lead) and (not q.co_lead or co_leads == _units(q.co_lead))
    meeting_ok = meeting is not None and meeting["session"] == q.meeting and meeting["date"] == q.date
    ok = {
        "lead": lead_ok,
        "meeting": meeting_ok,
        "decision": bool(card["decision"]) and q.decision in card["decision"]["text"],
        "issued": bool(card["issued"]) and card["issued"]["date"] == q.date,
        "validity": (card.get("validity") or {}).get("label") == q.validity,
        "subject": (not q.lead or lead_ok) and (not q.meeting or meeting_ok),
    }[q.type]
    return RIGHT if ok else WRONG


@dataclass(frozen=True)
class Score:
    type: str
    questions: int
    answerable: int  # questions with an answer (all but type none)
    shown: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.answerable if self.answerable else 1.0


def run(index: indexer.SearchIndex, path_of: dict[str, str], questions: list[Question]
        ) -> tuple[dict[str, str], dict[str, Score]]:
    """Each question's verdict by id, and the scores per type (and "all")."""
    verdicts = {}
    for q in questions:
        found = index.answer(q.question)  # a caller who may read the whole corpus
        verdicts[q.id] = judge(q, indexer.answer_dict(found) if found else None, path_of)
    by_type: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_type[q.type].append(q)
        by_type["all"].append(q)
    scores = {}
    for t, group in by_type.items():
        scores[t] = Score(t, len(group), sum(q.type != "none" for q in group),
                          sum(verdicts[q.id] != NONE for q in group), sum(verdicts[q.id] == RIGHT for q in group))
    return verdicts, scores


def report(verdicts: dict[str, str], scores: dict[str, Score], questions: list[Question], show_misses: bool) -> None:
    print(f"{'type':10} {'questions':>9} {'cards':>6} {'right':>6} {'precision':>10} {'recall':>7}")
    for t in (*TYPES, "all"):
        s = scores.get(t)
        if s:
            recall = f"{s.recall:7.0%}" if s.answerable else "      -"
            print(f"{t:10} {s.questions:9d} {s.shown:6d} {s.right:6d} {s.precision:10.0%} {recall}")
    if show_misses:
        for q in questions:
            if verdicts[q.id] == WRONG or (verdicts[q.id] == NONE and q.type != "none"):
                print(f"  {verdicts[q.id]:5} {q.id} {q.question}")
