"""Who may read each document, decided at indexing: a rule of the index's visibility.toml,
else the document's own marking, else the default; classified documents refused."""
from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from indexer.visibility import Decision, Rule, Rules, decide, glob_regex
from minutes_cli import cli

from ..conftest import CORPUS, MINUTES_2021_9, SUZHOU

CLASSIFIED = "classified ({level}): classified material does not belong in this system (涉密文件“{mark}”不得录入本系统)"


def notice(head: str = "", closing: str = "", body: str = "为加强电梯安全管理，现通知如下。", number: int = 31) -> str:
    """A small notice with ``head`` lines above its title and ``closing`` lines after its signature."""
    return (f"{head}示例市人民政府关于加强电梯安全管理的通知\n示府发〔2021〕{number}号\n各区人民政府：\n"
            f"　　{body}\n　　一、落实责任。各区要落实属地责任。\n示例市人民政府\n2021年6月10日\n{closing}")


def run_on(middle: str = "", head: str = "", tail: str = "") -> str:
    """The same notice as one OCR run-on line (no line breaks), with ``head`` before its red header."""
    return (f"{head}示例市人民政府文件示府发〔2021〕31号示例市人民政府关于加强电梯安全管理的通知各区人民政府："
            "为加强电梯安全管理，保障人民群众生命财产安全，根据有关法律法规，结合本市实际，现就有关事项通知如下。"
            "一、落实责任。各区要落实属地管理责任，督促使用单位履行安全主体责任，定期开展隐患排查。"
            f"二、加强监管。市市场监管局要加强日常监督检查。{middle}示例市人民政府2021年6月10日{tail}")


def marked(text: str) -> tuple[str, str, str, str]:
    """(title, marking as written, visibility, reason) of a text under the built-in rules."""
    doc = indexer.parse_text(text, source="a.txt")
    decided = decide(doc, "a.txt", Rules())
    return doc.title, doc.public, decided.visibility, decided.visibility_reason


TITLE = "示例市人民政府关于加强电梯安全管理的通知"


MARKINGS = [
    (notice(closing="（此件公开发布）\n"), "此件公开发布", "public"),  # full-width brackets
    (notice(closing="(此件公开发布)\n"), "此件公开发布", "public"),  # half-width brackets
    (notice(closing="【此件公开发布】\n"), "此件公开发布", "public"),
    (notice(closing="此件公开发布\n"), "此件公开发布", "public"),  # no brackets
    (notice(closing="（此件主动公开）\n"), "此件主动公开", "public"),
    (notice(closing="主动公开\n"), "主动公开", "public"),
    (notice(closing="公开方式：主动公开\n"), "公开方式：主动公开", "public"),
    (notice(closing="（此件不公开）\n"), "此件不公开", "internal"),
    (notice(closing="(不予公开)\n"), "不予公开", "internal"),
    (notice(closing="（此件依申请公开）\n"), "此件依申请公开", "internal"),
    (notice(closing="信息公开选项：依申请公开\n"), "信息公开选项：依申请公开", "internal"),
    (notice(closing="（此件发至县团级）\n"), "此件发至县团级", "internal"),  # sent to some offices only
    (notice(head="内部资料\n"), "内部资料", "internal"),
    (notice(head="（内部）\n"), "内部", "internal"),
    (notice(head="内部文件，注意保存\n"), "内部文件，注意保存", "internal"),
    (notice(head="密级：内部\n"), "密级：内部", "internal"),
    # Marked both ways: the restrictive marking wins, wherever it stands.
    (notice(head="内部资料\n", closing="（此件公开发布）\n"), "内部资料", "internal"),
    (notice(closing="（此件公开发布）\n（此件不公开）\n"), "此件不公开", "internal"),
    # OCR run-on text: the marking is put back on a line of its own.
    (run_on(tail="(此件公开发布)"), "此件公开发布", "public"),
    (run_on(tail="（此件主动公开）"), "此件主动公开", "public"),
    (run_on(tail="(此件不公开)"), "此件不公开", "internal"),
    (run_on(tail="(此件发至县团级)示例市人民政府办公室2021年6月11日印发"), "此件发至县团级", "internal"),
    (run_on(tail="〔此件发各县(市、区)〕"), "此件发各县(市、区)", "internal"),
]


