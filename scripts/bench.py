"""Speed benchmark at a city's scale: what users feel, beside a compiled engine. Prints figures; asserts nothing.

Generates minutes-shaped documents from the bundled samples (paragraphs, titles, departments,
meetings and dates drawn with a fixed seed), then measures in one run, for each size:

- indexing time, throughput and size of ours, of the naive pipeline (jieba's ChineseAnalyzer into
  one Whoosh field, ``scripts/naive.py``) and of tantivy fed our records, jieba words and CJK bigrams
  (``bench_tantivy.py``; the ``bench`` extra, never a runtime dependency);
- latency over 300+ distinct queries drawn from the corpus with a fixed seed (``bench_queries.py``:
  1–3 words, quoted phrases, department and topic filters, document numbers, the empty query), of two
  units of work (``bench_page.py``, which says exactly what each does):

  - the *search page*, as ``webapp/views.py::search`` makes it: hits (top 10 with snippets), five
    facet counts over every match, the timeline, and the number lookup when the view asks for it
    (``index.page(...)``; code before issue 23 did ``lookup`` + ``search`` + ``timeline``);
  - the *JSON API's work* (``/api/search``: ``index.search`` alone), the same work tantivy does.

  Staff rarely ask the same thing twice, so what they feel is the *first-time* query: each query is
  asked once on a freshly opened index (a new ``SearchIndex``; a new ``tantivy.Index.open`` and
  searcher) — the answer a worker gives after it starts or reopens after an update — and then once
  more on the same searcher, *warm*, which is all a cache of repeated queries can buy. Opening is
  timed apart from the first answer. The jieba word table stays loaded, and the index files are in
  the OS page cache (they were just written): first-time means new to the searcher, not to the disk.
  A third pass asks each query once on one searcher that stays open: first time asked on a running
  worker (the figure issue 14 started from). Ours is timed in child processes that run the code
  snapshot (a new one for each unit and pass, so no process-wide cache carries a query over);

- with ``--baseline REV``, the same passes with REV's code, in the same run: a second snapshot
  (``git archive REV``) whose children take turns with the working tree's query by query (the order
  swapped at every query), over the same index when REV's code can open it (the same schema and
  analyzer; else over an index REV's code builds from the same corpus), so both meet the same files,
  equally warm in the page cache, and the same moments of a busy machine; and whether both versions
  give the same page;
- whether tantivy finds as many records as ours (ours also expands synonyms and aliases; tantivy not);
- start-up (process start → first answered search) for ours and tantivy;
- the real gunicorn app (2 workers) at 4 client threads over thousands of distinct queries:
  requests/s, 5xx, start → first answered search, worker RSS as anonymous (private) and file-backed;

and ends with a table per size against the figures of main at 5145924 and the goals of issue 14, and
the search page's table of REV against the working tree. It starts with OCR's pages per second and
error rates on this machine (``bench_ocr.py``). It prints how long each part took.

    scripts/bench                              # OCR, then 10,000 and 50,000 agenda items
    scripts/bench --items 10000 --json out.json
    scripts/bench --only ocr                   # OCR only (a few minutes)
    scripts/bench --only search --items 10000  # without OCR
    scripts/bench --only search --items 10000 --baseline 87b4504   # and the search page before/after
    scripts/bench --latency-only --items 10000 --baseline 87b4504  # only our index and the latency passes
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
# The code every child process (indexing, start-up, gunicorn) runs: a copy taken when the bench
# starts (see snapshot), so that editing the working tree during a run that lasts half an hour
# cannot mix two versions in one set of figures. It once did: a schema bump made mid-run left the
# start-up and serving phases unable to open the index the first phase had built.
CODE = ROOT
# With --baseline REV: REV's code (a snapshot made with git archive) and its label, the short hash.
BASELINE: Version | None = None
TREE = "working tree"

import indexer  # noqa: E402

import bench_ocr  # noqa: E402
import bench_queries  # noqa: E402
import bench_tantivy  # noqa: E402
from bench_queries import Query  # noqa: E402

CN = "一二三四五六七八九十"
LOAD_SECONDS = 15
PROBE = "电梯安全"  # the query that tells a server or a new process has answered


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
    depts = [d.name for d in indexer.parse.gazetteer.departments() if d.level == "city"]
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
print(json.dumps({"seconds": time.perf_counter() - t, "failed": len(report.failed), "records": report.records,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
# The naive pipeline analyses and writes the text of the same records (scripts/naive.py, the module kept
# for benchmarks); it parses nothing, so the parse before its clock is not counted, as in a first attempt
# that indexes files whole.
NAIVE = """
import json, multiprocessing, resource, sys, time
from pathlib import Path
import indexer
import naive  # scripts/naive.py, copied beside the snapshot's packages
with multiprocessing.get_context("fork").Pool(int(sys.argv[3])) as pool:
    docs = pool.map(indexer.parse_file, sorted(Path(sys.argv[1]).iterdir()), chunksize=8)
