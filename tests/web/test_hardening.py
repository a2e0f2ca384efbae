"""Hostile input: a batch of bad files, hostile documents and queries, fuzzing."""
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indexer
from indexer import QueryError, SearchRequest
from indexer.parse import gazetteer
from indexer.read.text import MAX_FILE_BYTES
from indexer.store.segmenter import fold
from indexer.search.query import TEXT_FIELDS, parse_query, tokens
from indexer.parse.roles import department_roles
from minutes_cli import cli
from webapp import create_app

from .. import variants
from ..conftest import CORPUS, MINUTES_2021_9
from ..read.test_formats import NO_TEXT_PDF

XSS_TEXT = ("示例市人民政府专题会议纪要\n〔2021〕66号\n"
            "一、关于<script>window.__xss = 1; alert(1)</script>网页安全\n"
            "会议要求，由市大数据局牵头，检查<img src=x onerror=\"window.__xss = 2\">页面。\n")


def hostile_corpus(folder):
    """Every kind of bad file, each with the outcome ``minutes index`` must report."""
    folder.mkdir()
    text = MINUTES_2021_9.read_text("utf-8")
    files = {
        "empty.txt": (b"", "file is empty"),
        "blank.txt": (b"  \n\t\n", "file is empty"),
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary file (contains NUL bytes), not text"),
        "latin.txt": (b"\xff\xfe\xfd" * 50, "cannot decode as UTF-8, UTF-16 or GB18030"),
        "controls.txt": (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 20, "binary file (control characters), not text"),
        "big.txt": (b"a" * (MAX_FILE_BYTES + 1), f"file is {MAX_FILE_BYTES + 1} bytes, over the {MAX_FILE_BYTES} byte limit"),
        "broken.docx": (b"PK\x03\x04 not really", "not a valid .docx file (not a zip archive)"),
        "nodoc.docx": (_zip({"hello.txt": b"hi"}), "not a valid .docx file (no word/document.xml)"),
        "bomb.docx": (_zip({"word/document.xml": b"<" + b"a" * (60 * 1024 * 1024)}),
                      "not a valid .docx file (word/document.xml expands to 62914561 bytes)"),
        "scan.pdf": (None, NO_TEXT_PDF),
        "garbage.pdf": (b"%PDF-1.7\n%%EOF", "not a readable PDF"),
        "onlyscript.html": (b"<html><script>var a = 1;</script><style>p{}</style></html>", "no text after normalization"),
        "duplicate.txt": ((text + "\n补充说明。").encode(), "duplicate document: 〔2021〕9号 is already indexed from"),
    }
    good = {
        "a-minutes.txt": text.encode(),
        "utf16.txt": text.replace("〔2021〕9号", "〔2021〕70号").encode("utf-16"),
        "malformed.html": b"<div id='content'><p>\xe7\xa4\xba\xe4\xbe\x8b\xe5\xb8\x82\xe4\xba\xba\xe6\xb0\x91\xe6\x94"
                          b"\xbf\xe5\xba\x9c\xe4\xb8\x93\xe9\xa2\x98\xe4\xbc\x9a\xe8\xae\xae\xe7\xba\xaa\xe8\xa6\x81"
                          b"<p>\xe3\x80\x942021\xe3\x80\x9571\xe5\x8f\xb7<table><td><p>\xe4\xb8\x80\xe3\x80\x81"
                          b"\xe5\x85\xb3\xe4\xba\x8e\xe9\x98\xb2\xe6\xb1\x9b</span></div></html></body>",
        "word.docx": variants.word_document(text.replace("〔2021〕9号", "〔2021〕72号")),
        "text.pdf": variants.pdf_document(text.replace("〔2021〕9号", "〔2021〕73号")),
        "xss.txt": XSS_TEXT.encode(),
        "long-line.txt": ("示例市人民政府专题会议纪要\n〔2021〕74号\n一、关于长段落\n" + "会议要求加强管理，" * 20000).encode(),
    }
    for name, (data, _) in files.items():
        if data is None:
            variants.pdf_without_text(folder / name)
        else:
            (folder / name).write_bytes(data)
    for name, data in good.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in files.items()}, set(good)


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.slow
def test_hostile_batch_reports_each_file_and_indexes_the_rest(tmp_path):
    expected_failures, good = hostile_corpus(tmp_path / "batch")
    result = CliRunner().invoke(cli, ["index", str(tmp_path / "batch"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    failures = {}
    for line in result.stderr.splitlines():
        if line.startswith("failed: "):
            path, reason = line[len("failed: "):].split(": ", 1)
            failures[path.rsplit("/", 1)[1]] = reason
    assert set(failures) == set(expected_failures)
    for name, reason in expected_failures.items():
        assert failures[name].startswith(reason), name
    assert result.stdout.splitlines()[-1] == f"indexed {len(good)}, unchanged 0, failed {len(expected_failures)}"
    with indexer.SearchIndex(tmp_path / "ix") as ix:
        numbers = {h.doc_number for h in ix.search(indexer.SearchRequest(size=100)).hits}
    assert {"〔2021〕9号", "〔2021〕70号", "〔2021〕71号", "〔2021〕72号", "〔2021〕73号", "〔2021〕66号",
            "〔2021〕74号"} <= numbers


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile")
    (path / "docs").mkdir()
    (path / "docs" / "xss.txt").write_text(XSS_TEXT, "utf-8")
    indexer.index_paths([path / "docs", CORPUS], path / "ix")
    return path / "ix"


def test_document_markup_is_inert_in_every_page(hostile_index, request):
    app = create_app({"INDEX": str(hostile_index), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})  # markup, not access
    request.addfinalizer(app.extensions["minutes"].close)
    client = app.test_client()
    data = client.get("/api/search?q=网页安全").get_json()
    doc_id = data["hits"][0]["doc_id"]
    assert "<script>" not in data["hits"][0]["snippet"] and "&lt;script&gt;" in data["hits"][0]["snippet"]
    csv = client.get("/search.csv?q=网页安全")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"  # never rendered as a page (nosniff)
    for url in ["/search?q=网页安全&list=1", f"/doc/{doc_id}?q=script", "/draft?text=检查页面安全 onerror",
                "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"]:
        body = client.get(url).get_data(as_text=True)
        assert "<script>window" not in body and "<img src=x" not in body, url


def test_security_headers_on_every_response(client):
    for url in ["/", "/search?q=电梯", "/api/search?q=电梯", "/static/app.js", "/nope", "/healthz"]:
        response = client.get(url)
        headers = response.headers
        response.close()
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style_in_pages(client):
    for url in ["/", "/search?q=电梯", "/help", "/draft?text=电梯安全"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert " on" not in "".join(__import__("re").findall(r"<[^>]+>", html)).replace(" one", "")


@pytest.mark.parametrize("params,error", [
    ("q=" + "电" * 501, "q: query is 501 characters; the limit is 500"),
    ("q=" + " ".join(["电梯"] * 33), "q: query has 33 terms; the limit is 32"),
    ("page=501", "page: must be between 1 and 500"),
    ("size=101", "size: must be between 1 and 100"),
    ("dept=" + "&dept=".join(str(i) for i in range(51)), "dept: at most 50 values"),
])
def test_limits_answer_400_with_a_clear_message(client, params, error):
    response = client.get(f"/api/search?{params}")
    assert (response.status_code, response.get_json()["error"]) == (400, error)


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
QUERY_ALPHABET = st.sampled_from(list('电梯安全会议纪要"“”「」-:：OR或 部门主题文号年份日期类型〔〕[]()（）第次号2019.*?\\/<>&%#'))


TEXT_QUERY_FIELDS = (*TEXT_FIELDS, "body_bigram", "body_joins")


class _Records(dict):
    def __repr__(self):  # hypothesis prints the arguments of a failing example
        return f"<{len(self)} records>"


@pytest.fixture(scope="session")
def record_facets(docs) -> dict[str, dict[str, set[str]]]:
    """Record id → facet field → its values, computed from the parsed documents
    (not from the index), as the oracle for filters."""
    records = _Records()
    for d in docs.values():
        doc = {"meeting": {d.meeting} - {""}, "year": {d.year} - {""}, "doc_type": {d.doc_type} - {""},
               "validity": {"未见废止"}}  # no sample speaks of a document's force (see tests/oracle.py)
        for i in d.items:
            records[f"{d.id}#item-{i.number}"] = dict(doc, dept=set(i.departments), topic=set(i.topics))
        if d.preamble and d.items[0].number:
            roles = department_roles(d.preamble, d.issuer_level, gazetteer.issuer_place(d.issuer))
            records[f"{d.id}#preamble"] = dict(doc, dept={r.name for r in roles},
                                               topic={t.topic for t in gazetteer.find_topics(d.preamble)})
    return records


def _query_characters(text: str) -> set[str]:
    """Every character a text-field term of the parsed query may hold: the input's own
    (folded, either case), and those of the words the parser expands a token into
    (synonyms and department names)."""
    folded = fold(text)
    allowed = set(folded) | set(folded.lower())
    for raw in tokens(text):
        token = raw.lstrip("-")
        for word in {token, token.split("：")[-1].split(":")[-1], re.sub(r"^(?:19|20)\d\d年", "", token)}:
            for other in (*gazetteer.synonyms(word), gazetteer.canonical_department(word)):
                allowed |= set(other) | set(fold(other).lower())
    return allowed


@SETTINGS
@given(text=st.one_of(st.text(max_size=80), st.lists(QUERY_ALPHABET, max_size=40).map("".join)),
       dept=st.lists(st.sampled_from(["市发改委", "市住建局", "市市场监管局", "市财政局", "市水务局", "不存在局"]),
                     max_size=2, unique=True),
       year=st.lists(st.sampled_from(["2020", "2021", "2022", "1999"]), max_size=2, unique=True),
       doc_type=st.lists(st.sampled_from(["会议纪要", "通知", "意见", "批复", "报告", "函"]), max_size=2, unique=True))
@pytest.mark.slow
def test_query_parser_fuzz(search_index, record_facets, text, dept, year, doc_type):
    """Any text parses (nothing raises); a request refuses it only with a QueryError on
    ``q``; the text fields of the query hold only the input's characters and those of
    its expansions; the words kept for "did you mean" are the input's own tokens; and
    searching with filters gives exactly the unfiltered hits that satisfy them, each record
    once, and facet counts that agree (both checked against the parsed documents)."""
    parsed = parse_query(text)
    chars = _query_characters(text)
    for fieldname, term in parsed.query.iter_all_terms(phrases=True):
        if fieldname in TEXT_QUERY_FIELDS:
            term = term.decode() if isinstance(term, bytes) else term
            assert set(term) <= chars, (fieldname, term)
    positive = {raw for raw in tokens(text) if not (raw.startswith("-") and len(raw) > 1)}
    assert set(parsed.words) <= positive
    try:
        request = SearchRequest(q=text, size=100)
    except QueryError as e:
        assert e.parameter == "q"
        return
    unfiltered = search_index.search(request)
    assert unfiltered.total == len(unfiltered.hits) <= 100  # the samples have fewer than 100 records
    records = record_facets
    found = [h.id for h in unfiltered.hits]
    assert len(found) == len(set(found)) and set(found) <= set(records)
    filters = {"dept": tuple(dept), "year": tuple(year), "doc_type": tuple(doc_type)}
    filtered = search_index.search(SearchRequest(q=text, size=100, **filters))
    expected = [i for i in found if all(set(values) & records[i][name] for name, values in filters.items() if values)]
    assert sorted(h.id for h in filtered.hits) == sorted(expected)
    assert filtered.total == len(expected)
    for name, shown in filtered.facets.items():  # disjunctive: every filter but the facet's own
        base = [i for i in found if all(set(values) & records[i][other]
                                        for other, values in filters.items() if values and other != name)]
        for value in shown:
            assert value.count == sum(value.value in records[i][name] for i in base), (name, value)
            assert value.selected == (value.value in filters.get(name, ()))


@SETTINGS
@given(q=st.one_of(st.text(max_size=60), st.lists(QUERY_ALPHABET, max_size=30).map("".join)),
       dept=st.lists(st.text(max_size=8), max_size=3), page=st.text(max_size=4), size=st.text(max_size=4),
       sort=st.text(max_size=8), year=st.lists(st.text(max_size=6), max_size=2))
@pytest.mark.slow
def test_search_endpoint_fuzz_never_500(client, q, dept, page, size, sort, year):
    params = {"q": q, "dept": dept, "page": page, "size": size, "sort": sort, "year": year}
    for url in ("/api/search", "/search"):
        response = client.get(url, query_string=params)
        assert response.status_code in (200, 302, 400), (url, params, response.get_data(as_text=True)[:300])
        if url == "/api/search" and response.status_code == 400:
            assert response.get_json()["ok"] is False


@pytest.mark.browser
def test_hostile_document_and_query_are_inert_in_a_real_browser(hostile_index, tmp_path):
    from playwright.sync_api import sync_playwright

    from ..conftest import ARGS, CHROMIUM, start_gunicorn

    proc, base = start_gunicorn(hostile_index, tmp_path / "gunicorn.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(base_url=base)
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto("/search?q=网页安全&list=1")
            assert "<script>window.__xss = 1; alert（1）</script>" in page.locator(".hit .snippet").first.inner_text()
            page.locator(".hit-link").first.click()
            page.wait_for_url("**/doc/**")
            page.goto("/search?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E")
            assert page.get_by_label("检索词").input_value() == "<img src=x onerror=alert(3)><script>alert(4)</script>"
            assert page.evaluate("window.__xss === undefined")
            assert dialogs == []
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
