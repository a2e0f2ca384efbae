"""Scans made from a text, for the OCR tests and the OCR bench: the text laid out as an
official document is (GB/T 9704: A4, 28 characters a line, 22 lines a page, paragraphs
indented two characters, the title centred and larger) and drawn with a Chinese font at a
given resolution, optionally turned by a small angle or sprinkled with noise, as a
scanner or a phone gives them.

``truth`` is the text as drawn (what a perfect recognizer reads), for character error rates.
"""
from __future__ import annotations

import io
import random
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

PER_LINE = 28
LINES_PER_PAGE = 22
_MM = 1 / 25.4  # inches


@dataclass(frozen=True)
class Line:
    text: str
    indent: int = 0  # characters
    centred: bool = False
    big: bool = False


@cache
def chinese_font() -> str | None:
    """The file of a font with Chinese characters, or None: WenQuanYi Micro Hei (what
    scripts/test installs when there is none) where present, so figures compare across machines."""
    if not shutil.which("fc-list"):
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    regular = [f for f in files if "Bold" not in f] or files
    return next((f for f in regular if "wqy-microhei" in f), regular[0] if regular else None)


def layout(text: str) -> list[list[Line]]:
    """The text's pages: each line of the text is a paragraph, wrapped at 28 characters; the
    first line (the title) is centred and larger (wrapped at 20), short lines at the top are
    centred too."""
    lines: list[Line] = []
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    for n, para in enumerate(paragraphs):
        if n == 0:  # the title: 20 characters of 二号 a line, centred
            lines.extend(Line(para[i:i + 20], centred=True, big=True) for i in range(0, len(para), 20))
            continue
        if n < 4 and len(para) <= 20:  # number, issuer, date lines of the head
            lines.append(Line(para, centred=True))
            continue
        if "  " in para and len(para) <= PER_LINE + 20:  # 示例市人民政府办公室    2021年5月20日: one row, as set
            lines.append(Line(para))
            continue
        first = PER_LINE - 2
        lines.append(Line(para[:first], indent=2))
        lines.extend(Line(para[i:i + PER_LINE]) for i in range(first, len(para), PER_LINE))
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def truth(pages: list[list[Line]]) -> str:
    """What the pages show, without spaces: what a perfect recognizer reads."""
    return "".join(line.text for page in pages for line in page).replace(" ", "").replace("\u3000", "")


def render(page: list[Line], dpi: int, *, angle: float = 0.0, noise: float = 0.0, seed: int = 0):
    """One page as a greyscale PIL image at ``dpi``; ``angle`` degrees turned, ``noise`` the
    share of pixels flipped to random grey (speckle), both seeded."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = chinese_font()
    if font_file is None:
        raise RuntimeError("no Chinese font (fontconfig :lang=zh); install fonts-wqy-microhei")

    def px(mm: float) -> int:
        return round(mm * _MM * dpi)

    width, height = px(210), px(297)
    size = round(16 / 72 * dpi)  # 三号: 16 pt
    body = ImageFont.truetype(font_file, size)
    title = ImageFont.truetype(font_file, round(22 / 72 * dpi))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    left, top, text_width = px(28), px(37), px(156)
    pitch = px(225) / LINES_PER_PAGE
    for n, line in enumerate(page):
        font = title if line.big else body
        y = top + n * pitch
        if line.centred:
            x = left + (text_width - draw.textlength(line.text, font=font)) / 2
        else:
            x = left + line.indent * size
        draw.text((x, y), line.text, font=font, fill=0)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        pixels = image.load()
        for _ in range(int(width * height * noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.randrange(256)
    return image


def save(images, kind: str, dpi: int = 300) -> bytes:
    """Pages as the bytes of a file: "png"/"jpg" (one page), "tif" (every page) or "pdf"
    (image-only pages, no text layer, at the images' resolution)."""
    out = io.BytesIO()
    first, rest = images[0], list(images[1:])
    if kind == "png":
        first.save(out, "PNG", dpi=(dpi, dpi))
    elif kind == "jpg":
        first.save(out, "JPEG", quality=85, dpi=(dpi, dpi))
    elif kind == "tif":
        first.save(out, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate", dpi=(dpi, dpi))
    elif kind == "pdf":
        first.save(out, "PDF", save_all=True, append_images=rest, resolution=dpi)
    else:
        raise ValueError(kind)
    return out.getvalue()


def cer(expected: str, got: str, *, as_indexed: bool = True) -> float:
    """Character error rate: the edit distance from what was drawn to what was read (spaces and
    line breaks dropped from both), over the length of what was drawn. ``as_indexed``: both
    first normalized as the index normalizes text (indexer.normalize: ASCII and full-width
    punctuation, the brackets of document numbers), so that reading a drawn "," as "，" or
    〔2021〕 as [2021] is no error; else every character counts."""
    if as_indexed:
        from indexer.normalize import normalize

        expected, got = normalize(expected), normalize(got)
    a = expected.replace(" ", "").replace("\u3000", "").replace("\n", "")
    b = got.replace(" ", "").replace("\u3000", "").replace("\n", "")
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / max(1, len(a))
