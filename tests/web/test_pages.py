"""Every HTML page and its JSON twin, each against what the parsed documents give
(tests/oracle.py) — not against each other: both are made from the same data by the same
presenters, so agreeing with each other proves little — and the reading, drafting and
export features."""
import csv
import html
import io
import re
from urllib.parse import quote, urlencode

import pytest

import indexer
import indexer.search.evaluation
import indexer.search.matching
from webapp import create_app
from webapp.pages import downloads

from .. import oracle
from ..conftest import MINUTES_2021_9


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def text_of(fragment: str) -> str:
    """What a piece of page shows: tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --- search results: the API and the page against the parsed documents ---------------------------

SEARCHES = [
    ('"电梯"', {}), ('"原则同意"', {}), ('"预算"', {"year": ("2020",)}), ('"老旧小区"', {}),
    ('"防汛"', {"type": ("会议纪要",)}), ('"市场监管局"', {"dept": ("市市场监管局", "市住建局")}),
    ('"安全"', {"topic": ("安全生产",), "year": ("2021",)}), ('"会同"', {"dept": ("市财政局",)}),
    ('"要求"', {"meeting": ("〔2021〕9号",)}), ('"管理"', {"dept": ("市应急管理局",), "type": ("通知",)}),
]


def _expected(docs, phrase, filters):
    found = oracle.matching(oracle.records(docs), phrase.strip('"'))
    return found, oracle.filtered(found, filters), oracle.facet_counts(found, filters)


def _url(path, phrase, filters, **extra):
    return path + "?" + urlencode([("q", phrase), *((k, v) for k, vals in filters.items() for v in vals),
                                   *extra.items()])


@pytest.mark.parametrize("phrase,filters", SEARCHES)
def test_search_api_gives_what_the_parsed_documents_give(client, docs, phrase, filters):
    """Total, hits (every field but snippet and score) and disjunctive facet counts."""
    found, expected, counts = _expected(docs, phrase, filters)
    data = client.get(_url("/api/search", phrase, filters, size=100)).get_json()
    assert data["total"] == len(expected) > 0
    assert {h["id"]: {k: v for k, v in h.items() if k not in ("snippet", "score")} for h in data["hits"]} == {
        rid: dict(r.hit_fields(), url=r.url) for rid, r in expected.items()}
    got = {name: {v["value"]: v["count"] for v in values if v["count"]} for name, values in data["facets"].items()}
    assert got == counts


@pytest.mark.parametrize("phrase,filters", SEARCHES)
def test_search_page_shows_what_the_parsed_documents_give(client, docs, phrase, filters):
    """The count, each hit (its record, title, citation, under its document) and the facet counts."""
    found, expected, counts = _expected(docs, phrase, filters)
    page = html_of(client, _url("/search", phrase, filters, size=100, list=1))
    assert f'<strong id="total">{len(expected)}</strong>' in page
    shown = []
    for group in re.split(r'<section class="group" ', page)[1:]:
        doc_id = re.match(r'data-doc-id="([^"]+)"', group).group(1)
        for rid, title, citation in re.findall(r'<li class="hit" data-id="([^"]+)">\s*<h3><a [^>]*>'
                                               r'(.*?)</a></h3>.*?<span class="citation">([^<]*)</span>', group, re.S):
            shown.append((rid, doc_id, text_of(title), html.unescape(citation)))
    assert sorted(shown) == sorted(
        (rid, r.doc.id, f"{indexer.item_label(r.item_no)} {r.item_title}".strip(), r.citation)
        for rid, r in expected.items())
    doc_order = [doc_id for _, doc_id, _, _ in shown]
    assert doc_order == sorted(doc_order, key=doc_order.index)  # a document's hits together
    facets = {}
    for name, body in re.findall(r'<section class="facet" data-facet="([^"]+)">(.*?)</section>', page, re.S):
        facets[name] = {html.unescape(v): int(c) for v, c in re.findall(
            r'data-value="([^"]+)">\s*<span class="facet-label">[^<]*</span> <span class="count">(\d+)', body)
            if c != "0"}
    assert facets == {name: values for name, values in counts.items() if values}


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_date_order_is_the_documents_dates(client, docs, sort):
    """Listing everything by date: the records in the order of their documents' dates, then
    item number (preamble first), on the page and in the API."""
    records = oracle.records(docs)
    expected = oracle.oldest_first(records)
    if sort == "newest":
        expected = sorted(expected, key=lambda rid: records[rid].doc.date, reverse=True)  # stable: items in order
    api = client.get(f"/api/search?sort={sort}&size=100").get_json()
    assert [h["id"] for h in api["hits"]] == expected
    page = html_of(client, f"/search?sort={sort}&size=100")
    assert re.findall(r'<li class="hit" data-id="([^"]+)"', page) == expected


# --- the reading view, the drafting aid and the help against the parsed documents ------------------

def test_document_page_shows_the_parsed_document(client, docs):
    for doc in docs.values():
        page = html_of(client, f"/doc/{doc.id}")
        assert text_of(re.search(r"<h1>(.*?)</h1>", page).group(1)) == doc.title
        assert f'<span class="citation">{oracle.citation(doc)}</span>' in page
        sections = dict(re.findall(r'<section class="item" id="([^"]+)">(.*?)</section>', page, re.S))
        assert list(sections) == [f"item-{item.number}" for item in doc.items]
        for item in doc.items:
            section = sections[f"item-{item.number}"]
            assert f'<span class="citation">{oracle.citation(doc, item.number)}</span>' in section
            shown = text_of(section)
            assert all(para.text in shown for para in item.paragraphs), item.number
            for sp in item.subpoints:
                anchor = f"item-{item.number}-{sp.number}"
                assert f'id="{anchor}" class="subpoint"' in section
                assert f'data-copy="{oracle.citation(doc, item.number, sp.number)}"' in section
            links = re.findall(r'<a class="tag dept role-([a-z-]+)[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', section)
            assert sorted(links) == sorted((r.role, r.name) for r in item.roles), item.number
            if item.decision:
                assert f'<dd class="decision">{item.decision}</dd>' in section
        for name in doc.attendance.present:
            assert name in page


def test_the_drafting_aid_finds_a_pasted_sub_point(client, docs):
    """A sub-point pasted whole is the first passage, 100% alike, cited down to the point; every
    passage shown is the text of the item or sub-point its citation names."""
    doc = docs[MINUTES_2021_9.name]
    item = next(i for i in doc.items if i.number == 5)
    pasted = item.subpoints[1]
    by_citation = {oracle.citation(d, i.number, sp.number): sp.text for d in docs.values() for i in d.items
                   for sp in i.subpoints}
    paragraphs = {oracle.citation(d, i.number): {p.text for p in i.paragraphs} | {i.text}
                  for d in docs.values() for i in d.items}
    paragraphs.update({oracle.citation(d): set(d.preamble.split("\n")) for d in docs.values() if d.preamble})

    def text_at(citation, text):
        return text == by_citation.get(citation) or text in paragraphs.get(citation, ()) or any(
            text in p for p in paragraphs.get(citation, ()))

    data = client.get(f"/api/draft?text={quote(pasted.text)}").get_json()
    assert client.post("/api/draft", json={"text": pasted.text}).get_json() == data
    first = data["passages"][0]
    assert (first["citation"], first["similarity"], first["text"]) == (
        oracle.citation(doc, 5, pasted.number), 1.0, pasted.text)
    runs = [[m.start(), m.end()] for m in re.finditer(r"[\u4e00-\u9fffA-Za-z0-9]{4,}", pasted.text)]
    assert first["shared"] == runs  # pasted whole: every run of four characters or more is shared
    assert all(text_at(p["citation"], p["text"]) for p in data["passages"])
    assert [p["similarity"] for p in data["passages"]] == sorted((p["similarity"] for p in data["passages"]), reverse=True)

    page = html_of(client, f"/draft?text={quote(pasted.text)}")
    shown = re.findall(r'<span class="similarity">相似度 (\d+)%</span>.*?<p class="passage-text">(.*?)</p>\s*'
                       r'<p class="cite"><span class="citation">([^<]+)</span>', page, re.S)
    assert shown and (shown[0][0], text_of(shown[0][1]), shown[0][2]) == (
        "100", pasted.text, oracle.citation(doc, 5, pasted.number))
    assert re.findall(r"<mark>(.*?)</mark>", shown[0][1]) == [pasted.text[s:e] for s, e in runs]
    assert all(text_at(html.unescape(citation), text_of(text)) for _, text, citation in shown)
    assert html_of(client, "/draft").count('class="passage"') == 0  # the empty form


# What each field prefix of the query language keeps, said from the parsed documents.
FIELDS = {
    "部门": lambda r, v: {"发改委": "市发改委", "市场监督管理局": "市市场监管局"}.get(v, v) in r.facets["dept"],
    "主题": lambda r, v: v in r.facets["topic"],
    "文号": lambda r, v: r.doc.doc_number == v,
    "会议": lambda r, v: r.doc.session.startswith(v),
    "年份": lambda r, v: r.doc.year == v,
    "日期": lambda r, v: v.split("..")[0] <= r.doc.date[:len(v.split("..")[0])] and
    r.doc.date[:len(v.split("..")[1])] <= v.split("..")[1],
    "类型": lambda r, v: r.doc.doc_type == {"纪要": "会议纪要"}.get(v, v),
}


def test_the_help_documents_every_field_and_its_examples_do_what_it_says(client, docs):
    """Every field prefix of the query language has a row on /help and in /api/help, and each
    example of a field, searched, gives the records that field keeps."""
    records = oracle.records(docs)
    page = html_of(client, "/help")
    from_page = [(text_of(syntax), [text_of(e) for e in re.findall(r"<code>(.*?)</code>", examples)])
                 for syntax, examples in re.findall(r"<tr><td>(.*?)</td><td>.*?</td><td>(.*?)</td></tr>", page, re.S)]
    from_api = [(row["syntax"], row["examples"]) for row in client.get("/api/help").get_json()["syntax"]]
    for rows in (from_page, from_api):
        documented = {syntax.rstrip("：:") for syntax, _ in rows}
        assert set(FIELDS) <= documented
        examples = [e for _, es in rows for e in es if re.match(r"^[\u4e00-\u9fff]{2}[:：]", e)]
        assert {e[:2] for e in examples} == set(FIELDS)
        for example in examples:
            name, value = example[:2], example[3:]
            expected = {rid for rid, r in records.items() if FIELDS[name](r, value)}
            data = client.get(f"/api/search?q={quote(example)}&size=100").get_json()
            assert {h["id"] for h in data["hits"]} == expected and expected, example


# --- lookups, export, API description ------------------------------------------------------

def test_document_number_typed_alone_opens_the_document(client):
    doc_id = client.get("/api/search?q=〔2021〕9号").get_json()["hits"][0]["doc_id"]
    for typed in ["〔2021〕9号", "[2021]9号", "第128次常务会议", "文号：〔2021〕9号"]:
        response = client.get(f"/search?q={quote(typed)}")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/doc/{doc_id}?q={quote(typed)}&from=reference"
    html = html_of(client, f"/doc/{doc_id}?q={quote('〔2021〕9号')}&from=reference")
    assert "已按“〔2021〕9号”直接打开此文件。" in html
    assert client.get(f"/search?q={quote('〔2021〕9号')}&list=1").status_code == 200
    assert client.get(f"/search?q={quote('电梯安全')}").status_code == 200


@pytest.mark.parametrize("params", [
    "q=电梯安全", "q=%22原则同意%22&dept=市住建局", "q=电梯 预算 不存在的词",  # the last: relaxed to any word
    "q=会同&year=2021&sort=newest", "q=〔2021〕9号&list=1", "q=〔2099〕1号", "q=市发改委 牵头", "",
])
def test_the_search_page_evaluates_its_query_once(client, monkeypatch, params):
    """Hits, facet counts, the timeline and the number lookup come from one evaluation: the query
    is parsed once, and no query (the request's, its relaxed form, a tier of the ranking, the
    reference a lookup follows) is evaluated twice."""
    parsed, evaluated = [], []
    parse, bits = indexer.search.evaluation.parse_query, indexer.search.matching.Matcher.bits
    monkeypatch.setattr(indexer.search.evaluation, "parse_query", lambda q, *a: parsed.append(q) or parse(q, *a))
    monkeypatch.setattr(indexer.search.matching.Matcher, "bits",
                        lambda self, q, *a, **k: evaluated.append(q) or bits(self, q, *a, **k))
    html = html_of(client, f"/search?{params}")
    queries = [q for q in evaluated if "visibility" not in repr(q)]  # (the caller's scope: once per searcher)
    assert len(parsed) == 1
    assert queries and all(queries.count(q) == 1 for q in queries), queries
    monkeypatch.undo()
    total = client.get(f"/api/search?{params}").get_json()["total"]
    assert ('<figure class="timeline"' in html) == (total > 0)  # the timeline of the same matches


MINUTES = 30  # seven records each: more than two pages of 100


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """(client, parsed documents) for an index of 30 executive-meeting minutes, each of its own date."""
    folder = tmp_path_factory.mktemp("many")
    template = MINUTES_2021_9.read_text("utf-8")
    for n in range(1, MINUTES + 1):
        text = (template.replace("〔2021〕9号", f"〔2019〕{n}号").replace("第128次", f"第{1000 + n}次")
                .replace("2021年5月17日", f"2019年{1 + n // 28}月{1 + n % 28}日"))
        (folder / f"minutes-{n:02d}.txt").write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("many-index")
    assert indexer.index_paths([folder], index).failed == ()
    files, _ = indexer.collect_files([folder])
    app = create_app({"INDEX": str(index), "TESTING": True, "SEARCH_TIME_LIMIT": None})
    yield app.test_client(), {f.name: indexer.read_document(f) for f in files}
    app.extensions["minutes"].close()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=minutes-search.csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def csv_row(record: oracle.Record) -> dict:
    """A record's CSV row from the parsed document (snippet aside)."""
    fields = record.hit_fields()
    return {"citation": fields["citation"], "doc_title": fields["doc_title"], "doc_number": fields["doc_number"],
            "doc_type": fields["doc_type"], "date": fields["date"], "item_no": str(fields["item_no"]),
            "item_title": fields["item_title"], "dept": "、".join(fields["dept"]), "topic": "、".join(fields["topic"]),
            "url": record.url}


