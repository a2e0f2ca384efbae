"""The Whoosh schema: one record per agenda item, carrying its document's metadata.

Field names are the project's vocabulary: the same word is the facet, the URL
parameter, the CLI option and the JSON key (``dept``, ``topic``, ``meeting``,
``year``, ``doc_type``).

A small JSON file in the index records the schema version and the
analyzer's fingerprint; :func:`check_meta` reports an index built with other
settings as outdated instead of searching it with a mismatched analyzer.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import fields, formats

from ..errors import IndexOutdated
from . import analysis, segmenter

SCHEMA_VERSION = 14
META_FILE = "minutes-meta.json"

# A record is an agenda item, or the preamble of a document that has items.
ITEM, PREAMBLE = "item", "preamble"
PREAMBLE_TITLES = {"会议纪要": "会议概况"}  # the preamble of other documents is their 导语
PREAMBLE_TITLE = "导语"

# Multi-valued facet fields hold their values joined by this separator.
FACET_FIELDS = ("dept", "topic", "meeting", "year", "doc_type")


def build_schema() -> fields.Schema:
    word = analysis.word_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),  # "<doc_id>#item-<n>" or "<doc_id>#preamble"
        part=fields.ID(stored=True),  # item or preamble
        doc_id=fields.ID(stored=True),
        # Where the file is (see indexer.ingest.sources): its source root's id, its path under the root,
        # and both as one term to replace or delete the file's records by.
        root=fields.ID(stored=True),
        source=fields.ID(stored=True),
        file=fields.ID,
        content_hash=fields.ID(stored=True),
        doc_title=fields.TEXT(analyzer=word, stored=True, field_boost=0.3),  # every record has it: weak
        doc_number=fields.ID(stored=True),
        issuer=fields.ID(stored=True),  # for citations of documents without a number
        # Every spelling a number is looked up by, one term each (see indexer.parse.numbers): 示府发〔2021〕20号
        # and, without its issuer, 〔2021〕20号; a decree's 国务院令第706号 and its aliases (国令第706号).
        number_key=fields.KEYWORD(commas=True),
        doc_type=fields.ID(stored=True),
        session=fields.ID(stored=True),
        meeting=fields.ID(stored=True),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(stored=True),
        item_no=fields.NUMERIC(stored=True, sortable=True),
        item_title=fields.TEXT(analyzer=word, stored=True, field_boost=3.0),
        body=fields.TEXT(analyzer=word, stored=True, phrase=True),
        body_bigram=fields.TEXT(analyzer=analysis.bigram_analyzer(), phrase=True),
        # The bigrams that join characters across punctuation, as halves at body_bigram's positions
        # (see indexer.store.analysis): a quoted phrase finds each of its bigrams in either field.
        body_joins=fields.FieldType(formats.Positions(), analysis.join_analyzer(), scorable=False),
        reviewed=fields.TEXT(analyzer=word, stored=True, field_boost=2.0),  # 《…》 titles the item names
        people=fields.TEXT(analyzer=word),  # chair, 出席, 列席 persons, 请假, 记录: on the preamble record
        # The document's title and the 《…》 titles the item names, whole, one term each: the
        # suggestions' vocabulary reads them from the lexicon instead of every stored record.
        titles=fields.TEXT(analyzer=analysis.line_analyzer(), phrase=False),
        dept=fields.KEYWORD(stored=True, commas=True, scorable=False),
        dept_lead=fields.KEYWORD(stored=True, commas=True, scorable=False),
        topic=fields.KEYWORD(stored=True, commas=True, scorable=False),
        # Who may read the document (see indexer.visibility): public, internal or a group's name.
        visibility=fields.ID(stored=True),
        # The whole item and the document's other parts, as JSON, for the reading view.
        item_json=fields.STORED,
        doc_meta=fields.STORED,
    )


def current_meta() -> dict:
    return {"schema_version": SCHEMA_VERSION, "analyzer": segmenter.fingerprint()}


def write_meta(index_dir: Path) -> None:
    (index_dir / META_FILE).write_text(json.dumps(current_meta(), indent=2) + "\n", "utf-8")


RULES_KEY = "visibility_rules"  # the fingerprint of the visibility file every label was decided by


def recorded_rules(data_dir: Path) -> str:
    """The fingerprint of the visibility rules the index's labels agree with ("" if none recorded)."""
    try:
        return str(json.loads((data_dir / META_FILE).read_text("utf-8")).get(RULES_KEY, ""))
    except (OSError, ValueError, AttributeError):
        return ""


def record_rules(data_dir: Path, fingerprint: str) -> None:
    """Note in the meta file that every label agrees with these rules (written whole, then renamed)."""
    path = data_dir / META_FILE
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        meta = current_meta()
    meta[RULES_KEY] = fingerprint
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    os.replace(scratch, path)


def check_meta(data_dir: Path, index_dir: Path | None = None) -> None:
    """Raise :class:`IndexOutdated` (naming ``index_dir``, the folder users know) unless the
    index in ``data_dir`` was built with today's settings."""
    path, shown = data_dir / META_FILE, str(index_dir or data_dir)
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        raise IndexOutdated(shown, f"{META_FILE} is missing or unreadable") from None
    want = current_meta()
    if meta.get("schema_version") != want["schema_version"]:
        raise IndexOutdated(shown, f"schema version {meta.get('schema_version')}, expected {want['schema_version']}")
    if meta.get("analyzer") != want["analyzer"]:
        raise IndexOutdated(shown, "built with a different analyzer or dictionary")
