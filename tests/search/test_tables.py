"""Facet table and date orders written at indexing time, loaded by searchers."""
from __future__ import annotations

import indexer
from indexer.store.index import open_whoosh_index
from indexer.store.lifecycle import live_dir
from indexer.store.postings import Postings
from indexer.search import tables
from indexer.store.arrays import read_arrays, write_arrays
from indexer.search.tables import Tables

from ..conftest import CORPUS
from ..corpus_gen import two_segment_index


def same(a: Tables, b: Tables) -> None:
    assert a.facets.size == b.facets.size and a.facets.live == b.facets.live
    assert a.newest.tolist() == b.newest.tolist() and a.oldest.tolist() == b.oldest.tolist()
    for name, facet in a.facets.facets.items():
        other = b.facets.facets[name]
        assert facet.values == other.values
        assert facet.records.tolist() == other.records.tolist() and facet.codes.tolist() == other.codes.tolist()
        assert facet.starts.tolist() == other.starts.tolist()
        assert (facet.bits is None) == (other.bits is None)
        assert facet.bits is None or facet.bits.tolist() == other.bits.tolist()


def test_indexing_writes_tables_that_searchers_load(tmp_path):
    _, index_dir = two_segment_index(tmp_path)
    live = live_dir(index_dir)
    files = list(live.glob("tables-*.arrays"))
    assert len(files) == 1  # the older generation's file is gone
    with open_whoosh_index(index_dir).searcher() as searcher:
        loaded = Tables.load(live, searcher)
        assert loaded is not None
        same(loaded, Tables.build(Postings(searcher)))
        dates = [searcher.stored_fields(d).get("date", "") for d in loaded.newest.tolist()]
        assert dates == sorted(dates, key=lambda d: (d != "", [-ord(c) for c in d]))  # newest first


def test_stale_or_damaged_tables_are_not_used(tmp_path):
    index_dir = tmp_path / "ix"
    indexer.index_paths([CORPUS], index_dir)
    live = live_dir(index_dir)
    path = next(live.glob("tables-*.arrays"))
    with open_whoosh_index(index_dir).searcher() as searcher:
        path.write_bytes(b"not a table")
        assert Tables.load(live, searcher) is None
        built = Tables.build(Postings(searcher))
        meta, arrays = read_arrays(built.save(live, searcher), tables.MAGIC)
        assert Tables.load(live, searcher) is not None
        write_arrays(path, tables.MAGIC, {**meta, "identity": ["another segment", "1"]}, arrays)
        assert Tables.load(live, searcher) is None
        write_arrays(path, tables.MAGIC, {**meta, "format": tables.FORMAT - 1}, arrays)
        assert Tables.load(live, searcher) is None
    with indexer.SearchIndex(index_dir) as ix:  # a searcher without a usable file builds its own
        assert ix.search(indexer.SearchRequest(q="电梯")).total > 0
