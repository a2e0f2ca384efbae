"""Minutes in traditional characters, parsed through their simplified shadow.

The parser's patterns (会议纪要, 常务会议, 主持, 区政府 …), the gazetteer and the closing labels are
written in simplified characters. Rather than doubling each of them, a traditional text is parsed
as :func:`indexer.hanzi.simplified` reads it: the same text, character for character, in simplified
(the *shadow*). Normalizing and reflowing the shadow only drops or inserts spaces, punctuation and
line breaks, so the original's characters can be put back into the normalized shadow one for one
(:func:`indexer.hanzi.unfold`), and every span the parser found in the shadow cuts the original.

What is put back, and why the rest is not. The text a reader sees is the original: the document's
``text`` (which every span points into), its title and preamble, and each item's title, text,
sub-points, points and paragraphs (the stored record's ``body``, so snippets and the reading view
show and mark the characters as published). What the parser *recognised* stays simplified, as the
gazetteer and the patterns name it: session, meeting kind, chair, issuer, departments and their
roles, topics, attendance, the 《》 titles an item reviews. Those are facet values, lookup keys and
citation parts: a traditional mirror of a meeting and its simplified original must fall under the
same 区财政局 and the same 第十二次常务会议. The document's id and, without a file's hash, its
content hash are the shadow's too, so a traditional mirror of a document is that document.
"""
from __future__ import annotations

from dataclasses import replace

from ..hanzi import unfold
from ..model import Document, Item


def with_original(doc: Document, raw: str) -> Document:
    """``doc``, parsed from ``simplified(raw)``, with its display text taken from ``raw``."""
    text = unfold(doc.text, raw)
    if text == doc.text:
        return doc
    shadow = doc.text

    def back(piece: str, span: tuple[int, int] = (0, 0)) -> str:
        """The original of ``piece``, a slice of the shadow (inside ``span`` if given) that may end
        in an ellipsis the parser added; ``piece`` itself if it is no slice."""
        core = piece[:-1] if piece.endswith("…") else piece
        at = shadow.find(core, *span) if span != (0, 0) else -1
        at = shadow.find(core) if at < 0 else at
        return text[at:at + len(core)] + piece[len(core):] if core and at >= 0 else piece

    def item(it: Item) -> Item:
        return replace(
            it, title=back(it.title, it.span), text=back(it.text, it.span),
            subpoints=tuple(replace(sp, text=back(sp.text, sp.span), points=tuple(
                replace(p, text=back(p.text, p.span)) for p in sp.points)) for sp in it.subpoints),
            paragraphs=tuple(replace(p, text=back(p.text, p.span)) for p in it.paragraphs),
        )

    return replace(doc, text=text, title=back(doc.title), preamble=back(doc.preamble, doc.preamble_span),
                   items=tuple(item(it) for it in doc.items))