@pytest.mark.parametrize(("text", "marking", "visibility"), MARKINGS,
                         ids=[f"{n}-{marking}" for n, (_, marking, _) in enumerate(MARKINGS)])
def test_each_marking_decides_the_visibility(text, marking, visibility):
    assert marked(text) == (TITLE, marking, visibility, f"marking {marking}")


@pytest.mark.parametrize("text", [
    notice(),
    notice(body="各单位要加强内部管理，严格保守秘密，不得泄露国家秘密、商业秘密。"),  # words in sentences
    notice(body="文件应当标注“秘密★”和“密级：机密”等字样，依申请公开的事项另行规定。"),  # in the body, not the head
    notice(closing="抄送：市委办公室，内部审计机构。\n"),
    run_on(middle="各单位要加强内部管理，严格保守秘密。"),
], ids=["plain", "sentences", "body-marks", "cc-line", "run-on"])
def test_words_in_sentences_are_no_marking(text):
    assert marked(text) == (TITLE, "", "internal", "default")


@pytest.mark.parametrize(("text", "level", "mark"), [
    (notice(head="密级：机密\n"), "机密", "密级：机密"),
    (notice(head="密级和保密期限：秘密★1年\n"), "秘密", "密级和保密期限：秘密★1年"),
    (notice(head="秘密★1年\n"), "秘密", "秘密★1年"),
    (notice(head="000123\n机密★10年\n"), "机密", "机密★10年"),
    (notice(head="★绝密\n"), "绝密", "★绝密"),
    (notice(head="绝密\n"), "绝密", "绝密"),
    (notice(head="秘密 1年\n", closing="（此件公开发布）\n"), "秘密", "秘密1年"),  # whatever else it says
    (run_on(head="170795秘密★1年"), "秘密", "秘密★1年"),  # run-on OCR head
], ids=["密级", "密级和保密期限", "star", "copy-number", "star-first", "word", "word-and-public", "run-on"])
def test_classified_documents_are_refused(text, level, mark):
    doc = indexer.parse_text(text, source="/data/a.txt")
    with pytest.raises(indexer.Classified) as refused:
        decide(doc, "a.txt", Rules(rules=(Rule("**", "public"),)))  # no rule lets it in
    assert (refused.value.path, refused.value.reason) == ("/data/a.txt", CLASSIFIED.format(level=level, mark=mark))


def test_a_marking_above_the_title_stays_out_of_the_title():
    doc = indexer.parse_text(notice(head="内部资料\n"))
    assert (doc.title, doc.doc_number, doc.metadata) == (TITLE, "示府发〔2021〕31号", (("标识", "内部资料"),))


# --- rules ----------------------------------------------------------------------------------------

RULES = """# who may read what
default = "internal"
[[rule]]
match = "公开/**"
visibility = "public"
[[rule]]
match = "**/财政*"
visibility = "财政组"
[[rule]]
match = "内部/*.txt"
visibility = "internal"
"""


def test_rules_first_match_wins_then_marking_then_default():
    rules = Rules.parse(RULES.encode(), "/ix/visibility.toml")
    assert rules == Rules("internal", (Rule("公开/**", "public"), Rule("**/财政*", "财政组"),
                                       Rule("内部/*.txt", "internal")), "visibility.toml", default_set=True)
    cases = {
        ("公开/a.txt", ""): Decision("public", "rule 公开/** (visibility.toml)"),
        ("公开/财政预算.txt", "此件不公开"): Decision("public", "rule 公开/** (visibility.toml)"),  # rule beats marking
        ("财政预算.txt", "此件公开发布"): Decision("财政组", "rule **/财政* (visibility.toml)"),  # a group
        ("2021/三月/财政局会议.txt", ""): Decision("财政组", "rule **/财政* (visibility.toml)"),
        ("内部/a.txt", "此件公开发布"): Decision("internal", "rule 内部/*.txt (visibility.toml)"),
        ("内部/sub/a.txt", "此件公开发布"): Decision("public", "marking 此件公开发布"),  # * stays in its folder
        ("其他/a.txt", "此件公开发布"): Decision("public", "marking 此件公开发布"),  # marking beats default
        ("其他/a.txt", "内部资料"): Decision("internal", "marking 内部资料"),
        ("其他/a.txt", ""): Decision("internal", "default (visibility.toml)"),
    }
    assert {case: rules.decide(*case) for case in cases} == cases
    assert Rules.parse(b'default = "public"').decide("a.txt", "") == Decision("public", "default (visibility.toml)")
    assert Rules().decide("a.txt", "") == Decision("internal", "default")
    assert Rules.parse(b'[[rule]]\nmatch = "b/**"\nvisibility = "public"').decide("a.txt", "") == \
        Decision("internal", "default")  # the file does not set it


