"""Text into documents: a :class:`~indexer.model.Document` with its head, items, sub-points,
departments and their roles, attendance and references.

:func:`parse_file` and :func:`parse_text` (:mod:`.document`) are the door; the head
(:mod:`.header`, :mod:`.reflow`), the body's tree (:mod:`.sections`), who was there
(:mod:`.attendance`), who does what (:mod:`.roles`, with the departments and topics of
:mod:`.gazetteer`), document numbers as keys (:mod:`.numbers`), what a document cites
(:mod:`.references`), the short names it defines (:mod:`.abbreviations`) and what it says of the
force of documents — repeals, revisions, terms (:mod:`.validity`) — are its rooms. Pure text work: no Whoosh, no jieba.
"""
from __future__ import annotations

from .abbreviations import Definition, definitions
from .document import parse_file, parse_text
from .gazetteer import CITY, COUNTY, PROVINCE, STATE, canonical_department
from .references import (
    MEETING,
    NUMBER,
    TITLE,
    Citation,
    Registry,
    cited,
    normalize_title,
    resolve,
)
from .roles import department_roles

from .validity import (
    CONFIRMED,
    EXPIRED,
    REPEALED,
    REVISED,
    SELF,
    TERM,
    Statement,
    statements,
    years_after,
)

__all__ = [
    "CITY", "CONFIRMED", "COUNTY", "EXPIRED", "MEETING", "NUMBER", "PROVINCE", "REPEALED", "REVISED", "SELF",
    "STATE", "TERM", "TITLE", "Citation", "Definition", "Registry", "Statement", "canonical_department",
    "cited", "definitions", "department_roles", "normalize_title", "parse_file", "parse_text", "resolve",
    "statements", "years_after",
]
