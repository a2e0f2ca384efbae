"""Make the other file formats staff receive from a sample's text: GB18030 and
UTF-16 bytes, a government web page, a Word document, a PDF with a text layer."""
from __future__ import annotations

import html
import io
from pathlib import Path

from docx import Document as WordDocument
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PDF_FONT = "STSong-Light"  # a CID font every PDF reader knows; nothing to embed
PDF_LINE_CHARS = 34


def web_page(text: str, title: str) -> str:
    """The page layout of a government site: navigation, a header, the text in a
    content container, a footer, scripts."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}_示例市人民政府门户网站</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script><style>.nav{{color:red}}</style></head>
<body>
<div class="top"><header>示例市人民政府门户网站 | 无障碍浏览 | 长者模式</header></div>
<nav><ul><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul></nav>
<div class="main-wrap"><div class="position">当前位置：首页 &gt; 政务公开 &gt; 会议纪要</div>
<div class="article-content" id="zoom">
{paragraphs}
</div>
<div class="share">分享到：微信 微博 【打印本页】【关闭窗口】</div></div>
<footer>主办单位：示例市人民政府办公室 网站标识码 0000000000 备案号 示ICP备00000000号</footer>
<script src="/js/analytics.js"></script>
</body></html>"""


def word_document(text: str) -> bytes:
    doc = WordDocument()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _wrapped(text: str) -> list[str]:
    """Lines as a PDF lays them out: long paragraphs broken at the page width."""
    out = []
    for line in text.split("\n"):
        while len(line) > PDF_LINE_CHARS:
            out.append(line[:PDF_LINE_CHARS])
            line = line[PDF_LINE_CHARS:]
        out.append(line)
    return out


def pdf_document(text: str) -> bytes:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    y = height - 60
    for line in _wrapped(text):
        if y < 60:  # next page
            page.showPage()
            y = height - 60
        page.setFont(PDF_FONT, 14)
        page.drawString(50, y, line)
        y -= 22
    page.showPage()
    page.save()
    return out.getvalue()


def pdf_without_text(path: Path) -> None:
    """A PDF with only drawings, like a scan without OCR."""
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i in range(20):
        page.rect(50 + i * 10, 400, 8, 200, fill=1)
    page.showPage()
    page.save()
