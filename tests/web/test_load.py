"""Correctness under concurrent load while the index changes: real gunicorn (two
workers), four clients searching with filters, and a second process updating the
index between their requests.

Every answer is compared with an oracle computed from the parsed files of the
generation it may have seen: the index as it was when the request was sent, or a
later one committed before the answer came. The record ids must be exactly those the
oracle gives (no stale, missing or duplicate hit), each hit must carry its record's
fields, and the total and the facet counts must agree. Nothing about speed is
asserted (``scripts/bench`` measures that); the figures are written to
``test-artifacts/load.txt``.

One 5xx answer is allowed: the documented 503 of the search time limit
(``SearchTimeout``), which an overloaded machine may give for any query, since the
limit is wall-clock time. It is counted and reported, never retried silently in
the clients, and it checks nothing: only answers compared with the oracle count
towards the requests each client must complete in every generation, so the test
cannot pass on time-limit answers alone; and every update must have checked answers
that were sent before it began and came after. Any other 5xx, or a 503 for another
reason (index missing, outdated or locked: a reader that saw a half-made index),
fails the test.
"""
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

import indexer
from indexer.parse import gazetteer
from indexer.parse.roles import department_roles

from ..conftest import CORPUS, start_gunicorn
from ..corpus_gen import write_minutes

pytestmark = [pytest.mark.slow, pytest.mark.serving]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
UPDATES = 6  # odd ones add a document, even ones change the marked one
CLIENTS = 4
ROUNDS = 5  # answers each client has checked in every generation before the next update
HANG_GUARD_S = 300  # only so that a hung server fails the test instead of hanging it
# indexer.SearchTimeout's message, whatever the limit
TIME_LIMIT_ERROR = re.compile(re.escape(str(indexer.SearchTimeout(1.5))).replace(r"1\.5", r"[\d.]+"))
PHRASES = ["电梯", "原则同意", "其他事项", "更新标记", *(f"更新标记{k}" for k in range(UPDATES + 1))]
QUERIES = ["", *(f'"{p}"' for p in PHRASES)]
FILTERS = [{}, {"dept": "市住建局"}, {"year": "2021"}, {"type": "会议纪要"}, {"year": "2019", "type": "会议纪要"}]
API_FACETS = {"dept": "dept", "year": "year", "type": "doc_type"}  # request parameter → facet
WRITER = """import sys, indexer
indexer.read_document(sys.argv[1] + "/minutes-0500.txt")
print("ready", flush=True)
for line in sys.stdin:
    report = indexer.index_paths([sys.argv[1]], sys.argv[2])
    print(f"indexed {len(report.indexed)}, failed {len(report.failed)}", flush=True)
"""
HIT_KEYS = {"id", "doc_id", "doc_title", "doc_number", "doc_type", "date", "item_no", "item_title", "citation",
            "snippet", "score", "url", "dept", "topic"}


def oracle(folder: Path) -> dict[str, dict]:
    """Record id → what the index should hold for it, from the parsed files alone:
    the text a phrase is looked for in (document title, then the item's text or the
    preamble of a document with items), the hit's fields, the facet values."""
    files, _ = indexer.collect_files([folder])
    records = {}
    for path in files:
        d = indexer.read_document(path)
        common = {"doc_id": d.id, "doc_number": d.doc_number, "date": d.date, "year": {d.year}, "doc_type": {d.doc_type}}
        for i in d.items:
            records[f"{d.id}#item-{i.number}"] = dict(common, item_no=i.number, text=f"{d.title}。{i.text}",
                                                      dept=set(i.departments))
        if d.preamble and d.items[0].number:
            roles = department_roles(d.preamble, d.issuer_level, gazetteer.issuer_place(d.issuer))
            records[f"{d.id}#preamble"] = dict(common, item_no=0, text=f"{d.title}。{d.preamble}",
                                               dept={r.name for r in roles})
    return records


