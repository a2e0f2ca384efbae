"""Heads of documents in the layouts real files have (see indexer/header.py),
on texts written by the team for a fictional 示例省 / 示例市: each layout's
title, number, issuer, date and what is kept as metadata instead of title."""
from __future__ import annotations

import pytest

from indexer import parse_file, parse_text

SITE_PAGE = """<html><head><title>示例市政府第51次常务会议纪要_示例市人民政府</title><script>var t = 1;</script></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="article">{crumb}
<{tag} class="title">市政府第51次常务会议纪要</{tag}>
<p>常务会议纪要〔2023〕37号</p>
<div class="info">时间：2023-06-02 09:20 来源：示例市人民政府办公室 访问量：</div>
<p>2023年5月30日，王明市长主持召开市政府第51次常务会议。会议议定以下事项：</p>
<p>一、审议《示例市城市更新条例（草案）》</p>
<p>会议原则同意《示例市城市更新条例（草案）》，由市住建局会同市司法局根据会议意见修改后，按程序提请市人大常委会审议。</p>
<p>二、研究防汛工作</p>
<p>市水务局要牵头做好防汛准备，市应急管理局配合。</p>
<p>出席：王明 李华 张强</p>
<p>记录：何平</p>
</div>
<div class="footer">主办：示例市人民政府办公室 【打印】【关闭】</div></body></html>"""


@pytest.mark.parametrize("crumb,tag", [
    ("", "h1"),
    ("<p>当前位置：首页 &gt; 政务公开 &gt; 会议纪要</p>", "p"),
    ("<div>您的位置：首页 » 政务公开 » 会议纪要</div>", "div"),
])
def test_minutes_saved_from_a_government_site(tmp_path, crumb, tag):
    path = tmp_path / "page.html"
    path.write_text(SITE_PAGE.format(crumb=crumb, tag=tag), "utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.doc_type, doc.doc_number, doc.number_year, doc.number_seq) == (
        "市政府第51次常务会议纪要", "会议纪要", "〔2023〕37号", 2023, 37)
    assert (doc.session, doc.meeting_kind, doc.date, doc.chair) == ("第51次常务会议", "常务会议", "2023-05-30", "王明市长")
    assert (doc.issuer, doc.issuer_level) == ("示例市人民政府", "city")  # 市政府, of the site's city (来源)
    assert [i.title for i in doc.items] == ["审议《示例市城市更新条例（草案）》", "研究防汛工作"]
    assert doc.items[0].leads == ("市住建局",) and doc.items[1].leads == ("市水务局",)
    labels = [label for label, _ in doc.metadata]
    assert "时间" in labels and (not crumb or "页面" in labels)
    assert doc.attendance.present == ("王明", "李华", "张强")


RUN_ON = ("示例省发展和改革委员会示例省林业局文件示发改能源〔2021〕88号示例省发展和改革委员会示例省林业局关于印发"
          "《全省林区电网改造工作方案》的通知各市发展改革委、林业局，省电力公司：现将《全省林区电网改造工作方案》印发给你们，"
          "请认真贯彻执行。一、工作目标。用三年时间完成改造。二、职责分工。省发展改革委牵头，省林业局配合，发展改革委要会同财政厅"
          "落实资金。联系人：XXX，电话：0000-0000XXXX附件：1.改造项目表2.资金安排表示例省发展和改革委员会示例省林业局"
          "2021年5月11日示例省发展和改革委员会办公室2021年5月12日印发")


def test_run_on_red_header_notice():
    doc = parse_text(RUN_ON)
    assert doc.title == "示例省发展和改革委员会示例省林业局关于印发《全省林区电网改造工作方案》的通知"
    assert (doc.doc_type, doc.doc_number, doc.issuer, doc.date, doc.issued) == (
        "通知", "示发改能源〔2021〕88号", "示例省发展和改革委员会、示例省林业局", "2021-05-11", "2021-05-12")
    assert doc.addressees == ("各市发展改革委", "林业局", "省电力公司")
    assert [i.title for i in doc.items] == ["工作目标", "职责分工"]
    assert doc.text.replace("\n", "") == RUN_ON  # only line breaks were put back


def test_telegram_marks_are_metadata_not_title():
    text = ("示例省人民政府办公厅发电发电单位示例省人民政府办公厅签发盖章张三等级特急·明电示政办发明电〔2021〕1号示机发12号"
            "示例省人民政府办公厅关于做好防凌工作的通知各市人民政府，省有关部门：入冬以来，气温偏低。请各地做好防凌工作。"
            "示例省人民政府办公厅2021年1月8日")
    doc = parse_text(text)
    assert (doc.title, doc.doc_number, doc.issuer, doc.date) == (
        "示例省人民政府办公厅关于做好防凌工作的通知", "示政办发明电〔2021〕1号", "示例省人民政府办公厅", "2021-01-08")
    assert dict(doc.metadata)["机要编号"] == "示机发12号"


