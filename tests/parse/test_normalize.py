import pytest

from indexer import ParseError
from indexer.read.text import decode
from indexer.patterns import cn_to_int
from indexer.normalize import int_to_cn, normalize, parse_date


def test_width_brackets_and_punctuation_are_unified():
    raw = "[2020] 15 号\n(一) 原则同意《示例 创新行动 2021》:由市发改委牵头, 做好工作\n２０１５ 年2 月12 日"
    assert normalize(raw) == "〔2020〕15号\n（一）原则同意《示例创新行动2021》：由市发改委牵头，做好工作\n2015年2月12日\n"


def test_invisible_characters_and_windows_line_endings_go():
    assert normalize("防范\u200b化解\r\n用好\u00a0专项债\r\n") == "防范化解\n用好专项债\n"


def test_sentence_cut_by_page_break_and_page_number_is_joined():
    raw = "会议强调，要做好预算工作，这是深入贯彻党\n\n— 3 —\n\n的十九届五中全会精神。\n二、下一项"
    assert normalize(raw) == "会议强调，要做好预算工作，这是深入贯彻党的十九届五中全会精神。\n二、下一项\n"


def test_blank_lines_go():
    assert normalize("一、关于试点\n\n\n会议同意。\n\n") == "一、关于试点\n会议同意。\n"


def test_titles_and_new_blocks_are_not_joined():
    raw = "示例市人民政府关于加快发展保障性租赁住房的实施意见\n\n示府办〔2022〕5号\n\n会议强调，要压实各方责任并\n\n（一）健全体系。"
    assert normalize(raw) == (
        "示例市人民政府关于加快发展保障性租赁住房的实施意见\n示府办〔2022〕5号\n"
        "会议强调，要压实各方责任并\n（一）健全体系。\n"
    )


def test_attendance_lines_keep_the_space_between_unit_and_person():
    assert normalize("列席：市政府办公室  周涛；市发改委 郑伟") == "列席：市政府办公室 周涛；市发改委 郑伟\n"


@pytest.mark.parametrize("text,iso", [
    ("2021年5月17日，王明市长主持召开", "2021-05-17"),
    ("二〇二〇年十二月二十八日", "2020-12-28"),
    ("二○一二年一月九日", "2012-01-09"),
    ("2021年13月1日", ""),
    ("没有日期", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_chinese_numerals_both_ways():
    assert [cn_to_int(n) for n in ("五", "十", "十二", "二十一", "一百零八")] == [5, 10, 12, 21, 108]
    assert [int_to_cn(n) for n in (1, 10, 12, 21, 99)] == ["一", "十", "十二", "二十一", "九十九"]


def test_decode_gb18030_and_utf8_with_bom():
    text = "示例市人民政府常务会议纪要"
    assert decode(text.encode("gb18030"), "a.txt") == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("data,reason", [
    (b"", "file is empty"),
    (b"  \n ", "file is empty"),
    (b"PK\x03\x04\x00\x00binary", "binary file (contains NUL bytes), not text"),
    (b"\x81\x30\xff\xfe\x80", "cannot decode as UTF-8, UTF-16 or GB18030"),
])
def test_decode_errors_name_the_file_and_the_reason(data, reason):
    with pytest.raises(ParseError) as e:
        decode(data, "bad.txt")
    assert str(e.value) == f"bad.txt: {reason}"


@pytest.mark.parametrize("raw, clean", [
    ("李文區(qū)長主持", "李文區長主持"),
    ("召開會議(yì)。", "召開會議。"),
    ("区（qū）长", "区长"),
    ("鎮(zhèn) 政府", "鎮政府"),
    ("会议(huì yì)纪要", "会议纪要"),
    ("基(jī)础", "基础"),
])
def test_pinyin_glosses_after_characters_go(raw, clean):
    assert normalize(raw) == clean + "\n"


@pytest.mark.parametrize("text", [
    "推广政府和社会资本合作(PPP)模式", "示例市统计年鉴(2023)", "的(de)", "(qū)开头", "中国(China)",
    "示例市城市更新（二期）项目",
])
def test_other_latin_in_parentheses_stays(text):
    assert normalize(text) == text + "\n"
