"""The ``minutes`` command through click's CliRunner: exit codes, messages, JSON."""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from minutes_cli import cli

from ..conftest import CORPUS, MINUTES_2021_9, free_port
from .. import oracle
from ..search.test_search import item_texts


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def batch(tmp_path):
    """A folder with two good files and three bad ones."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(MINUTES_2021_9, folder)
    shutil.copy(CORPUS / "示例市政府常务会议纪要-2021-12-gb18030.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (folder / "broken.html").write_bytes(b"\xff\xfe\x81\x30\x80")
    (folder / "README.md").write_text("not a document")  # not a supported type: left alone in folders
    return folder


def test_index_reports_each_failure_and_indexes_the_rest(runner, batch, tmp_path):
    index = tmp_path / "ix"
    result = runner.invoke(cli, ["index", str(batch), "--index", str(index)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "indexed 2, unchanged 0, failed 3"
    assert f"failed: {batch / 'binary.txt'}: binary file (contains NUL bytes), not text" in result.stderr
    assert f"failed: {batch / 'broken.html'}: cannot decode as UTF-8, UTF-16 or GB18030" in result.stderr
    assert f"failed: {batch / 'empty.txt'}: file is empty" in result.stderr

    found = json.loads(runner.invoke(cli, ["search", "防汛", "--index", str(index), "--json"]).stdout)
    assert found["total"] == 2  # item 一 of 〔2021〕12号 and its preamble
    assert {h["doc_number"] for h in found["hits"]} == {"〔2021〕12号"}


def test_second_run_skips_unchanged_files(runner, tmp_path):
    index = tmp_path / "ix"
    assert runner.invoke(cli, ["index", str(CORPUS), "--index", str(index)]).stdout.splitlines()[-1] == \
        "indexed 8, unchanged 0, failed 0"
    again = runner.invoke(cli, ["index", str(CORPUS), "--index", str(index)])
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "indexed 0, unchanged 8, failed 0"


def test_changed_file_is_replaced_not_duplicated(runner, tmp_path):
    index = tmp_path / "ix"
    folder = tmp_path / "docs"
    folder.mkdir()
    target = folder / MINUTES_2021_9.name
    shutil.copy(MINUTES_2021_9, target)
    runner.invoke(cli, ["index", str(folder), "--index", str(index)])
    target.write_text(MINUTES_2021_9.read_text("utf-8").replace("六、其他事项", "六、研究数字乡村试点"), "utf-8")
    assert runner.invoke(cli, ["index", str(folder), "--index", str(index)]).stdout.splitlines()[-1] == \
        "indexed 1, unchanged 0, failed 0"
    data = json.loads(runner.invoke(cli, ["search", "", "--index", str(index), "--json", "--limit", "50"]).stdout)
    assert data["total"] == 7  # six items and the preamble, once each
    assert [h["item_title"] for h in data["hits"] if h["item_no"] == 6] == ["研究数字乡村试点"]


def test_same_document_number_from_two_files_is_refused(runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(MINUTES_2021_9, folder / "a.txt")
    (folder / "b.txt").write_text(MINUTES_2021_9.read_text("utf-8") + "\n补充。", "utf-8")
    result = runner.invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert f"failed: {folder / 'b.txt'}: duplicate document: 〔2021〕9号 is already indexed from " \
           f"{(folder / 'a.txt').resolve()}" in result.stderr


def test_missing_path_is_a_failure_not_a_crash(runner, tmp_path):
    result = runner.invoke(cli, ["index", str(tmp_path / "nowhere.txt"), str(MINUTES_2021_9),
                                 "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'nowhere.txt'}: no such file or folder" in result.stderr
    assert result.stdout.splitlines()[-1] == "indexed 1, unchanged 0, failed 1"


SEARCH_KEYS = ["ok", "query", "total", "page", "size", "pages", "sort", "elapsed_ms", "relaxed", "did_you_mean",
               "expansions", "hits", "facets", "answer"]
HIT_KEYS = ["id", "doc_id", "doc_title", "doc_number", "doc_type", "date", "item_no", "item_title", "citation",
            "snippet", "score", "url", "part", "dept", "topic", "validity"]  # /api/search's


@pytest.mark.parametrize("phrase,options", [
    ("电梯", []), ("原则同意", ["--dept", "市住建局"]), ("防汛", ["--type", "会议纪要"]),
    ("管理", ["--dept", "市应急管理局", "--dept", "市市场监管局", "--year", "2021"]),
    ("会议", ["--meeting", "〔2021〕9号"]), ("示例", ["--topic", "安全生产"]),
])
def test_search_json_is_what_the_parsed_documents_give(runner, index_dir, docs, phrase, options):
    """`minutes search --json`: the /api/search object; its hits (every field but snippet and
    score, each hit's url included), total and facet counts are those computed from the parsed files."""
    result = runner.invoke(cli, ["search", f'"{phrase}"', *options, "--index", str(index_dir), "--json",
                                 "--limit", "100"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    filters: dict[str, tuple[str, ...]] = {}
    for name, value in zip(options[::2], options[1::2]):
        filters[name.removeprefix("--")] = filters.get(name.removeprefix("--"), ()) + (value,)
    found = oracle.matching(oracle.records(docs), phrase)
    expected = oracle.filtered(found, filters)
    assert list(data) == SEARCH_KEYS
    assert (data["query"], data["total"], data["pages"]) == (f'"{phrase}"', len(expected), 1)
    assert {h["id"]: {k: v for k, v in h.items() if k not in ("snippet", "score")} for h in data["hits"]} == \
        {rid: dict(r.hit_fields(), url=r.url) for rid, r in expected.items()}
    assert all(list(h) == HIT_KEYS for h in data["hits"])
    assert {name: {v["value"]: v["count"] for v in values if v["count"]} for name, values in data["facets"].items()} \
        == oracle.facet_counts(found, filters)
    assert 0 < len(expected) < len(found) or not options


@pytest.mark.parametrize("args,query", [
    (["电梯安全"], "q=电梯安全"),
    (["防汛", "--type", "会议纪要", "--year", "2021"], "q=防汛&type=会议纪要&year=2021"),
    (["会议", "--dept", "市发改委", "--limit", "50"], "q=会议&dept=市发改委&size=50"),
    (["", "--sort", "newest", "--limit", "40", "--page", "1"], "sort=newest&size=40"),
])
def test_search_json_is_the_api_search_object(runner, client, index_dir, args, query):
    """`minutes search --json` prints what /api/search returns for the same search, each hit's
    url included (issue 2's contract; the client reads every document of the samples, as the
    command does), the time it took aside."""
    printed = json.loads(runner.invoke(cli, ["search", *args, "--index", str(index_dir), "--json"]).stdout)
    served = client.get(f"/api/search?{query}").get_json()
    assert {**printed, "elapsed_ms": 0} == {**served, "elapsed_ms": 0}
    anchors = {h["url"].removeprefix(f"/doc/{h['doc_id']}") for h in printed["hits"]}
    assert anchors <= {"", "#preamble"} | {f"#item-{n}" for n in range(1, 20)} and printed["hits"]


def test_tasks_and_refs_json_are_their_web_twins(runner, client, index_dir):
    """`minutes tasks --json` prints /api/tasks; `minutes refs --json` the cites and cited_by of
    /api/doc/<id>, places with their url and cited titles with their policy_url."""
    tasks = json.loads(runner.invoke(cli, ["tasks", "发改委", "--year", "2021", "--index", str(index_dir), "--json"]).stdout)
    assert tasks == client.get("/api/tasks?dept=发改委&year=2021").get_json() and tasks["tasks"]
    assert all(t["url"] == f"/doc/{t['doc_id']}#item-{t['item_no']}" for t in tasks["tasks"])
    refs = json.loads(runner.invoke(cli, ["refs", "〔2021〕9号", "--index", str(index_dir), "--json"]).stdout)
    served = client.get(f"/api/doc/{refs['doc_id']}").get_json()
    assert refs == {"doc_id": served["id"], "cites": served["cites"], "cited_by": served["cited_by"]}
    assert [c["policy_url"] for c in refs["cites"] if c["kind"] == "title"] and refs["cited_by"]


def test_search_with_filters_and_text_output(runner, index_dir):
    result = runner.invoke(cli, ["search", "电梯", "--index", str(index_dir), "--dept", "市市场监管局",
                                 "--year", "2021", "--type", "通知", "--limit", "3"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 results (")
    assert lines[2] == "1. 《示例市人民政府关于印发示例市电梯安全管理办法的通知》（示府发〔2021〕20号）第四项  2021-06-10"
    assert "【电梯】" in result.stdout


def test_a_query_word_may_start_with_a_minus(runner, index_dir, docs):
    """-电梯 is an exclusion in the query language, not an option: the records without
    the word, counted from the parsed files; the words of a query may come apart, and
    `--` still ends the options."""
    texts = item_texts(docs)

    def found(*args):
        result = runner.invoke(cli, ["search", *args])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return data["query"], {h["id"] for h in data["hits"]}

    without = {r for r, text in texts.items() if "电梯" not in text}
    assert found("-电梯", "--index", str(index_dir), "--json", "--limit", "100") == ("-电梯", without)
    assert found("--index", str(index_dir), "--json", "--limit", "100", "--", "-电梯") == ("-电梯", without)
    assert 0 < len(without) < len(texts)
    lifts = {r for r, text in texts.items() if "电梯" in text and "加装" not in text}
    assert found("电梯", "-加装", "--json", "--index", str(index_dir), "--limit=100") == ("电梯 -加装", lifts)
    mistyped = runner.invoke(cli, ["search", "电梯", "--lmit", "3", "--index", str(index_dir)])
    assert mistyped.exit_code == 2 and "No such option '--lmit'" in mistyped.stderr  # never a query word

def test_search_without_index_says_how_to_build_one(runner, tmp_path):
    result = runner.invoke(cli, ["search", "电梯", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no index at {tmp_path / 'none'}; build one with: "
                             f"minutes index samples/corpus --index {tmp_path / 'none'}\n")


def test_search_rejects_bad_values(runner, index_dir):
    result = runner.invoke(cli, ["search", "电梯", "--index", str(index_dir), "--limit", "0"])
    assert result.exit_code == 1
    assert result.stderr == "Error: size: must be between 1 and 100\n"


def test_index_env_variable(runner, index_dir, monkeypatch):
    monkeypatch.setenv("MINUTES_INDEX", str(index_dir))
    assert json.loads(runner.invoke(cli, ["search", "防汛", "--json"]).stdout)["total"] == 3  # 〔2021〕12号 (item and preamble), the report


def test_parse_json(runner):
    result = runner.invoke(cli, ["parse", str(MINUTES_2021_9), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["doc_number"], data["session"], data["chair"]) == ("〔2021〕9号", "第128次常务会议", "王明市长")
    assert [i["number"] for i in data["items"]] == [1, 2, 3, 4, 5, 6]
    assert data["items"][4]["subpoints"][0]["label"] == "（一）"


def test_parse_text_and_bad_file(runner, tmp_path):
    assert "number: 〔2021〕9号" in runner.invoke(cli, ["parse", str(MINUTES_2021_9)]).stdout
    bad = tmp_path / "x.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(cli, ["parse", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bad}: not a Word document (not an OLE2 compound file)\n"


def test_every_command_has_an_example_in_its_help(runner):
    for command in ["index", "search", "parse", "serve"]:
        help_text = runner.invoke(cli, [command, "--help"]).stdout
        assert "minutes " in help_text or "gunicorn" in help_text


@pytest.mark.serving
def test_serve_is_the_web_app_in_flasks_server_on_the_index_named(index_dir, tmp_path):
    """`minutes serve --index DIR` runs the web app on DIR in Flask's development server; the
    command's own process becomes the server, so stopping it stops the server (no orphan keeps
    the port)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "MINUTES_INDEX"} | {"MINUTES_ANONYMOUS_ACCESS": "staff"}
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([str(Path(sys.executable).with_name("minutes")), "serve", "--index", str(index_dir),
                                   "--port", str(port)], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = None
        give_up = time.monotonic() + 60  # a wait for start-up, not a measurement
        while health is None and server.poll() is None and time.monotonic() < give_up:
            try:
                health = requests.get(base + "/healthz", timeout=2).json()
            except requests.ConnectionError:
                time.sleep(0.2)
        assert health is not None, log_path.read_text()
        assert (health["index"], health["documents"], health["records"]) == (str(index_dir), 8, 33)
        top = requests.get(base + "/api/search", params={"q": "电梯安全", "size": 1}, timeout=10).json()["hits"][0]
        assert (top["doc_number"], top["item_no"]) == ("〔2021〕9号", 5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/healthz", timeout=2)
    assert "Running on http://127.0.0.1:" in log_path.read_text()