@pytest.mark.parametrize("number_line,number,kind", [
    ("示资规纪〔2022〕48号", "示资规纪〔2022〕48号", "专题会议"),  # a bureau's code ending in 纪
    ("常务会议纪要〔2023〕37号", "〔2023〕37号", "常务会议"),  # the meeting kind before the number
])
def test_minutes_numbers(number_line, number, kind):
    title = "示例市自然资源和规划局专题会议纪要" if "纪〔" in number_line else "示例市人民政府常务会议纪要"
    doc = parse_text(f"{title}\n{number_line}\n2022年7月21日，会议研究了道路工程方案。纪要如下：\n一、原则同意方案\n会议原则同意。\n")
    assert (doc.doc_number, doc.meeting_kind, doc.doc_type) == (number, kind, "会议纪要")


def test_subject_titled_minutes_under_a_bureau_header():
    doc = parse_text("示例市自然资源和规划局会议纪要示资规纪〔2022〕48号关于示例大道工程方案设计讨论会纪要2022年07月21日，"
                     "示例市自然资源和规划局召开方案设计讨论会。现归纳纪要如下：一、总体评价方案可行。二、有关要求请抓紧完善。"
                     "分送：市发改委、市城管局。示例市自然资源和规划局办公室2022年8月1日印发")
    assert (doc.title, doc.doc_number, doc.issuer, doc.date, doc.issued) == (
        "关于示例大道工程方案设计讨论会纪要", "示资规纪〔2022〕48号", "示例市自然资源和规划局", "2022-07-21", "2022-08-01")
    assert len(doc.items) == 2 and doc.distribution == ("市发改委", "市城管局")


def test_decree_is_titled_by_the_regulation_it_promulgates():
    doc = parse_text("中华人民共和国国务院令\n第999号\n《示例管理条例》已经2030年1月1日国务院第1次常务会议通过，现予公布，"
                     "自2030年3月1日起施行。\n总理　　某某\n2030年1月8日\n示例管理条例\n第一章　总　　则\n第一条　为了示例，制定本条例。\n")
    assert (doc.title, doc.doc_type, doc.issuer, doc.issuer_level, doc.date) == (
        "示例管理条例", "条例", "国务院", "state", "2030-01-08")
    assert (doc.doc_number, doc.number_aliases, doc.number_prefix, doc.number_seq) == (
        "国务院令第999号", ("国令第999号",), "国务院", 999)


def test_law_database_markdown(tmp_path):
    path = tmp_path / "示例条例.md"
    path.write_text("# 示例省示例管理条例\n\n2030年1月1日 示例省第九届人民代表大会常务委员会第一次会议通过\n\n"
                    "2031年6月1日 示例省第九届人民代表大会常务委员会第九次会议修正\n\n<!-- INFO END -->\n\n"
                    "## 第一章 总则\n\n第一条 为了**示例**，制定本条例。\n", "utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.doc_type, doc.issuer, doc.issuer_level, doc.date) == (
        "示例省示例管理条例", "条例", "示例省人民代表大会常务委员会", "province", "2031-06-01")
    assert "INFO" not in doc.text and "#" not in doc.text and "**" not in doc.text
    assert [value for label, value in doc.metadata if label == "沿革"][0].startswith("2030-01-01")


def test_work_report_speaker_gives_the_issuer():
    doc = parse_text("政府工作报告\n——2030年3月5日在第九届全国人民代表大会第一次会议上\n国务院总理 某某\n各位代表：\n"
                     "现在，我代表国务院，向大会报告政府工作。\n一、过去一年工作回顾\n经济平稳。\n")
    assert (doc.doc_type, doc.issuer, doc.issuer_level, doc.date) == ("政府工作报告", "国务院", "state", "2030-03-05")


def test_text_without_a_head_gets_a_short_title():
    """Whatever a file holds, the title is never a wall of text (80 characters at most)."""
    doc = parse_text("这段文字没有标题，" * 30 + "也没有文号。\n")
    assert doc.title == "这段文字没有标题"
    doc = parse_text("这段文字没有标题也没有标点" * 10 + "\n第二行。\n")
    assert len(doc.title) == 80 and doc.title.endswith("…")
