"""Every HTML page against its JSON twin, facet counts against the parsed
documents, and the reading, drafting and export features."""
import csv
import io
import re
from collections import Counter
from urllib.parse import quote

import pytest

import indexer
import indexer.search
from indexer import FACET_FIELDS
from indexer.roles import department_roles
from indexer.gazetteer import find_topics
from webapp import create_app, presenters

from . import oracle
from .conftest import MINUTES_2021_9
from .test_search import item_texts


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# --- twins ---------------------------------------------------------------------------------

@pytest.mark.parametrize("params", ["q=电梯", "q=原则同意&dept=市住建局", "dept=市发改委&dept=市财政局&sort=oldest",
                                    "q=会议&page=2&size=5", "q=电梯安权"])
def test_search_page_shows_what_the_api_returns(client, params):
    html = html_of(client, f"/search?{params}&list=1")
    data = client.get(f"/api/search?{params}").get_json()
    # The page groups a document's hits under it, in the order of each document's best hit.
    grouped = sorted(data["hits"], key=lambda h: [g["doc_id"] for g in data["hits"]].index(h["doc_id"]))
    assert re.findall(r'<li class="hit" value="\d+" data-id="([^"]+)"', html) == [h["id"] for h in grouped]
    assert f'<strong id="total">{data["total"]}</strong>' in html
    shown = dict(re.findall(r'data-value="([^"]+)">\s*<span class="facet-label">[^<]*</span> <span class="count">(\d+)',
                            html))
    api = {v["value"]: str(v["count"]) for values in data["facets"].values() for v in values}
    assert shown == api


def test_document_page_shows_what_the_api_returns(client):
    for hit in client.get("/api/search?size=100").get_json()["hits"]:
        data = client.get(f"/api/doc/{hit['doc_id']}").get_json()
        html = html_of(client, f"/doc/{hit['doc_id']}")
        for item in data["items"]:
            if item["item_no"]:
                assert f'id="{item["anchor"]}"' in html
            assert item["citation"] in html
            for sp in item["subpoints"]:
                assert f'id="{sp["anchor"]}"' in html and sp["citation"] in html
            for role in item["roles"]:
                assert f'>{role["name"]}</a>' in html


def test_draft_page_shows_what_the_api_returns(client):
    text = "由市市场监管局牵头，会同市住建局，建立电梯安全监管责任清单，落实属地管理责任。"
    data = client.get(f"/api/draft?text={quote(text)}").get_json()
    html = html_of(client, f"/draft?text={quote(text)}")
    shown = re.findall(r'<span class="citation">([^<]+)</span>', html)
    assert shown == [p["citation"] for p in data["passages"]]
    assert client.post("/api/draft", json={"text": text}).get_json() == data
    assert html_of(client, "/draft").count('class="passage"') == 0  # the empty form


def test_help_page_shows_what_the_api_returns(client):
    html = html_of(client, "/help")
    data = client.get("/api/help").get_json()
    for row in data["syntax"]:
        assert f"<td>{row['meaning']}</td>" in html
        for example in row["examples"]:
            assert f"<code>{example}</code>".replace('"', "&#34;") in html or f"<code>{example}</code>" in html


# --- facet counts computed independently -----------------------------------------------------

def _record_facets(docs):
    """Facet values of every record, from the parser's output alone."""
    values = {}
    for d in docs.values():
        common = {"meeting": (d.meeting,) if d.meeting else (), "year": (d.year,) if d.year else (),
                  "doc_type": (d.doc_type,)}
        for item in d.items:
            values[f"{d.id}#item-{item.number}"] = dict(common, dept=item.departments, topic=item.topics)
        if d.preamble and d.items[0].number:
            values[f"{d.id}#preamble"] = dict(
                common, dept=tuple(r.name for r in department_roles(d.preamble)),
                topic=tuple(t.topic for t in find_topics(d.preamble)))
    return values


def _titles(docs):
    out = {}
    for d in docs.values():
        for item in d.items:
            out[f"{d.id}#item-{item.number}"] = item.title + d.title + "".join(item.reviewed)
        out[f"{d.id}#preamble"] = d.title
    return out


FACET_QUERIES = [
    ('"电梯"', {}), ('"原则同意"', {}), ('"预算"', {"year": ("2020",)}), ('"老旧小区"', {}),
    ('"防汛"', {"type": ("会议纪要",)}), ('"市场监管局"', {"dept": ("市市场监管局", "市住建局")}),
    ('"安全"', {"topic": ("安全生产",), "year": ("2021",)}), ('"会同"', {"dept": ("市财政局",)}),
    ('"要求"', {"meeting": ("〔2021〕9号",)}), ('"管理"', {"dept": ("市应急管理局",), "type": ("通知",)}),
]


@pytest.mark.parametrize("phrase,filters", FACET_QUERIES)
def test_facet_counts_equal_counts_from_the_parsed_documents(client, docs, phrase, filters):
    word = phrase.strip('"')
    texts, titles, facets = item_texts(docs), _titles(docs), _record_facets(docs)
    matching = [r for r in texts if word in texts[r] or word in titles.get(r, "")]
    names = {"type": "doc_type"}
    wanted = {names.get(k, k): set(v) for k, v in filters.items()}

    def passes(record, skip=None):
        return all(set(facets[record][n]) & vals for n, vals in wanted.items() if n != skip)

    expected = {}
    for name in FACET_FIELDS:
        counter = Counter(v for r in matching if passes(r, skip=name) for v in facets[r][name])
        expected[name] = counter
    query = "&".join(f"{k}={quote(v)}" for k, vals in filters.items() for v in vals)
    data = client.get(f"/api/search?q={quote(phrase)}&{query}").get_json()
    assert data["total"] == sum(1 for r in matching if passes(r))
    for name in FACET_FIELDS:
        got = {v["value"]: v["count"] for v in data["facets"][name] if v["count"]}
        assert got == dict(expected[name]), name


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


def _reading_view(record: oracle.Record) -> str:
    return f"/doc/{record.doc.id}#" + (f"item-{record.item_no}" if record.item else "preamble")


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
            "url": _reading_view(record)}


@pytest.mark.parametrize("params,phrase,sort", [
    ("sort=newest", "", "newest"), ("q=%22示例%22&sort=oldest", "示例", "oldest"),
    ("q=%22会议%22", "会议", "relevance"), ("q=%22会同%22&dept=市住建局&dept=市财政局", "会同", "relevance"),
])
def test_csv_export_is_one_search_of_every_row(many, monkeypatch, params, phrase, sort):
    """Every matching record once, from one search (not a search per page of 100): the rows are the
    records computed from the parsed files, in date order when sorted by date."""
    client, docs = many
    searches = []
    parse = indexer.search.parse_query
    monkeypatch.setattr(indexer.search, "parse_query", lambda q: searches.append(q) or parse(q))
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
    monkeypatch.setattr(presenters, "CSV_MAX_ROWS", 150)
    rows = csv_rows(client.get("/search.csv?sort=oldest"))
    records = oracle.records(docs)
    assert [row["citation"] for row in rows] == [records[rid].citation for rid in oracle.oldest_first(records)][:150]


def test_openapi_describes_every_json_endpoint(client, app):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    json_routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/") or r.rule in
                   ("/healthz", "/search.csv", "/tasks.csv")}
    described = {p.replace("{doc_id}", "<doc_id>") for p in spec["paths"]}
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
