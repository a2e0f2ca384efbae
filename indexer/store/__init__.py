"""What is written to disk: the Whoosh index of record and the arrays derived from it.

Analysis (:mod:`.segmenter`: jieba and its word table, :mod:`.wordtable`; :mod:`.analysis`:
the tokenizers as Whoosh analyzers), the schema and its fingerprint (:mod:`.schema`), a
document as records and back (:mod:`.records`), the index opened, created and checked
(:mod:`.index`), its folder, locks and atomic swap (:mod:`.lifecycle`), and the numpy path
that reads Whoosh's files: posting lists as arrays (:mod:`.postings`), mapped flat postings
(:mod:`.flat`) in files of named arrays (:mod:`.arrays`). Everything derived can be rebuilt
from the Whoosh index alone.
"""
