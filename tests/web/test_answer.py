"""The answer card at the edges (issue 27): /api/answer, the ``answer`` of /api/search, the card
above the hits, and ``minutes answer``; the card's content is tests/analytics/test_answers.py's."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from minutes_cli import cli

QUESTION = "示例市电梯安全条例谁牵头"
SUBJECT = "示例市电梯安全条例（草案）"


@pytest.fixture
def warmed(client):
    """A worker that has loaded its cross-references, as gunicorn's workers do after they start."""
    client.application.extensions["minutes"].get().warm()
    return client


def test_api_answer_gives_the_card_with_its_citations(client):
    data = client.get(f"/api/answer?q={QUESTION}").get_json()
    assert (data["ok"], data["query"], data["answer"]["subject"]) == (True, QUESTION, SUBJECT)
    assert [u["name"] for u in data["answer"]["units"] if u["role"] == "lead"] == ["市司法局", "市市场监管局", "市住建局"]
    assert data["answer"]["meeting"]["url"] == data["answer"]["place"]["url"].split("#")[0]
    assert all(u["citation"].startswith("《示例市人民政府常务会议纪要》（〔2021〕9号）第五项") for u in data["answer"]["units"])


def test_api_answer_is_null_when_the_structure_does_not_answer(client):
    assert client.get("/api/answer?q=电梯安全").get_json() == {"ok": True, "query": "电梯安全", "answer": None}


def test_api_answer_needs_a_question(client):
    response = client.get("/api/answer")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": "q: is required", "status": 400}


@pytest.mark.parametrize("query,subject", [
    ("q=示例市电梯安全条例", SUBJECT), ("q=示例市电梯安全条例&dept=市司法局", None),
    ("q=示例市电梯安全条例&page=2", None), ("q=电梯安全", None),
])
def test_api_search_carries_the_card_on_an_unfiltered_first_page(warmed, query, subject):
    answer = warmed.get(f"/api/search?{query}").get_json()["answer"]
    assert (answer and answer["subject"]) == subject


def test_the_search_page_shows_the_card_above_the_hits(warmed):
    html = warmed.get(f"/search?q={QUESTION}").get_data(as_text=True)
    assert 'class="answer"' in html and html.index('class="answer"') < html.index('class="group"')
    assert "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项第（一）点" in html
    assert 'class="answer"' not in warmed.get("/search?q=电梯安全").get_data(as_text=True)


def test_the_search_page_never_waits_for_the_cross_references(client):
    """A worker that has not loaded them yet shows the page without a card (/api/answer waits)."""
    assert client.get(f"/api/search?q={QUESTION}").get_json()["answer"] is None
    assert client.get(f"/api/answer?q={QUESTION}").get_json()["answer"]["subject"] == SUBJECT
    assert client.get(f"/api/search?q={QUESTION}").get_json()["answer"]["subject"] == SUBJECT


def test_minutes_answer_prints_the_api_object_or_the_card(client, index_dir):
    runner = CliRunner()
    printed = json.loads(runner.invoke(cli, ["answer", QUESTION, "--index", str(index_dir), "--json"]).stdout)
    assert printed == client.get(f"/api/answer?q={QUESTION}").get_json()
    text = runner.invoke(cli, ["answer", QUESTION, "--index", str(index_dir)])
    assert text.exit_code == 0 and f"《{SUBJECT}》" in text.stdout and "第128次常务会议 2021-05-17 王明市长主持" in text.stdout
    none = runner.invoke(cli, ["answer", "电梯安全", "--index", str(index_dir)])
    assert none.exit_code == 0 and none.stdout.startswith("no answer")
