"""Scores and suggestions never depend on what the caller may not read (issue 26): term statistics
and the vocabulary's counts are taken over the caller's records. Two indexes hold the same public
documents and hidden ones that do, or do not, use the word asked for; an anonymous caller must get
the same answers from both (invented specimens)."""
from __future__ import annotations

from pathlib import Path

import pytest

import indexer

PUBLIC, HIDDEN = "（此件公开发布）\n", "（此件不公开）\n"


def notice(number: int, body: str, closing: str) -> str:
    return (f"示例市人民政府关于第{number}项工作的通知\n示府发〔2023〕{number}号\n各区人民政府：\n　　{body}\n"
            f"　　一、落实责任。各区要抓好落实。\n示例市人民政府\n2023年3月{number}日\n{closing}")


def build(root: Path, hidden: str) -> Path:
    corpus, index_dir = root / "corpus", root / "index"
    corpus.mkdir(parents=True)
    texts = {
        # 安全生产 in three public records, 安全隐患 in two, 安全监管 in one.
        "p1.txt": notice(1, "推进电梯维保工作，电梯维保要规范，抓好安全生产。", PUBLIC),
        "p2.txt": notice(2, "做好电梯维保和公交线网优化工作，抓好安全生产，排查安全隐患。", PUBLIC),
        "p3.txt": notice(3, "加强公交线网建设，抓好安全生产，排查安全隐患，强化安全监管。", PUBLIC),
        # Hidden: the same words, or others in their place.
        "h1.txt": notice(4, f"研究{hidden}工作，{hidden}要统筹推进。", HIDDEN),
        "h2.txt": notice(5, f"部署{hidden}相关工作，{hidden}要加快。", HIDDEN),
        "h3.txt": notice(6, f"关于{hidden}的安排，{hidden}要落实。", HIDDEN),
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, "utf-8")
    assert not indexer.index_paths([corpus], index_dir).failed
    return index_dir


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> tuple[Path, Path]:
    """Hidden documents that use the public word 电梯维保, and ones that use another in its place."""
    return (build(tmp_path_factory.mktemp("with"), "电梯维保、安全隐患、安全监管"),
            build(tmp_path_factory.mktemp("without"), "猕猴桃园、茶叶种植、果树管护"))


def answers(index_dir: Path, access) -> list:
    with indexer.SearchIndex(index_dir) as ix:
        found = []
        for q in ("电梯维保", "电梯维保 公交线网", '"电梯维保"', "电梯"):
            result = ix.search(indexer.SearchRequest(q=q), access=access)
            found.append([(h.doc_number, h.item_no, h.score) for h in result.hits])
        found.append([s.value for s in ix.suggest("安全", 20, access=access)])
        found.append([s.value for s in ix.suggest("电梯", 20, access=access)])
        found.append(ix.search(indexer.SearchRequest(q="安全监督"), access=access).did_you_mean)
        found.append([(p.doc_number, p.similarity) for p in ix.similar("推进电梯维保工作，要规范。", access=access)])
        return found


def test_an_anonymous_callers_scores_do_not_tell_what_hidden_records_hold(twins):
    with_word, without_word = twins
    anonymous = indexer.Access.anonymous()
    seen = answers(with_word, anonymous)
    assert seen[0] and all(score > 0 for *_, score in seen[0])
    # Not 安全监管: one public record uses it (four with the hidden ones), and a word is offered when
    # two records the caller may read use it.
    assert "安全隐患" in seen[4] and "安全监管" not in seen[4]
    assert seen == answers(without_word, anonymous)


def test_the_whole_index_is_scored_as_whoosh_scores_it(twins):
    """The check above can fail: over every record, the hidden word changes the public scores."""
    with_word, without_word = twins
    everything = indexer.Access.everything()
    seen = answers(with_word, everything)
    assert seen[0] != answers(without_word, everything)[0]
    assert "安全监管" in seen[4]
