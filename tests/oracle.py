"""What the index should answer, computed from the parsed documents alone.

Tests compare each edge (the JSON API, the HTML pages, the command line, the CSV
export) with these records instead of with each other: the edges share their
presenters, so comparing them proves little. Everything here is derived from
:func:`indexer.read_document` output and written out by hand (citations, record
ids, facet counts), never through the search path or the presenters.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from indexer import FACET_FIELDS, Document, Item
from indexer.parse.gazetteer import find_topics
from indexer.parse.roles import department_roles

_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """5 → 五, 12 → 十二, 21 → 二十一 (item and sub-point numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def cn_date(iso: str) -> str:
    parts = [int(p) for p in iso.split("-") if p]
    return "".join(f"{p}{unit}" for p, unit in zip(parts, "年月日"))


def citation(doc: Document, item_no: int = 0, subpoint: int = 0) -> str:
    """As docs/search.md writes them: 《title》（number）第五项第（一）点; a document without a
    number is named by issuer and date."""
    if doc.doc_number:
        source = f"（{doc.doc_number}）"
    else:
        source = "（" + "，".join(p for p in (doc.issuer, cn_date(doc.date)) if p) + "）" if doc.issuer or doc.date else ""
    label = f"第{cn_number(item_no)}项" if item_no else ""
    if item_no and subpoint:
        label += f"第（{cn_number(subpoint)}）点"
    return f"《{doc.title}》{source}{label}"


@dataclass(frozen=True)
class Record:
    """One index record (an agenda item, or the preamble of a document with items) as
    the parser made it."""

    id: str
    doc: Document
    item: Item | None  # None: the preamble
    text: str  # what a phrase is looked for in: the document's title, then the item's text
    titles: str  # item title, document title, reviewed titles
    facets: dict[str, tuple[str, ...]] = field(compare=False)

    @property
    def part(self) -> str:
        return "item" if self.item else "preamble"

    @property
    def item_no(self) -> int:
        return self.item.number if self.item else 0

    @property
    def item_title(self) -> str:
        if self.item:
            return self.item.title
        return "会议概况" if self.doc.doc_type == "会议纪要" else "导语"  # minutes say who met; others lead in

    @property
    def citation(self) -> str:
        return citation(self.doc, self.item_no)

    @property
    def url(self) -> str:
        """Its place in the reading view, as issue 2 wrote it: /doc/<doc_id>#item-<n>, or #preamble."""
        return f"/doc/{self.doc.id}#" + (f"item-{self.item_no}" if self.item else "preamble")

    def hit_fields(self) -> dict:
        """The fields of a search hit, as /api/search names them (snippet and score aside)."""
        return {"id": self.id, "doc_id": self.doc.id, "doc_title": self.doc.title, "doc_number": self.doc.doc_number,
                "doc_type": self.doc.doc_type, "date": self.doc.date, "item_no": self.item_no,
                "item_title": self.item_title, "citation": self.citation,
                "part": self.part, "dept": list(self.facets["dept"]), "topic": list(self.facets["topic"]),
                # No sample says anything of a document's force (no 废止, 失效 or 修订 in samples/corpus):
                # every document is 未见废止 (tests/analytics/test_validity.py tests the labels).
                "validity": self.facets["validity"][0]}

    def contains(self, phrase: str) -> bool:
        return phrase in self.text or phrase in self.titles


def records(docs: dict[str, Document]) -> dict[str, Record]:
    """Every record of the parsed documents, by record id."""
    out = {}
    for d in docs.values():
        common = {"meeting": (d.meeting,) if d.meeting else (), "year": (d.year,) if d.year else (),
                  "doc_type": (d.doc_type,), "validity": ("未见废止",)}  # (see hit_fields)
        for item in d.items:
            rid = f"{d.id}#item-{item.number}"
            out[rid] = Record(rid, d, item, f"{d.title}。{item.text}", item.title + d.title + "".join(item.reviewed),
                              dict(common, dept=item.departments, topic=item.topics))
        if d.preamble and d.items[0].number:
            rid = f"{d.id}#preamble"
            facets = dict(common, dept=tuple(dict.fromkeys(r.name for r in department_roles(d.preamble))),
                          topic=tuple(dict.fromkeys(t.topic for t in find_topics(d.preamble))))
            out[rid] = Record(rid, d, None, f"{d.title}。{d.preamble}", d.title, facets)
    return out


PARAMS = {"type": "doc_type"}  # URL parameter → facet name, where they differ


def matching(recs: dict[str, Record], phrase: str) -> dict[str, Record]:
    return {rid: r for rid, r in recs.items() if r.contains(phrase)}


def filtered(found: dict[str, Record], filters: dict[str, tuple[str, ...]], skip: str = "") -> dict[str, Record]:
    """The records that pass the filters (values of one OR-ed, filters AND-ed), one facet left out."""
    wanted = {PARAMS.get(k, k): set(v) for k, v in filters.items()}
    return {rid: r for rid, r in found.items()
            if all(set(r.facets[name]) & values for name, values in wanted.items() if name != skip)}


def facet_counts(found: dict[str, Record], filters: dict[str, tuple[str, ...]]) -> dict[str, dict[str, int]]:
    """Disjunctive counts: a value's count is what selecting it would add to the other filters."""
    return {name: dict(Counter(v for r in filtered(found, filters, skip=name).values() for v in r.facets[name]))
            for name in (*FACET_FIELDS, "validity")}


def oldest_first(found: dict[str, Record]) -> list[str]:
    """Record ids by date, then item number (the preamble first); samples have one document per date."""
    return sorted(found, key=lambda rid: (found[rid].doc.date, found[rid].item_no))
