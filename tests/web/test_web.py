"""The Flask app through its test client: pages, JSON twins, one error shape."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app

from .. import oracle
from ..conftest import MINUTES_2021_9

HIT_KEYS = ["id", "doc_id", "doc_title", "doc_number", "doc_type", "date", "item_no", "item_title", "citation",
            "snippet", "score", "url", "part", "dept", "topic", "validity"]


def test_api_search_shape(client):
    data = client.get("/api/search?q=电梯安全&size=3").get_json()
    assert list(data) == ["ok", "query", "total", "page", "size", "pages", "sort", "elapsed_ms", "relaxed",
                          "did_you_mean", "expansions", "hits", "facets", "answer"]
    assert (data["ok"], data["query"], data["page"], data["size"]) == (True, "电梯安全", 1, 3)
    assert list(data["facets"]) == ["dept", "topic", "meeting", "year", "doc_type", "validity"]
    assert all(list(v) == ["value", "count", "selected"] for values in data["facets"].values() for v in values)
    top = data["hits"][0]
    assert list(top) == HIT_KEYS
    assert top["url"] == f"/doc/{top['doc_id']}#item-5"
    assert top["citation"] == "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项"
    assert top["snippet"].startswith("五、审议《示例市<mark>电梯安全</mark>条例（草案）》")


def test_repeated_filters_and_type_parameter(client):
    data = client.get("/api/search?dept=市水务局&dept=市教育局&type=会议纪要").get_json()
    assert data["total"] == 2
    assert [v for v in data["facets"]["dept"] if v["selected"]] == [
        {"value": "市教育局", "count": 1, "selected": True}, {"value": "市水务局", "count": 1, "selected": True}]
    assert data["facets"]["doc_type"] == [{"value": "会议纪要", "count": 2, "selected": True}]


@pytest.mark.parametrize("url,status,error", [
    ("/api/search?page=x", 400, "page: 'x' is not a whole number"),
    ("/api/search?size=0", 400, "size: must be between 1 and 100"),
    ("/api/search?sort=best", 400, "sort: must be one of relevance, newest, oldest"),
    ("/api/search?year=twenty", 400, "year: 'twenty' is not a four-digit year"),
    ("/api/doc/nope", 404, "no document with id 'nope'"),
    ("/search.json?page=0", 400, "page: must be between 1 and 500"),
])
def test_json_errors_have_one_shape(client, url, status, error):
    response = client.get(url)
    assert response.status_code == status
    assert response.get_json() == {"ok": False, "error": error, "status": status}


def test_unknown_api_route_and_method(client):
    assert client.get("/api/nothing").get_json()["status"] == 404
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["ok"] is False


def test_html_errors_render_a_page(client):
    response = client.get("/search?page=-1")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "请求有误（400）" in html and "page: must be between 1 and 500" in html
    assert 'class="brand"' in html  # the site's own look


def test_a_missing_document_page_says_so_in_chinese(client):
    response = client.get("/doc/nope")
    assert response.status_code == 404
    assert "没有编号为 nope 的文件：它不存在、已被删除，或您无权查看。" in response.get_data(as_text=True)


def test_missing_index_is_503_with_the_command_to_run(tmp_path):
    client = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/api/search?q=电梯")
    assert response.status_code == 503
    assert response.get_json()["error"] == (
        f"no index at {tmp_path / 'none'}; build one with: minutes index samples/corpus --index {tmp_path / 'none'}")
    assert client.get("/healthz").status_code == 503


def test_index_from_environment_variable(monkeypatch, index_dir):
    monkeypatch.setenv("MINUTES_INDEX", str(index_dir))
    app = create_app({"TESTING": True, "ANONYMOUS_ACCESS": "staff"})  # the index's path: staff only
    assert app.test_client().get("/healthz").get_json()["index"] == str(index_dir)
    app.extensions["minutes"].close()


def test_healthz(client, index_dir):
    data = client.get("/healthz").get_json()
    assert (data["ok"], data["documents"], data["records"], data["index"]) == (True, 8, 33, str(index_dir))
    assert data["last_modified"] > 0


def test_search_page_shows_highlighted_hits_facets_and_chips(client):
    html = client.get("/search?q=电梯安全&dept=市市场监管局").get_data(as_text=True)
    assert "<mark>电梯安全</mark>" in html
    assert re.search(r'共 <strong id="total">\d+</strong> 条结果', html)
    assert 'class="chip"' in html and "部门：市市场监管局" in html
    assert 'data-facet="dept"' in html and 'data-facet="year"' in html
    # Facet links keep the query and toggle the value.
    assert 'href="/search?q=%E7%94%B5%E6%A2%AF%E5%AE%89%E5%85%A8"' in html  # the chip removes the filter


def test_query_is_escaped_everywhere(client):
    html = client.get('/search?q=<script>alert(1)</script>"><img src=x onerror=alert(2)>').get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_document_page_has_item_and_subpoint_anchors(client):
    doc_id = client.get("/api/search?q=电梯安全").get_json()["hits"][0]["doc_id"]
    html = client.get(f"/doc/{doc_id}?q=电梯安全").get_data(as_text=True)
    for anchor in ["item-1", "item-5", "item-5-1", "item-5-3", "item-3-2"]:
        assert f'id="{anchor}"' in html
    assert "<mark>电梯安全</mark>" in html
    assert "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项第（一）点" in html
    assert "出席" in html and "何平" in html


@pytest.mark.parametrize("route", ["/api/doc/{}", "/doc/{}.json"])
def test_document_json_is_the_parsed_document(client, docs, route):
    """Each sample's JSON, whichever route serves it, against the parser's output for its file
    (the index stores it and rebuilds it; the citations are written out by hand)."""
    for doc in docs.values():
        data = client.get(route.format(doc.id)).get_json()
        chair = {"name": doc.chair_name, "title": doc.chair_title} if doc.chair else None
        assert {k: data[k] for k in ("id", "title", "issuer", "doc_type", "meeting_kind", "doc_number", "session",
                                     "date", "compiled", "issued", "signed", "public", "preamble", "chair")} == {
            "id": doc.id, "title": doc.title, "issuer": doc.issuer, "doc_type": doc.doc_type,
            "meeting_kind": doc.meeting_kind, "doc_number": doc.doc_number, "session": doc.session, "date": doc.date,
            "compiled": doc.compiled, "issued": doc.issued, "signed": doc.signed, "public": doc.public,
            "preamble": doc.preamble, "chair": chair}
        assert data["number"] == {"prefix": doc.number_prefix, "year": doc.number_year, "seq": doc.number_seq}
        assert data["citation"] == oracle.citation(doc)
        assert (data["addressees"], data["distribution"]) == (list(doc.addressees), list(doc.distribution))
        assert data["attendance"] == {
            "present": list(doc.attendance.present), "absent": list(doc.attendance.absent),
            "recorder": doc.attendance.recorder,
            "attending": [{"unit": u.unit, "persons": list(u.persons)} for u in doc.attendance.attending]}
        assert [(i["item_no"], i["title"], i["text"], i["anchor"], i["citation"], i["action"], i["decision"],
                 i["reviewed"], i["dept"], i["topic"], i["keywords"]) for i in data["items"]] == [
            (i.number, i.title, i.text, f"item-{i.number}", oracle.citation(doc, i.number), i.action, i.decision,
             list(i.reviewed), list(i.departments), list(i.topics), list(i.keywords)) for i in doc.items]
        assert [i["roles"] for i in data["items"]] == [
            [{"name": r.name, "role": r.role, "known": r.known} for r in i.roles] for i in doc.items]
        assert [i["subpoints"] for i in data["items"]] == [
            [{"number": sp.number, "label": sp.label, "text": sp.text, "anchor": f"item-{i.number}-{sp.number}",
              "citation": oracle.citation(doc, i.number, sp.number)} for sp in i.subpoints] for i in doc.items]


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, the function the import stands in, or "") for every import of a file."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((alias.name, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                found.append((child.module, function))
            visit(child, child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function)

    visit(ast.parse(path.read_text("utf-8")), "")
    return found


@pytest.mark.slow
def test_dependencies_point_one_way(index_dir, tmp_path):
    """indexer imports neither edge nor a web library; of the project, the web app and the
    command line import indexer's face only (``import indexer``, ``from indexer import …``),
    never each other; the command line imports no web library, and none of its commands loads
    the web app (``minutes serve`` runs it in Flask's server by name)."""
    root = Path(__file__).resolve().parents[2]
    above = {"webapp", "minutes_cli", "flask", "werkzeug", "jinja2", "markupsafe", "click"}
    assert [(path.name, module) for path in (root / "indexer").rglob("*.py") for module, _ in _imports(path)
            if module.split(".")[0] in above] == []
    for edge in ("webapp", "minutes_cli"):
        assert sorted({module for path in (root / edge).rglob("*.py") for module, _ in _imports(path)
                       if module.split(".")[0] in {"indexer", "webapp", "minutes_cli"}}) == ["indexer"], edge
    assert [(path.name, module) for path in (root / "minutes_cli").rglob("*.py") for module, _ in _imports(path)
            if module.split(".")[0] in {"webapp", "flask", "werkzeug", "jinja2", "markupsafe"}] == []
    script = """if True:
        import json, sys
        from click.testing import CliRunner
        from minutes_cli import cli
        index, document, other = sys.argv[1:]
        for args in (["search", "电梯", "--json", "--index", index], ["refs", "〔2021〕9号", "--json", "--index", index],
                     ["tasks", "发改委", "--json", "--index", index], ["audit", document, "--json"],
                     ["users", "list", "--json", "--index", other], ["log", "--index", other], ["serve", "--help"]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, (args, result.output)
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("webapp", "flask"))))
    """
    run = subprocess.run([sys.executable, "-c", script, str(index_dir), str(MINUTES_2021_9), str(tmp_path / "ix")],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == []


def test_document_json_carries_the_parsed_structure(client):
    doc_id = client.get("/api/search?q=电梯安全").get_json()["hits"][0]["doc_id"]
    data = client.get(f"/api/doc/{doc_id}").get_json()
    assert (data["meeting_kind"], data["number"], data["chair"]) == (
        "常务会议", {"prefix": "", "year": 2021, "seq": 9}, {"name": "王明", "title": "市长"})
    item5 = data["items"][4]
    assert (item5["action"], item5["decision"], item5["reviewed"]) == ("审议", "原则同意", ["示例市电梯安全条例（草案）"])
    assert item5["roles"][:2] == [{"name": "市司法局", "role": "lead", "known": True},
                                  {"name": "市市场监管局", "role": "lead", "known": True}]
    assert {"topic": "安全生产", "evidence": ["电梯安全"]} in item5["topics"]
    assert "电梯安全" in item5["keywords"]
    assert data["attendance"]["attending"][0] == {"unit": "市政府办公室", "persons": ["周涛", "吴敏"]}


def test_document_page_shows_roles_decision_and_reviewed_documents(client):
    doc_id = client.get("/api/search?q=电梯安全").get_json()["hits"][0]["doc_id"]
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    item5 = html[html.index('id="item-5"'):html.index('id="item-6"')]
    assert '<dd class="decision">原则同意</dd>' in item5
    assert "<dt>牵头</dt>" in item5 and "<dt>会同配合</dt>" in item5
    assert 'class="tag dept role-lead" href="/search?dept=%E5%B8%82%E5%8F%B8%E6%B3%95%E5%B1%80">市司法局</a>' in item5
    assert 'class="reviewed" href="/policy?title=%E7%A4%BA%E4%BE%8B%E5%B8%82%E7%94%B5%E6%A2%AF' in item5  # its tracker
    assert "市政府办公室 周涛、吴敏；市发改委 郑伟" in html


def test_suggest_api(client):
    data = client.get("/api/suggest?q=发改").get_json()
    assert data["ok"] is True and data["q"] == "发改"
    assert data["suggestions"][0] == {"value": "发改委", "kind": "dept"}
    assert client.get("/api/suggest?q=").get_json()["suggestions"] == []
    assert client.get("/api/suggest?q=电梯&limit=abc").get_json() == {
        "ok": False, "error": "limit: 'abc' is not a whole number", "status": 400}


def test_relaxed_results_and_did_you_mean_are_announced(client):
    html = client.get("/search?q=电梯安权").get_data(as_text=True)
    assert "没有同时包含全部检索词的结果，以下是包含部分检索词的结果。" in html
    assert '您是不是要找：<a href="/search?q=%E7%94%B5%E6%A2%AF%E5%AE%89%E5%85%A8">电梯安全</a>' in html
    data = client.get("/api/search?q=电梯安权").get_json()
    assert (data["relaxed"], data["did_you_mean"]) == (True, "电梯安全")


def test_help_page_documents_the_query_language(client):
    html = client.get("/help").get_data(as_text=True)
    for syntax in ["部门：", "主题：", "文号：", "会议：", "年份：", "日期：", "类型：", "OR", "-词语", "“短语”"]:
        assert syntax in html
