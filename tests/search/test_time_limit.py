"""The time limit covers the whole request: every part that can run long stops
with SearchTimeout (503) once the request's deadline has passed.

No test here waits or measures time. The deadline's clock (``indexer.deadline.monotonic``)
is replaced by one that moves only when a test says so: a part made "slow" moves it
past the limit, and the request must stop, in that part or right after it, instead
of answering. A deadline of 0 seconds has passed at its first check.
"""
from __future__ import annotations

import functools
import importlib.util
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from click.testing import CliRunner

import indexer
import indexer.analytics.crossrefs
import indexer.deadline
import indexer.engine
import indexer.search.draft
import indexer.search.ranking
import indexer.search.suggest
from indexer import Deadline, SearchRequest, SearchTimeout
from indexer.deadline import Resumable
from indexer.search.scoring import Scorer
from minutes_cli import cli
from webapp import create_app

from ..conftest import ROOT

DRAFT = "由市市场监管局牵头，会同市住建局，建立电梯安全监管责任清单，落实属地管理责任。"
LIMIT = 3.0


class Clock:
    """A monotonic clock that moves only when told to."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class StepClock(Clock):
    """A clock that moves one second each time it is read: a deadline of N seconds
    allows about N checks, whatever the machine's speed."""

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(indexer.deadline, "monotonic", clock)
    return clock


@pytest.fixture
def ix(index_dir):
    """A freshly opened index: nothing built yet (cross-references, vocabulary)."""
    with indexer.SearchIndex(index_dir) as search_index:
        yield search_index


@pytest.fixture(scope="module")
def unsaved_index_dir(index_dir, tmp_path_factory) -> Path:
    """The samples' index without the cross-references ``minutes index`` saves (as an index
    written before it saved them, or with the file damaged): they are built under deadlines."""
    copy = tmp_path_factory.mktemp("unsaved") / "index"
    shutil.copytree(index_dir, copy)
    for saved in copy.glob("live/crossrefs-*.pickle"):
        saved.unlink()
    return copy


@pytest.fixture
def ix_unsaved(unsaved_index_dir):
    with indexer.SearchIndex(unsaved_index_dir) as search_index:
        yield search_index


def slow(monkeypatch, clock: Clock, owner, name: str, seconds: float = 10.0) -> list:
    """Make ``owner.name`` take ``seconds`` on the clock each time it is called; the
    returned list counts the calls."""
    original = getattr(owner, name)
    calls = []

    @functools.wraps(original)
    def slowed(*args, **kwargs):
        calls.append(1)
        clock.advance(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, slowed)
    return calls


def spy(monkeypatch, owner, name: str) -> list:
    """Count the calls of ``owner.name``."""
    original = getattr(owner, name)
    calls = []

    @functools.wraps(original)
    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def doc_id(ix, number: str) -> str:
    return ix.lookup(number, indexer.NO_DEADLINE)[0]


# --- a deadline that has passed stops every part ---------------------------------------------

PARTS = {
    "search": lambda ix, d: ix.search(SearchRequest(q="电梯"), d),
    "empty query": lambda ix, d: ix.search(SearchRequest(), d),
    "export": lambda ix, d: ix.hits(SearchRequest(q="电梯"), 1000, d),
    "lookup": lambda ix, d: ix.lookup("〔2021〕9号", d),
    "drafting aid": lambda ix, d: ix.similar(DRAFT, deadline=d),
    "cross-references": lambda ix, d: ix.crossrefs(d),
    "suggestions": lambda ix, d: ix.suggest("发改", deadline=d),
    "document": lambda ix, d: ix.document(doc_id(ix, "〔2021〕9号"), d),
    "tasks": lambda ix, d: ix.crossrefs(indexer.NO_DEADLINE).tasks("发改委", deadline=d),
    "audit": lambda ix, d: indexer.audit_index(ix, d),
}


@pytest.mark.parametrize("part", PARTS)
def test_a_deadline_already_past_stops_every_part(ix, part):
    with pytest.raises(SearchTimeout) as e:
        PARTS[part](ix, Deadline.after(0))
    assert "检索超时" in str(e.value)


# --- time spent in each part counts ------------------------------------------------------------

def test_scoring_counts(ix, clock, monkeypatch):
    slow(monkeypatch, clock, Scorer, "top")
    snippets = spy(monkeypatch, indexer.search.ranking, "snippets")
    with pytest.raises(SearchTimeout):
        ix.search(SearchRequest(q="电梯"), Deadline.after(LIMIT))
    assert snippets == []  # stopped before the hits were made


