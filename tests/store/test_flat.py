"""The derived files a searcher maps instead of decoding Whoosh's (indexer/flat.py),
and the vocabulary written at commit (indexer/suggest.py).

Whoosh's own segment files are the truth: every term's postings and positions in
a ``.flat`` file must be exactly what Whoosh's blocks decode to, on every segment,
after updates, deletions and merges; a segment without a usable file is read
through Whoosh, and the next ``minutes index`` writes the file again.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import indexer
from indexer.store import flat, postings
from indexer.store.index import open_whoosh_index
from indexer.store.lifecycle import live_dir
from indexer.search.suggest import PREFIX as VOCABULARY_PREFIX
from indexer.search.suggest import Vocabulary, _entry_steps

from ..conftest import CORPUS
from ..corpus_gen import write_minutes


def _segments(index_dir: Path) -> list[str]:
    with open_whoosh_index(index_dir).searcher() as searcher:
        return [leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()]


def _flat_files(index_dir: Path) -> set[str]:
    return {p.name for p in live_dir(index_dir).glob(f"*{flat.SUFFIX}")}


def assert_flats_are_whooshs(index_dir: Path) -> int:
    """Every term of every segment: the mapped postings and positions (all, and for a
    subset of records) equal the decoded Whoosh blocks. Returns the terms checked."""
    checked = 0
    with open_whoosh_index(index_dir).searcher() as searcher:
        mapped = postings.Postings(searcher)
        assert mapped.mapped, "a segment has no usable .flat file"
        for (leaf, _), segment in zip(mapped._leaves, mapped._flats):
            wanted = np.zeros(leaf.doc_count_all(), dtype=bool)
            wanted[::3] = True
            for fieldname, btext in leaf.all_terms():
                row = segment.find(flat.term_key(fieldname, btext))
                assert row >= 0, (fieldname, btext)
                ids, weights = postings._read_leaf(leaf, fieldname, btext)
                got_ids, got_weights = segment.postings(row)
                assert np.array_equal(got_ids, ids), (fieldname, btext)
                assert np.array_equal(got_weights.astype(np.float64), weights), (fieldname, btext)
                if type(searcher.schema[fieldname].format).__name__ == "Positions":
                    assert np.array_equal(segment.positions(row),
                                          postings._leaf_positions(leaf, fieldname, btext, None)), (fieldname, btext)
                    part = postings._leaf_positions(leaf, fieldname, btext, wanted)
                    assert np.array_equal(segment.positions(row, wanted),
                                          part if part is not None else np.zeros(0, np.int64)), (fieldname, btext)
                checked += 1
            assert segment.find(flat.term_key("body", "不在索引里的词".encode())) == -1
    return checked


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The samples, then minutes added in two more commits and some replaced: several
    segments (some merged by Whoosh) and deleted records. Read-only: see ``grown_index``."""
    tmp_path = tmp_path_factory.mktemp("grown")
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(CORPUS, folder)
    indexer.index_paths([folder], index_dir)
    write_minutes(folder, 6)
    indexer.index_paths([folder], index_dir)
    write_minutes(folder, 3, start=1, marker="（修订）")  # replaces three documents: deletions
    write_minutes(folder, 2, start=50)
    indexer.index_paths([folder], index_dir)
    return folder, index_dir


@pytest.fixture
def grown_index(grown, tmp_path):
    """A copy of the grown index this test may change (its documents stay where they are)."""
    folder, index_dir = grown
    shutil.copytree(index_dir, tmp_path / "ix")
    return folder, tmp_path / "ix"


@pytest.mark.slow
def test_every_segment_has_a_flat_file_equal_to_whooshs_postings(grown):
    _, index_dir = grown
    segments = _segments(index_dir)
    assert {f"{s}{flat.SUFFIX}" for s in segments} == _flat_files(index_dir)  # merged-away segments' files are gone
    assert assert_flats_are_whooshs(index_dir) > 2000


def test_searches_are_the_same_with_and_without_the_flat_files(grown_index):
    _, index_dir = grown_index
    queries = ["电梯", "电梯 安全", '"由市发改委牵头"', "部门：市住建局 电梯", "主题：安全生产", "〔2019〕3号",
               '"原则，同意"', "电梯 OR 防汛", "-电梯 安全", ""]

    def answers():
        with indexer.SearchIndex(index_dir) as ix:
            return [(r.total, [h.id for h in r.hits], [h.score for h in r.hits], r.facets)
                    for r in (ix.search(indexer.SearchRequest(q=q)) for q in queries)]

    mapped = answers()
    away = index_dir.parent / "away"
    away.mkdir()
    for name in _flat_files(index_dir):
        shutil.move(live_dir(index_dir) / name, away / name)
    with open_whoosh_index(index_dir).searcher() as searcher:
        assert not postings.Postings(searcher).mapped
    assert answers() == mapped
    assert any(total for total, *_ in mapped)


