"""Speed benchmark at a city's scale. Prints figures; asserts nothing.

Generates minutes-shaped documents from the bundled samples (paragraphs,
titles, departments, meetings and dates drawn with a fixed seed), then measures
in one run: indexing throughput and size for our pipeline and for the naive one
(jieba's ChineseAnalyzer into one Whoosh field), query latency with facets and
highlights as the search page asks for them, cold start, RSS while indexing and
serving, and requests/s of the real gunicorn app at 4 concurrent clients.

    scripts/bench                 # 10,000 and 50,000 agenda items
    scripts/bench --items 10000   # one size
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import indexer  # noqa: E402

CN = "一二三四五六七八九十"
QUERY_MIX = [
    ("1 word", "电梯"), ("1 word", "防汛"), ("1 word", "预算"), ("2 words", "电梯 安全"),
    ("2 words", "老旧小区 改造"), ("3 words", "保障性租赁住房 市住建局 房源"), ("phrase", '"原则同意"'),
    ("phrase", '"由市发改委牵头"'), ("dept filter", "部门：市住建局 电梯"), ("topic filter", "主题：安全生产"),
    ("broad", "会议"), ("broad", "要求"), ("number", "〔2019〕15号"), ("browse", ""),
]


# --- corpus ---------------------------------------------------------------------------------

def pools():
    files, _ = indexer.collect_files([ROOT / "samples" / "corpus"])
    paragraphs, titles = [], []
    for f in files:
        doc = indexer.read_document(f)
        for item in doc.items:
            if item.number:
                titles.append(item.title)
                paragraphs.extend(p.text for p in item.paragraphs[1:] if len(p.text) > 30)
    return paragraphs, titles


def generate(folder: Path, items: int, seed: int = 20211) -> tuple[int, int]:
    """Minutes with 6–10 items each until ``items`` agenda items exist; returns (docs, chars)."""
    rng = random.Random(seed)
    paragraphs, titles = pools()
    depts = [d.name for d in indexer.gazetteer.departments() if d.level == "city"]
    folder.mkdir(parents=True, exist_ok=True)
    made, docs, chars = 0, 0, 0
    while made < items:
        n_items = min(rng.randint(6, 10), items - made)
        year, number = rng.randint(2012, 2025), docs + 1
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        lines = ["示例市人民政府常务会议纪要", f"〔{year}〕{number}号", f"示例市人民政府办公室 {year}年{month}月{day}日",
                 f"{year}年{month}月{day}日，王明市长主持召开市政府第{number}次常务会议。会议研究了有关工作。纪要如下："]
        for k in range(1, n_items + 1):
            lines.append(f"{CN[k - 1] if k <= 10 else str(k)}、{rng.choice(titles)}")
            for _ in range(rng.randint(4, 7)):
                para = rng.choice(paragraphs)
                lines.append(para.replace("市住建局", rng.choice(depts), 1) if "市住建局" in para else para)
        lines += ["出席：王明、李华、张强", f"列席：{rng.choice(depts)} 周涛；{rng.choice(depts)} 郑伟", "记录：何平",
                  f"示例市人民政府办公室 {year}年{month}月{day + 1}日印发"]
        text = "\n".join(lines) + "\n"
        (folder / f"m{number:05d}.txt").write_text(text, "utf-8")
        made, docs, chars = made + n_items, docs + 1, chars + len(text)
    return docs, chars


# --- indexing (in child processes, for clean RSS figures) ----------------------------------

OURS = """
import json, resource, sys, time, indexer
indexer.warm_up()
t = time.perf_counter()
report = indexer.index_paths([sys.argv[1]], sys.argv[2], rebuild=True, procs=int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t, "failed": len(report.failed),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
NAIVE = """
import json, resource, sys, time
from pathlib import Path
from whoosh import fields, index
from jieba.analyse import ChineseAnalyzer
import jieba; jieba.initialize()
t = time.perf_counter()
schema = fields.Schema(path=fields.ID(stored=True), content=fields.TEXT(analyzer=ChineseAnalyzer()))
Path(sys.argv[2]).mkdir()
ix = index.create_in(sys.argv[2], schema)
with ix.writer() as w:
    for f in sorted(Path(sys.argv[1]).iterdir()):
        w.add_document(path=f.name, content=f.read_text("utf-8"))
print(json.dumps({"seconds": time.perf_counter() - t, "failed": 0,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# --- querying -------------------------------------------------------------------------------

def first_time(ix: indexer.SearchIndex) -> dict[str, float]:
    """Each query of the mix once, on a searcher that has not seen it: posting lists
    and positions are read from disk (and the OS's page cache) on first use."""
    out = {}
    for _, q in QUERY_MIX:
        t = time.perf_counter()
        ix.search(indexer.SearchRequest(q=q))
        out[q] = (time.perf_counter() - t) * 1000
    return out


def latency(ix: indexer.SearchIndex, rounds: int) -> dict[str, list[float]]:
    per_class: dict[str, list[float]] = {}
    for _ in range(3):  # warm up
        for _, q in QUERY_MIX:
            ix.search(indexer.SearchRequest(q=q))
    for _ in range(rounds):
        for cls, q in QUERY_MIX:
            t = time.perf_counter()
            ix.search(indexer.SearchRequest(q=q))  # top 10, all five facets, highlighted snippets
            per_class.setdefault(cls, []).append((time.perf_counter() - t) * 1000)
    return per_class


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]


def cold_start(index_dir: Path) -> float:
    code = ("import time; t=time.perf_counter(); import indexer; "
            f"ix=indexer.SearchIndex({str(index_dir)!r}); ix.search(indexer.SearchRequest(q='电梯安全')); "
            "print(time.perf_counter()-t)")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t


def serve(index_dir: Path, seconds: float) -> dict:
    import requests
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import free_port  # the same helper the serving tests use

    port = free_port()
    env = dict(os.environ, MINUTES_INDEX=str(index_dir), MINUTES_BIND=f"127.0.0.1:{port}", MINUTES_WORKERS="2")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    started = time.perf_counter()
    proc = subprocess.Popen([gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "webapp:create_app()"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if requests.get(base + "/api/search", params={"q": "电梯安全"}, timeout=30).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        first = time.perf_counter() - started
        count, errors, lock = [0], [0], threading.Lock()
        stop = time.perf_counter() + seconds

        def client(seed):
            rng, session = random.Random(seed), requests.Session()
            while time.perf_counter() < stop:
                response = session.get(base + "/api/search", params={"q": rng.choice(QUERY_MIX)[1]}, timeout=30)
                with lock:
                    count[0] += 1
                    errors[0] += response.status_code >= 500

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t
        workers = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        rss = [_status(w) for w in workers]
        return {"first_search_s": first, "rps": count[0] / elapsed, "requests": count[0], "errors": errors[0],
                "worker_rss_mb": rss}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _status(pid: int) -> tuple[float, float, float]:
    """VmRSS, RssAnon and RssFile of a process, in MB."""
    fields = dict(ln.split(":", 1) for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in ln)
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile"))


def bench(items: int, procs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs, chars = generate(tmp / "corpus", items)
        print(f"\n== {items:,} agenda items: {docs:,} documents, {chars / 1e6:.1f} M characters")
        ours = run_child(OURS, str(tmp / "corpus"), str(tmp / "ours"), str(procs))
        naive = run_child(NAIVE, str(tmp / "corpus"), str(tmp / "naive"))
        for name, r, path in (("ours", ours, tmp / "ours"), ("naive", naive, tmp / "naive")):
            print(f"index {name:<6} {r['seconds']:7.1f} s  {docs / r['seconds']:7.1f} docs/s  "
                  f"{chars / r['seconds'] / 1000:7.1f} k chars/s  size {folder_mb(path):7.1f} MB  "
                  f"peak RSS {r['maxrss_mb']:6.0f} MB  failed {r['failed']}")
        print(f"indexing speed ours/naive: {naive['seconds'] / ours['seconds']:.2f}x (procs={procs})")
        ix = indexer.SearchIndex(tmp / "ours")
        t = time.perf_counter()
        ix.search(indexer.SearchRequest(q="电梯安全"))
        print(f"first search in this process (open searcher, load tables): {(time.perf_counter() - t) * 1000:.0f} ms")
        cold = first_time(ix)
        print("first time each query is asked (ms): " + "  ".join(f"{q or '(browse)'} {v:.0f}" for q, v in cold.items()))
        per_class = latency(ix, rounds=10)
        every = [v for values in per_class.values() for v in values]
        print(f"search page query (top 10 + 5 facets + highlights), {len(every)} queries: "
              f"p50 {pct(every, 50):.1f} ms  p95 {pct(every, 95):.1f} ms  p99 {pct(every, 99):.1f} ms")
        for cls, values in per_class.items():
            print(f"    {cls:<13} p50 {statistics.median(values):7.1f} ms  max {max(values):7.1f} ms")
        ix.close()
        print(f"cold start (process start → first answered search): {cold_start(tmp / 'ours'):.2f} s")
        served = serve(tmp / "ours", seconds=15)
        print(f"gunicorn: first search answered {served['first_search_s']:.2f} s after start; "
              f"{served['rps']:.0f} requests/s at 4 clients ({served['requests']} requests, {served['errors']} 5xx); "
              f"worker RSS {', '.join(f'{r[0]:.0f} ({r[1]:.0f} anonymous + {r[2]:.0f} file-backed)' for r in served['worker_rss_mb'])} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, action="append", help="agenda items (repeatable)")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1), help="indexing processes")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for items in args.items or [10_000, 50_000]:
        bench(items, args.procs)


if __name__ == "__main__":
    main()
