"""Short names a text defines, and the full names they abbreviate (invented specimens)."""
from __future__ import annotations

import pytest

from indexer.parse import Definition, definitions

DEFINED = [
    # quotes “”, a bracketed part in the name, a verb before it
    ("加快建设中国（示例）自由贸易试验区（以下简称“自贸区”），打造开放高地。",
     [Definition("自贸区", "自由贸易试验区")]),
    # no quotes; the short name's characters in order
    ("建设自由贸易试验区（以下简称自贸试验区）。", [Definition("自贸试验区", "自由贸易试验区")]),
    # 「」, and the whole company name, brackets and all
    ("支持示例钢铁（集团）有限公司（以下简称「示钢」）转型。", [Definition("示钢", "示例钢铁（集团）有限公司")]),
    # 简称 with the quote closing before more words; a list is the full name
    ("深入推进简政放权、放管结合、优化服务改革（简称“放管服”改革），", [Definition("放管服", "简政放权、放管结合、优化服务改革")]),
    # 下称, half-width brackets, cut after 的, a quoted part kept (the short name's characters are
    # not in it: the whole noun phrase)
    ("建设全市统一的“双随机、一公开”监管工作平台(下称\"市级平台\")。", [Definition("市级平台", "“双随机、一公开”监管工作平台")]),
    # 以下称, bare
    ("上海市、江苏省、浙江省（以下称两省一市）共同推进。", [Definition("两省一市", "上海市、江苏省、浙江省")]),
    # a note before the definition; the full name is the title before the parenthesis
    ("根据《示例市长江三角洲区域一体化发展规划纲要》（示府发〔2021〕3号，以下简称《长三角纲要》）",
     [Definition("长三角纲要", "示例市长江三角洲区域一体化发展规划纲要")]),
    # once each, in order
    ("国家发展和改革委员会（以下简称“国家发改委”）……国家发展和改革委员会（以下简称“国家发改委”）；"
     "长江三角洲区域一体化发展（以下简称“长三角一体化”）",
     [Definition("国家发改委", "国家发展和改革委员会"), Definition("长三角一体化", "长江三角洲区域一体化发展")]),
]


@pytest.mark.parametrize("text, expected", DEFINED)
def test_a_definition_gives_the_short_name_and_the_noun_phrase_before_it(text, expected):
    assert list(definitions(text)) == expected


SKIPPED = [
    "制定《示例市电梯安全管理办法》（以下简称《办法》）。",  # a document title's short name
    "《关于加快发展保障性租赁住房的实施意见》（以下简称《实施意见》）",
    "本办法（以下简称本办法）",
    "示例市电梯安全管理条例（以下简称“该条例”）",
    "示例市人民政府关于加强电梯安全管理的通知（以下简称“本通知”）",
    "示例市人民政府（以下简称“市”）",  # one character
    "第二十六届世界大学生夏季运动会（以下简称运动会）",  # a part of its full name: searching it finds the full one
    "负责本行政区域内保护工作的部门（以下简称保护工作部门）",  # the full name would be a part of the short one
    "省（自治区、直辖市）汉字简称、所属队伍代号",  # 简称 as a word, no definition
]


@pytest.mark.parametrize("text", SKIPPED)
def test_title_references_one_character_and_overlapping_names_are_no_vocabulary(text):
    assert definitions(text) == ()