def test_globs():
    assert [glob_regex(g) for g in ("公开/**", "**/财政*", "a/?.txt", "**", "a/**/b.txt")] == [
        "公开/.*", "(?:[^/]+/)*财政[^/]*", "a/[^/]\\.txt", ".*", "a/(?:[^/]+/)*b\\.txt"]
    assert [Rule("a/**/b.txt", "x").matches(p) for p in ("a/b.txt", "a/c/d/b.txt", "b.txt", "a/c/xb.txt")] == [
        True, True, False, False]


@pytest.mark.parametrize(("text", "reason"), [
    ("default = internal", "not valid TOML (Invalid value (at line 1, column 11))"),
    (b"default = '\xff'", "not UTF-8 text"),
    ('defualt = "public"', "unknown key 'defualt' (expected default and [[rule]] tables)"),
    ('[[rules]]\nmatch = "a"\nvisibility = "public"', "unknown key 'rules' (expected default and [[rule]] tables)"),
    ('rule = "公开/**"', "rule must be [[rule]] tables, each with match and visibility"),
    ('[[rule]]\nmatch = "a/**"', "rule 1: visibility must be public, internal or a group's name (no spaces or "
                                 "commas), not None"),
    ('[[rule]]\nmatch = "a/**"\nvisibility = "财政组, 人事组"', "rule 1: visibility must be public, internal or a "
                                                           "group's name (no spaces or commas), not '财政组, 人事组'"),
    ('[[rule]]\nmatch = "a/**"\nvisibility = "公开"', "rule 1: visibility '公开': write 'public'"),
    ('default = "Internal"', "default 'Internal': write 'internal'"),
    ('[[rule]]\nmatch = "/data/a/**"\nvisibility = "public"', "rule 1: match must be a glob on the path under the "
                                                             "source root, with / (e.g. \"公开/**\"), not '/data/a/**'"),
    ('[[rule]]\nmatch = "a/**"\nvisibility = "public"\ngroup = "x"',
     "rule 1: unknown key 'group' (expected match and visibility)"),
])
def test_malformed_rules_name_the_file_and_the_reason(tmp_path, text, reason):
    path = tmp_path / "visibility.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(indexer.VisibilityRulesError) as error:
        Rules.load(tmp_path)
    assert str(error.value) == f"{path}: {reason}"


def test_index_refuses_to_run_with_malformed_rules(tmp_path):
    index = tmp_path / "ix"
    index.mkdir()
    (index / "visibility.toml").write_text('[[rule]]\nmatch = "a/**"\nvisibility = "公开"\n')
    result = CliRunner().invoke(cli, ["index", str(MINUTES_2021_9), "--index", str(index)])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (  # after the progress bar's label
        1, f"Error: {index / 'visibility.toml'}: rule 1: visibility '公开': write 'public'")
    assert not (index / "live").exists()  # nothing was indexed


# --- indexing -------------------------------------------------------------------------------------


def labels(index: Path) -> dict[str, tuple[str, str]]:
    """Each indexed file's (visibility, reason), by its path under its source root."""
    with indexer.SearchIndex(index, time_limit=None) as ix:
        return {d.source: (d.visibility, d.visibility_reason) for d in ix.crossrefs().documents.values()}


