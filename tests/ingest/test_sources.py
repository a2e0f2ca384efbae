"""What an index holds and where from: rebuilds that lose nothing, copies, moved archives.

Run through the ``minutes`` command, as a user would, on a copy of the samples in a
temporary folder; the expected counts come from the samples themselves (``expected``).
"""
import json
import shutil

import pytest
from click.testing import CliRunner

import indexer
from minutes_cli import cli

from ..conftest import CORPUS, MINUTES_2021_9

pytestmark = pytest.mark.slow  # each test indexes an archive several times: a second or so
TOPIC_MEETING = "示例市政府专题会议纪要-2021-03.txt"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def expected() -> tuple[int, int]:
    """(records, documents) of the samples: each document's items, and a preamble record
    for the documents with numbered items (computed from the parse, not from an index)."""
    files, _ = indexer.collect_files([CORPUS])
    docs = [indexer.read_document(f) for f in files]
    return sum(len(d.items) + bool(d.preamble and d.items[0].number) for d in docs), len(docs)


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(CORPUS, folder)
    return folder


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args])


def errors(result) -> str:
    """What the command wrote to stderr, without its progress bar's label."""
    return "".join(line for line in result.stderr.splitlines(keepends=True) if not line.startswith("indexing"))


def held(runner, index) -> dict[str, int]:
    """Records per document number (or title) in the index."""
    data = json.loads(run(runner, "search", "--index", index, "--json", "--limit", 100).stdout)
    counts: dict[str, int] = {}
    for hit in data["hits"]:
        key = hit["doc_number"] or hit["doc_title"]
        counts[key] = counts.get(key, 0) + 1
    assert sum(counts.values()) == data["total"]
    return counts


