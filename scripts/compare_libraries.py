"""Our hand-written readers against well-kept libraries (issue 16, item 4), on the real
corpus (read in place) and on variants generated from it and from the samples.

    .venv/bin/pip install -e '.[test,compare]'
    .venv/bin/python scripts/compare_libraries.py [--corpus ../shared/corpus]

Prints one Markdown table per component (docs/parsing.md and docs/performance.md give the results):

- HTML main text: ours (indexer.html.html_text) vs trafilatura.extract vs
  readability-lxml (its main content, made text by our tree walk). On every real
  .txt/.md document and sample put in four layouts of government pages (a portal page
  as tests/variants.py makes it, a title box above the text, lines broken by <br>, a
  list of related documents beside the text): the parsed structure equals the
  original's (title, number, date, items…). On the
  real government pages: number, date, type and issuer agree with MANIFEST.tsv.
- Encodings: ours (indexer.text.decode) vs charset-normalizer's best guess, on
  every text in UTF-8 (with and without BOM), GB18030, GBK, UTF-16 (BOM, LE, BE),
  whole and cut to its first 60 characters: the decoded text equals the original.
- .docx: ours (indexer.docx.docx_text) vs python-docx (paragraphs and tables in
  document order): the parsed structure equals the original's, for a document of
  paragraphs and for one whose number line stands in a text box; time per file.
"""
from __future__ import annotations

import argparse
import csv
import html
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import indexer  # noqa: E402
from indexer.read import docx  # noqa: E402
from indexer.read.files import read_file  # noqa: E402
from indexer.read import html as read_html  # noqa: E402
from indexer.read import text as read_text  # noqa: E402
from indexer.parse.document import parse_text  # noqa: E402
from tests import variants  # noqa: E402


def timed(candidates: dict, data, elapsed: Counter):
    """Each candidate's name and result on ``data``, its time added to ``elapsed[name]``."""
    for name, run in candidates.items():
        started = time.perf_counter()
        got = run(data)
        elapsed[name] += time.perf_counter() - started
        yield name, got


def structure(doc) -> tuple:
    """What a reader sees (as tests/read/test_formats.py compares it)."""
    return ((doc.title, doc.doc_type, doc.doc_number, doc.session, doc.date, doc.chair, doc.issued, doc.signed),
            [(i.number, i.title, i.text, [s.text for s in i.subpoints]) for i in doc.items],
            doc.preamble, doc.attendance, doc.distribution)


def safe_structure(text: str | None):
    try:
        return structure(parse_text(text or ""))
    except indexer.MinutesError:
        return None


def texts(corpus: Path) -> list[tuple[str, str]]:
    """(name, text) of every sample and every real .txt/.md document."""
    out = []
    for folder in (ROOT / "samples" / "corpus", corpus):
        files, _ = indexer.collect_files([folder])
        for path in files:
            if path.suffix in (".txt", ".md"):
                out.append((path.name, read_file(path).text))
    return out


# --- HTML ---------------------------------------------------------------------

def ours_html(markup: str) -> str:
    return read_html.html_text(markup)


def trafilatura_html(markup: str) -> str:
    import trafilatura
    return trafilatura.extract(markup) or ""


def readability_html(markup: str) -> str:
    from readability import Document
    builder = read_html._TreeBuilder()
    builder.feed(Document(markup).summary(html_partial=True))
    builder.close()
    return builder.root.text()


HTML_READERS = {"ours": ours_html, "trafilatura": trafilatura_html, "readability-lxml": readability_html}


def _number_key(text: str) -> str:
    text = re.sub(r"\s", "", text).replace("的", "")
    return re.sub(r"[\[［【〔﹝(（]((?:19|20)\d\d)[\]］】〕﹞)）]", r"〔\1〕", text)


_CHROME = ("<nav><ul><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul></nav>"
           "<div class=\"position\">当前位置：首页 &gt; 政务公开 &gt; 文件</div>")
