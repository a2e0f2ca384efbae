"""Shapes over time (issue 17): the search timeline, the meeting calendar and department
workload, each against what the parsed documents give (tests/oracle.py), never against
the presenters that draw them.

The index holds the samples and 60 generated minutes dated 2012–2025 (tests/corpus_gen.py),
so that series span years and months and every department has tasks in several years.
"""
from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

import indexer
from webapp import create_app

from .. import oracle
from ..conftest import CORPUS
from ..corpus_gen import VariedMinutes

GENERATED = range(1, 61)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("timeline") / "docs"
    shutil.copytree(CORPUS, folder)
    VariedMinutes().write(folder / "varied", GENERATED)
    return folder


@pytest.fixture(scope="module")
def tl_index(corpus, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("timeline-index")
    report = indexer.index_paths([corpus], index_dir)
    assert report.failed == ()
    return index_dir


@pytest.fixture(scope="module")
def tl_docs(corpus) -> dict[str, indexer.Document]:
    files, _ = indexer.collect_files([corpus])
    return {d.id: d for d in map(indexer.read_document, files)}


@pytest.fixture(scope="module")
def ix(tl_index):
    with indexer.SearchIndex(tl_index, time_limit=None) as index:
        yield index


@pytest.fixture
def tl_client(tl_index):
    app = create_app({"INDEX": str(tl_index), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})
    yield app.test_client()
    app.extensions["minutes"].close()


# --- the timeline -------------------------------------------------------------------------------

# (query, filters as the URL gives them): quoted phrases, which the oracle finds by substring.
QUERIES = [
    ("", {}),
    ('"电梯"', {}),
    ('"原则同意"', {"type": ("会议纪要",)}),
    ('"预算"', {"year": ("2020", "2021")}),
    ('"会同"', {"dept": ("市财政局",)}),
    ('"安全"', {"topic": ("安全生产",)}),
    ('"要求" 日期：2021', {}),
    ('"工作" 日期：2019-03..2020-06', {}),
    ('"市场监管局"', {"dept": ("市市场监管局", "市住建局")}),
    ("日期：2015..2016", {"type": ("会议纪要",)}),
]
_DATE = re.compile(r"日期：(\S+)")


def _request(q: str, filters: dict) -> indexer.SearchRequest:
    return indexer.SearchRequest(q=q, **{oracle.PARAMS.get(k, k): v for k, v in filters.items()})


def _bound(text: str, first: bool) -> str:
    parts = text.split("-") + [None, None]
    year, month, day = parts[0], parts[1], parts[2]
    if first:
        return f"{year}-{month or '01'}-{day or '01'}"
    return f"{year}-{month or '12'}-{day or '31'}"


def expected_series(docs, q: str, filters: dict, unit: str = "") -> tuple:
    """(unit, [(period, count, {doc_type: count})], undated, total) from the parsed documents:
    the records containing the phrase, passing the filters and the date range as written."""
    phrase = " ".join(w for w in q.split() if not w.startswith("日期：")).strip('"')
    found = oracle.filtered(oracle.matching(oracle.records(docs), phrase) if phrase else oracle.records(docs),
                            filters)
    for low, _, high in (m.group(1).partition("..") for m in _DATE.finditer(q)):
        start, end = _bound(low, True), _bound(high or low, False)
        found = {rid: r for rid, r in found.items() if start <= r.doc.date <= end}
    dated = [r for r in found.values() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.doc.date)]
    if not dated:
        return (unit or "month", [], len(found), len(found))
    months = [int(r.doc.date[:4]) * 12 + int(r.doc.date[5:7]) - 1 for r in dated]
    unit = unit or ("month" if max(months) - min(months) < 36 else "year")
    key = (lambda r: r.doc.date[:7]) if unit == "month" else (lambda r: r.doc.date[:4])
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in dated:
        counts[key(r)][r.doc.doc_type] += 1
    if unit == "month":
        periods = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(min(months), max(months) + 1)]
    else:
        periods = [str(y) for y in range(min(months) // 12, max(months) // 12 + 1)]
    return (unit, [(p, sum(counts[p].values()), dict(counts[p])) for p in periods],
            len(found) - len(dated), len(found))


def shown_series(timeline: indexer.Timeline) -> tuple:
    return (timeline.unit, [(b.period, b.count, {s.doc_type: s.count for s in b.stacks}) for b in timeline.bars],
            timeline.undated, timeline.total)


@pytest.mark.parametrize("q,filters", QUERIES)
def test_the_series_counts_what_the_parsed_documents_give(ix, tl_docs, q, filters):
    expected = expected_series(tl_docs, q, filters)
    assert expected[3] > 0  # every query finds something
    assert shown_series(ix.timeline(_request(q, filters))) == expected


@pytest.mark.parametrize("unit", ["month", "year"])
def test_the_unit_can_be_asked_for(ix, tl_docs, unit):
    assert shown_series(ix.timeline(_request('"电梯"', {}), unit)) == expected_series(tl_docs, '"电梯"', {}, unit)


def test_a_long_span_is_shown_by_year_a_short_one_by_month(ix):
    assert ix.timeline(_request("", {})).unit == "year"
    assert ix.timeline(_request("日期：2021", {})).unit == "month"


def _public(ix, docs) -> dict[str, indexer.Document]:
    """The documents anonymous visitors read: as the index decided (marking, else internal)."""
    return {k: d for k, d in docs.items() if ix.document(k).visibility == indexer.PUBLIC}


def test_anonymous_sees_the_series_of_public_documents_only(ix, tl_docs):
    public = _public(ix, tl_docs)
    assert 0 < len(public) < len(tl_docs)
    shown = shown_series(ix.timeline(_request("", {}), access=indexer.Access.anonymous()))
    assert shown == expected_series(public, "", {})


def test_narrowed_query_adds_the_date_term_of_the_query_language():
    assert indexer.narrowed_query('"电梯" 部门：市住建局', "2021-03") == '"电梯" 部门：市住建局 日期：2021-03'
    assert indexer.narrowed_query("电梯 日期：2021", "2021-03") == "电梯 日期：2021 日期：2021-03"
    assert indexer.narrowed_query("电梯 日期：2021", "2021") == "电梯 日期：2021"
    assert indexer.narrowed_query("", "2021") == "日期：2021"


@pytest.mark.parametrize("q,filters", QUERIES[:6])
def test_each_bar_links_to_a_search_with_its_count(tl_client, q, filters):
    """The JSON twin's bars, each URL asked of /api/search: its total is the bar's count."""
    params = [("q", q), *((k, v) for k, vals in filters.items() for v in vals)]
    data = tl_client.get("/api/timeline?" + urlencode(params)).get_json()
    assert data["ok"] and data["bars"]
    assert [b["url"] for b in data["bars"] if not b["count"]] == [None] * sum(not b["count"] for b in data["bars"])
    for bar in (b for b in data["bars"] if b["count"]):  # an empty period is no link
        url = urlsplit(bar["url"])
        assert url.path == "/search"
        asked = parse_qsl(url.query)
        assert [p for p in asked if p[0] != "q"] == [p for p in params if p[0] != "q"]
        narrowed = tl_client.get("/api/search?" + url.query).get_json()
        assert narrowed["total"] == bar["count"], bar["period"]


def test_the_timeline_json_is_the_engines_series(tl_client, ix):
    data = tl_client.get("/api/timeline?" + urlencode({"q": '"电梯"', "unit": "month"})).get_json()
    timeline = ix.timeline(_request('"电梯"', {}), "month")
    assert [k for k in data] == ["ok", "unit", "total", "undated", "doc_types", "bars"]
    assert (data["unit"], data["total"], data["undated"], data["doc_types"]) == (
        "month", timeline.total, timeline.undated, list(timeline.doc_types))
    assert [(b["period"], b["count"], b["stacks"]) for b in data["bars"]] == [
        (b.period, b.count, [{"doc_type": s.doc_type, "count": s.count} for s in b.stacks]) for b in timeline.bars]
    bad = tl_client.get("/api/timeline?unit=week")
    assert (bad.status_code, bad.get_json()) == (400, {"ok": False, "error": "unit: must be month or year", "status": 400})


def test_the_search_page_draws_the_series_as_links_with_a_table(tl_client, ix):
    page = tl_client.get("/search?" + urlencode({"q": '"电梯"'})).get_data(as_text=True)
    timeline = ix.timeline(_request('"电梯"', {}))
    bars = re.findall(r'<a class="bar" href="([^"]+)" aria-label="([^"]+)" data-period="([^"]+)" data-count="(\d+)">',
                      page)
    assert [(p, int(c)) for _, _, p, c in bars] == [(b.period, b.count) for b in timeline.bars if b.count]
    assert all(label.startswith(("20",)) and f"：{c} 条" in label for _, label, _, c in bars)
    rows = re.findall(r'<tr><th scope="row">(?:<a href="[^"]+">)?([^<]+)(?:</a>)?</th><td>(\d+)</td>', page)
    assert len(rows) == len(timeline.bars)
    assert [int(n) for _, n in rows] == [b.count for b in timeline.bars]
    assert 'role="group" aria-labelledby="timeline-title timeline-desc"' in page
    assert "style=" not in page.split('id="timeline"')[1].split("</figure>")[0]  # the CSP allows no inline style


# --- result numbering -----------------------------------------------------------------------------

def test_hits_grouped_under_their_document_carry_no_rank_numbers(tl_client):
    page = tl_client.get("/search?" + urlencode({"q": '"电梯"', "size": 20})).get_data(as_text=True)
    assert '<ul class="hits">' in page and '<ol class="hits">' not in page
    assert re.findall(r'<li class="hit"[^>]*value=', page) == []


# --- the meeting calendar -------------------------------------------------------------------------

def _meetings(docs) -> list[tuple]:
    return sorted((d.id, d.session, d.date, d.chair, len(d.items), [(i.number, i.title) for i in d.items])
                  for d in docs.values() if d.doc_type == "会议纪要")


def test_the_calendar_lists_exactly_the_meetings_of_the_index(ix, tl_docs):
    calendar = indexer.meeting_calendar(ix.crossrefs())
    assert sorted((m.doc_id, m.session, m.date, m.chair, len(m.items), [(i.number, i.title) for i in m.items])
                  for m in calendar.meetings) == _meetings(tl_docs)
    years = Counter(d.date[:4] for d in tl_docs.values() if d.doc_type == "会议纪要")
    assert [(y.year, y.count) for y in calendar.years] == sorted(years.items(), reverse=True)
    assert [m.year for m in calendar.meetings] == sorted((m.year for m in calendar.meetings), reverse=True)


def test_the_calendar_json_and_its_year_facet(tl_client, tl_docs):
    data = tl_client.get("/api/meetings?year=2021").get_json()
    expected = [d for d in tl_docs.values() if d.doc_type == "会议纪要" and d.date.startswith("2021")]
    assert data["total"] == len(expected) > 1
    listed = [m for y in data["years"] for m in y["meetings"]]
    assert [m["doc_id"] for m in listed] == [d.id for d in sorted(expected, key=lambda d: (d.date, d.doc_number, d.id))]
    first = listed[0]
    doc = next(d for d in expected if d.id == first["doc_id"])
    assert first == {
        "doc_id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "session": doc.session,
        "meeting_kind": doc.meeting_kind, "issuer": doc.issuer, "date": doc.date, "chair": doc.chair,
        "item_count": len(doc.items), "url": f"/doc/{doc.id}",
        "items": [{"item_no": i.number, "title": i.title, "url": f"/doc/{doc.id}#item-{i.number}"} for i in doc.items]}
    selected = [v for v in data["facets"]["year"] if v["selected"]]
    assert selected == [{"value": "2021", "count": len(expected), "selected": True, "toggle_url": "/meetings"}]
    page = tl_client.get("/meetings?year=2021").get_data(as_text=True)
    assert re.findall(r'<li class="meeting" data-doc-id="([^"]+)"', page) == [m["doc_id"] for m in listed]
    bad = tl_client.get("/api/meetings?year=21")
    assert bad.get_json() == {"ok": False, "error": "year: '21' is not a four-digit year", "status": 400}


def test_a_meeting_links_to_the_previous_and_next_of_its_kind(tl_client, tl_docs):
    same = sorted((d for d in tl_docs.values() if d.doc_type == "会议纪要" and d.meeting_kind == "常务会议"
                   and d.issuer == "示例市人民政府" and d.date), key=lambda d: (d.date, d.doc_number, d.id))
    middle = same[len(same) // 2]
    page = tl_client.get(f"/doc/{middle.id}").get_data(as_text=True)
    before, after = same[len(same) // 2 - 1], same[len(same) // 2 + 1]
    assert re.findall(r'<a rel="(prev|next)" class="[^"]+" href="/doc/([^"]+)"', page) == [
        ("prev", before.id), ("next", after.id)]
    first = tl_client.get(f"/doc/{same[0].id}").get_data(as_text=True)
    assert re.findall(r'<a rel="(prev|next)"', first) == ["next"]


# --- department workload --------------------------------------------------------------------------

def test_the_grid_cells_equal_the_task_lists_counts(ix):
    refs = ix.crossrefs()
    workload = indexer.workload(refs)
    assert len(workload.rows) > 10 and len(workload.years) > 5
    for row in workload.rows:
        for cell in row.cells:
            if cell.year:
                assert (cell.lead, cell.co_lead) == (len(refs.tasks(row.dept, cell.year, indexer.LEAD)),
                                                     len(refs.tasks(row.dept, cell.year, indexer.CO_LEAD)))
        assert row.lead + row.co_lead == len(refs.tasks(row.dept))


def test_the_grid_counts_what_the_parsed_documents_give(ix, tl_docs):
    expected = Counter((r.name, d.date[:4], r.role) for d in tl_docs.values() for i in d.items for r in i.roles
                       if r.role in (indexer.LEAD, indexer.CO_LEAD))
    shown = Counter()
    for row in indexer.workload(ix.crossrefs()).rows:
        for c in row.cells:
            shown.update({(row.dept, c.year, indexer.LEAD): c.lead, (row.dept, c.year, indexer.CO_LEAD): c.co_lead})
    assert +shown == expected


def test_the_workload_page_links_each_cell_to_its_tasks(tl_client):
    data = tl_client.get("/api/workload").get_json()
    row = data["rows"][0]
    cell = next(c for c in row["cells"] if c["lead"])
    tasks = tl_client.get(cell["lead_url"].replace("/tasks", "/api/tasks")).get_json()["tasks"]
    assert len(tasks) == cell["lead"]
    page = tl_client.get("/workload").get_data(as_text=True)
    assert f'<a class="cell lead" href="{cell["lead_url"].replace("&", "&amp;")}"' in page


def test_the_task_page_shows_the_grid_and_a_departments_own_row(tl_client):
    data = tl_client.get("/api/workload").get_json()
    grid = tl_client.get("/tasks").get_data(as_text=True)
    assert re.findall(r'<tr data-dept="([^"]+)">', grid) == [r["dept"] for r in data["rows"]][:60]
    row = data["rows"][0]
    page = tl_client.get("/tasks?" + urlencode({"dept": row["dept"]})).get_data(as_text=True)
    assert re.findall(r'<tr data-dept="([^"]+)">', page) == [row["dept"]]
    shown = re.findall(r'<a class="cell (lead|co-lead)" href="[^"]+" aria-label="[^"]+">[牵会] (\d+)</a>', page)
    assert shown == [(kind, str(c[key])) for c in row["cells"] if c["year"]
                     for kind, key in (("lead", "lead"), ("co-lead", "co_lead")) if c[key]]


def test_one_departments_topics_over_time(ix, tl_client, tl_docs):
    data = tl_client.get("/api/workload?dept=财政局").get_json()
    assert data["dept"] == "市财政局" and [r["dept"] for r in data["rows"]] == ["市财政局"]
    expected = Counter()
    for d in tl_docs.values():
        for i in d.items:
            if any(r.name == "市财政局" and r.role in (indexer.LEAD, indexer.CO_LEAD) for r in i.roles):
                n = sum(1 for r in i.roles if r.name == "市财政局" and r.role in (indexer.LEAD, indexer.CO_LEAD))
                for t in dict.fromkeys(t.topic for t in i.topic_matches):
                    expected[t, d.date[:4]] += n
    years = data["topics"]["years"]
    shown = Counter({(r["topic"], y): n for r in data["topics"]["rows"] for y, n in zip(years, r["counts"]) if n})
    assert shown == expected and shown


def test_anonymous_sees_the_calendar_and_grid_of_public_documents_only(ix, tl_index, tl_docs):
    app = create_app({"INDEX": str(tl_index), "TESTING": True})
    try:
        client = app.test_client()
        public = _public(ix, tl_docs)
        assert {d.doc_type for d in public.values()} >= {"会议纪要", "通知"}
        data = client.get("/api/meetings").get_json()
        assert sorted(m["doc_id"] for y in data["years"] for m in y["meetings"]) == sorted(
            d.id for d in public.values() if d.doc_type == "会议纪要")
        grid = client.get("/api/workload").get_json()
        assert sum(r["lead"] + r["co_lead"] for r in grid["rows"]) == sum(
            1 for d in public.values() for i in d.items for r in i.roles if r.role in (indexer.LEAD, indexer.CO_LEAD))
    finally:
        app.extensions["minutes"].close()


@pytest.mark.parametrize("build", ["calendar", "workload", "topics"])
def test_a_first_build_counts_against_the_requests_deadline(ix, build):
    """Each view's first calendar or grid reads every document: the request's deadline is
    checked per document, and what a timed-out build did not finish is not kept."""
    view = ix.crossrefs(access=indexer.Access.staff((f"组{build}",)))  # a view of its own, built for nothing yet
    run = {"calendar": lambda d: indexer.meeting_calendar(view, (), d), "workload": lambda d: indexer.workload(view, d),
           "topics": lambda d: indexer.dept_topics(view, "市财政局", d)}[build]
    with pytest.raises(indexer.SearchTimeout):
        run(indexer.Deadline.after(0))
    assert run(indexer.NO_DEADLINE) == run(indexer.Deadline.after(0))  # built now, then answered from the view


@pytest.mark.slow
def test_months_read_from_the_date_column_equal_those_of_the_postings(ix, tl_index, corpus, tmp_path):
    """The fast path (Whoosh's date column) and the postings agree, also over several segments
    with deletions (a second commit replacing documents)."""
    from indexer.analytics import timeline
    from indexer.store.postings import Postings

    def both(index):
        with index._ix.searcher() as searcher:
            postings = Postings(searcher)
            size = searcher.reader().doc_count_all()
            segments = len(list(searcher.reader().leaf_readers()))
            fast = timeline._from_columns(searcher.reader(), size)
            return fast, timeline._from_postings(postings, size), segments

    fast, slow, _ = both(ix)
    assert fast is not None and fast.tolist() == slow.tolist() and (fast >= 0).sum() > 100
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    VariedMinutes().write(folder / "varied", range(1, 11), variant=1)  # ten documents replaced: deletions
    VariedMinutes().write(folder / "more", range(100, 110))  # and a segment of new ones
    indexer.index_paths([folder], index_dir)
    with indexer.SearchIndex(index_dir) as second:
        fast, slow, segments = both(second)
    assert segments > 1
    assert fast is not None and fast.tolist() == slow.tolist()