def test_reading_and_reranking_the_top_records_counts(ix, clock, monkeypatch):
    reranked = slow(monkeypatch, clock, indexer.search.ranking, "proximity_bonus")
    snippets = spy(monkeypatch, indexer.search.ranking, "snippets")
    with pytest.raises(SearchTimeout):
        ix.search(SearchRequest(q="电梯"), Deadline.after(LIMIT))
    assert (len(reranked), snippets) == (1, [])  # stopped at the next record


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_snippets_count(ix, clock, monkeypatch, sort):
    made = slow(monkeypatch, clock, indexer.search.ranking, "snippets")
    with pytest.raises(SearchTimeout):
        ix.search(SearchRequest(q="电梯", sort=sort), Deadline.after(LIMIT))
    assert len(made) == 1  # stopped after the first hit's


def test_did_you_mean_counts(ix, clock, monkeypatch):
    ix.suggest("发改", deadline=indexer.NO_DEADLINE)  # the vocabulary is built: only the correction is timed
    compared = slow(monkeypatch, clock, indexer.search.suggest, "edit_distance")
    with pytest.raises(SearchTimeout):
        ix.search(SearchRequest(q="电梯安权"), Deadline.after(LIMIT))
    assert len(compared) == 1


def test_the_drafting_aids_large_or_query_counts(ix, clock, monkeypatch):
    scored = slow(monkeypatch, clock, Scorer, "_term")  # one posting list of the draft's bigrams
    passages = spy(monkeypatch, indexer.search.draft, "_passages")
    with pytest.raises(SearchTimeout):
        ix.similar(DRAFT, deadline=Deadline.after(LIMIT))
    assert (len(scored), passages) == (1, [])  # stopped at the next term


def test_the_drafting_aids_passages_count(ix, clock, monkeypatch):
    cut = slow(monkeypatch, clock, indexer.search.draft, "_passages")
    with pytest.raises(SearchTimeout):
        ix.similar(DRAFT, deadline=Deadline.after(LIMIT))
    assert len(cut) == 1  # stopped at the next candidate item


def test_the_first_build_of_the_cross_references_counts(ix_unsaved, clock, monkeypatch):
    rebuilt = slow(monkeypatch, clock, indexer.analytics.crossrefs, "item_from_record")
    with pytest.raises(SearchTimeout):
        ix_unsaved.crossrefs(Deadline.after(LIMIT))
    assert len(rebuilt) == 1


def test_the_first_build_of_the_vocabulary_counts(ix, clock, monkeypatch):
    added = slow(monkeypatch, clock, indexer.search.suggest, "_key")
    with pytest.raises(SearchTimeout):
        ix.suggest("发改", deadline=Deadline.after(LIMIT))
    with pytest.raises(SearchTimeout):  # a misspelt query builds it too, for its correction
        ix.search(SearchRequest(q="电梯安权"), Deadline.after(LIMIT))
    assert len(added) == 2  # one name or term each time, then the next check stopped it


def test_a_part_within_the_limit_answers(ix, clock, monkeypatch):
    slow(monkeypatch, clock, Scorer, "top", seconds=LIMIT - 0.5)
    assert ix.search(SearchRequest(q="电梯"), Deadline.after(LIMIT)).total > 0


# --- first builds longer than the limit still complete ---------------------------------------

def test_a_build_cut_short_goes_on_where_it_stopped(unsaved_index_dir, monkeypatch):
    """With a limit of a few checks, each call does a few steps of the cross-references'
    build; calls repeated finish it, every record rebuilt once, and it equals the build
    made at once."""
    index_dir = unsaved_index_dir
    with indexer.SearchIndex(index_dir, time_limit=None) as whole:
        expected = whole.crossrefs()
    monkeypatch.setattr(indexer.deadline, "monotonic", StepClock())
    rebuilt = spy(monkeypatch, indexer.analytics.crossrefs, "item_from_record")
    attempts = 0
    with indexer.SearchIndex(index_dir) as ix:
        while True:
            attempts += 1
            try:
                refs = ix.crossrefs(Deadline.after(5))
                break
            except SearchTimeout:
                assert attempts < 200
    assert attempts > 5
    assert len(rebuilt) == sum(len(d.items) for d in expected.documents.values())
    assert (refs.documents, refs.cites, refs.cited_by) == (expected.documents, expected.cites, expected.cited_by)


def test_resumable_keeps_its_progress_and_starts_over_after_an_error():
    log, failed = [], []

    def steps():
        for n in range(6):
            if n == 4 and not failed:
                failed.append(n)
                raise ValueError("a step failed")
            log.append(n)
            yield
        return sum(log)

    work = Resumable(steps)
    with pytest.raises(SearchTimeout):
        work.result(Deadline.after(0))
    assert log == [] and not work.done
    with pytest.raises(ValueError):
        work.result(indexer.NO_DEADLINE)  # goes on from where it was: 0 … 3, then the failure
    assert log == [0, 1, 2, 3]
    assert work.result(indexer.NO_DEADLINE) == 21  # started over
    assert log == [0, 1, 2, 3, 0, 1, 2, 3, 4, 5]
    assert work.done and work.result(Deadline.after(0)) == 21  # once done, no deadline applies


# --- the web app: one deadline per request -----------------------------------------------------

