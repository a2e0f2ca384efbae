"""The parse audit: ``minutes audit`` over folders, ``/audit`` and ``/api/audit``
over an index, and the warnings of :mod:`indexer.ingest.audit`.

Expectations are properties and oracles computed from the parsed documents,
not today's parse results: the parser is being improved, and the audit must
report whatever it makes of a file."""
import json
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from indexer.ingest.audit import audit_document
from minutes_cli import cli
from webapp import create_app

from ..conftest import CORPUS, MINUTES_2021_9

NOTICE = CORPUS / "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt"
# 100 characters, ending as a notice's title ends.
LONG_TITLE = "示例市人民政府办公室关于做好" + "城乡社区综合服务设施建设管理" * 5 + "和运行维护保障工作有关事项的通知"
assert len(LONG_TITLE) == 100
CRAFTED_NOTICE = f"""{LONG_TITLE}

各区人民政府，市政府各部门：
    为做好城乡社区综合服务设施建设管理工作，现就有关事项通知如下。
    一、由市民政局牵头，会同市财政局制定建设标准。
    二、各区要落实属地责任。

示例市人民政府办公室
2021年6月1日
"""


@pytest.fixture
def runner():
    return CliRunner()


def audit_json(runner, *args):
    result = runner.invoke(cli, ["audit", *map(str, args), "--json"])
    return result, json.loads(result.stdout)


def kinds(row: dict) -> list[str]:
    return [w["kind"] for w in row["warnings"]]


def expected_row(doc: indexer.Document) -> dict:
    """What the audit must say about a parsed document, computed here from the document itself."""
    roles = [r for item in doc.items for r in item.roles]
    units = {
        name: {"known": any(r.known for r in roles if r.name == name),
               "level": next((r.level for r in roles if r.name == name and r.level), ""),
               "records": len([i for i in doc.items if name in {r.name for r in i.roles}])}
        for name in {r.name for r in roles}}
    a = doc.attendance
    return {
        "doc_id": doc.id, "doc_type": doc.doc_type, "title": doc.title, "doc_number": doc.doc_number,
        "issuer": doc.issuer, "issuer_level": doc.issuer_level, "date": doc.date, "signed": doc.signed,
        "compiled": doc.compiled, "issued": doc.issued,
        "item_count": len([i for i in doc.items if i.number]),
        "dept": units,
        "unknown_units": sorted(name for name, unit in units.items() if not unit["known"]),
        "attendance": {"present": len(a.present), "attending_units": len(a.attending),
                       "attending_persons": sum(len(u.persons) for u in a.attending), "absent": len(a.absent),
                       "recorder": a.recorder} if doc.doc_type == "会议纪要" else None,
    }


def shown_row(row: dict) -> dict:
    keys = ("doc_id", "doc_type", "title", "doc_number", "issuer", "issuer_level", "date", "signed", "compiled",
            "issued", "item_count", "attendance")
    return {**{k: row[k] for k in keys},
            "dept": {d["name"]: {"known": d["known"], "level": d["level"], "records": d["item_count"]} for d in row["dept"]},
            "unknown_units": sorted(row["unknown_units"])}


def assert_totals_are_the_sum_of_rows(data: dict) -> None:
    rows, totals = data["files"], data["totals"]
    parsed = [r for r in rows if r["ok"]]
    assert totals["files"] == len(rows)
    assert totals["parsed"] == len(parsed)
    assert totals["failed"] == len([r for r in rows if not r["ok"]])
    assert totals["with_warnings"] == len([r for r in parsed if r["warnings"]])
    assert totals["item_count"] == sum(r["item_count"] for r in parsed)
    assert {c["value"]: c["count"] for c in totals["doc_type"]} == Counter(r["doc_type"] for r in parsed)
    assert {c["kind"]: c["count"] for c in totals["warnings"]} == Counter(k for r in parsed for k in set(kinds(r)))
    assert {c["value"]: c["count"] for c in totals["dept_level"]} == \
        Counter(d["level"] for r in parsed for d in r["dept"])
    assert {u["name"]: (u["files"], u["mentions"]) for u in totals["unknown_units"]} == {
        name: (sum(name in r["unknown_units"] for r in parsed),
               sum(d["item_count"] for r in parsed for d in r["dept"] if d["name"] == name))
        for name in {n for r in parsed for n in r["unknown_units"]}}
    files = [u["files"] for u in totals["unknown_units"]]
    assert files == sorted(files, reverse=True)  # most common first


