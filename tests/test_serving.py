"""The real app under real gunicorn, over HTTP on loopback."""
import concurrent.futures

import pytest
import requests

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


def test_concurrent_requests_across_workers(live_server):
    queries = ["电梯安全", "保障性租赁住房", "防汛", '"原则同意"', "〔2021〕9号", "市发改委"] * 5

    def totals(q):
        return requests.get(live_server + "/api/search", params={"q": q}, timeout=20).json()["total"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(totals, queries))
    # Every worker answers the same query the same way.
    assert got == got[:6] * 5
    assert all(n > 0 for n in got)


def test_errors_over_http(live_server):
    response = requests.get(live_server + "/api/search", params={"page": "0"}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "page: must be between 1 and 500", "status": 400}