def test_the_bundled_samples_are_public_but_one(search_index):
    docs = search_index.crossrefs().documents.values()
    assert sorted((d.source, d.visibility, d.visibility_reason) for d in docs) == sorted(
        [(name, "public", "marking 此件公开发布") for name in (
            "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt",
            "示例市政府关于同意设立示例高新技术产业开发区的批复.html",
            "示例市政府办公室关于加快发展保障性租赁住房的实施意见-2022-05.txt",
            "示例市政府工作报告-2022.txt",
            "示例市政府常务会议纪要-2020-15-messy.txt",
            "示例市政府常务会议纪要-2021-09.txt",
            "示例市政府常务会议纪要-2021-12-gb18030.txt")]
        + [("示例市政府专题会议纪要-2021-03.txt", "internal", "marking 此件不公开")])
    # Every record of a document carries its label, so the engine can filter by it.
    assert search_index.search(indexer.SearchRequest(q="维保"), access=indexer.Access.anonymous()).total == 0
    assert {h.doc_number for h in search_index.search(indexer.SearchRequest(q="维保")).hits} == {"〔2021〕3号"}


@pytest.fixture
def batch(tmp_path) -> Path:
    """Two good files and one marked 机密, in a folder."""
    folder = tmp_path / "batch"
    (folder / "2021").mkdir(parents=True)
    shutil.copy(MINUTES_2021_9, folder / "2021")
    shutil.copy(CORPUS / "示例市政府专题会议纪要-2021-03.txt", folder)
    (folder / "2021" / "机密纪要.txt").write_text(notice(head="机密★5年\n"), "utf-8")
    return folder


def test_classified_file_is_refused_and_the_batch_goes_on(batch, tmp_path):
    index = tmp_path / "ix"
    result = CliRunner().invoke(cli, ["index", str(batch), "--index", str(index)])
    refused = batch / "2021" / "机密纪要.txt"
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "indexed 2, unchanged 0, failed 1"
    assert f"failed: {refused}: {CLASSIFIED.format(level='机密', mark='机密★5年')}\n" in result.stderr
    assert labels(index) == {"2021/示例市政府常务会议纪要-2021-09.txt": ("public", "marking 此件公开发布"),
                             "示例市政府专题会议纪要-2021-03.txt": ("internal", "marking 此件不公开")}


def test_a_file_that_becomes_classified_leaves_the_index(batch, tmp_path):
    index = tmp_path / "ix"
    minutes = batch / "2021" / "示例市政府常务会议纪要-2021-09.txt"
    indexer.index_paths([batch], index)
    minutes.write_text("秘密★1年\n" + minutes.read_text("utf-8"), "utf-8")
    report = indexer.index_paths([batch], index)
    assert report.failed == (
        indexer.FileFailure(str(batch / "2021" / "机密纪要.txt"), CLASSIFIED.format(level="机密", mark="机密★5年")),
        indexer.FileFailure(str(minutes), CLASSIFIED.format(level="秘密", mark="秘密★1年")))
    assert labels(index) == {"示例市政府专题会议纪要-2021-03.txt": ("internal", "marking 此件不公开")}