_FOOTER = "<footer>主办单位：示例市人民政府办公室 网站标识码 0000000000 备案号 示ICP备00000000号</footer>"
_RELATED = "".join(f"<li><a href='/{n}.html'>示例市人民政府办公室关于做好第{n}批重点项目建设工作的通知</a>"
                   f"<span>2021-0{n}-1{n}</span></li>" for n in range(1, 9))


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))


def _title_outside(text: str, name: str) -> str:
    """The title (the first line, when it is one: 60 characters or fewer) in a title box above
    the text, a line of page facts between them."""
    title, _, rest = text.partition("\n")
    if len(title) > 60 or not rest.strip():
        title, rest = "", text
    return (f"<html><body>{_CHROME}<div class='title'><h1>{html.escape(title)}</h1></div>"
            f"<div class='info'>发布时间：2021-05-20 来源：市政府办公室 【字体：大 中 小】</div>"
            f"<div id='zoom'>{_paragraphs(rest)}</div>{_FOOTER}</body></html>")


def _br_lines(text: str, name: str) -> str:
    """An old editor's output: one container, lines broken by <br>, no paragraphs."""
    return (f"<html><body>{_CHROME}<div class='TRS_Editor'>"
            + "<br>".join(html.escape(line) for line in text.split("\n")) + f"</div>{_FOOTER}</body></html>")


def _with_related(text: str, name: str) -> str:
    """The text beside a list of related documents' titles."""
    return (f"<html><body>{_CHROME}<div class='article'>{_paragraphs(text)}</div>"
            f"<div class='related'><h3>相关文件</h3><ul>{_RELATED}</ul></div>{_FOOTER}</body></html>")


LAYOUTS = {"portal page": variants.web_page, "title box above": _title_outside, "<br> lines": _br_lines,
           "related documents": _with_related}


def compare_html(corpus: Path, samples: list[tuple[str, str]]) -> list[str]:
    generated, elapsed = Counter(), Counter()
    for name, text in samples:
        want = safe_structure(text)
        for layout, make in LAYOUTS.items():
            page = make(text, name)
            for reader, got in timed(HTML_READERS, page, elapsed):
                generated[reader, layout] += safe_structure(got) == want
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["path"].endswith(".html")]
    real = Counter()
    for row in rows:
        markup = read_text.decode((corpus / row["path"]).read_bytes(), row["path"])
        for reader, extract in HTML_READERS.items():
            try:
                doc = parse_text(extract(markup))
            except indexer.MinutesError:
                continue
            real[reader, "number"] += row["doc_number"] in ("", "—") or _number_key(row["doc_number"]) in {
                _number_key(n) for n in (doc.doc_number, *doc.number_aliases)}
            real[reader, "date"] += bool(doc.date) and doc.date.startswith(row["date"])
            real[reader, "type"] += (doc.doc_type if doc.doc_type in {"通知", "函", "意见", "决定", "批复"}
                                     else "其他") == row["doc_type"]
            real[reader, "issuer"] += doc.issuer == row["issuer"]
    lines = ["| HTML main text | " + " | ".join(f"{layout}: same structure" for layout in LAYOUTS)
             + " | real pages: number / date / type / issuer as MANIFEST.tsv | ms per page |",
             "| --- " * (len(LAYOUTS) + 3) + "|"]
    for reader in HTML_READERS:
        fields = " / ".join(f"{real[reader, f]}" for f in ("number", "date", "type", "issuer"))
        lines.append(f"| {reader} | " + " | ".join(f"{generated[reader, layout]}/{len(samples)}" for layout in LAYOUTS)
                     + f" | {fields} (of {len(rows)}) | {1000 * elapsed[reader] / len(samples) / len(LAYOUTS):.1f} |")
    return lines


# --- Encodings ----------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