def expected_ids(records: dict[str, dict], q: str, filters: dict[str, str], skip: str = "") -> set[str]:
    """The records a query (an empty one, or one quoted phrase) and filters give;
    ``skip`` leaves out one filter, as disjunctive facet counts do."""
    phrase = q.strip('"')
    return {rid for rid, r in records.items() if phrase in r["text"]
            and all(value in r[API_FACETS[name]] for name, value in filters.items() if name != skip)}


def mismatch(answer: dict, records: dict[str, dict], q: str, filters: dict[str, str]) -> str:
    """Why ``answer`` is not what the oracle says for this generation ("" when it is)."""
    ids = [h["id"] for h in answer["hits"]]
    want = expected_ids(records, q, filters)
    if sorted(ids) != sorted(want) or answer["total"] != len(want):
        return f"ids {sorted(ids)} total {answer['total']}, expected {sorted(want)}"
    for hit in answer["hits"]:
        r = records[hit["id"]]
        got = (hit["doc_id"], hit["doc_number"], hit["date"], hit["item_no"])
        if got != (r["doc_id"], r["doc_number"], r["date"], r["item_no"]):
            return f"hit {hit['id']} has {got}"
    for name, facet in API_FACETS.items():
        base = expected_ids(records, q, filters, skip=name)
        for value in answer["facets"][facet]:
            count = sum(value["value"] in records[rid][facet] for rid in base)
            if value["count"] != count:
                return f"facet {facet} {value['value']}: {value['count']}, expected {count}"
    return ""


def malformed(answer: dict, size: int) -> str:
    """Why ``answer`` is not a well-formed /api/search answer ("" when it is)."""
    if answer.get("ok") is not True or not isinstance(answer.get("total"), int):
        return "no ok/total"
    if len(answer["hits"]) > size or len(answer["hits"]) > answer["total"]:
        return f"{len(answer['hits'])} hits for size {size} and total {answer['total']}"
    if any(HIT_KEYS - set(hit) for hit in answer["hits"]):
        return f"hit keys {sorted(set(answer['hits'][0]))}"
    ids = [h["id"] for h in answer["hits"]]
    if len(ids) != len(set(ids)):
        return "duplicate hits"
    return ""


def is_time_limit(response: requests.Response) -> bool:
    """The documented 503 of the search time limit, not another 503."""
    if response.status_code != 503:
        return False
    body = response.json()
    return body.get("ok") is False and body.get("status") == 503 and bool(TIME_LIMIT_ERROR.fullmatch(body.get("error")))


def update(folder: Path, k: int) -> None:
    """The k-th change to the corpus: one file each time, so one commit."""
    if k % 2:
        write_minutes(folder, 1, start=500 + k, marker=f"更新标记{k}")  # a new document
    else:
        write_minutes(folder, 1, start=500, marker=f"更新标记{k}")  # the marked document, changed


