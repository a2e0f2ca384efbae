"""The real app under real gunicorn, over HTTP on loopback."""
import concurrent.futures

import pytest
import requests

from ..search.test_search import item_texts

pytestmark = pytest.mark.serving


def test_health_and_search_over_http(live_server):
    health = requests.get(live_server + "/healthz", timeout=10).json()
    assert (health["ok"], health["documents"], health["records"]) == (True, 8, 33)
    data = requests.get(live_server + "/api/search", params={"q": "电梯安全"}, timeout=10).json()
    assert (data["hits"][0]["doc_number"], data["hits"][0]["item_no"]) == ("〔2021〕9号", 5)


def test_pages_are_served_with_their_assets(live_server):
    page = requests.get(live_server + "/search", params={"q": "原则同意"}, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    css = requests.get(live_server + "/static/style.css", timeout=10)
    js = requests.get(live_server + "/static/app.js", timeout=10)
    assert (css.status_code, js.status_code) == (200, 200)


def test_concurrent_requests_across_workers(live_server, docs):
    """Thirty requests at once, over both workers: each answer holds exactly the records
    the parsed documents give for its phrase (not merely the same answer every time)."""
    texts = item_texts(docs)
    phrases = ["电梯", "原则同意", "保障性租赁住房", "防汛", "市发改委", "会议"]
    expected = {p: (sorted(k for k, t in texts.items() if p in t), sum(p in t for t in texts.values())) for p in phrases}

    def answer(phrase):
        data = requests.get(live_server + "/api/search", params={"q": f'"{phrase}"', "size": 100}, timeout=20).json()
        return sorted(h["id"] for h in data["hits"]), data["total"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(answer, phrases * 5))
    assert got == [expected[p] for p in phrases * 5]
    assert all(total > 0 for _, total in got)


def test_errors_over_http(live_server):
    response = requests.get(live_server + "/api/search", params={"page": "0"}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "page: must be between 1 and 500", "status": 400}
