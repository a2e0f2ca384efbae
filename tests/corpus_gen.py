"""Many minutes-shaped documents made from one sample, for tests that need volume."""
from __future__ import annotations

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
