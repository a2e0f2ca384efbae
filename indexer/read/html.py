"""Government web pages (main text only) and law-database Markdown into text."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ..patterns import CJK, DISCLOSURE_LABEL

_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source", "wbr", "param"}


_DROP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select", "button",
         "iframe", "head", "template", "svg"}


_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
          "table", "ul", "ol", "dd", "dt", "pre", "blockquote", "center", "td", "font"}


_CONTENT_HINT = re.compile(r"article|content|zoom|trs_editor|main|detail|text|zw|con\b", re.I)


_CJK_CHAR = re.compile(rf"[{CJK}]")


# A box of disclosure metadata (索引号, 发布机构, 生成日期 …), often a table above the content container.
_DISCLOSURE = re.compile(rf"(?:^|\n)\s*(?:{DISCLOSURE_LABEL})\s*(?:[：:]|\n)")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []

    def text(self) -> str:
        parts: list[str] = []
        self._collect(parts)
        return "".join(parts)

    def _collect(self, parts: list[str]) -> None:
        block = self.tag in _BLOCK
        if block:
            parts.append("\n")
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._collect(parts)
        if block:
            parts.append("\n")

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    """A forgiving DOM: unclosed and stray tags never fail, dropped tags vanish."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP:
            if tag not in _VOID:
                self.dropping += 1
            return
        if self.dropping:
            return
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.dropping:
            self.stack[-1].children.append(data)


def html_text(markup: str) -> str:
    """The main text of a page: navigation, scripts and chrome dropped; the
    content container (article, main, or a div whose id/class says content)
    preferred when it holds most of the page's Chinese text."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    root = builder.root
    total = _prose(root)
    best, best_count = root, total
    for node in root.walk():
        hint = node.tag in ("article", "main") or _CONTENT_HINT.search(
            node.attrs.get("id", "") + " " + node.attrs.get("class", ""))
        if node is root or not hint:
            continue
        count = _prose(node)
        if count >= 0.5 * total and (best is root or count <= best_count):
            best, best_count = node, count  # the smallest container that holds most of the text
    text = best.text()
    if best is not root:
        # The title often stands in a heading outside the content container.
        # Only headings above the container (a related-documents box below it has its own), each once
        # (a container before what it contains: an <h1> in a title box is not added again), and not
        # the container's own first line.
        headings: list[str] = []
        for node in root.walk():
            if node is best:
                break
            if _is_heading(node) and not _contains(node, best):
                heading = node.text().strip()
                if heading and not text.lstrip().startswith(heading) and not any(heading in h for h in headings):
                    headings.append(heading)
        text = "\n".join(headings + _disclosure_boxes(root, best)) + "\n" + text
    return text


def _disclosure_boxes(root: _Node, best: _Node) -> list[str]:
    """The text of the boxes above the content container that hold disclosure metadata (at least
    two fields), outermost first and each once: indexer.parse.page reads them."""
    boxes: list[str] = []
    inside: list[_Node] = []
    for node in root.walk():
        if node is best:
            break
        if node.tag not in ("table", "div", "dl", "ul", "section") or any(_contains(b, node) for b in inside) \
                or _contains(node, best):
            continue
        text = node.text()
        if len(_DISCLOSURE.findall(text)) >= 2:
            boxes.append(text.strip())
            inside.append(node)
    return boxes


def _prose(node: _Node) -> int:
    """Chinese characters of the node's text outside links: a list of related documents'
    titles beside a short text is links, and must not outweigh it."""
    count = 0
    for child in node.children:
        if isinstance(child, str):
            count += len(_CJK_CHAR.findall(child))
        elif child.tag != "a":
            count += _prose(child)
    return count


def _is_heading(node: _Node) -> bool:
    return node.tag in ("h1", "h2", "h3") or "title" in (node.attrs.get("class", "") + node.attrs.get("id", "")).lower()


def _contains(container: _Node, node: _Node) -> bool:
    return any(n is node for n in container.walk())


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)


_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


_MD_QUOTE_OR_LIST = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+(?=\S))")


_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")


def markdown_text(markup: str) -> str:
    """Markdown as laws databases write it (``# title``, header lines, an
    ``<!-- INFO END -->`` marker, ``##`` chapters): the markup stripped, one
    line per line, so headings and header lines keep their own lines."""
    markup = _MD_COMMENT.sub("\n", markup)
    lines = []
    for line in markup.split("\n"):
        if _MD_RULE.match(line):
            lines.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _MD_QUOTE_OR_LIST.sub("", line)
        line = _MD_LINK.sub(lambda m: m.group(1), line)
        line = _MD_EMPHASIS.sub(lambda m: m.group(2), line)
        lines.append(line.replace("\\", ""))
    return "\n".join(lines)