def test_searches_stay_correct_while_another_process_updates_the_index(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    write_minutes(folder, 1, start=500, marker="更新标记0")
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    generations = [oracle(folder)]
    # `done` updates are committed; `begun` have started (a commit may land any time after).
    state = {"done": 0, "begun": 0}
    progress = [0] * CLIENTS  # answers checked in the current generation (nothing straddling), per client
    lock = threading.Condition()
    latencies, wrong, errors, time_limited, straddled = [], [], [], [], []
    checked = []  # (low, high) of every answer compared with the oracle, right or wrong
    stop = threading.Event()
    # The second process: it indexes the folder each time it reads a line (started once and
    # warmed up, so that each update is the indexing itself, not loading the segmenter).
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(index_dir)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert writer.stdout.readline() == "ready\n"
    proc, base = start_gunicorn(index_dir, tmp_path / "gunicorn.log")

    def client(n: int) -> None:
        rng = random.Random(n)
        session = requests.Session()
        while not stop.is_set():
            q, filters = rng.choice(QUERIES), rng.choice(FILTERS)
            params = {"q": q, **filters, "size": 100}
            with lock:
                low = state["done"]
            started = time.perf_counter()
            compared = False
            try:
                response = session.get(base + "/api/search", params=params, timeout=HANG_GUARD_S)
                latencies.append(time.perf_counter() - started)
                with lock:
                    high = state["begun"]
                if high > low:
                    straddled.append(params)  # sent before a commit, answered after it began
                if is_time_limit(response):
                    time_limited.append(params)
                elif response.status_code != 200:
                    errors.append((params, response.status_code, response.text[:300]))
                elif problem := malformed(response.json(), 100):
                    wrong.append((params, problem))
                else:
                    answer = response.json()
                    problems = [mismatch(answer, generations[g], q, filters) for g in range(low, high + 1)]
                    if all(problems):
                        wrong.append((params, f"generations {low}..{high}", problems))
                    compared = True
            except Exception as e:  # a refused connection, an answer that is not JSON: reported, not hung on
                errors.append((params, repr(e)))
            with lock:
                if compared:
                    checked.append((low, high))
                    if state["done"] == low == high:
                        progress[n] += 1
                lock.notify_all()  # progress, or a failure the main thread stops at
        session.close()

    def answer_now(q: str) -> dict:
        """An answer after the last commit; a time-limit 503 is asked again (a few times)."""
        for _ in range(5):
            response = requests.get(base + "/api/search", params={"q": q, "size": 100}, timeout=HANG_GUARD_S)
            if not is_time_limit(response):
                assert response.status_code == 200, response.text[:300]
                return response.json()
        raise AssertionError(f"{q}: five time-limit answers in a row")

    def wait_for_rounds(generation: int) -> None:
        """Until every client has checked ROUNDS answers of this generation (call holding the
        lock); stops at once on a wrong answer or an error."""
        lock.wait_for(lambda: min(progress) >= ROUNDS or wrong or errors, timeout=HANG_GUARD_S)
        assert (wrong[:3], errors[:3]) == ([], [])
        assert min(progress) >= ROUNDS, (f"generation {generation}: answers checked per client {progress}, "
                                         f"time-limit 503s so far {len(time_limited)}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        for k in range(1, UPDATES + 1):
            update(folder, k)  # the files change; the index, not yet
            generations.append(oracle(folder))
            with lock:  # every client has checked answers of this generation a few times
                wait_for_rounds(k - 1)
                state["begun"] = k
            writer.stdin.write("index\n")
            writer.stdin.flush()
            assert writer.stdout.readline().startswith("indexed 1,"), "the writer process failed"
            with lock:
                state["done"] = k
                progress[:] = [0] * CLIENTS
            for _ in range(6):  # enough requests to reach both workers: each sees generation k at once
                for q in ("", f'"更新标记{k}"', f'"更新标记{k - 1}"'):
                    assert mismatch(answer_now(q), generations[k], q, {}) == "", (k, q)
        with lock:
            wait_for_rounds(UPDATES)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=HANG_GUARD_S)
        writer.stdin.close()
        writer.wait(timeout=HANG_GUARD_S)
        writer.stdout.close()
        proc.terminate()
        proc.wait(timeout=20)
    elapsed = time.monotonic() - started
    quantiles = statistics.quantiles(latencies, n=100)
    figures = (f"load test: {len(latencies)} requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s) "
               f"from {CLIENTS} clients, {UPDATES} index updates by a second process; "
               f"{len(checked)} answers checked against the oracle, {len(straddled)} straddling an update "
               f"({sum(high > low for low, high in checked)} of them checked); "
               f"wrong answers {len(wrong)}, errors {len(errors)}, time-limit 503s {len(time_limited)}; "
               f"latency p50 {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms, "
               f"max {max(latencies) * 1000:.1f} ms")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.txt").write_text(figures + "\n", "utf-8")
    print("\n" + figures)
    assert errors == []
    assert wrong == []
    assert len(generations) == UPDATES + 1 and len(generations[-1]) > len(generations[0])
    # The floor of answers actually checked: ROUNDS per client in every generation (time-limit
    # answers not counted), and for every update some sent before it began and answered after.
    assert sum(low == high for low, high in checked) >= CLIENTS * ROUNDS * (UPDATES + 1)
    assert {high for low, high in checked if high > low} == set(range(1, UPDATES + 1))
