"""Text into what a page shows: highlighted fragments as safe HTML, and quotations to copy.

The only markup the pages take from data is :func:`indexer.fragment_markup`'s: the text
HTML-escaped, with ``<mark>`` around the highlights and no other tag.
"""
from __future__ import annotations

from markupsafe import Markup

import indexer


def fragment_html(fragment: indexer.Fragment) -> Markup:
    """Escaped text with our own ``<mark>`` tags and nothing else (:func:`indexer.fragment_markup`)."""
    return Markup(indexer.fragment_markup(fragment))


def snippet_html(fragments: tuple[indexer.Fragment, ...]) -> Markup:
    return Markup(indexer.snippet_markup(fragments))


def quoted(text: str, citation: str) -> str:
    """The text to paste when quoting: the wording in quotation marks, then its citation."""
    return f"“{text.strip()}”（{citation}）"
