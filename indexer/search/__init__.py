"""Answering queries: a request in, hits and facet counts out, as plain data.

The query language (:mod:`.query`), its evaluation as bitsets (:mod:`.matching`) over one
searcher's :class:`Snapshot` (:mod:`.snapshot`, :mod:`.tables`), BM25F in numpy
(:mod:`.scoring`), the order of hits (:mod:`.ranking`), facet filters and counts
(:mod:`.facets`), snippets (:mod:`.highlight`), suggestions and corrections (:mod:`.suggest`)
and the drafting aid (:mod:`.draft`). :func:`evaluate` (:mod:`.evaluation`) matches a request
once; everything a page shows is derived from that one match.
"""