@pytest.mark.parametrize("params,phrase,sort", [
    ("sort=newest", "", "newest"), ("q=%22示例%22&sort=oldest", "示例", "oldest"),
    ("q=%22会议%22", "会议", "relevance"), ("q=%22会同%22&dept=市住建局&dept=市财政局", "会同", "relevance"),
])
def test_csv_export_is_one_search_of_every_row(many, monkeypatch, params, phrase, sort):
    """Every matching record once, from one search (not a search per page of 100): the rows are the
    records computed from the parsed files, in date order when sorted by date."""
    client, docs = many
    searches = []
    parse = indexer.search.evaluation.parse_query
    monkeypatch.setattr(indexer.search.evaluation, "parse_query", lambda q, *a: searches.append(q) or parse(q, *a))
    rows = csv_rows(client.get(f"/search.csv?{params}"))
    assert len(searches) == 1
    filters = {"dept": ("市住建局", "市财政局")} if "dept=" in params else {}
    records = oracle.records(docs)
    expected = oracle.filtered(oracle.matching(records, phrase), filters)
    assert len(expected) > 100
    assert sorted((r["citation"] for r in rows)) == sorted(r.citation for r in expected.values())
    by_citation = {r.citation: r for r in expected.values()}
    assert all({k: v for k, v in row.items() if k != "snippet"} == csv_row(by_citation[row["citation"]])
               for row in rows)
    assert all(row["snippet"] and all(part in by_citation[row["citation"]].text for part in row["snippet"].split("…"))
               for row in rows)
    if sort != "relevance":
        order = oracle.oldest_first(expected)
        if sort == "newest":
            order = sorted(order, key=lambda rid: expected[rid].doc.date, reverse=True)
        assert [row["citation"] for row in rows] == [expected[rid].citation for rid in order]


