"""Records: a document's agenda items as index records, and an item read back from its record."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from ..model import Document, Item, from_dict
from ..parse import numbers
from .schema import ITEM, PREAMBLE, PREAMBLE_TITLE, PREAMBLE_TITLES


@dataclass(frozen=True)
class Location:
    """Where a file is: its root's id and its path under the root (``/``-separated)."""

    root: str
    path: str

    @property
    def key(self) -> str:
        """One term naming the file in the index (to replace or delete its records)."""
        return f"{self.root}:{self.path}"


def document_records(doc: Document, location: Location) -> Iterable[dict]:
    # Items have records of their own; spans are kept inside them. (asdict of the whole
    # document would convert every item only to drop it: 6% of indexing time.)
    meta = asdict(replace(doc, items=(), text="", preamble_roles=(), preamble_topics=()))
    del meta["items"], meta["text"], meta["preamble_roles"], meta["preamble_topics"]  # in the preamble's record
    doc_meta = json.dumps(meta, ensure_ascii=False)
    common = dict(
        doc_id=doc.id, root=location.root, source=location.path, file=location.key, content_hash=doc.content_hash,
        doc_title=doc.title,
        doc_number=doc.doc_number, issuer=doc.issuer, doc_type=doc.doc_type, session=doc.session, meeting=doc.meeting,
        number_key=",".join(numbers.document_keys(doc.doc_number, doc.number_aliases, doc.number_year, doc.number_seq)),
        date=doc.date, year=doc.year, visibility=doc.visibility,
    )
    people = _people(doc)
    # Each record's characters begin with its document's issuer (unless the title names it) and title,
    # so a run of characters in them is found whatever jieba made of them: the issuer stands in the red
    # header, which is no record's body (中共山东省委保密委员会办公室 for 省委保密办 spelt out). The blank
    # lines keep phrases from running across the joins. The joins field reads the same text (see
    # indexer.store.analysis).
    head = "".join(f"{part}\n\n" for part in (doc.issuer if doc.issuer not in doc.title else "", doc.title) if part)
    if doc.preamble and doc.items[0].number:
        # The opening paragraph (who met, when, what was heard) is searchable too,
        # and carries the names of the people at the meeting.
        yield dict(
            common,
            id=f"{doc.id}#preamble",
            part=PREAMBLE,
            item_no=0,
            item_title=PREAMBLE_TITLES.get(doc.doc_type, PREAMBLE_TITLE),
            people=people,
            titles=doc.title,
            body=doc.preamble,
            body_bigram=f"{head}{doc.preamble}",
            body_joins=f"{head}{doc.preamble}",
            dept=",".join(r.name for r in doc.preamble_roles),
            topic=",".join(t.topic for t in doc.preamble_topics),
        )
        people = ""
    for n, item in enumerate(doc.items):
        yield dict(
            common,
            id=f"{doc.id}#item-{item.number}",
            part=ITEM,
            people=people if n == 0 else "",  # no preamble record: the first item carries them
            **({"doc_meta": doc_meta} if n == 0 else {}),  # the document's own fields, stored once
            item_no=item.number,
            item_title=item.title,
            body=item.text,
            body_bigram=f"{head}{item.text}",
            body_joins=f"{head}{item.text}",
            reviewed="\n".join(item.reviewed),
            titles="\n".join((doc.title, *item.reviewed)),
            dept=",".join(item.departments),
            dept_lead=",".join(item.leads),
            topic=",".join(item.topics),
            item_json=_compact_item(item),
        )


def _compact_item(item: Item) -> str:
    """The item as JSON without its texts: they are slices of the stored ``body``
    (see :func:`item_from_record`), so storing them again would triple the index."""
    data = asdict(item)
    del data["text"]
    for part in (*data["paragraphs"], *data["subpoints"], *(p for sp in data["subpoints"] for p in sp["points"])):
        del part["text"]
    return json.dumps(data, ensure_ascii=False)


def item_from_record(stored: dict) -> Item:
    """The :class:`Item` an index record holds."""
    data = json.loads(stored["item_json"])
    body, start = stored.get("body", ""), data["span"][0]

    def cut(span) -> str:
        return body[span[0] - start:span[1] - start].strip()

    data["text"] = body
    for part in (*data["paragraphs"], *data["subpoints"], *(p for sp in data["subpoints"] for p in sp["points"])):
        part["text"] = cut(part["span"])
    return from_dict(Item, data)


def _people(doc: Document) -> str:
    a = doc.attendance
    persons = [doc.chair_name, *a.present, *(p for unit in a.attending for p in unit.persons), *a.absent, a.recorder]
    return " ".join(p for p in persons if p)

