"""A bounded load test on loopback: real gunicorn, four clients searching with
facets while a second process updates the index. Asserts correctness (no 5xx,
no duplicate or stale hits after each commit); the latency figures are printed
and written to test-artifacts/load.txt, never asserted."""
import random
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

from .conftest import CORPUS, start_gunicorn
from .corpus_gen import write_minutes

pytestmark = [pytest.mark.slow, pytest.mark.serving]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DURATION_S = 30
MAX_REQUESTS = 3000
UPDATES = 5
QUERIES = ["电梯安全", "原则同意", "保障性租赁住房", "防汛", "部门：发改委", "〔2021〕9号", "会议", "市住建局 老旧小区", ""]
FILTERS = [{}, {"dept": "市住建局"}, {"year": "2021"}, {"type": "会议纪要"}, {"topic": "安全生产"}]


def test_searches_stay_correct_while_another_process_updates_the_index(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    write_minutes(folder, 1, start=500, marker="更新标记0")
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    proc, base = start_gunicorn(index_dir, tmp_path / "gunicorn.log")
    latencies, failures, duplicates, stale = [], [], [], []
    count = threading.Semaphore(MAX_REQUESTS)
    stop = threading.Event()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        while not stop.is_set() and count.acquire(blocking=False):
            params = {"q": rng.choice(QUERIES), **rng.choice(FILTERS), "size": 20}
            started = time.perf_counter()
            response = session.get(base + "/api/search", params=params, timeout=30)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 500:
                failures.append((params, response.status_code, response.text[:200]))
                continue
            ids = [h["id"] for h in response.json().get("hits", [])]
            if len(ids) != len(set(ids)):
                duplicates.append((params, ids))
        session.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        for k in range(1, UPDATES + 1):
            write_minutes(folder, 1, start=500, marker=f"更新标记{k}")
            subprocess.run([sys.executable, "-c", "from minutes_cli import cli; cli()", "index", str(folder),
                            "--index", str(index_dir)], check=True, capture_output=True, timeout=120)
            for _ in range(6):  # enough requests to reach both workers
                now = requests.get(base + "/api/search", params={"q": f'"更新标记{k}"'}, timeout=30).json()
                before = requests.get(base + "/api/search", params={"q": f'"更新标记{k - 1}"'}, timeout=30).json()
                if now["total"] != 1 or before["total"] != 0:
                    stale.append((k, now["total"], before["total"]))
            time.sleep(max(0.0, (DURATION_S / UPDATES) * k - (time.monotonic() - started)))
    finally:
        stop.set()
        for t in threads:
            t.join()
        proc.terminate()
        proc.wait(timeout=20)
    elapsed = time.monotonic() - started
    quantiles = statistics.quantiles(latencies, n=100)
    figures = (f"load test: {len(latencies)} requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s) "
               f"from 4 clients, {UPDATES} index updates by a second process; "
               f"5xx {len(failures)}, duplicate hits {len(duplicates)}, stale answers {len(stale)}; "
               f"latency p50 {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms, "
               f"max {max(latencies) * 1000:.1f} ms")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.txt").write_text(figures + "\n", "utf-8")
    print("\n" + figures)
    assert failures == []
    assert duplicates == []
    assert stale == []
    assert len(latencies) > 100