def test_csv_export_stops_at_its_cap(many, monkeypatch):
    client, docs = many
    monkeypatch.setattr(downloads, "CSV_MAX_ROWS", 150)
    rows = csv_rows(client.get("/search.csv?sort=oldest"))
    records = oracle.records(docs)
    assert [row["citation"] for row in rows] == [records[rid].citation for rid in oracle.oldest_first(records)][:150]


def test_openapi_describes_every_json_endpoint(client, app):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    json_routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/") or r.rule in
                   ("/healthz", "/search.csv", "/tasks.csv")}
    described = {re.sub(r"\{(\w+)\}", r"<\1>", p) for p in spec["paths"]}  # /api/doc/{doc_id}: <doc_id>
    assert json_routes == described
    required = spec["components"]["schemas"]["SearchResult"]["required"]
    data = client.get("/api/search?q=电梯").get_json()
    assert all(k in data for k in required)
    assert all(k in data["hits"][0] for k in spec["components"]["schemas"]["Hit"]["required"])


@pytest.mark.parametrize("url,status", [
    ("/api/search?size=101", 400), ("/api/search?page=abc", 400), ("/api/doc/missing", 404),
    ("/api/suggest?limit=x", 400), ("/api/draft", 400), ("/api/draft?text=" + "电" * 3001, 400),
    ("/healthz?x=1", 200), ("/search.csv?sort=x", 400), ("/api/nothing", 404),
])
def test_every_json_endpoint_speaks_one_error_shape(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    data = response.get_json()
    if status != 200:
        assert set(data) == {"ok", "error", "status"} and data["ok"] is False and data["status"] == status


def test_drafting_aid_finds_the_source_sub_point(search_index):
    text = "市市场监管局要会同市大数据局，建设电梯安全智慧监管平台，实现困人故障实时报警。"
    top = search_index.similar(text)[0]
    assert top.citation == "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项第（二）点"
    assert top.similarity > 0.6
    shared = [top.text[s:e] for s, e in top.shared]
    assert "建设电梯安全智慧监管平台" in "".join(shared)


# A page of minutes as a browser's copy gives it (invented): furniture, a disclosure table, the text.
WEB_PAGE_MINUTES = """• 繁体版 • 无障碍浏览 • English
您当前的位置：首页 > 政务公开 > 会议纪要
| 索引号 | 0000-2023-00012 | 主题分类 | 会议纪要 |
| --- | --- | --- | --- |
| 发布机构 | 示例区人民政府办公室 | 生成日期 | 2023-05-06 |
| 文件编号 | 示区府纪〔2023〕第 5 号 | 公开方式 | 主动公开 |
示例区人民政府第十二次常务会议纪要
2023年5月4日，区长张伟主持召开区政府第12次常务会议。纪要如下：
一、研究老旧小区改造工作
由区住建局牵头抓好落实。
出席：张伟 李明 王芳
打印本页 关闭窗口
版权所有：示例区人民政府办公室 网站标识码：0000000000
"""


def test_a_web_pages_disclosure_metadata_shows_apart_from_the_body(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "page.txt").write_text(WEB_PAGE_MINUTES, "utf-8")
    assert indexer.index_paths([folder], tmp_path / "ix").failed == ()
    doc = indexer.parse_file(folder / "page.txt")
    fields = [("索引号", "0000-2023-00012"), ("主题分类", "会议纪要"), ("发布机构", "示例区人民政府办公室"),
              ("文号", "示区府纪〔2023〕第5号"), ("生成日期", "2023-05-06"), ("公开方式", "主动公开")]
    assert [(k, v) for k, v in doc.metadata if k != "页面"] == fields  # the oracle: the parse itself
    app = create_app({"INDEX": str(tmp_path / "ix"), "TESTING": True})
    try:
        client = app.test_client()
        data = client.get(f"/api/doc/{doc.id}").get_json()
        assert data["disclosure"] == [{"label": k, "value": v} for k, v in fields]
        assert {"label": "页面", "value": "您当前的位置：首页 > 政务公开 > 会议纪要"} in data["metadata"]
        page = html_of(client, f"/doc/{doc.id}")
        block = re.search(r'<section class="disclosure".*?</section>', page, re.DOTALL).group(0)
        assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block) == fields
        body = page[page.index("</section>", page.index('class="disclosure"')):]
        for word in ("索引号", "0000-2023-00012", "繁体版", "版权所有", "打印本页"):
            assert word not in body, word  # neither in the text nor as furniture
        assert "由区住建局牵头抓好落实" in body
    finally:
        app.extensions["minutes"].close()