t = time.perf_counter()
naive.build(docs, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "failed": 0,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


PACKAGES = ("indexer", "webapp", "minutes_cli")


def snapshot(folder: Path) -> Path:
    """Copy the code the child processes run into ``folder`` (see CODE)."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "gunicorn.conf.py", folder / "gunicorn.conf.py")
    shutil.copy2(HERE / "naive.py", folder / "naive.py")  # the baseline (benchmarks only)
    shutil.copy2(HERE / "bench_page.py", folder / "bench_page.py")  # the measured unit
    return folder


@dataclass
class Version:
    """A version of the code the latency passes run: its label, its snapshot, the index it searches."""

    label: str
    code: Path
    index: Path | None = None


def baseline_snapshot(rev: str, folder: Path) -> Version:
    """REV's code, as it was committed (``git archive``), with the bench's measured unit beside it.
    (Its benchmark-only modules are not needed: REV only indexes and answers queries.)"""
    def git(*args: str) -> bytes:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)
        if out.returncode:
            raise SystemExit(f"git {' '.join(args[:2])} failed: {out.stderr.decode(errors='replace').strip()}")
        return out.stdout

    sha = git("rev-parse", "--short", f"{rev}^{{commit}}").decode().strip()
    present = set(git("ls-tree", "--name-only", sha).decode().split())
    archive = git("archive", "--format=tar", sha, *(name for name in (*PACKAGES, "gunicorn.conf.py") if name in present))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    shutil.copy2(HERE / "bench_page.py", folder / "bench_page.py")
    return Version(sha, folder)


def _child_env(code: Path | None = None) -> dict[str, str]:
    path = os.pathsep.join([str(code or CODE), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return dict(os.environ, PYTHONPATH=path)


def run_child(*args: str, code: Path | None = None) -> dict:
    code = code or CODE
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=code, env=_child_env(code))
    if out.returncode:
        raise SystemExit(f"{args[:2]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- latency ---------------------------------------------------------------------------------

def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def first_and_warm(open_index, ask, queries: list[Query]) -> dict:
    """Per query: open the index (a new searcher), ask (first time), ask again (warm), close (tantivy's side)."""
    out = {"open": [], "first": [], "warm": [], "answers": []}
    for q in queries:
        t = time.perf_counter()
        index = open_index()
        out["open"].append(_ms(t))
        t = time.perf_counter()
        out["answers"].append(ask(index, q))
        out["first"].append(_ms(t))
        t = time.perf_counter()
        ask(index, q)
        out["warm"].append(_ms(t))
        index.close()
    return out


class Worker:
    """A child process that times one unit of work (``bench_page.py``) with one version's code."""

    def __init__(self, version: Version, unit: str):
        self.label = version.label
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._proc = subprocess.Popen(
            [sys.executable, str(version.code / "bench_page.py"), str(version.index), unit], cwd=version.code,
            env=_child_env(version.code), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, encoding="utf-8")
        self.hello = self._read()
        if not Path(self.hello["indexer"]).resolve().is_relative_to(version.code.resolve()):
            self.close()
            raise SystemExit(f"{self.label}: the child imported {self.hello['indexer']}, not the snapshot's indexer")

    def _read(self) -> dict:
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(timeout=30)
            self._stderr.seek(0)
            raise SystemExit(f"{self.label}: bench_page.py stopped:\n{self._stderr.read()[-3000:]}")
        return json.loads(line)

    def ask(self, **command) -> dict:
        self._proc.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self._proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._stderr.close()


@contextlib.contextmanager
def workers(versions: list[Version], unit: str):
    """One new child per version (ready: word table loaded), closed after the pass."""
    started: list[Worker] = []
    try:
        for v in versions:
            started.append(Worker(v, unit))
        yield started
    finally:
        for w in started:
            w.close()


def _turns(items: list, i: int) -> list:
    """The versions' turn at query ``i``: the order swapped at every query, so that neither always goes first."""
    return items if i % 2 == 0 else items[::-1]


def passes(versions: list[Version], unit: str, queries: list[Query]) -> dict[str, dict]:
    """The first-time and warm pass (a fresh index per query), then the running-worker pass (one
    index left open), of ``unit`` (see bench_page.py) for each version, the versions taking turns
    query by query; each pass in new child processes."""
    out = {v.label: {"open": [], "first": [], "warm": [], "running": [], "answers": []} for v in versions}
    with workers(versions, unit) as ws:
        for i, q in enumerate(queries):
            for w in _turns(ws, i):
                r = w.ask(op="fresh", q=q.text)
                for key in ("open", "first", "warm"):
                    out[w.label][key].append(r[key])
                out[w.label]["answers"].append(r["answer"])
    with workers(versions, unit) as ws:
        for w in ws:
            w.ask(op="open")  # the probe: a worker that has answered before
        for i, q in enumerate(queries):
            for w in _turns(ws, i):
                out[w.label]["running"].append(w.ask(op="ask", q=q.text)["ms"])
    return out


def baseline_index(base: Version, ours_dir: Path, corpus: Path, tmp: Path, procs: int) -> tuple[Path, dict | None]:
    """The index REV's code searches: ours when it can open it (the same schema version and analyzer:
    then both versions meet the same files), else one it builds from the same corpus (returned with its
    indexing figures)."""
    probe = Version(base.label, base.code, ours_dir)
    w = Worker(probe, "api")
    w.close()
    if "outdated" not in w.hello:
        print(f"baseline {base.label}: opens this index (schema {w.hello.get('schema', '?')}); "
              f"both versions are measured on the same index", flush=True)
        return ours_dir, None
    print(f"baseline {base.label}: cannot open this index ({w.hello['outdated']}); building one with its code",
          flush=True)
    own = tmp / f"ours-{base.label}"
    return own, run_child("-c", OURS, str(corpus), str(own), str(procs), code=base.code)


def files_of(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def changed_files(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def same_answers(queries: list[Query], runs: dict[str, dict], limit: int = 6) -> tuple[int, list[str]]:
    """On how many queries every version gave the same answer (named documents, totals, hits in order,
    facet counts, did-you-mean, timeline), and a few that differ."""
    labels = list(runs)
    same, examples = 0, []
    for i, q in enumerate(queries):
        answers = [runs[label]["answers"][i] for label in labels]
        if all(a == answers[0] for a in answers[1:]):
            same += 1
        elif len(examples) < limit:
            parts = [f"{label}: " + _brief(a) for label, a in zip(labels, answers)]
            examples.append(f"{q.text or '(empty)'}: " + "; ".join(parts))
    return same, examples


def _brief(answer: dict) -> str:
    if "total" not in answer:
        return f"opens {answer['named']}"
    return (f"{'relaxed ' if answer['relaxed'] else ''}{answer['total']} hits, first {answer['hits'][:3]}"
            + (f", timeline {answer['timeline']}" if "timeline" in answer else ""))


def agreement(queries: list[Query], ours: list[dict], theirs: list) -> dict[str, dict[str, int]]:
    """Per class: queries compared, equal hit counts (ours' relaxed answers count as 0 hits),
    and, of those, equal facet counts (the top values' counts, facet by facet)."""
    out: dict[str, dict[str, int]] = {}
    for q, mine, answer in zip(queries, ours, theirs):
        row = out.setdefault(q.cls, {"queries": 0, "hits": 0, "facets": 0})
        row["queries"] += 1
        if (0 if mine["relaxed"] else mine["total"]) == answer.total:
            row["hits"] += 1
            row["facets"] += all(
                sorted(c for _, c in mine["facets"].get(f, ()) if c) == sorted(c for _, c in answer.facets[f])
                for f in bench_tantivy.FACETS)
    return out


def disagreements(queries: list[Query], ours: list[dict], theirs: list, limit: int = 6) -> list[str]:
    return [f"{q.text or '(empty)'}: ours {'relaxed ' if r['relaxed'] else ''}{r['total']}, tantivy {a.total}"
            for q, r, a in zip(queries, ours, theirs) if (0 if r["relaxed"] else r["total"]) != a.total][:limit]


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def spread(values: list[float]) -> dict[str, float]:
    return {"p50": pct(values, 50), "p95": pct(values, 95), "p99": pct(values, 99), "max": max(values)}


def per_class(queries: list[Query], values: list[float]) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = {}
    for q, v in zip(queries, values):
        by.setdefault(q.cls, []).append(v)
    return {cls: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)} for cls, v in by.items()}


# --- start-up and serving ---------------------------------------------------------------------

def _process_seconds(*args: str) -> float:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=CODE, env=_child_env())
    if out.returncode:
        raise SystemExit(f"start-up measurement failed:\n{out.stderr[-3000:]}")
    return time.perf_counter() - t


def cold_start(index_dir: Path) -> float:
    """Process start → first answered search, ours (without the time limit: a loaded machine must
    give a figure, not a SearchTimeout)."""
    code = (f"import indexer; indexer.SearchIndex({str(index_dir)!r}, time_limit=None)"
            f".search(indexer.SearchRequest(q={PROBE!r}))")
    return _process_seconds("-c", code)


def tantivy_start(tantivy_dir: Path, ours_dir: Path) -> float:
    return _process_seconds(str(HERE / "bench_tantivy.py"), "start", str(tantivy_dir), str(ours_dir))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(index_dir: Path, pool: list[str], seconds: float) -> dict:
    """gunicorn with the repository's config (2 workers), 4 clients taking the pool's distinct
    queries in turn; a query is asked again only when the pool runs out."""
    import requests

    port = _free_port()
    env = dict(_child_env(), MINUTES_INDEX=str(index_dir), MINUTES_BIND=f"127.0.0.1:{port}", MINUTES_WORKERS="2")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    started = time.perf_counter()
    proc = subprocess.Popen([gunicorn, "-c", str(CODE / "gunicorn.conf.py"), "webapp:create_app()"], cwd=CODE,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if requests.get(base + "/api/search", params={"q": PROBE}, timeout=30).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        first = time.perf_counter() - started
        sent, errors, lock = [0], [0], threading.Lock()
        stop = time.perf_counter() + seconds

        def client():
            session = requests.Session()
            while time.perf_counter() < stop:
                with lock:
                    q = pool[sent[0] % len(pool)]
                    sent[0] += 1
                response = session.get(base + "/api/search", params={"q": q}, timeout=30)
                if response.status_code >= 500:
                    with lock:
                        errors[0] += 1

        threads = [threading.Thread(target=client) for _ in range(4)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t
        workers = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        return {"first_search_s": first, "rps": sent[0] / elapsed, "requests": sent[0], "errors": errors[0],
                "distinct": len(pool), "repeated": max(0, sent[0] - len(pool)),
                "workers": [_status(w) for w in workers]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _status(pid: int) -> dict[str, float]:
    """VmRSS, RssAnon (private) and RssFile (file-backed, shared through the page cache), in MB."""
    fields = dict(ln.split(":", 1) for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in ln)
    return {name: int(fields[key].split()[0]) / 1024
            for name, key in (("rss", "VmRSS"), ("anon", "RssAnon"), ("file", "RssFile"))}


# --- one size ----------------------------------------------------------------------------------

@contextlib.contextmanager
def part(f: dict, name: str):
    """Time one part of the run (printed when it ends, and kept in the figures)."""
    t = time.perf_counter()
    yield
    f["parts_s"][name] = seconds = time.perf_counter() - t
    print(f"  [{name}: {seconds:.0f} s]", flush=True)


def latency_stats(queries: list[Query], r: dict) -> dict:
    return {"open": spread(r["open"]), "first": spread(r["first"]), "warm": spread(r["warm"]),
            **({"running": spread(r["running"])} if r.get("running") else {}),
            "first_by_class": per_class(queries, r["first"]), "warm_by_class": per_class(queries, r["warm"])}


def bench(items: int, procs: int, load_seconds: float, latency_only: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus, ours_dir, naive_dir, tv_dir = tmp / "corpus", tmp / "ours", tmp / "naive", tmp / "tantivy"
        f: dict = {"items": items, "procs": procs, "parts_s": {}}
        with part(f, "corpus"):
            docs, chars = generate(corpus, items)
        print(f"\n== {items:,} agenda items: {docs:,} documents, {chars / 1e6:.1f} M characters", flush=True)
        f.update(documents=docs, chars=chars)
        f["index"] = {}
        builds = [("ours", ours_dir, lambda: run_child("-c", OURS, str(corpus), str(ours_dir), str(procs)))]
        if not latency_only:
            builds += [
                ("naive", naive_dir, lambda: run_child("-c", NAIVE, str(corpus), str(naive_dir), str(procs))),
                ("tantivy", tv_dir, lambda: run_child(str(HERE / "bench_tantivy.py"), "build", str(corpus),
                                                      str(tv_dir), str(procs))),
            ]
        versions = [Version(TREE, CODE, ours_dir)]
        for name, path, build in builds:
            with part(f, f"index {name}"):
                f["index"][name] = build()
            _print_index(f["index"][name], name, path, docs, chars)
        if not latency_only:
            ours_s, naive_s, tv_s = (f["index"][k]["seconds"] for k in ("ours", "naive", "tantivy"))
            print(f"indexing speed ours/naive {naive_s / ours_s:.2f}x, ours/tantivy {tv_s / ours_s:.2f}x "
                  f"(procs={procs})")
        if BASELINE:
            with part(f, f"index for {BASELINE.label}"):
                base_dir, built = baseline_index(BASELINE, ours_dir, corpus, tmp, procs)
            if built:
                f["index"][BASELINE.label] = built
                _print_index(built, BASELINE.label, base_dir, docs, chars)
            versions.insert(0, Version(BASELINE.label, BASELINE.code, base_dir))

        with part(f, "queries"):
            indexer.warm_up(ours_dir)  # the word table's file in the index, as a worker finds it
            pool = bench_queries.samples(corpus)
            queries = bench_queries.latency_set(pool)
        counts = {cls: sum(q.cls == cls for q in queries) for cls in bench_queries.CLASS_COUNTS}
        print(f"{len(queries)} distinct queries: " + ", ".join(f"{cls} {n}" for cls, n in counts.items()), flush=True)
        gc.collect()
        gc.freeze()  # what the bench holds (corpus samples, answers) is not the searchers' to scan

        with workers(versions, "page"):
            pass  # each version's children ready once (the word table's file in its index), before the check below
        before = {v.index: files_of(v.index) for v in versions}
        runs = {}
        for unit, name in (("page", "search page"), ("api", "JSON API")):
            with part(f, f"{name} latency, {len(versions)} version{'s' * (len(versions) > 1)}"):
                runs[unit] = passes(versions, unit, queries)
        f["page"] = {label: latency_stats(queries, r) for label, r in runs["page"].items()}
        f["api"] = {label: latency_stats(queries, r) for label, r in runs["api"].items()}
        for v in versions:
            if changed := changed_files(before[v.index], files_of(v.index)):
                print(f"WARNING: the index's files changed during the latency passes (a version rewrote what it "
                      f"could not read?): {', '.join(changed[:8])}", flush=True)
        f["latency"] = {"ours": f["api"][TREE]}
        if not latency_only:
            with part(f, "tantivy latency"):
                theirs = first_and_warm(lambda: bench_tantivy.Engine(tv_dir), bench_tantivy.Engine.search, queries)
            f["latency"]["tantivy"] = latency_stats(queries, theirs)
        _print_latency(f, [v.label for v in versions])
        if BASELINE:
            f["versions_agree"] = {}
            for unit in ("page", "api"):
                same, examples = same_answers(queries, runs[unit])
                f["versions_agree"][unit] = {"same": same, "queries": len(queries)}
                print(f"{BASELINE.label} and the working tree give the same {unit} answer on {same}/{len(queries)} "
                      f"queries (named documents, totals, hits in order, facet counts, did-you-mean"
                      + (", timeline)" if unit == "page" else ")"))
                for line in examples:
                    print(f"    differs: {line}")
        if latency_only:
            return f

        ours = runs["api"][TREE]
        f["agreement"] = agreement(queries, ours["answers"], theirs["answers"])
        _print_agreement(f["agreement"], disagreements(queries, ours["answers"], theirs["answers"]))

        with part(f, "start-up"):
            f["start_s"] = {"ours": cold_start(ours_dir), "tantivy": tantivy_start(tv_dir, ours_dir)}
        print(f"start (process start → first answered search): ours {f['start_s']['ours']:.2f} s, "
              f"tantivy {f['start_s']['tantivy']:.2f} s", flush=True)
        load = [q.text for q in bench_queries.load_set(pool)]
        with part(f, "gunicorn"):
            f["serve"] = s = serve(ours_dir, load, load_seconds)
        print(f"gunicorn: first search answered {s['first_search_s']:.2f} s after start; {s['rps']:.0f} requests/s at "
              f"4 clients ({s['requests']} requests over {s['distinct']} distinct queries, {s['repeated']} repeated, "
              f"{s['errors']} 5xx); worker RSS " + ", ".join(
                  f"{w['rss']:.0f} ({w['anon']:.0f} anonymous + {w['file']:.0f} file-backed)" for w in s["workers"])
              + " MB")
        f["table"] = table(f)
        _print_table(f["table"], items)
        return f


def _print_index(r: dict, name: str, path: Path, docs: int, chars: int) -> None:
    r["size_mb"], r["k_chars_s"] = bench_tantivy.size_mb(path), chars / r["seconds"] / 1000
    print(f"index {name:<8} {r['seconds']:7.1f} s  {docs / r['seconds']:7.1f} docs/s  {r['k_chars_s']:7.1f} "
          f"k chars/s  size {r['size_mb']:7.1f} MB  peak RSS {r['maxrss_mb']:6.0f} MB  failed {r['failed']}"
          + (f"  records {r['records']:,}" if "records" in r else ""), flush=True)


def _cell(d: dict | None, keys=("p50", "p95")) -> str:
    return " / ".join(f"{d[k]:.1f}" for k in keys) if d else "—"


def _print_latency(f: dict, labels: list[str]) -> None:
    heads = ("", "open p50/p95", "first-time p50/p95/max", "warm p50/p95", "running worker p50/p95")

    def rows(title: str, figures: dict[str, dict]) -> None:
        print(title)
        _columns(heads, [(name, _cell(d["open"]), _cell(d["first"], ("p50", "p95", "max")), _cell(d["warm"]),
                          _cell(d.get("running"))) for name, d in figures.items()])

    rows("search page, ms (webapp/views.py::search's index work: 10 hits with snippets, 5 facet counts over every "
         "match, timeline, number lookup):", f["page"])
    rows("JSON API's work, ms (index.search alone: 10 hits with snippets, 5 facet counts; what tantivy does):",
         {**f["api"], **({"tantivy": f["latency"]["tantivy"]} if "tantivy" in f["latency"] else {})})
    classes = f["page"][TREE]["first_by_class"]
    short = {label: "tree" if label == TREE else label for label in labels}
    _columns(("search page per class, p50 / p95 ms",) + tuple(f"{k} {short[label]}" for k in ("first", "warm")
                                                           for label in labels),
             [(f"{cls} ({mine['n']})",) + tuple(_cell(f["page"][label][f"{k}_by_class"][cls])
                                                for k in ("first", "warm") for label in labels)
              for cls, mine in classes.items()])
    if "tantivy" in f["latency"]:
        lat = f["latency"]
        _columns(("JSON API per class, p50 / p95 ms", "tree first", "warm", "tantivy first", "warm"),
                 [(f"{cls} ({mine['n']})",) + tuple(_cell(lat[n][f"{k}_by_class"][cls])
                                                    for n in ("ours", "tantivy") for k in ("first", "warm"))
                  for cls, mine in classes.items()])


def _columns(heads: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    lines = [heads, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(heads))]
    for line in lines:
        print("  " + line[0].ljust(widths[0]) + "".join(c.rjust(w + 3) for c, w in zip(line[1:], widths[1:])))


def _print_agreement(agree: dict, examples: list[str]) -> None:
    total = {k: sum(r[k] for r in agree.values()) for k in ("queries", "hits", "facets")}
    print(f"tantivy agrees with ours: same hit count on {total['hits']}/{total['queries']} queries "
          f"(and the same facet counts on {total['facets']} of those): "
          + ", ".join(f"{cls} {r['hits']}/{r['queries']}" for cls, r in agree.items()))
    for line in examples:
        print(f"    differs: {line}")


# --- the final table ---------------------------------------------------------------------------

# main at 5145924, from issue 14 (scripts/bench --items 50000; at 10,000 only two figures were given)
BEFORE = {
    50_000: {"first": "85–941 ms", "warm": "14 ms", "size": "423 MB", "naive_size": "74 MB",
             "indexing": "54 k chars/s, 0.76× naive", "start": "1.29 s", "rps": "55", "anon": "—"},
    10_000: {"first": "5–154 ms", "indexing": "0.49× naive"},
}


def table(f: dict) -> list[dict]:
    lat, idx, served = f["latency"], f["index"], f["serve"]
    first, tfirst = lat["ours"]["first"]["p95"], lat["tantivy"]["first"]["p95"]
    warm, twarm = lat["ours"]["warm"]["p95"], lat["tantivy"]["warm"]["p95"]
    size, naive_size, tsize = (idx[k]["size_mb"] for k in ("ours", "naive", "tantivy"))
    ours_s, naive_s, tv_s = (idx[k]["seconds"] for k in ("ours", "naive", "tantivy"))
    anon = max(w["anon"] for w in served["workers"]) if served["workers"] else float("nan")

    def row(figure, key, now, tantivy, ratio, goal, met):
        return {"figure": figure, "before": BEFORE.get(f["items"], {}).get(key, "—"), "now": now,
                "tantivy": tantivy, "ratio": ratio, "goal": goal, "met": met}

    return [
        row("first-time query p95 (API)", "first", f"{first:.1f} ms", f"{tfirst:.1f} ms", f"{first / tfirst:.1f}×",
            "≤ 30 ms and ≤ 3× tantivy", first <= 30 and first <= 3 * tfirst),
        row("first-time query p50 / max (API)", "", f"{lat['ours']['first']['p50']:.1f} / {lat['ours']['first']['max']:.0f} ms",
            f"{lat['tantivy']['first']['p50']:.1f} / {lat['tantivy']['first']['max']:.0f} ms", "", "", None),
        row("warm query p95 (API)", "warm", f"{warm:.1f} ms", f"{twarm:.1f} ms", f"{warm / twarm:.1f}×",
            "≤ 2× tantivy", warm <= 2 * twarm),
        row("index size", "size", f"{size:.0f} MB (naive {naive_size:.0f})", f"{tsize:.0f} MB",
            f"{size / naive_size:.1f}× naive, {size / tsize:.1f}× tantivy", "≤ 2× naive", size <= 2 * naive_size),
        row("indexing speed", "indexing", f"{idx['ours']['k_chars_s']:.0f} k chars/s, {naive_s / ours_s:.2f}× naive",
            f"{idx['tantivy']['k_chars_s']:.0f} k chars/s", f"time {ours_s / tv_s:.1f}× tantivy's",
            "≥ 2.5× naive, ≤ 2× tantivy's time", naive_s / ours_s >= 2.5 and ours_s <= 2 * tv_s),
        row("start → first answer", "start", f"{f['start_s']['ours']:.2f} s", f"{f['start_s']['tantivy']:.2f} s",
            f"{f['start_s']['ours'] / f['start_s']['tantivy']:.1f}×", "≤ 0.5 s", f["start_s"]["ours"] <= 0.5),
        row("gunicorn start → first search", "", f"{served['first_search_s']:.2f} s", "", "", "", None),
        row("requests/s, 4 clients, distinct", "rps", f"{served['rps']:.0f} ({served['errors']} 5xx)", "", "",
            "≥ 300, 0 5xx", served["rps"] >= 300 and served["errors"] == 0),
        row("worker anonymous RSS", "anon", f"{anon:.0f} MB", "", "", "≤ 200 MB at 50k",
            anon <= 200 if f["items"] >= 50_000 else None),
    ]


def _print_table(rows: list[dict], items: int) -> None:
    heads = ("figure", "before", "now", "tantivy", "ratio", "goal", "met?")
    cells = [[r["figure"], r["before"], r["now"], r["tantivy"], r["ratio"], r["goal"],
              {True: "yes", False: "NO", None: "—"}[r["met"]]] for r in rows]
    widths = [max(_width(str(c[i])) for c in [heads, *cells]) for i in range(len(heads))]
    print(f"\n{items:,} items: before = main at 5145924 (issue 14); ratio = now / tantivy unless named; "
          f"(API) = the JSON API's work, index.search, as tantivy's")
    for line in (heads, *cells):
        print("  " + "  ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(line, widths)))


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _print_page_table(runs: list[dict]) -> None:
    """The search page before and after, at each size: REV's code against the working tree's."""
    print("\nsearch page, ms (p50 / p95): " + (f"{BASELINE.label} = the index calls its view made (before issue 23: "
                                              f"lookup, search, timeline); " if BASELINE else "")
          + "working tree = index.page()")
    heads = ("items", "version", "first-time", "warm", "running worker")
    lines = [heads]
    for f in runs:
        page = f["page"]
        for label, d in page.items():
            lines.append((f"{f['items']:,}", label, _cell(d["first"]), _cell(d["warm"]), _cell(d["running"])))
        if BASELINE and BASELINE.label in page:
            base, tree = page[BASELINE.label], page[TREE]
            lines.append(("", "tree / base, p95", *(f"{tree[k]['p95'] / base[k]['p95']:.2f}×"
                                                    for k in ("first", "warm", "running"))))
    widths = [max(len(line[i]) for line in lines) for i in range(len(heads))]
    for line in lines:
        print("  " + "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, action="append", help="agenda items (repeatable; default 10000 and 50000)")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1), help="indexing processes")
    parser.add_argument("--load-seconds", type=float, default=LOAD_SECONDS, help="length of the load test")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--only", choices=("ocr", "search"), help="run one part: OCR, or indexing and search")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time the latency passes with REV's code (git archive), in the same run")
    parser.add_argument("--latency-only", action="store_true",
                        help="only our index and the latency passes (no OCR, naive, tantivy, start-up or gunicorn)")
    args = parser.parse_args()
    if args.latency_only and args.only == "ocr":
        parser.error("--latency-only measures no OCR")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    ocr, runs, started = None, [], time.perf_counter()
    if args.only != "search" and not args.latency_only:
        ocr = bench_ocr.bench_ocr()
        bench_ocr.print_ocr(ocr)
    if args.only != "ocr":
        global CODE, BASELINE
        with tempfile.TemporaryDirectory(prefix="bench-code-") as code, \
                tempfile.TemporaryDirectory(prefix="bench-base-") as base:
            CODE = snapshot(Path(code))
            if args.baseline:
                BASELINE = baseline_snapshot(args.baseline, Path(base))
                print(f"baseline: {args.baseline} = {BASELINE.label}, its code beside the working tree's")
            runs = [bench(items, args.procs, args.load_seconds, args.latency_only)
                    for items in args.items or [10_000, 50_000]]
            _print_page_table(runs)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), "python": sys.version.split()[0], "ocr": ocr,
                                         "baseline": BASELINE.label if BASELINE else None, "runs": runs},
                                        ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
