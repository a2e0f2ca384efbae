"""Properties that hold for any input: a document or a typed error, and no text lost."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import Document, ParseError, parse_text
from indexer.formats import decode

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


@SETTINGS
@given(minutes_like)
def test_any_text_gives_a_document_or_a_parse_error(text):
    try:
        doc = parse_text(text, source="generated.txt")
    except ParseError as e:
        assert e.path == "generated.txt" and e.reason
        return
    check_partition(doc)
    assert doc.items


@SETTINGS
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    try:
        doc = parse_text(text)
    except ParseError:
        return
    check_partition(doc)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_parse_error(data):
    try:
        text = decode(data, "blob.txt")
    except ParseError as e:
        assert e.path == "blob.txt"
        return
    assert isinstance(text, str)