def test_a_rebuild_from_one_file_keeps_every_recorded_source(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    assert run(runner, "index", archive, "--index", index).exit_code == 0
    before = held(runner, index)
    result = run(runner, "index", archive / MINUTES_2021_9.name, "--index", index, "--rebuild")
    assert result.exit_code == 0
    records, documents = expected
    assert result.stdout.splitlines() == [
        f"indexed {documents}, unchanged 0, failed 0",
        f"rebuilt: {records} records from {documents} files (was {records} from {documents})",
    ]
    assert held(runner, index) == before and sum(before.values()) == records


def test_a_rebuild_without_paths_reads_the_recorded_sources_and_new_files_in_them(runner, archive, tmp_path,
                                                                                  expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    (archive / "sub").mkdir()
    text = MINUTES_2021_9.read_text("utf-8").replace("〔2021〕9号", "〔2021〕99号")
    (archive / "sub" / "new.txt").write_text(text, "utf-8")
    result = run(runner, "index", "--index", index, "--rebuild")
    records, documents = expected
    assert result.stdout.splitlines()[-1] == \
        f"rebuilt: {records + 7} records from {documents + 1} files (was {records} from {documents})"
    assert held(runner, index)["〔2021〕99号"] == 7


def test_a_rebuild_refuses_to_drop_documents_whose_files_are_gone(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    before = held(runner, index)
    (archive / TOPIC_MEETING).unlink()
    for args in (["--rebuild"], [MINUTES_2021_9, "--if-needed"]):
        if "--if-needed" in args:  # an outdated index is rebuilt under the same rule
            meta = index / "live" / "minutes-meta.json"
            meta.write_text(json.dumps(dict(json.loads(meta.read_text()), analyzer="old")))
        result = run(runner, "index", *args, "--index", index)
        assert result.exit_code == 1
        assert errors(result) == (
            f"Error: not rebuilt: 1 of the {expected[1]} documents in the index at {index} could not be read again:\n"
            f"  {archive / TOPIC_MEETING} (gone)\n"
            f"Restore them, index their new place (minutes index NEWPATH --index {index}), or add --prune to "
            "rebuild without them. The index is unchanged.\n")
    (index / "live" / "minutes-meta.json").write_text(json.dumps(indexer.store.schema.current_meta()))
    assert held(runner, index) == before
    read = []  # refused before reading a single file, not after a whole rebuild
    with pytest.raises(indexer.SourcesMissing):
        indexer.index_paths([], index, rebuild=True, on_file=read.append)
    assert read == []

    result = run(runner, "index", "--index", index, "--rebuild", "--prune")
    assert result.exit_code == 0
    records, documents = expected
    topic = before["〔2021〕3号"]
    assert result.stdout.splitlines() == [
        f"indexed {documents - 1}, unchanged 0, failed 0, pruned 1",
        f"rebuilt: {records - topic} records from {documents - 1} files (was {records} from {documents})",
    ]


def test_a_rebuild_refuses_to_drop_a_document_whose_file_now_fails(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    before = held(runner, index)
    (archive / TOPIC_MEETING).write_bytes(b"\x00\x01 no longer text")
    result = run(runner, "index", "--index", index, "--rebuild")
    assert result.exit_code == 1
    assert errors(result).startswith(
        f"Error: not rebuilt: 1 of the {expected[1]} documents in the index at {index} could not be read "
        f"again:\n  {archive / TOPIC_MEETING} (failed: binary file (contains NUL bytes), not text)\n")
    assert held(runner, index) == before
    assert not (index / ".rebuild").exists()


def test_a_copy_of_the_archive_is_recognised_not_failed(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    before = held(runner, index)
    copy = tmp_path / "copy"
    shutil.copytree(archive, copy)
    result = run(runner, "index", copy, "--index", index)
    assert result.exit_code == 0
    first = indexer.collect_files([archive])[0][0].name
    documents = expected[1]
    assert result.stdout.splitlines() == [
        f"already indexed: {documents} files have the same content as indexed files (e.g. {copy / first} is "
        f"indexed from {archive / first}); not indexed again",
        f"indexed 0, unchanged 0, failed 0, copies {documents}",
    ]
    assert errors(result) == ""
    assert held(runner, index) == before
    # The copy was not recorded as a source: a rebuild reads the archive only.
    rebuilt = run(runner, "index", "--index", index, "--rebuild")
    assert rebuilt.stdout.splitlines()[0] == f"indexed {documents}, unchanged 0, failed 0"


def test_a_moved_archive_is_relinked_and_prune_keeps_its_documents(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    before = held(runner, index)
    moved = tmp_path / "moved"
    archive.rename(moved)
    result = run(runner, "index", moved, "--index", index)
    assert result.exit_code == 0
    records, documents = expected
    assert result.stdout.splitlines() == [
        f"re-linked: {archive} → {moved} (the folder moved; its documents are kept as they are)",
        f"indexed 0, unchanged {documents}, failed 0",
    ]
    pruned = run(runner, "index", moved, "--index", index, "--prune")
    assert pruned.stdout.splitlines()[-1] == f"indexed 0, unchanged {documents}, failed 0, pruned 0"
    rebuilt = run(runner, "index", "--index", index, "--rebuild")
    assert rebuilt.stdout.splitlines()[-1] == \
        f"rebuilt: {records} records from {documents} files (was {records} from {documents})"
    assert held(runner, index) == before


def test_a_file_moved_inside_its_archive_is_moved_not_duplicated(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    before = held(runner, index)
    (archive / "2021").mkdir()
    (archive / TOPIC_MEETING).rename(archive / "2021" / TOPIC_MEETING)
    result = run(runner, "index", archive, "--index", index, "--prune")
    assert result.exit_code == 0
    documents = expected[1]
    assert result.stdout.splitlines() == [
        f"moved: {archive / TOPIC_MEETING} → {archive / '2021' / TOPIC_MEETING}",
        f"indexed 1, unchanged {documents - 1}, failed 0, moved 1, pruned 0",
    ]
    assert held(runner, index) == before
    with indexer.SearchIndex(index) as ix:  # stored under its root, as the audit page shows it
        doc_id = ix.lookup("〔2021〕3号")[0]
        assert ix.document(doc_id).source == f"2021/{TOPIC_MEETING}"


def test_same_bytes_twice_in_one_archive_is_still_a_duplicate(runner, archive, tmp_path):
    shutil.copy(archive / MINUTES_2021_9.name, archive / "again.txt")
    result = run(runner, "index", archive, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert f"failed: {archive / MINUTES_2021_9.name}: duplicate document: 〔2021〕9号 is already indexed from " \
           f"{archive / 'again.txt'}" in result.stderr


def test_a_run_without_paths_updates_from_the_recorded_sources(runner, archive, tmp_path, expected):
    index = tmp_path / "ix"
    run(runner, "index", archive, "--index", index)
    (archive / TOPIC_MEETING).write_text((archive / TOPIC_MEETING).read_text("utf-8") + "\n补充。", "utf-8")
    result = run(runner, "index", "--index", index)
    assert result.stdout.splitlines()[-1] == f"indexed 1, unchanged {expected[1] - 1}, failed 0"
    empty = run(runner, "index", "--index", tmp_path / "none")
    assert empty.exit_code == 1
    assert errors(empty) == f"Error: no index at {tmp_path / 'none'} yet: name the files or folders to index\n"