@pytest.fixture
def app_with_limit(unsaved_index_dir):
    def make(limit):
        app = create_app({"INDEX": str(unsaved_index_dir), "TESTING": True, "SEARCH_TIME_LIMIT": limit,
                          "ANONYMOUS_ACCESS": "staff"})  # every endpoint, /audit too
        made.append(app)
        return app.test_client()

    made = []
    yield make
    for app in made:
        app.extensions["minutes"].close()


ENDPOINTS = ["/api/search?q=电梯", "/search?q=电梯", "/search.json?q=电梯", "/search.csv?q=电梯",
             "/api/draft?text=" + quote(DRAFT), "/draft?text=" + quote(DRAFT), "/api/doc/{doc}", "/doc/{doc}",
             "/api/policy?title=示例市电梯安全条例（草案）", "/policy?title=示例市电梯安全条例（草案）",
             "/api/tasks?dept=发改委", "/tasks?dept=发改委", "/tasks.csv?dept=发改委", "/api/suggest?q=发改",
             "/api/audit", "/audit", "/search?q=〔2021〕9号"]


def test_every_endpoint_that_reads_the_index_answers_503_past_the_limit(app_with_limit, search_index):
    doc = doc_id(search_index, "〔2021〕9号")
    timed_out, unlimited = app_with_limit(0), app_with_limit(None)
    for url in ENDPOINTS:
        url = url.format(doc=doc)
        assert unlimited.get(url).status_code in (200, 302), url
        response = timed_out.get(url)
        assert response.status_code == 503, url
        if url.startswith("/api/") or ".json" in url or ".csv" in url:
            assert response.get_json() == {"ok": False, "status": 503, "error": (
                "search took longer than 0 s and was stopped; narrow the query (检索超时，请缩小检索范围)")}, url
        else:
            assert "检索超时" in response.get_data(as_text=True), url
    assert timed_out.get("/healthz").status_code == 200  # not a search


def test_the_limit_covers_the_whole_request_not_each_call(app_with_limit, search_index, clock, monkeypatch):
    """The reading view reads the document, then builds the cross-references: 2 s each,
    each within 3 s, together past it."""
    doc = doc_id(search_index, "〔2021〕9号")
    slow(monkeypatch, clock, indexer.SearchIndex, "document", seconds=2.0)
    steps = indexer.analytics.crossrefs.CrossReferences.steps.__func__

    def slow_steps(cls, searcher):
        clock.advance(2.0)
        return (yield from steps(cls, searcher))

    monkeypatch.setattr(indexer.analytics.crossrefs.CrossReferences, "steps", classmethod(slow_steps))
    assert app_with_limit(5.0).get(f"/api/doc/{doc}").status_code == 200
    response = app_with_limit(LIMIT).get(f"/api/doc/{doc}")
    assert response.status_code == 503


def test_the_default_limit_is_three_seconds(index_dir, monkeypatch):
    app = create_app({"INDEX": str(index_dir), "TESTING": True})
    assert app.config["SEARCH_TIME_LIMIT"] == indexer.SEARCH_TIME_LIMIT_S == 3.0
    monkeypatch.setenv("MINUTES_SEARCH_TIME_LIMIT", "5")
    assert create_app({"INDEX": str(index_dir)}).config["SEARCH_TIME_LIMIT"] == 5


def test_gunicorn_warms_each_worker_before_requests(index_dir, tmp_path):
    """gunicorn.conf.py's post_worker_init loads the vocabulary in a new worker and builds
    the cross-references on a thread of their own, so no request pays for them and searches
    are answered meanwhile; a missing index is left for requests to report."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    app = create_app({"INDEX": str(index_dir), "TESTING": True})
    try:
        conf.post_worker_init(SimpleNamespace(wsgi=app))
        state = app.extensions["minutes"].get()._current()
        assert state.vocabulary.done
        assert app.test_client().get("/api/search?q=电梯").status_code == 200
        waited = time.monotonic() + 60
        while not state.crossrefs.done and time.monotonic() < waited:
            time.sleep(0.05)
        assert state.crossrefs.done
    finally:
        app.extensions["minutes"].close()
    missing = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True})
    conf.post_worker_init(SimpleNamespace(wsgi=missing))
    assert missing.test_client().get("/api/search?q=电梯").status_code == 503


def test_the_command_line_has_no_time_limit(index_dir, monkeypatch):
    """An index opened as a library has the limit by default; the command line opens it
    without one (the one who waits is the one who asked)."""
    monkeypatch.setattr(indexer.engine, "SEARCH_TIME_LIMIT_S", 0)
    with indexer.SearchIndex(index_dir) as ix, pytest.raises(SearchTimeout):
        ix.search(SearchRequest(q="电梯"))
    for args in (["search", "电梯"], ["refs", "〔2021〕9号"], ["tasks", "发改委"]):
        result = CliRunner().invoke(cli, [*args, "--index", str(index_dir)])
        assert result.exit_code == 0, (args, result.output)
