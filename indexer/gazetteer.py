"""Departments and topics from the editable data files in ``indexer/data``.

``departments.tsv`` maps every name a department goes by to one canonical
name; ``topics.tsv`` maps marker words to topics. Matching is plain string
work, longest name first, so 国家发展改革委 is never read as 市发改委.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import TopicMatch

DATA_DIR = Path(__file__).with_name("data")
DEPARTMENTS_FILE = DATA_DIR / "departments.tsv"
TOPICS_FILE = DATA_DIR / "topics.tsv"
TERMS_FILE = DATA_DIR / "terms.txt"
SYNONYMS_FILE = DATA_DIR / "synonyms.tsv"
DATA_FILES = (DEPARTMENTS_FILE, TOPICS_FILE, TERMS_FILE, SYNONYMS_FILE)


@dataclass(frozen=True)
class Department:
    name: str
    level: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...]


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] in ("canonical", "topic", "word"):
            continue  # header row
        rows.append(cells)
    return rows


@lru_cache(maxsize=1)
def departments() -> tuple[Department, ...]:
    out = []
    for cells in _rows(DEPARTMENTS_FILE):
        name, level = cells[0].strip(), cells[1].strip()
        aliases = tuple(a.strip() for a in (cells[2] if len(cells) > 2 else "").split("|") if a.strip())
        out.append(Department(name, level, aliases))
    return tuple(out)


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    return tuple(
        Topic(cells[0].strip(), tuple(k.strip() for k in cells[1].split("|") if k.strip()))
        for cells in _rows(TOPICS_FILE)
    )


@lru_cache(maxsize=1)
def department_matcher() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern matching every known name (longest first) and name → canonical."""
    canonical = {}
    for dept in departments():
        for name in (dept.name, *dept.aliases):
            canonical.setdefault(name, dept.name)
    names = sorted(canonical, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), canonical


def is_known(name: str) -> bool:
    return name in department_matcher()[1]


def find_topics(text: str) -> tuple[TopicMatch, ...]:
    """Topics whose marker words occur in ``text``, in the rule file's order,
    each with the words found (its evidence)."""
    pattern, _ = department_matcher()
    text = pattern.sub(lambda m: "□" * len(m.group()), text)  # 市市场监管局 is not the topic 市场监管
    found = []
    for topic in topics():
        evidence = tuple(k for k in topic.keywords if k in text)
        if evidence:
            found.append(TopicMatch(topic.name, evidence))
    return tuple(found)


@lru_cache(maxsize=1)
def policy_terms() -> tuple[str, ...]:
    return tuple(line.strip() for line in TERMS_FILE.read_text("utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for cells in _rows(SYNONYMS_FILE):
        group = tuple(dict.fromkeys([cells[0].strip(), *(w.strip() for w in cells[1].split("|") if w.strip())]))
        for word in group:
            groups[word] = group
    return groups


def synonyms(word: str) -> tuple[str, ...]:
    """Other words to search for ``word``: a department's canonical name and
    aliases, or its synonym group. Empty when there are none."""
    _, canonical = department_matcher()
    if word in canonical:
        dept = next(d for d in departments() if d.name == canonical[word])
        return tuple(n for n in (dept.name, *dept.aliases) if n != word)
    return tuple(w for w in _synonym_groups().get(word, ()) if w != word)


def canonical_department(name: str) -> str:
    """The canonical name for any alias; unknown names come back unchanged."""
    return department_matcher()[1].get(name, name)


def user_words() -> list[str]:
    """Names and terms the word segmenter must keep whole."""
    words = {name for d in departments() for name in (d.name, *d.aliases)}
    words |= {k for t in topics() for k in t.keywords}
    words |= set(policy_terms()) | set(_synonym_groups())
    return sorted(words)


def data_fingerprint() -> str:
    h = hashlib.sha256()
    for path in DATA_FILES:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
