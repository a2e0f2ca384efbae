"""Cross-references: citations resolved, policy paths, department tasks — in the
index, the web pages and their JSON twins, and the CLI."""
import json
import re
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from minutes_cli import cli

NINE, TWELVE, NOTICE, OPINION = "〔2021〕9号", "〔2021〕12号", "示府发〔2021〕20号", "示府办〔2022〕5号"


@pytest.fixture(scope="module")
def refs(search_index):
    return search_index.crossrefs()


def doc_id(refs, number):
    return refs.registry.numbers[number]


def test_every_number_mention_of_a_bundled_document_resolves_to_it(refs):
    resolved = sorted(
        (refs.documents[source].doc_number, c.item_no, c.text, refs.documents[c.target].doc_number)
        for source, cs in refs.cites.items() for c in cs if c.kind == "number")
    assert resolved == [(TWELVE, 2, NOTICE, NOTICE), (OPINION, 0, NINE, NINE)]


def test_meetings_resolve_and_unknown_titles_stay_text(refs):
    meetings = sorted((refs.documents[s].doc_number, c.text, refs.documents[c.target].doc_number)
                      for s, cs in refs.cites.items() for c in cs if c.kind == "meeting")
    assert meetings == [(OPINION, "第128次常务会议", NINE), (NOTICE, "第128次常务会议", NINE)]
    law = next(c for c in refs.cites[doc_id(refs, NOTICE)] if c.kind == "title")
    assert (law.text, law.target) == ("中华人民共和国特种设备安全法", "")


def test_cited_by(refs):
    by = sorted((r.source.doc_number, r.citation.kind) for r in refs.cited_by[doc_id(refs, NINE)])
    assert by == [(OPINION, "meeting"), (OPINION, "number"), (NOTICE, "meeting")]
    assert [(r.source.doc_number, r.source.item_no) for r in refs.cited_by[doc_id(refs, NOTICE)]] == [(TWELVE, 2)]


def test_each_reviewed_document_of_the_minutes_has_a_tracker(client, refs):
    minutes = refs.documents[doc_id(refs, NINE)]
    reviewed = {title: item.number for item in minutes.items for title in item.reviewed}
    assert reviewed == {"示例市优化营商环境创新行动2021": 2, "示例市电梯安全条例（草案）": 5}
    for title, item_no in reviewed.items():
        data = client.get(f"/api/policy?title={quote(title)}").get_json()
        assert [(s["doc_number"], s["item_no"], s["action"], s["decision"]) for s in data["steps"]] == [
            (NINE, item_no, "审议", "原则同意")]
        html = client.get(f"/policy?title={quote('《' + title + '》')}").get_data(as_text=True)
        assert f'<a href="/doc/{minutes.id}#item-{item_no}">' in html and "原则同意" in html


def test_a_title_issued_by_a_notice_points_at_the_notice(client, refs):
    data = client.get(f"/api/policy?title={quote('示例市电梯安全管理办法')}").get_json()
    assert data["document"]["doc_number"] == NOTICE


def test_development_and_reform_commission_tasks_with_roles(client):
    data = client.get("/api/tasks?dept=发改委").get_json()
    assert data["dept"] == "市发改委"
    assert [(t["doc_number"], t["item_no"], t["role"]) for t in data["tasks"]] == [
        (OPINION, 3, "lead"), (TWELVE, 3, "co-lead"), (NINE, 1, "lead"), (NINE, 2, "lead"), (NINE, 4, "co-lead"),
        ("〔2020〕15号", 1, "co-lead"), ("示府复〔2020〕8号", 0, "lead")]
    first_nine = next(t for t in data["tasks"] if t["doc_number"] == NINE)
    assert "由市发改委牵头，会同市统计局、市工信局" in first_nine["sentence"]
    assert first_nine["citation"] == "《示例市人民政府常务会议纪要》（〔2021〕9号）第一项"


def test_tasks_filters_page_and_csv(client):
    leads_2021 = client.get("/api/tasks?dept=市发改委&year=2021&role=lead").get_json()["tasks"]
    assert [(t["doc_number"], t["item_no"]) for t in leads_2021] == [(NINE, 1), (NINE, 2)]
    html = client.get("/tasks?dept=市发改委&year=2021&role=lead").get_data(as_text=True)
    assert '<strong id="task-count">2</strong>' in html
    assert re.findall(r'<a href="(/doc/[^"]+)">', html) == [t["url"] for t in leads_2021]
    csv_text = client.get("/tasks.csv?dept=市发改委&year=2021&role=lead").get_data(as_text=True)
    assert csv_text.startswith("\ufeffdate,citation") and csv_text.count("\n") == 3


def test_document_page_and_json_show_references(client, refs):
    notice = doc_id(refs, NOTICE)
    data = client.get(f"/api/doc/{notice}").get_json()
    assert [(c["kind"], c["text"], c["target"]["doc_number"] if c["target"] else None) for c in data["cites"]] == [
        ("meeting", "第128次常务会议", NINE), ("title", "中华人民共和国特种设备安全法", None)]
    assert [r["source"]["citation"] for r in data["cited_by"]] == ["《示例市人民政府常务会议纪要》（〔2021〕12号）第二项"]
    html = client.get(f"/doc/{notice}").get_data(as_text=True)
    assert "<h2>引用</h2>" in html and "<h2>被引用</h2>" in html
    assert f'href="/doc/{doc_id(refs, TWELVE)}#item-2"' in html