@pytest.mark.parametrize("damage", ["missing", "truncated", "other format", "garbage"])
def test_a_missing_or_damaged_flat_file_is_read_through_whoosh_then_written_again(grown_index, damage):
    folder, index_dir = grown_index
    target = live_dir(index_dir) / sorted(_flat_files(index_dir))[0]
    written_at_commit = target.read_bytes()
    if damage == "missing":
        target.unlink()
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[:len(target.read_bytes()) // 2])
    elif damage == "other format":
        raw = target.read_bytes()
        target.write_bytes(raw.replace(f'"format": {flat.FORMAT}'.encode(), f'"format": {flat.FORMAT + 1}'.encode(), 1))
    else:
        target.write_bytes(b"not a flat file at all")
    with open_whoosh_index(index_dir).searcher() as searcher:
        assert not postings.Postings(searcher).mapped
    with indexer.SearchIndex(index_dir) as ix:
        assert ix.search(indexer.SearchRequest(q="电梯")).total > 0
    report = indexer.index_paths([folder], index_dir)  # nothing changed: only the derived files
    assert not report.indexed
    assert target.read_bytes() == written_at_commit  # decoded from Whoosh's blocks, the same file as captured


@pytest.mark.slow
def test_an_index_written_without_flat_files_gets_them_from_minutes_index(tmp_path, monkeypatch):
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(CORPUS, folder)
    monkeypatch.setattr(indexer.store.index, "FlatCodec", lambda: None)  # Whoosh's default codec: no .flat files
    monkeypatch.setattr(indexer.ingest.indexing, "write_missing_flats", lambda searcher: 0)
    indexer.index_paths([folder], index_dir)
    assert not _flat_files(index_dir)
    monkeypatch.undo()
    indexer.index_paths([folder], index_dir)
    assert len(_flat_files(index_dir)) == len(_segments(index_dir))
    assert assert_flats_are_whooshs(index_dir) > 1000


def test_narrow_types_hold_the_values_exactly():
    for values in (np.array([0, 1, 255]), np.array([0, 70000]), np.array([3.0, 2.0]), np.array([0.3, 1.0]),
                   np.array([2 ** 40]), np.zeros(0)):
        narrow = flat._narrow(values)
        assert narrow.itemsize <= max(values.itemsize, 1)
        assert np.array_equal(narrow.astype(values.dtype), values)
    assert flat._narrow(np.array([0, 255])).dtype == np.uint8
    assert flat._narrow(np.array([1.0, 7.0])).dtype == np.uint8


def test_the_vocabulary_is_written_at_commit_and_loaded_as_built(grown):
    _, index_dir = grown
    files = list(live_dir(index_dir).glob(f"{VOCABULARY_PREFIX}*.json"))
    assert len(files) == 1  # older states' files are dropped
    with open_whoosh_index(index_dir).searcher() as searcher:
        labels, built = _run(_entry_steps(searcher))
        steps = Vocabulary.steps(searcher, lambda q, deadline: True, live_dir(index_dir))
        loaded = _run(steps, count=True)
    assert loaded[1] == 0  # no build step: read from the file
    assert list(loaded[0]._entries.items()) == list(built.items())  # same entries, same order
    assert loaded[0]._labels == labels
    data = json.loads(files[0].read_text("utf-8"))
    assert len(data["entries"]) == len(built) > 100


def test_a_vocabulary_file_of_another_state_is_not_used(grown_index):
    folder, index_dir = grown_index
    path = next(live_dir(index_dir).glob(f"{VOCABULARY_PREFIX}*.json"))
    data = json.loads(path.read_text("utf-8"))
    data["identity"] = ["another state"]
    data["entries"] = [["假词条", "假词条", "term", 99, [99] * len(data["labels"])]]
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with indexer.SearchIndex(index_dir) as ix:
        values = [s.value for s in ix.suggest("假词")]
    assert "假词条" not in values
    indexer.index_paths([folder], index_dir)  # writes it again
    assert json.loads(path.read_text("utf-8"))["identity"] != ["another state"]


def _run(steps, count: bool = False):
    n = 0
    while True:
        try:
            next(steps)
            n += 1
        except StopIteration as stop:
            return (stop.value, n) if count else stop.value
