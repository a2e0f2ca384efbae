"""Writing the index: files in, documents indexed, with a report of what failed and why.

Files collected, read and parsed (in processes when many; :mod:`.documents`), the index
updated, rebuilt and committed in batches (:mod:`.indexing`), where each file came from
(:mod:`.sources`), uploads staged and committed from the browser (:mod:`.uploads`,
:mod:`.commit`), and the parse audit (:mod:`.audit`).
"""