def ours_decode(data: bytes) -> str | None:
    try:
        return read_text.decode(data, "x")
    except indexer.ParseError:
        return None


def charset_normalizer_decode(data: bytes) -> str | None:
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    return None if best is None else str(best)


DECODERS = {"ours": ours_decode, "charset-normalizer": charset_normalizer_decode}


def compare_encodings(samples: list[tuple[str, str]]) -> list[str]:
    right, cases, elapsed = Counter(), Counter(), Counter()
    for _, text in samples:
        for size, piece in (("whole", text), ("first 60 characters", text[:60])):
            for encoding in ENCODINGS:
                try:
                    data = piece.encode(encoding)
                except UnicodeEncodeError:
                    continue
                cases[size] += 1
                for decoder, got in timed(DECODERS, data, elapsed):
                    right[decoder, size] += got is not None and got.lstrip("\ufeff") == piece
    lines = ["| Encodings | whole texts decoded exactly | first 60 characters decoded exactly | ms per text |",
             "| --- | --- | --- | --- |"]
    for decoder in DECODERS:
        lines.append(f"| {decoder} | {right[decoder, 'whole']}/{cases['whole']} | "
                     f"{right[decoder, 'first 60 characters']}/{cases['first 60 characters']} | "
                     f"{1000 * elapsed[decoder] / sum(cases.values()):.2f} |")
    return lines


# --- .docx --------------------------------------------------------------------

def python_docx_text(data: bytes) -> str:
    import io

    from docx import Document
    from docx.table import Table
    lines = []
    for block in Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                lines.append(" ".join(c.text for c in row.cells if c.text))
        else:
            lines.append(block.text)
    return "\n".join(lines)


DOCX_READERS = {"ours": lambda data: docx.docx_text(data, "x.docx"), "python-docx": python_docx_text}


_NUMBER_LINE = re.compile(r"^\S{0,12}[〔\[［(（]\d{4}[〕\]］)）]\d+号$")


def word_with_text_box(text: str) -> bytes | None:
    """A .docx whose document-number line stands in a text box, as red-header templates put it
    (None when the text has no such line)."""
    import io

    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    lines = text.split("\n")
    boxed = next((n for n, line in enumerate(lines) if _NUMBER_LINE.match(line.strip())), None)
    if boxed is None:
        return None
    doc = Document()
    for n, line in enumerate(lines):
        if n != boxed:
            doc.add_paragraph(line)
            continue
        run = parse_xml(f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
                        f'<w:txbxContent><w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p></w:txbxContent>'
                        f'</v:textbox></v:shape></w:pict></w:r>')
        doc.add_paragraph()._p.append(run)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


DOCX_LAYOUTS = {"paragraphs": variants.word_document, "number in a text box": word_with_text_box}


def compare_docx(samples: list[tuple[str, str]]) -> list[str]:
    right, cases, elapsed = Counter(), Counter(), Counter()
    for _, text in samples:
        want = safe_structure(text)
        for layout, make in DOCX_LAYOUTS.items():
            data = make(text)
            if data is None:
                continue
            cases[layout] += 1
            for reader, got in timed(DOCX_READERS, data, elapsed):
                right[reader, layout] += safe_structure(got) == want
    lines = ["| .docx | " + " | ".join(f"{layout}: same structure" for layout in DOCX_LAYOUTS) + " | ms per file |",
             "| --- " * (len(DOCX_LAYOUTS) + 2) + "|"]
    for reader in DOCX_READERS:
        lines.append(f"| {reader} | " + " | ".join(f"{right[reader, layout]}/{cases[layout]}" for layout in DOCX_LAYOUTS)
                     + f" | {1000 * elapsed[reader] / sum(cases.values()):.1f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    samples = texts(args.corpus)
    print(f"{len(samples)} texts (samples and the real corpus's .txt/.md)\n")
    for table in (compare_html(args.corpus, samples), compare_encodings(samples), compare_docx(samples)):
        print("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