# --- the command on the samples ---------------------------------------------------------------

def test_audit_json_of_the_samples_says_what_each_file_parsed_into(runner, docs):
    result, data = audit_json(runner, CORPUS)
    assert result.exit_code == 0
    assert data["ok"] is True
    rows = {r["path"]: r for r in data["files"]}
    assert sorted(rows) == sorted(str(CORPUS / name) for name in docs)
    for name, doc in docs.items():
        row = rows[str(CORPUS / name)]
        assert row["ok"] is True and row["failure"] == ""
        assert shown_row(row) == expected_row(doc)
    assert_totals_are_the_sum_of_rows(data)


def test_audit_prints_one_block_per_file_and_the_totals(runner, docs):
    result = runner.invoke(cli, ["audit", str(CORPUS)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line for line in lines if line and not line.startswith(" ") and not line.startswith("totals")] == \
        sorted(docs)  # paths relative to the folder named, in the order minutes index takes them
    block = lines[lines.index(MINUTES_2021_9.name) + 1:]
    block = block[:block.index("")]
    doc = docs[MINUTES_2021_9.name]
    assert f"    number     {doc.doc_number}" in block
    assert f"    items      {len([i for i in doc.items if i.number])}" in block
    assert any(line.startswith("    attendance present ") for line in block)
    totals = next(line for line in lines if line.startswith("totals: "))
    assert totals.startswith(f"totals: {len(docs)} files, {len(docs)} parsed, 0 failed, ")
    assert lines[lines.index(totals) + 1].startswith("    by type  ")


# --- warnings and failures --------------------------------------------------------------------

def test_a_notice_with_no_number_and_a_100_character_title_is_warned_about(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "crafted.txt").write_text(CRAFTED_NOTICE, encoding="utf-8")
    shutil.copy(NOTICE, folder)
    result, data = audit_json(runner, folder)
    assert result.exit_code == 0  # warnings are not failures
    rows = {r["path"]: r for r in data["files"]}
    crafted = rows[str(folder / "crafted.txt")]
    assert crafted["doc_number"] == ""
    assert len(crafted["title"]) > 60  # whatever the parser trims, the title stays long
    assert {"no_number", "title_too_long"} <= set(kinds(crafted))
    too_long = next(w for w in crafted["warnings"] if w["kind"] == "title_too_long")
    assert too_long["message"] == f"title longer than 60 characters: {len(crafted['title'])} characters"
    good = rows[str(folder / NOTICE.name)]
    assert good["doc_number"] and len(good["title"]) <= 60
    assert not {"no_number", "title_too_long"} & set(kinds(good))
    assert_totals_are_the_sum_of_rows(data)

    human = runner.invoke(cli, ["audit", str(folder)]).stdout.splitlines()
    block = human[human.index("crafted.txt") + 1:]
    assert "    warning    no number found" in block[:block.index("")]
    assert f"    title      {crafted['title'][:60]}…" in block[:block.index("")]


def test_a_binary_file_is_reported_by_name_and_the_batch_goes_on(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(MINUTES_2021_9, folder)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    result, data = audit_json(runner, folder)
    assert result.exit_code == 1  # as minutes index exits when a file fails
    rows = {r["path"]: r for r in data["files"]}
    assert rows[str(folder / "binary.txt")]["ok"] is False
    assert rows[str(folder / "binary.txt")]["failure"] == "binary file (contains NUL bytes), not text"
    assert rows[str(folder / "binary.txt")]["warnings"] == [] and rows[str(folder / "binary.txt")]["doc_type"] == ""
    assert rows[str(folder / MINUTES_2021_9.name)]["ok"] is True
    assert rows[str(folder / MINUTES_2021_9.name)]["doc_type"] == "会议纪要"
    assert data["totals"]["failed"] == 1 and data["totals"]["parsed"] == 1
    assert_totals_are_the_sum_of_rows(data)

    human = runner.invoke(cli, ["audit", str(folder)])
    assert human.exit_code == 1
    lines = human.stdout.splitlines()
    assert lines[lines.index("binary.txt") + 1] == "    FAILED     binary file (contains NUL bytes), not text"
    assert any(line.startswith("totals: 2 files, 1 parsed, 1 failed") for line in lines)


def test_a_duplicate_fails_as_minutes_index_would_fail_it(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(MINUTES_2021_9, folder / "a.txt")
    shutil.copy(MINUTES_2021_9, folder / "b.txt")
    result, data = audit_json(runner, folder)
    indexed = runner.invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == indexed.exit_code == 1
    failed = [r["path"] for r in data["files"] if not r["ok"]]
    assert failed == [str(folder / "b.txt")]
    assert f"failed: {folder / 'b.txt'}: duplicate document" in indexed.stderr
    assert data["files"][1]["failure"].startswith("duplicate document: ")
    assert data["files"][1]["failure"].endswith(f"is already in {folder / 'a.txt'}")


def test_a_missing_path_is_a_failure(runner, tmp_path):
    result, data = audit_json(runner, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert data["files"] == [dict(data["files"][0], path=str(tmp_path / "nowhere"), ok=False,
                                  failure="no such file or folder")]


def test_warnings_on_level_and_numbers_from_document_values(docs):
    """Fields the parser is learning to fill (levels, number spellings), set by hand."""
    notice = docs[NOTICE.name]
    role = indexer.DepartmentRole("市海关", indexer.MENTIONED, known=True, level="city")
    item = replace(notice.items[0], roles=(role,))
    national = replace(notice, issuer_level="state", items=(item,))
    audit = audit_document(national)
    assert audit.departments == (indexer.AuditDepartment("市海关", "city", True, ("mentioned",), 1),)
    assert audit.warnings[-1] == indexer.AuditWarning("dept_below_issuer", "市海关 (city) in a state document")
    assert "dept_below_issuer" not in audit_document(replace(national, issuer_level="city")).warning_kinds
    assert "dept_below_issuer" not in audit_document(replace(national, issuer_level="")).warning_kinds

    decree = replace(notice, title="中华人民共和国国务院令第706号", doc_number="")
    assert indexer.AuditWarning("title_has_number", "国务院令第706号") in audit_document(decree).warnings
    run_on = replace(notice, title="山东省财政厅文件鲁财会〔2021〕13号关于做好会计工作的通知")
    assert indexer.AuditWarning("title_has_number", "〔2021〕13号") in audit_document(run_on).warnings
    assert audit_document(notice).warnings == ()  # the sample notice is complete


# --- the real corpus, read in place -----------------------------------------------------------

def test_audit_of_the_real_corpus_lists_every_file_and_none_fails(runner, real_corpus, real_docs):
    result, data = audit_json(runner, real_corpus)
    assert result.exit_code == 0, [r for r in data["files"] if not r["ok"]]
    rows = {r["path"]: r for r in data["files"]}
    manifest = [line.split("\t")[0] for line in (real_corpus / "MANIFEST.tsv").read_text("utf-8").splitlines()[1:]]
    assert set(manifest) <= {str(p) for p in real_docs}  # every listed file is picked up …
    assert sorted(rows) == sorted(str(real_corpus / p) for p in real_docs)  # … and audited, once
    assert all(r["ok"] for r in rows.values())
    for path, doc in real_docs.items():
        assert shown_row(rows[str(real_corpus / path)]) == expected_row(doc), path
    assert_totals_are_the_sum_of_rows(data)
    for row in rows.values():  # warnings are what they say
        assert ("title_too_long" in kinds(row)) == (len(row["title"].strip()) > 60)
        assert ("no_date" in kinds(row)) == (row["date"] == "")
        assert ("no_issuer" in kinds(row)) == (row["issuer"] == "")
        if "no_number" in kinds(row):
            assert row["doc_number"] == ""


# --- the web page and its JSON twin -----------------------------------------------------------

def test_audit_api_counts_match_the_parsed_documents(client, docs):
    data = client.get("/api/audit").get_json()
    assert data["ok"] is True and data["warning"] == ""
    by_id = {doc.id: doc for doc in docs.values()}
    rows = {r["doc_id"]: r for r in data["files"]}
    assert sorted(rows) == sorted(by_id)
    for doc_id, row in rows.items():
        assert shown_row(row) == expected_row(by_id[doc_id])
        assert row["url"] == f"/doc/{doc_id}"
        assert row["path"] == next(name for name, d in docs.items() if d.id == doc_id)  # under the indexed folder
        assert client.get(row["url"]).status_code == 200
    totals = data["totals"]
    assert totals["files"] == totals["parsed"] == len(docs) and totals["failed"] == 0
    assert {c["value"]: c["count"] for c in totals["doc_type"]} == Counter(d.doc_type for d in docs.values())
    assert totals["item_count"] == sum(1 for d in docs.values() for i in d.items if i.number)
    issuerless = {d.id for d in docs.values() if not d.issuer}
    assert {r["doc_id"] for r in data["files"] if "no_issuer" in kinds(r)} == issuerless
    assert_totals_are_the_sum_of_rows(data)


def test_audit_page_shows_what_the_api_returns(client):
    data = client.get("/api/audit").get_json()
    html = client.get("/audit").get_data(as_text=True)
    assert re.findall(r'<tr class="audit-row" data-doc-id="([^"]+)" data-warnings="(\d+)"', html) == \
        [(r["doc_id"], str(len(r["warnings"]))) for r in data["files"]]
    for row in data["files"]:
        assert f'<a href="{row["url"]}"' in html
    assert f'<strong id="audit-files">{data["totals"]["files"]}</strong>' in html
    for w in data["totals"]["warnings"]:
        assert f'href="/audit?warning={w["kind"]}" data-warning="{w["kind"]}">' in html
    assert 'href="/audit">解析核查</a>' in client.get("/help").get_data(as_text=True)  # in the site's navigation


@pytest.fixture
def crafted_client(tmp_path):
    """An index of the crafted notice (no number, a 100-character title) and a sample notice."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "crafted.txt").write_text(CRAFTED_NOTICE, encoding="utf-8")
    shutil.copy(NOTICE, folder)
    assert indexer.index_paths([folder], tmp_path / "ix").failed == ()
    app = create_app({"INDEX": str(tmp_path / "ix"), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})  # staff see /audit
    yield app.test_client()
    app.extensions["minutes"].close()


def test_audit_filter_by_warning_and_its_errors(crafted_client):
    client = crafted_client
    everything = client.get("/api/audit").get_json()
    assert {"no_number", "title_too_long"} <= {w["kind"] for w in everything["totals"]["warnings"]}
    assert [r["path"] for r in client.get("/api/audit?warning=no_number").get_json()["files"]] == ["crafted.txt"]
    for w in everything["totals"]["warnings"]:
        only = client.get(f"/api/audit?warning={w['kind']}").get_json()
        assert len(only["files"]) == w["count"]
        assert all(w["kind"] in kinds(r) for r in only["files"])
        assert only["totals"] == everything["totals"]
        page = client.get(f"/audit?warning={w['kind']}").get_data(as_text=True)
        assert page.count('<tr class="audit-row"') == w["count"]
    response = client.get("/api/audit?warning=nonsense")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "status": 400, "error": response.get_json()["error"]}
    assert response.get_json()["error"].startswith("warning: must be one of no_title, ")
    assert client.get("/audit?warning=nonsense").status_code == 400


def test_audit_of_the_real_index_equals_the_audit_of_its_files(real_corpus, real_search_index, real_index_dir):
    """What the index stores rebuilds to the same report as parsing the files."""
    from_files = indexer.audit_paths([real_corpus])
    from_index = indexer.audit_index(real_search_index)
    assert {f.doc_id: replace(f, path="") for f in from_index.files} == \
        {f.doc_id: replace(f, path="") for f in from_files.files}
    assert from_index.totals == from_files.totals

    app = create_app({"INDEX": str(real_index_dir), "TESTING": True, "SEARCH_TIME_LIMIT": None,  # correctness only
                      "ANONYMOUS_ACCESS": "staff"})  # staff see /audit
    try:
        data = app.test_client().get("/api/audit").get_json()
    finally:
        app.extensions["minutes"].close()
    # The page names each file under the folder that was indexed, not by the server's absolute path.
    assert sorted(r["path"] for r in data["files"]) == \
        sorted(Path(f.path).relative_to(real_corpus).as_posix() for f in from_files.files)
    assert_totals_are_the_sum_of_rows(data)


# Minutes the parser could not fully understand: no session, no chair, a date only from the signature.
VAGUE_MINUTES = """示例县人民政府常务会议纪要
近期，县政府召开常务会议，研究了以下事项：
一、研究农村公路养护工作
由县交通运输局牵头落实。
出席：李华 王强
示例县人民政府办公室
2023年3月2日
"""


def test_minutes_lacking_session_chair_or_meeting_date_are_named(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "vague.txt").write_text(VAGUE_MINUTES, encoding="utf-8")
    shutil.copy(MINUTES_2021_9, folder)
    result, data = audit_json(runner, folder)
    assert result.exit_code == 0
    rows = {Path(r["path"]).name: r for r in data["files"]}
    vague = rows["vague.txt"]
    assert (vague["doc_type"], vague["session"], vague["date"]) == ("会议纪要", "", "")  # 近期: no date
    warning = next(w for w in vague["warnings"] if w["kind"] == "minutes_incomplete")
    assert warning == {"kind": "minutes_incomplete", "detail": "会议纪要缺少：会次、主持人、会议日期",
                       "message": "minutes without session, chair or meeting date: 会议纪要缺少：会次、主持人、会议日期"}
    assert "minutes_incomplete" not in kinds(rows[MINUTES_2021_9.name])  # session, chair and date all found
    assert {"value": "minutes_incomplete", "count": 1} in [
        {"value": w["kind"], "count": w["count"]} for w in data["totals"]["warnings"]]
    human = runner.invoke(cli, ["audit", str(folder)]).stdout.splitlines()
    block = human[human.index("vague.txt") + 1:]
    assert ("    warning    minutes without session, chair or meeting date: 会议纪要缺少：会次、主持人、会议日期"
            in block[:block.index("")])


@pytest.mark.parametrize("held,missing", [
    ("2023年3月1日，县长赵明主持召开县政府第8次常务会议，研究了以下事项：", ()),
    ("3月1日，县长赵明主持召开县政府常务会议，研究了以下事项：", ("会次",)),
    ("县长赵明主持召开县政府第8次常务会议，研究了以下事项：", ("会议日期",)),
    ("2023年3月1日，县政府召开第8次常务会议，研究了以下事项：", ("主持人",)),
])
def test_what_minutes_lack_is_named_one_by_one(held, missing):
    doc = indexer.parse_text(VAGUE_MINUTES.replace("近期，县政府召开常务会议，研究了以下事项：", held))
    assert indexer.minutes_missing(doc) == missing
    incomplete = [w for w in audit_document(doc).warnings if w.kind == "minutes_incomplete"]
    assert [w.detail for w in incomplete] == (["会议纪要缺少：" + "、".join(missing)] if missing else [])