@pytest.mark.parametrize("url,error", [
    ("/api/tasks", "dept: name a department, e.g. 市发改委"),
    ("/api/tasks?dept=市发改委&year=21", "year: '21' is not a four-digit year"),
    ("/api/tasks?dept=市发改委&role=boss", "role: must be lead or co-lead"),
    ("/api/policy", "title: name a document, e.g. 示例市电梯安全条例（草案）"),
])
def test_errors(client, url, error):
    assert client.get(url).get_json() == {"ok": False, "error": error, "status": 400}


def test_cli_refs_and_tasks(index_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["refs", NOTICE, "--index", str(index_dir)])
    assert result.exit_code == 0
    assert "  [会议] 第128次常务会议 → 《示例市人民政府常务会议纪要》（〔2021〕9号）" in result.stdout
    assert "  [文件] 中华人民共和国特种设备安全法 (not indexed)" in result.stdout
    assert "《示例市人民政府常务会议纪要》（〔2021〕12号）第二项" in result.stdout
    data = json.loads(runner.invoke(cli, ["tasks", "发改委", "--index", str(index_dir), "--year", "2021", "--json"]).stdout)
    assert [(t["doc_number"], t["role"]) for t in data["tasks"]] == [(TWELVE, "co-lead"), (NINE, "lead"),
                                                                     (NINE, "lead"), (NINE, "co-lead")]
    missing = runner.invoke(cli, ["refs", "〔1999〕1号", "--index", str(index_dir)])
    assert (missing.exit_code, missing.stderr) == (1, "Error: no document with id '〔1999〕1号'\n")


# --- saved at commit ----------------------------------------------------------------------------

def _answers(refs) -> tuple:
    """Everything the pages read from the cross-references, as plain data."""
    import indexer

    return ({d: indexer.references_dict(refs, d) for d in refs.documents},
            {t: refs.policy(t) for t in sorted(refs.by_title)},
            {name: refs.tasks(name) for name in ("市发改委", "市住建局", "市财政局", "市市场监管局")},
            {d: (doc.title, doc.visibility, tuple(i.title for i in doc.items)) for d, doc in refs.documents.items()})


def _built(index_dir):
    import indexer
    from indexer.analytics.crossrefs import CrossReferences
    from indexer.deadline import Resumable

    with indexer.SearchIndex(index_dir) as ix:
        searcher = ix._current().open_searcher()
        try:
            return Resumable(lambda: CrossReferences.steps(searcher)).result()
        finally:
            searcher.close()


def _read_records(monkeypatch) -> list:
    import indexer.analytics.crossrefs

    calls = []
    original = indexer.analytics.crossrefs.item_from_record
    monkeypatch.setattr(indexer.analytics.crossrefs, "item_from_record", lambda r: calls.append(r["id"]) or original(r))
    return calls


def test_the_index_saves_them_and_a_searcher_loads_them_without_reading_records(tmp_path, monkeypatch):
    import indexer
    from tests.conftest import CORPUS

    index_dir = tmp_path / "index"
    indexer.index_paths([CORPUS], index_dir)
    saved = list((index_dir / "live").glob("crossrefs-*.pickle"))
    assert len(saved) == 1
    expected = _answers(_built(index_dir))
    read = _read_records(monkeypatch)
    with indexer.SearchIndex(index_dir) as ix:
        assert _answers(ix.crossrefs()) == expected
    assert read == []  # loaded, not built
    saved[0].write_bytes(saved[0].read_bytes()[:100])  # damaged: built instead, the same
    with indexer.SearchIndex(index_dir) as ix:
        assert _answers(ix.crossrefs()) == expected
    assert read


def test_an_update_reads_only_the_documents_that_changed(tmp_path, monkeypatch):
    import indexer
    from tests.corpus_gen import write_minutes

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    paths = write_minutes(corpus, 4)
    indexer.index_paths([corpus], index_dir)
    paths[1].write_text(paths[1].read_text("utf-8").replace("其他事项", "其他事项（修订）"), "utf-8")
    write_minutes(corpus, 1, start=9)
    read = _read_records(monkeypatch)
    indexer.index_paths([corpus], index_dir)
    with indexer.SearchIndex(index_dir) as ix:
        changed = set(ix.lookup("〔2019〕2号") + ix.lookup("〔2019〕9号"))
    assert {r.split("#")[0] for r in read} == changed  # the changed and the new document, no other
    files = list((index_dir / "live").glob("crossrefs-*.pickle"))
    assert len(files) == 1  # the older one dropped
    monkeypatch.undo()
    expected = _answers(_built(index_dir))
    with indexer.SearchIndex(index_dir) as ix:
        assert _answers(ix.crossrefs()) == expected
        assert len(ix.crossrefs().documents) == 5
