"""The index on disk: where it is, one writer, atomic rebuilds, pruning, start-up checks, crashes."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import indexer
from indexer.store import lifecycle

from ..conftest import CORPUS, MINUTES_2021_9, ROOT
from ..corpus_gen import write_minutes

MINUTES_CLI = [sys.executable, "-c", "from minutes_cli import cli; cli()"]


def search(ix, q="", **kw):
    return ix.search(indexer.SearchRequest(q=q, size=100, **kw))


def test_a_second_writer_waits_then_gets_a_clear_error(tmp_path):
    index_dir = tmp_path / "ix"
    with lifecycle.writer_lock(index_dir):
        started = time.monotonic()
        with pytest.raises(indexer.IndexLocked) as e:
            with lifecycle.writer_lock(index_dir, timeout=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    assert str(e.value) == (f"index at {index_dir} is locked by another writer; retry when it has finished "
                            "(另一个索引进程正在写入，请稍后重试)")
    with lifecycle.writer_lock(index_dir, timeout=0.5):  # released
        pass


def test_the_writer_timeout_is_configurable_and_read_when_a_run_starts(tmp_path, monkeypatch):
    """How long a run waits for another writer: ``lock_timeout`` when given, else
    ``lifecycle.WRITER_TIMEOUT_S`` as it is when the run starts (10 s unless changed).
    The bounds are far apart: a run that ignored the setting would wait 10 or 600 s,
    and a loaded machine never adds a minute."""
    index_dir = tmp_path / "ix"

    def waited(**kwargs) -> float:
        started = time.monotonic()
        with pytest.raises(indexer.IndexLocked):
            indexer.index_paths([MINUTES_2021_9], index_dir, **kwargs)
        return time.monotonic() - started

    with lifecycle.writer_lock(index_dir, timeout=0):
        monkeypatch.setattr(lifecycle, "WRITER_TIMEOUT_S", 0.3)
        assert 0.3 <= waited() < 60
        monkeypatch.setattr(lifecycle, "WRITER_TIMEOUT_S", 600.0)
        assert 0.2 <= waited(lock_timeout=0.2) < 60
    assert indexer.index_paths([MINUTES_2021_9], index_dir, lock_timeout=0).indexed  # free again


@pytest.mark.slow
def test_cli_reports_a_locked_index(tmp_path):
    index_dir = tmp_path / "ix"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from indexer.store import lifecycle\n"
        f"with lifecycle.writer_lock(Path({str(index_dir)!r})):\n"
        "    print('locked', flush=True); time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert os.listdir(tmp_path) == ["ix"] and os.listdir(index_dir) == [".lock"]  # inside the index folder
        started = time.monotonic()
        result = subprocess.run([*MINUTES_CLI, "index", str(MINUTES_2021_9), "--index", str(index_dir), "--wait", "0"],
                                capture_output=True, text=True, timeout=900,
                                env=dict(os.environ, MINUTES_WRITER_TIMEOUT="600"))
        # --wait 0, not the process's default (600 s here): far apart, whatever else the machine is doing
        assert time.monotonic() - started < 120
        assert result.returncode == 1
        assert result.stderr.endswith(f"Error: index at {index_dir} is locked by another writer; retry when it has "
                                      "finished (另一个索引进程正在写入，请稍后重试)\n")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_prune_removes_documents_whose_file_is_gone(tmp_path):
    folder = tmp_path / "docs"
    paths = write_minutes(folder, 3)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    paths[1].unlink()
    report = indexer.index_paths([folder], index_dir, prune=True)
    assert report.pruned == (str(paths[1].resolve()),)
    assert (report.indexed, len(report.unchanged)) == ((), 2)
    with indexer.SearchIndex(index_dir) as ix:
        assert {h.doc_number for h in search(ix, "电梯安全").hits} == {"〔2019〕1号", "〔2019〕3号"}


def test_without_prune_documents_stay(tmp_path):
    folder = tmp_path / "docs"
    paths = write_minutes(folder, 2)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    paths[0].unlink()
    assert indexer.index_paths([folder], index_dir).pruned == ()
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total == 2 * 2  # item 五 and the preamble of each


@pytest.mark.slow
def test_rebuild_swaps_in_atomically_while_a_reader_searches(tmp_path):
    """Searches running while rebuilds are swapped in all answer from a whole index. The
    reader notes the live folder's identity just before and just after each search: a
    search that saw it change was running at the swap, and the test fails unless at least
    one such search ran (it proves nothing otherwise)."""
    folder = tmp_path / "docs"
    write_minutes(folder, 40)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    expected = 40 * 7
    totals, errors, across_a_swap = [], [], []
    stop = threading.Event()

    def reader():
        with indexer.SearchIndex(index_dir) as ix:
            while not stop.is_set():
                try:
                    before = lifecycle.folder_identity(index_dir)
                    total = search(ix).total
                    if lifecycle.folder_identity(index_dir) != before:  # live/ was exchanged meanwhile
                        across_a_swap.append(total)
                    totals.append(total)
                except Exception as e:  # noqa: BLE001 - any failure is what this test looks for
                    errors.append(repr(e))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(2):
            report = indexer.index_paths([folder], index_dir, rebuild=True)
            assert report.rebuilt and len(report.indexed) == 40
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(across_a_swap) >= 1, f"no search ran across a swap ({len(totals)} searches): nothing was shown"
    assert totals and set(totals) == {expected}  # never empty, never half-built
    assert not lifecycle.scratch_dir(index_dir).exists()


def test_if_needed_skips_a_current_index_and_rebuilds_an_outdated_one(tmp_path):
    index_dir = tmp_path / "ix"
    assert not indexer.index_paths([MINUTES_2021_9], index_dir, if_needed=True).skipped  # missing: built
    assert indexer.index_paths([MINUTES_2021_9], index_dir, if_needed=True).skipped
    meta = lifecycle.live_dir(index_dir) / "minutes-meta.json"
    meta.write_text(json.dumps(dict(json.loads(meta.read_text()), analyzer="old")))
    report = indexer.index_paths([MINUTES_2021_9], index_dir, if_needed=True)
    assert report.rebuilt and not report.skipped
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total == 2


def test_a_serving_index_notices_a_swapped_rebuild(tmp_path):
    folder = tmp_path / "docs"
    write_minutes(folder, 2)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total == 4
        write_minutes(folder, 1, start=3)
        indexer.index_paths([folder], index_dir, rebuild=True)
        assert search(ix, "电梯安全").total == 6


@pytest.mark.slow
def test_search_time_limit(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    write_minutes(folder, 60)
    index_dir = tmp_path / "ix"
    indexer.index_paths([folder], index_dir)
    monkeypatch.setattr(indexer.engine, "SEARCH_TIME_LIMIT_S", 1e-6)
    with indexer.SearchIndex(index_dir) as ix, pytest.raises(indexer.SearchTimeout) as e:
        search(ix, "会议")  # matches every record: the deadline is checked while collecting them
    assert "检索超时" in str(e.value)


# Where a writer is killed (lifecycle.crash_point), and which state the index must then hold:
# the one before the run or the one after it, never anything in between.
CRASHES = [
    ("update", "add", "old"), ("update", "commit", "old"), ("update", "toc", "old"), ("update", "tables", "new"),
    ("rebuild", "add", "old"), ("rebuild", "commit", "old"), ("rebuild", "toc", "old"),
    ("rebuild", "tables", "old"), ("rebuild", "swap", "old"), ("rebuild", "swapped", "new"),
]


@pytest.mark.slow
@pytest.mark.parametrize("mode,stage,expected", CRASHES, ids=[f"{m}-{s}" for m, s, _ in CRASHES])
def test_kill_9_at_each_stage_leaves_the_old_or_the_new_state(tmp_path, mode, stage, expected):
    """kill -9 the indexer at a named stage (the test-only hook MINUTES_TEST_CRASH_AT): it
    died there; the index opens and holds exactly the state before or after the run, each
    document whole; nothing was written beside the index folder; the next run completes."""
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    write_minutes(folder, 3)
    indexer.index_paths([folder], index_dir)
    write_minutes(folder, 3, start=4)
    numbers = {"old": {f"〔2019〕{n}号" for n in range(1, 4)}, "new": {f"〔2019〕{n}号" for n in range(1, 7)}}
    args = ["index", str(folder), "--index", str(index_dir)] + (["--rebuild"] if mode == "rebuild" else [])
    env = dict(os.environ, **{lifecycle.CRASH_ENV: stage})
    crashed = subprocess.run([*MINUTES_CLI, *args], capture_output=True, text=True, env=env, timeout=120)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr  # it reached the stage and died there

    assert sorted(os.listdir(tmp_path)) == ["docs", "ix"]
    with indexer.SearchIndex(index_dir) as ix:
        everything = search(ix)
        assert {h.doc_number for h in everything.hits} == numbers[expected]
        assert everything.total == 7 * len(numbers[expected])  # six items and the preamble of each, once

    rerun = subprocess.run([*MINUTES_CLI, *args], capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert not lifecycle.scratch_dir(index_dir).exists()
    with indexer.SearchIndex(index_dir) as ix:
        everything = search(ix)
        assert {h.doc_number for h in everything.hits} == numbers["new"] and everything.total == 7 * 6


def test_a_vanished_index_folder_is_reported_then_found_again(tmp_path):
    index_dir = tmp_path / "ix"
    indexer.index_paths([MINUTES_2021_9], index_dir)
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total == 2
        index_dir.rename(tmp_path / "elsewhere")
        with pytest.raises(indexer.IndexNotFound):
            search(ix, "电梯安全")
        (tmp_path / "elsewhere").rename(index_dir)
        assert search(ix, "电梯安全").total == 2


@pytest.mark.slow
def test_parsing_in_several_processes_gives_the_same_index(tmp_path):
    folder = tmp_path / "docs"
    write_minutes(folder, 70)  # over PARALLEL_PARSE_MIN
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01 not text")
    serial = indexer.index_paths([folder], tmp_path / "serial", procs=1)
    parallel = indexer.index_paths([folder], tmp_path / "parallel", procs=2)
    assert len(serial.indexed) == len(parallel.indexed) == 70
    assert set(serial.failed) == set(parallel.failed) and len(parallel.failed) == 2
    with indexer.SearchIndex(tmp_path / "serial") as a, indexer.SearchIndex(tmp_path / "parallel") as b:
        for q in ("电梯安全", '"原则同意"', "部门：市住建局", ""):
            ra, rb = search(a, q), search(b, q)
            assert ra.total == rb.total > 0 and ra.facets == rb.facets
            # The 70 minutes differ only in their number: equal scores abound, and which of them
            # fill the page depends on document numbers, which differ between the two layouts.
            assert [h.score for h in ra.hits] == [h.score for h in rb.hits]


@pytest.mark.slow
def test_lock_scratch_and_caches_stay_inside_the_index_folder(tmp_path):
    """Indexing, rebuilding and searching write nothing beside the index folder, in the home
    folder or in the temporary folder, and parsing writes nothing at all; the segmenter's
    cache is one file inside the index."""
    home, temp, parent = tmp_path / "home", tmp_path / "temp", tmp_path / "srv"
    for folder in (home, temp, parent):
        folder.mkdir()
    index_dir = parent / "ix"
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "MINUTES_INDEX")}
    env.update(HOME=str(home), TMPDIR=str(temp))
    for args in (["index", str(CORPUS)], ["index", str(MINUTES_2021_9), "--rebuild"], ["search", "电梯安全"]):
        result = subprocess.run([*MINUTES_CLI, *args, "--index", str(index_dir)], capture_output=True, text=True,
                                env=env, cwd=tmp_path, timeout=120)
        assert result.returncode == 0, result.stderr
    parsed = subprocess.run([*MINUTES_CLI, "parse", str(MINUTES_2021_9)], capture_output=True, env=env, timeout=120)
    assert parsed.returncode == 0  # no index: no cache file anywhere
    assert os.listdir(parent) == ["ix"]
    assert (os.listdir(home), os.listdir(temp)) == ([], [])
    assert sorted(os.listdir(index_dir)) == [".lock", "cache", "live"]
    assert [p.name for p in (index_dir / "cache").iterdir()] == [f"jieba-{fingerprint()}.words"]


def fingerprint() -> str:
    from indexer.store import segmenter

    return segmenter.fingerprint()


def test_the_default_index_is_the_projects_from_any_working_directory(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from minutes_cli import cli
    from webapp import create_app

    monkeypatch.delenv("MINUTES_INDEX", raising=False)
    monkeypatch.chdir(tmp_path)
    assert indexer.default_index_dir() == ROOT / "index"
    assert create_app().config["INDEX"] == str(ROOT / "index")
    assert indexer.index_location("mine") == tmp_path / "mine"  # --index is relative to where you are
    monkeypatch.setenv("MINUTES_INDEX", "elsewhere")
    assert indexer.default_index_dir() == tmp_path / "elsewhere"
    result = CliRunner().invoke(cli, ["refs", "〔2021〕9号"])  # reads $MINUTES_INDEX, made absolute
    assert result.stderr == (f"Error: no index at {tmp_path / 'elsewhere'}; build one with: "
                             f"minutes index samples/corpus --index {tmp_path / 'elsewhere'}\n")


@pytest.mark.slow
def test_gunicorn_warms_up_from_the_apps_own_index_folder(tmp_path):
    """gunicorn.conf.py loads the word table from the cache in the index the app serves
    (written there by the indexer), and writes nothing into the home folder."""
    index_dir, home = tmp_path / "ix", tmp_path / "home"
    home.mkdir()
    subprocess.run([*MINUTES_CLI, "index", str(MINUTES_2021_9), "--index", str(index_dir)], check=True,
                   capture_output=True, timeout=120)
    cache = next((index_dir / "cache").iterdir())
    written = cache.stat().st_mtime_ns
    script = (
        "import runpy, types; from webapp import create_app; from indexer.store import segmenter\n"
        "conf = runpy.run_path('gunicorn.conf.py')\n"
        "app = create_app()\n"
        "conf['on_starting'](types.SimpleNamespace(app=types.SimpleNamespace(wsgi=lambda: app)))\n"
        "print(segmenter._dictionary_cache(), segmenter._segmenter.cache_info().currsize)\n")
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    env.update(HOME=str(home), MINUTES_INDEX=str(index_dir))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(cache), "1"]
    assert cache.stat().st_mtime_ns == written and os.listdir(home) == []  # read, not written again


def test_an_index_of_an_older_version_is_rebuilt_from_its_own_files(tmp_path):
    """Version 11 kept its files directly in the index folder and stored absolute paths: it
    reads as outdated, and a rebuild without paths reads the files it holds."""
    from whoosh import index as whoosh_index

    from indexer.store import schema
    from indexer.ingest.sources import LEGACY_ROOT
    from indexer.store.records import Location
    from indexer.store.records import document_records

    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    paths = write_minutes(folder, 2)
    index_dir.mkdir()
    ix = whoosh_index.create_in(str(index_dir), schema.build_schema())
    with ix.writer() as writer:
        for path in paths:
            for record in document_records(indexer.read_document(path), Location(LEGACY_ROOT, str(path))):
                writer.add_document(**record)
    ix.close()
    (index_dir / schema.META_FILE).write_text(json.dumps(dict(schema.current_meta(), schema_version=11)))
    with pytest.raises(indexer.IndexOutdated, match="built by an older version"):
        indexer.SearchIndex(index_dir)
    report = indexer.index_paths([], index_dir, rebuild=True)
    assert (len(report.indexed), report.was_documents, report.documents) == (2, 2, 2)
    assert set(os.listdir(index_dir)) - {"cache"} == {".lock", "live"}  # the old files are gone
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total == 4