def test_a_change_of_the_rules_decides_every_label_again(tmp_path):
    docs = tmp_path / "docs"
    (docs / "公开").mkdir(parents=True)
    (docs / "财政").mkdir()
    (docs / "公开" / "a.txt").write_text(notice(), "utf-8")
    (docs / "财政" / "b.txt").write_text(notice(number=32), "utf-8")
    (docs / "c.txt").write_text(notice(closing="（此件公开发布）\n", number=33), "utf-8")
    index = tmp_path / "ix"
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(docs), "--index", str(index)]).stdout.splitlines()[-1] == \
        "indexed 3, unchanged 0, failed 0"
    assert labels(index) == {"公开/a.txt": ("internal", "default"), "财政/b.txt": ("internal", "default"),
                             "c.txt": ("public", "marking 此件公开发布")}

    (index / "visibility.toml").write_text(RULES.replace("**/财政*", "财政/**"), "utf-8")
    result = runner.invoke(cli, ["index", "--index", str(index)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (0, "indexed 2, unchanged 1, failed 0")
    assert labels(index) == {"公开/a.txt": ("public", "rule 公开/** (visibility.toml)"),
                             "财政/b.txt": ("财政组", "rule 财政/** (visibility.toml)"),
                             "c.txt": ("public", "marking 此件公开发布")}
    assert runner.invoke(cli, ["index", "--index", str(index)]).stdout.splitlines()[-1] == \
        "indexed 0, unchanged 3, failed 0"

    # A comment changes nothing; another default changes only the documents it decides.
    (index / "visibility.toml").write_text("# 公开文件\n" + RULES.replace("**/财政*", "财政/**"), "utf-8")
    assert runner.invoke(cli, ["index", "--index", str(index)]).stdout.splitlines()[-1] == \
        "indexed 0, unchanged 3, failed 0"
    (index / "visibility.toml").write_text('[[rule]]\nmatch = "c.txt"\nvisibility = "办公室"\n', "utf-8")
    result = runner.invoke(cli, ["index", str(MINUTES_2021_9), "--index", str(index)])  # other paths named
    assert result.stdout.splitlines()[-1] == "indexed 4, unchanged 0, failed 0"
    assert labels(index) == {"公开/a.txt": ("internal", "default"), "财政/b.txt": ("internal", "default"),
                             "c.txt": ("办公室", "rule c.txt (visibility.toml)"),
                             "示例市政府常务会议纪要-2021-09.txt": ("public", "marking 此件公开发布")}

    # --if-needed: the index is current but for its labels; only they are decided again.
    (index / "visibility.toml").unlink()
    assert indexer.index_paths([], index, if_needed=True).indexed == (str(docs / "c.txt"),)
    assert labels(index)["c.txt"] == ("public", "marking 此件公开发布")
    assert indexer.index_paths([], index, if_needed=True).skipped


def test_a_label_whose_file_is_gone_is_reported_until_restored_or_pruned(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(notice(), "utf-8")
    (docs / "b.txt").write_text(notice(number=32), "utf-8")
    index = tmp_path / "ix"
    indexer.index_paths([docs], index)
    saved = (docs / "a.txt").read_bytes()
    (docs / "a.txt").unlink()
    (index / "visibility.toml").write_text('default = "public"\n', "utf-8")
    gone = indexer.FileFailure(str(docs / "a.txt"), "its visibility is not decided again (visibility.toml "
                                                    "changed): the file is gone; restore it, or index with --prune")
    assert indexer.index_paths([], index).failed == (gone,)
    assert indexer.index_paths([], index).failed == (gone,)  # asked again until it is settled
    (docs / "a.txt").write_bytes(saved)
    report = indexer.index_paths([], index)
    assert (report.indexed, report.failed) == ((str(docs / "a.txt"),), ())
    assert labels(index) == {"a.txt": ("public", "default (visibility.toml)"),
                             "b.txt": ("public", "default (visibility.toml)")}


# --- showing it -----------------------------------------------------------------------------------


def test_audit_shows_visibility_by_the_index_rules(batch, tmp_path):
    index = tmp_path / "ix"
    index.mkdir()
    (index / "visibility.toml").write_text('[[rule]]\nmatch = "2021/**"\nvisibility = "办公室"\n', "utf-8")
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["audit", str(batch), "--json", "--index", str(index)]).stdout)
    assert [(Path(f["path"]).name, f["visibility"], f["visibility_reason"], f["failure"]) for f in data["files"]] == [
        ("机密纪要.txt", "", "", CLASSIFIED.format(level="机密", mark="机密★5年")),
        ("示例市政府常务会议纪要-2021-09.txt", "办公室", "rule 2021/** (visibility.toml)", ""),
        ("示例市政府专题会议纪要-2021-03.txt", "internal", "marking 此件不公开", "")]
    assert data["totals"]["visibility"] == [{"value": "internal", "count": 1}, {"value": "办公室", "count": 1}]
    plain = json.loads(runner.invoke(cli, ["audit", str(batch), "--json"]).stdout)  # no index: markings, default
    assert [(f["visibility"], f["visibility_reason"]) for f in plain["files"]] == [
        ("", ""), ("public", "marking 此件公开发布"), ("internal", "marking 此件不公开")]

    text = runner.invoke(cli, ["audit", str(batch), "--index", str(index)])
    assert text.exit_code == 1
    assert "    visibility 办公室 (rule 2021/** (visibility.toml))\n" in text.stdout
    assert f"2021/机密纪要.txt\n    FAILED     {CLASSIFIED.format(level='机密', mark='机密★5年')}\n" in text.stdout
    assert "    visibility internal 1 · 办公室 1\n" in text.stdout


def test_parse_shows_visibility(tmp_path):
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["parse", str(MINUTES_2021_9), "--json"]).stdout)
    assert (data["public"], data["visibility"], data["visibility_reason"]) == (
        "此件公开发布", "public", "marking 此件公开发布")
    text = runner.invoke(cli, ["parse", str(MINUTES_2021_9)]).stdout
    assert "visibility: public (marking 此件公开发布)\n" in text
    index = tmp_path / "ix"
    index.mkdir()
    (index / "visibility.toml").write_text(f'[[rule]]\nmatch = "{MINUTES_2021_9.name}"\nvisibility = "办公室"\n')
    assert json.loads(runner.invoke(cli, ["parse", str(MINUTES_2021_9), "--json", "--index", str(index)]).stdout)[
        "visibility"] == "办公室"
    secret = tmp_path / "secret.txt"
    secret.write_text(notice(head="密级：绝密\n"), "utf-8")
    result = runner.invoke(cli, ["parse", str(secret)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {secret}: {CLASSIFIED.format(level='绝密', mark='密级：绝密')}\n")


def test_document_page_and_json_show_visibility(client, search_index):
    public = search_index.lookup("〔2021〕9号")[0]
    data = client.get(f"/api/doc/{public}").get_json()
    assert (data["public"], data["visibility"], data["visibility_reason"]) == (
        "此件公开发布", "public", "marking 此件公开发布")
    page = client.get(f"/doc/{public}").get_data(as_text=True)
    assert '<dt>可见范围</dt><dd class="visibility" data-visibility="public">公开 <span class="meta">' \
           '（按文件标注 此件公开发布）</span></dd>' in page


def test_audit_page_shows_visibility(client):
    page = client.get("/audit").get_data(as_text=True)
    assert '<span class="tag" data-visibility="public">公开 <span class="count">7</span></span>' in page
    assert '<span class="tag" data-visibility="internal">内部 <span class="count">1</span></span>' in page
    assert '<td class="visibility" data-visibility="internal">内部<br><span class="meta">按文件标注 此件不公开</span>' \
           '</td>' in page
    rows = client.get("/api/audit").get_json()["files"]
    assert Counter((f["visibility"], f["visibility_reason"]) for f in rows) == {
        ("public", "marking 此件公开发布"): 7, ("internal", "marking 此件不公开"): 1}


# --- the real corpus ------------------------------------------------------------------------------


def test_real_corpus_labels(real_corpus, real_docs):
    """Labels per document type over the real corpus (printed), decided as `minutes index` would
    with no visibility file. The Suzhou minutes carry （此件公开发布）; none is marked 秘密/机密/绝密."""
    counts: dict[str, Counter] = defaultdict(Counter)
    decided = {}
    for path, doc in real_docs.items():
        decided[path] = decide(doc, path, Rules())  # raises Classified for a classified one
        counts[doc.doc_type][decided[path].visibility] += 1
    for doc_type, labels_ in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{doc_type:8} " + "  ".join(f"{label} {n}" for label, n in sorted(labels_.items())))
    suzhou = SUZHOU.relative_to(real_corpus).as_posix()
    assert (decided[suzhou].visibility, decided[suzhou].visibility_reason) == ("public", "marking 此件公开发布")
    # The oracle: the files whose raw text holds a bracketed publication marking, read as bytes.
    oracle = {path for path in real_docs
              if any(m in (real_corpus / path).read_text("utf-8") for m in ("此件公开发布）", "此件主动公开)"))}
    restricted = {path for path in real_docs
                  if any(m in (real_corpus / path).read_text("utf-8") for m in ("此件发至", "此件发各"))}
    assert {p for p, d in decided.items() if d.visibility == "public"} == oracle - restricted
    assert {p: d.visibility_reason for p, d in decided.items() if p in restricted} == {
        p: "marking " + real_docs[p].public for p in restricted}
