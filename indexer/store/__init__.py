"""What is written to disk: the Whoosh index of record and the arrays derived from it.

Analysis (:mod:`.segmenter`: jieba and its word table, :mod:`.wordtable`; :mod:`.analysis`:
the tokenizers as Whoosh analyzers), the schema and its fingerprint (:mod:`.schema`), a
document as records and back (:mod:`.records`), the index opened, created and checked
(:mod:`.index`), its folder, locks and atomic swap (:mod:`.lifecycle`), and the numpy path
that reads Whoosh's files: posting lists as arrays (:mod:`.postings`), mapped flat postings
(:mod:`.flat`) in files of named arrays (:mod:`.arrays`). Everything derived can be rebuilt
from the Whoosh index alone.
"""
from __future__ import annotations

from .analysis import JOIN_MARK, bigrams, join_terms, phrase_bigrams, words
from .arrays import read_arrays, write_arrays
from .index import create_index, index_state, open_whoosh_index, open_writer, warm_up
from .lifecycle import (
    cache_dir,
    clear_scratch,
    crash_point,
    default_index_dir,
    file_lock,
    folder_identity,
    index_location,
    live_dir,
    scratch_dir,
    swap_in,
    writer_lock,
)
from .postings import Postings, write_missing_flats
from .records import Location, document_records, item_from_record
from .schema import FACET_FIELDS, PREAMBLE, record_rules, recorded_rules
from .segmenter import fold, use_cache_folder, use_fast_segmenter, with_keywords

__all__ = [
    "FACET_FIELDS", "JOIN_MARK", "Location", "PREAMBLE", "Postings", "bigrams", "cache_dir", "clear_scratch",
    "crash_point", "create_index", "default_index_dir", "document_records", "file_lock", "fold",
    "folder_identity", "index_location", "index_state", "item_from_record", "join_terms", "live_dir",
    "open_whoosh_index", "open_writer", "phrase_bigrams", "read_arrays", "record_rules", "recorded_rules",
    "scratch_dir", "swap_in", "use_cache_folder", "use_fast_segmenter", "warm_up", "with_keywords", "words",
    "write_arrays", "write_missing_flats", "writer_lock",
]
