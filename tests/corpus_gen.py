"""Many minutes-shaped documents made from the samples, for tests that need volume."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import indexer

from .conftest import CORPUS, MINUTES_2021_9


def write_minutes(folder: Path, count: int, start: int = 1, marker: str = "") -> list[Path]:
    """``count`` executive-meeting minutes numbered 〔2019〕start号 …, each its own session."""
    folder.mkdir(parents=True, exist_ok=True)
    template = MINUTES_2021_9.read_text("utf-8")
    paths = []
    for n in range(start, start + count):
        text = (template.replace("〔2021〕9号", f"〔2019〕{n}号").replace("第128次", f"第{1000 + n}次")
                .replace("其他事项", f"其他事项{marker}"))
        path = folder / f"minutes-{n:04d}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def two_segment_index(tmp_path: Path, minutes: int = 3) -> tuple[Path, Path]:
    """(folder, index): the samples indexed, then ``minutes`` generated minutes added in a
    second commit, so the index has more than one segment."""
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(CORPUS, folder)
    indexer.index_paths([folder], index_dir)
    write_minutes(folder, minutes)
    indexer.index_paths([folder], index_dir)
    return folder, index_dir


# --- varied minutes: many documents with a long tail of vocabulary --------------------------

_CN = "一二三四五六七八九十"


def _sample_pools() -> tuple[list[str], list[str]]:
    """(sentences, item titles) of the samples' agenda items."""
    files, _ = indexer.collect_files([CORPUS])
    sentences, titles = [], []
    for f in files:
        for item in indexer.read_document(f).items:
            if item.number:
                titles.append(item.title)
            sentences += [s + "。" for p in item.paragraphs[1:] for s in p.text.split("。")
                          if len(s) > 8 and not s.startswith("（")]
    return sorted(set(sentences)), sorted(set(titles))


def _dictionary_words(rng, count: int) -> list[str]:
    """``count`` real but uncommon words of jieba's dictionary (2–4 CJK characters)."""
    import jieba

    found = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, freq, _ = line.split(" ", 2)
            if 2 <= len(word) <= 4 and 3 <= int(freq) <= 60 and all("\u4e00" <= c <= "\u9fff" for c in word):
                found.append(word)
    return rng.sample(found, count)


class VariedMinutes:
    """Minutes-shaped documents drawn with a fixed seed: the samples' sentences recombined,
    city departments, numbers and Latin words, and uncommon dictionary words, so that words
    range from in every record to in one. Each document is 〔year〕N号 of session 第(1000+N)次."""

    def __init__(self, seed: int = 14, rare_words: int = 1500):
        self.seed = seed
        rng = random.Random(seed)
        self.sentences, self.titles = _sample_pools()
        self.depts = sorted(d.name for d in indexer.parse.gazetteer.departments() if d.level == "city")
        self.rare = _dictionary_words(rng, rare_words)

    def text(self, n: int, variant: int = 0) -> str:
        """Document number ``n``; another ``variant`` changes its text, not its number."""
        year, month, day, topical = self._header(n)
        rng = random.Random(f"{self.seed}:{n}:{variant}")
        kind = "专题会议" if topical else "常务会议"

        def words(k: int) -> list[str]:
            return rng.sample(self.rare, k)

        def dept() -> str:
            return rng.choice(self.depts)

        lines = [f"示例市人民政府{kind}纪要", f"〔{year}〕{n}号", f"示例市人民政府办公室 {year}年{month}月{day}日"]
        a, b = words(2)
        if topical:
            lines.append(f"{year}年{month}月{day}日，李华副市长主持召开专题会议，研究{a}和{b}工作。"
                         f"{dept()}、{dept()}等部门负责同志参加会议。纪要如下：")
        else:
            lines.append(f"{year}年{month}月{day}日，王明市长主持召开市政府第{1000 + n}次常务会议。"
                         f"会议研究了{a}、{b}等工作。纪要如下：")
        for k in range(1, rng.randint(3, 6) + 1):
            a, b, c = words(3)
            title = rng.choice([rng.choice(self.titles), f"研究{a}工作", f"关于{a}{b}", f"审议《示例市{a}管理办法（草案）》"])
            lines.append(f"{_CN[k - 1]}、{title}")
            for _ in range(rng.choice((1, 1, 2))):
                para = "".join(rng.sample(self.sentences, rng.randint(1, 2)))
                for known in ("市住建局", "市发改委", "市财政局", "市市场监管局"):
                    if known in para and rng.random() < 0.6:
                        para = para.replace(known, dept())
                if rng.random() < 0.7:
                    para += rng.choice([
                        f"会议要求，{a}要与{b}统筹推进，{c}。",
                        f"由{dept()}牵头，会同{dept()}，做好{a}、{b}和{c}工作。",
                        f"{a}项目总投资{rng.randint(2, 90)}亿元，完成率{rng.randint(50, 99)}.{rng.randint(1, 9)}%。",
                        f"推进5G网络和{a}建设，{rng.randint(2, 40)}个{b}在{rng.choice([15, 30, 45])}分钟内响应；{c}。",
                        f"“{a}{b}”试点经验要加快推广，GDP增速保持在{rng.randint(3, 9)}%以上。",
                        f"推进5G、物联网和{a}融合应用，{b}覆盖率达到{rng.randint(60, 99)}%。",
                        f"{a}指数{rng.randint(90, 130)}，同比提高{rng.randint(2, 9)}个百分点；{b}、{c}稳中有升。",
                    ])
                lines.append(para)
        lines += ["出席：王明、李华、张强", f"列席：{dept()} 周涛；{dept()} 郑伟", "记录：何平",
                  f"示例市人民政府办公室 {year}年{month}月{day + 1}日印发"]
        return "\n".join(lines) + "\n"

    def _header(self, n: int) -> tuple[int, int, int, bool]:
        """Year, month, day and whether a topical meeting: the same in every variant."""
        rng = random.Random(f"{self.seed}:{n}")
        return rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 27), rng.random() < 0.3

    def number(self, n: int) -> str:
        return f"〔{self._header(n)[0]}〕{n}号"

    def write(self, folder: Path, numbers, variant: int = 0) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for n in numbers:
            path = folder / f"varied-{n:04d}.txt"
            path.write_text(self.text(n, variant), "utf-8")
            paths.append(path)
        return paths
