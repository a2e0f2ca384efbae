"""Properties that hold for any input: a document or a typed error, and no text lost."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import Document, ParseError, parse_text
from indexer.read.text import decode

FRAGMENTS = [
    "示例市人民政府常务会议纪要", "〔2021〕9号", "[2020] 15 号", "示府发〔2021〕20号", "一、", "二、", "三、", "十、",
    "（一）", "(二)", "（三）", "1.", "（1）", "①", "㈠", "出席：", "列席：", "请假：", "记录：", "分送：", "抄送：",
    "2021年5月17日", "二〇二〇年十二月二十八日", "印发", "整理", "（此件公开发布）", "由市发改委牵头", "会同市财政局",
    "市住建局要", "原则同意", "《示例市电梯安全条例（草案）》", "《", "》", "王明市长主持召开", "第128次常务会议",
    "，", "。", "；", "：", ":", " ", "\u3000", "\n", "\n\n", "\r\n", "\u200b", "\u00a0", "— 3 —", "【法宝引证码】",
    "各区人民政府：", "示例市人民政府", "会议强调", "电梯安全", "ａｂｃ１２３", "关于", "的通知", "文件",
]
fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
line = st.lists(fragment, max_size=8).map("".join)
minutes_like = st.lists(line, max_size=25).map("\n".join)

NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
NUMERALS += ["十" + n for n in NUMERALS[1:10]] + ["二十"]  # 1..20 written the usual way


@st.composite
def numbered_like(draw) -> str:
    """Lines opening items 一、 and sub-points （一） in sequence, with text between, and
    now and then a marker out of sequence (skipped ahead, repeated, unusually spelt)."""
    out, item, sub = [], 0, 0
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["text", "text", "item", "item", "sub", "sub", "skip", "repeat", "odd"]))
        if kind == "item" and item < 20:
            item, sub = item + 1, 0
            marker = NUMERALS[item] + "、"
        elif kind == "sub" and sub < 20:
            sub += 1
            marker = f"（{NUMERALS[sub]}）"
        elif kind == "skip":
            marker = draw(st.sampled_from([NUMERALS[min(item + 2, 20)] + "、", f"（{NUMERALS[min(sub + 2, 20)]}）"]))
        elif kind == "repeat":
            marker = draw(st.sampled_from([NUMERALS[max(item, 1)] + "、", f"（{NUMERALS[max(sub, 1)]}）"]))
        elif kind == "odd":
            marker = draw(st.sampled_from(["一二、", "二一、", "十十、", "（一二）", "　一、", " （一）"]))
        else:
            marker = ""
        out.append(marker + draw(line))
    return "\n".join(out)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_partition(doc: Document) -> None:
    """The preamble and the items cover the body exactly; each item's
    paragraphs cover the item exactly; sub-points lie inside their item, in order."""
    start, end = doc.body_span
    assert doc.preamble_span[0] == start
    cursor = doc.preamble_span[1]
    for item in doc.items:
        assert item.span[0] == cursor
        cursor = item.span[1]
        if item.paragraphs:
            assert item.paragraphs[0].span[0] == item.span[0]
            assert item.paragraphs[-1].span[1] == item.span[1]
            for a, b in zip(item.paragraphs, item.paragraphs[1:]):
                assert a.span[1] == b.span[0]
        else:
            assert not doc.text[slice(*item.span)].strip()
        sub_cursor = item.span[0]
        for sp in item.subpoints:
            assert sub_cursor <= sp.span[0] < sp.span[1] <= item.span[1]
            sub_cursor = sp.span[1]
        if item.subpoints:
            assert item.subpoints[-1].span[1] == item.span[1]
    assert cursor == end
    body = doc.text[start:end]
    pieces = doc.text[slice(*doc.preamble_span)] + "".join(
        doc.text[slice(*p.span)] for item in doc.items for p in item.paragraphs)
    assert "".join(pieces.split()) == "".join(body.split())


def lines_in(text: str, span) -> list[str]:
    """The lines that start inside ``span``, cut at its end."""
    return text[span[0]:span[1]].split("\n")


def check_sequence(text: str, outer, parts, marker) -> None:
    """``parts`` (items or sub-points) inside the span ``outer`` are numbered 1, 2, … n,
    each opening at a line that starts with its marker (``marker(numeral)``), and no
    line that starts with the next marker in sequence was left inside the text before
    the first part or inside the part before it (where it would be lost)."""
    numbers = [part.number for part in parts]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    regions = [((outer[0], parts[0].span[0] if parts else outer[1]), 1)]
    for part in parts:
        start, end = part.span
        assert outer[0] <= start < end <= outer[1]
        assert start == 0 or text[start - 1] == "\n"  # opens a line
        opened = re.match(r"（?([一二三四五六七八九十]{1,3})[、）]", text[start:end])
        assert opened and text[start:end].startswith(marker(opened.group(1)))
        if opened.group(1) in NUMERALS:  # the usual spelling; an unusual one (一二、) is whatever the parser reads
            assert NUMERALS.index(opened.group(1)) == part.number, (opened.group(), part.number)
        line_end = text.find("\n", start, end)
        if line_end >= 0:
            regions.append(((line_end + 1, end), part.number + 1))
    for span, following in regions:
        if following < len(NUMERALS):
            opening = marker(NUMERALS[following])
            assert not any(line.startswith(opening) for line in lines_in(text, span)), (opening, span)


def check_numbering(doc: Document) -> None:
    """Items are numbered 1, 2, … n at their 一、 lines (see :func:`check_sequence`), or
    the body is one item numbered 0; sub-points likewise within each item. An item's
    text is its span's text, and each non-blank line of it is one paragraph, whose
    text is that line."""
    text = doc.text
    if [item.number for item in doc.items] == [0]:
        assert doc.items[0].span == doc.body_span and doc.preamble_span[0] == doc.preamble_span[1]
        check_sequence(text, doc.body_span, (), lambda n: n + "、")
    elif text[doc.items[0].span[0]] == "（":  # minutes with no 一、 items number them （一）
        assert not any(line.startswith("一、") for line in lines_in(text, doc.body_span))
        check_sequence(text, doc.body_span, doc.items, lambda n: f"（{n}）")
    elif not re.match(r"[一二三四五六七八九十]{1,3}、", text[slice(*doc.items[0].span)]):
        # paragraphs 会议审议了…, or items numbered 1. 2. / （1）（2） (see meeting.agenda_starts)
        assert [item.number for item in doc.items] == list(range(1, len(doc.items) + 1))
        assert all(re.match(rf"会议|一是会议|{item.number}[.．、]|（{item.number}）", text[slice(*item.span)])
                   for item in doc.items)
    else:
        check_sequence(text, doc.body_span, doc.items, lambda n: n + "、")
    for item in doc.items:
        assert item.text == text[slice(*item.span)].strip()
        assert [p.text for p in item.paragraphs] == [line.strip() for line in lines_in(text, item.span) if line.strip()]
        if not text[slice(*item.span)].startswith("（"):
            check_sequence(text, item.span, item.subpoints, lambda n: f"（{n}）")
        else:
            assert item.subpoints == ()  # the item is itself a （一）: its points are not sub-points
        for sp in item.subpoints:
            assert text[slice(*sp.span)].startswith(sp.label) and sp.text == text[slice(*sp.span)].strip()


@pytest.mark.slow
@SETTINGS
@given(st.one_of(minutes_like, numbered_like()))
def test_any_text_gives_a_document_or_a_parse_error(text):
    try:
        doc = parse_text(text, source="generated.txt")
    except ParseError as e:
        assert e.path == "generated.txt" and e.reason
        return
    check_partition(doc)
    check_numbering(doc)


@pytest.mark.slow
@SETTINGS
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    try:
        doc = parse_text(text)
    except ParseError:
        return
    check_partition(doc)
    check_numbering(doc)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_parse_error(data):
    try:
        text = decode(data, "blob.txt")
    except ParseError as e:
        assert e.path == "blob.txt"
        return
    assert isinstance(text, str)
