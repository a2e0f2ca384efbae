"""Faster indexing writes the same index: every term's postings (records, weights, positions),
field lengths and stored fields, whichever segmenter, process count or order of runs."""
from __future__ import annotations

import shutil

import pytest
from whoosh import index as whoosh_index

import indexer
from indexer.store import segmenter
from indexer.ingest import indexing
from indexer.store.lifecycle import live_dir

from ..conftest import CORPUS

pytestmark = pytest.mark.slow  # the samples indexed afresh and run by run, in one and two processes


def index_contents(index_dir) -> dict:
    """Everything a search reads from the index, by record id (document numbers depend on the
    order records were written in)."""
    ix = whoosh_index.open_dir(str(live_dir(index_dir)))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {n: stored["id"] for n, stored in reader.iter_docs()}
        postings = {}
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            found = []
            while m.is_active():
                found.append((ids[m.id()], m.weight(), m.value()))
                m.next()
            postings[field, term] = sorted(found)
        lengths = {(ids[n], f): reader.doc_field_length(n, f) for n in ids for f in reader.schema.scorable_names()}
        stored = {stored["id"]: stored for _, stored in reader.iter_docs()}
    ix.close()
    return {"postings": postings, "lengths": lengths, "stored": stored}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    """The samples indexed in one process with jieba alone: the way indexing always worked."""
    path = tmp_path_factory.mktemp("reference")
    mp = pytest.MonkeyPatch()
    mp.setattr(indexing, "use_fast_segmenter", lambda: segmenter.use_fast_segmenter(False))
    segmenter.cut_words.cache_clear()
    try:
        assert indexer.index_paths([CORPUS], path, procs=1).failed == ()
    finally:
        mp.undo()
        segmenter.cut_words.cache_clear()
    return index_contents(path)


@pytest.fixture
def parallel_always(monkeypatch):
    """Processes for a handful of files too, so the samples take the paths a large corpus takes."""
    monkeypatch.setattr(indexing, "PARALLEL_PARSE_MIN", 1)


@pytest.mark.parametrize("procs", [1, 2])
def test_fresh_build_is_the_reference(reference, tmp_path, procs, parallel_always):
    assert indexer.index_paths([CORPUS], tmp_path / "ix", procs=procs).failed == ()
    assert index_contents(tmp_path / "ix") == reference


@pytest.mark.parametrize("procs", [1, 2])
def test_incremental_runs_give_the_reference(reference, tmp_path, procs, parallel_always):
    """Half the files, then all of them (the first half unchanged, the rest added)."""
    files = sorted(CORPUS.iterdir())
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in files[: len(files) // 2]:
        shutil.copy(f, folder)
    assert indexer.index_paths([folder], tmp_path / "ix", procs=procs).failed == ()
    for f in files[len(files) // 2:]:
        shutil.copy(f, folder)
    report = indexer.index_paths([folder], tmp_path / "ix", procs=procs)
    assert len(report.indexed) == len(files) - len(files) // 2
    contents = index_contents(tmp_path / "ix")
    assert without_place(contents) == without_place(reference)


def without_place(contents: dict) -> dict:
    """The contents less where the files are (the copies' folder is another root)."""
    return {
        "postings": {k: v for k, v in contents["postings"].items() if k[0] not in ("file", "root", "source")},
        "lengths": contents["lengths"],
        "stored": {i: {k: v for k, v in s.items() if k not in ("root", "source")} for i, s in contents["stored"].items()},
    }
