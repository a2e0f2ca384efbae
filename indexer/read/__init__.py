"""Files into text (the first layer): one reader per file type, chosen by suffix.

Plain text in any encoding (:mod:`.text`), web pages and law-database Markdown (:mod:`.html`),
.docx (:mod:`.docx`), legacy .doc/.wps (:mod:`.doc`), OFD (:mod:`.ofd`), PDF (:mod:`.pdf`) and
scans, recognised by OCR when the ``ocr`` extra is installed (:mod:`.ocr`). :func:`read_file`
(:mod:`.files`) is the door: every failure is a :class:`~indexer.errors.ParseError` naming the
file and the reason. Nothing here knows what a document means.
"""
