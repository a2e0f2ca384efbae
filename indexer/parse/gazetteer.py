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

from ..model import TopicMatch

DATA_DIR = Path(__file__).resolve().parent.parent / "data"  # indexer/data: the editable tables
DEPARTMENTS_FILE = DATA_DIR / "departments.tsv"
PLACES_FILE = DATA_DIR / "places.tsv"
TOPICS_FILE = DATA_DIR / "topics.tsv"
TERMS_FILE = DATA_DIR / "terms.txt"
SYNONYMS_FILE = DATA_DIR / "synonyms.tsv"
DATA_FILES = (DEPARTMENTS_FILE, PLACES_FILE, TOPICS_FILE, TERMS_FILE, SYNONYMS_FILE)

STATE, PROVINCE, CITY, COUNTY = "state", "province", "city", "county"
LEVELS = (STATE, PROVINCE, CITY, COUNTY)
# Issuers of the central level: 国务院, 中共中央办公厅, 国家能源局…, 最高人民法院, …部, 审计署.
_STATE_ISSUER = re.compile(r"^(?:国务院|中共中央|中央|全国|国家|最高人民|中国|政务院)|^[^省市县区]{2,10}(?:部|署|总局)$")


@dataclass(frozen=True)
class Department:
    name: str
    level: str
    aliases: tuple[str, ...]  # names that always mean this unit
    short: tuple[str, ...] = ()  # names that mean it only in documents of its level


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """A unit named in a text: where, its name (canonical when known), level."""

    start: int
    end: int
    name: str
    known: bool
    level: str


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] in ("canonical", "topic", "word", "place"):
            continue  # header row
        rows.append(cells)
    return rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


@lru_cache(maxsize=1)
def departments() -> tuple[Department, ...]:
    out = []
    for cells in _rows(DEPARTMENTS_FILE):
        cells += [""] * (4 - len(cells))
        out.append(Department(cells[0].strip(), cells[1].strip(), _split(cells[2]), _split(cells[3])))
    return tuple(out)


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Place name → level, for the full names (苏州市, 山东省) and their short
    forms (苏州, 山东) as they stand before unit names."""
    found: dict[str, str] = {}
    for cells in _rows(PLACES_FILE):
        name, level = cells[0].strip(), cells[1].strip()
        found[name] = level
        bare = re.sub(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", name)
        if len(bare) >= 2:
            found.setdefault(bare, level)
    return found


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    return tuple(
        Topic(cells[0].strip(), tuple(k.strip() for k in cells[1].split("|") if k.strip()))
        for cells in _rows(TOPICS_FILE)
    )


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Department], dict[str, dict[str, Department]]]:
    """Explicit name → unit, and short name → level → unit."""
    explicit: dict[str, Department] = {}
    short: dict[str, dict[str, Department]] = {}
    for dept in departments():
        for name in (dept.name, *dept.aliases):
            explicit.setdefault(name, dept)
        for name in dept.short:
            short.setdefault(name, {}).setdefault(dept.level, dept)
    return explicit, short


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    explicit, short = _tables()
    names = sorted(set(explicit) | set(short), key=len, reverse=True)
    place_names = sorted(places(), key=len, reverse=True)
    return re.compile(f"(?P<place>{'|'.join(map(re.escape, place_names))})?"
                      f"(?P<name>{'|'.join(map(re.escape, names))})")


def department_matcher() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern matching every known name (longest first, with an optional place
    before it) and each explicit name → canonical."""
    explicit, _ = _tables()
    return _pattern(), {name: dept.name for name, dept in explicit.items()}


def issuer_level(issuers) -> str:
    """state / province / city / county for the first issuer, "" when unknown."""
    issuer = next(iter(issuers), "") if not isinstance(issuers, str) else issuers
    if not issuer:
        return ""
    if _STATE_ISSUER.search(issuer):
        return STATE
    place = issuer_place(issuer)
    if place:
        return places()[place]
    for marker, level in (("省", PROVINCE), ("自治区", PROVINCE), ("市", CITY), ("州", CITY), ("县", COUNTY), ("区", COUNTY)):
        if marker in issuer[:6]:
            return level
    return ""


def issuer_place(issuer: str) -> str:
    """The place an issuer belongs to (苏州市人民政府 → 苏州市; 中共山东省委 → 山东省)."""
    head = issuer[:12]
    found = [(head.find(p), -len(p), p) for p in places() if p in head]
    return min(found)[2] if found else ""


def _same_place(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def find_departments(text: str, level: str = "", place: str = "") -> list[Mention]:
    """The units ``text`` names, read at the level of the document they stand in
    (``level``: what short names mean) and for its ``place`` (units of another
    place keep their full name)."""
    explicit, short = _tables()
    out = []
    # In Beijing, Shanghai, Tianjin and Chongqing the city is a province: its 市人大常委会 is provincial.
    municipality = place[:-1] if place.endswith("市") and places().get(place) == PROVINCE else ""
    for m in _pattern().finditer(text):
        name, where = m.group("name"), m.group("place") or ""
        if text[m.end():m.end() + 1] == "门" and name.endswith("部"):
            continue  # 财政部门, 民政部门: a kind of department, not the ministry
        where_level = places().get(where, "")
        if name in explicit:
            dept = explicit[name]
            if dept.level == CITY and name.startswith("市") and (
                    (where and where_level == PROVINCE) or (not where and municipality)):
                out.append(Mention(m.start(), m.end(), (where or municipality).removesuffix("市") + dept.name,
                                   True, PROVINCE))
            elif where and where_level and not _same_place(where, place) and dept.level != STATE:
                out.append(Mention(m.start(), m.end(), m.group(0), True, dept.level))
            else:
                out.append(Mention(m.start(), m.end(), dept.name, True, dept.level))
            continue
        at = where_level or level or CITY
        if not where and at == COUNTY and _county_prefix(text, m.start()):
            # 区应急管理局 in a district's minutes: the district's own unit, named with its level word.
            out.append(Mention(m.start() - 1, m.end(), text[m.start() - 1] + name, False, COUNTY))
            continue
        dept = short[name].get(at)
        if dept is None and where[-1:] in ("省", "市") and where[-1] + name in explicit:
            dept = explicit[where[-1] + name]  # 山东省档案馆: 山东 + 省档案馆, not 山东省 + 档案馆
        if dept is None:  # no unit of this level goes by the short name: keep it as written
            out.append(Mention(m.start(), m.end(), m.group(0), False, at))
        elif where and not _same_place(where, place):
            out.append(Mention(m.start(), m.end(), m.group(0), True, dept.level))
        else:
            out.append(Mention(m.start(), m.end(), dept.name, True, dept.level))
    return out


_BEFORE_COUNTY_UNIT = set("由同成和及与、，。；：请对将把向为是了按经意过定议听取 \n")  # 由区…, 同意区…, 听取区…


def _county_prefix(text: str, start: int) -> bool:
    """True when 区 / 县 / 旗 right before ``start`` names the document's own county-level
    government (由区财政局, 、县教育局) — not the end of a place (示例区财政局, 各区财政局)."""
    if start < 1 or text[start - 1] not in "区县旗":
        return False
    return start < 2 or text[start - 2] in _BEFORE_COUNTY_UNIT or not "\u4e00" <= text[start - 2] <= "\u9fff"


def level_of(name: str) -> str:
    """The level of a canonical or explicit name, "" when unknown."""
    dept = _tables()[0].get(name)
    return dept.level if dept else ""


def is_known(name: str) -> bool:
    explicit, short = _tables()
    return name in explicit or name in short


def find_topics(text: str) -> tuple[TopicMatch, ...]:
    """Topics whose marker words occur in ``text``, in the rule file's order,
    each with the words found (its evidence)."""
    text = _pattern().sub(lambda m: "□" * len(m.group()), text)  # 市市场监管局 is not the topic 市场监管
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


def _unit(word: str) -> Department | None:
    """The unit a name means at the office's own level (a city), or at any level."""
    explicit, short = _tables()
    if word in explicit:
        return explicit[word]
    by_level = short.get(word, {})
    return by_level.get(CITY) or next(iter(by_level.values()), None)


def synonyms(word: str) -> tuple[str, ...]:
    """Other words to search for ``word``: a department's canonical name and
    aliases, or its synonym group. Empty when there are none."""
    dept = _unit(word)
    if dept is not None:
        return tuple(n for n in dict.fromkeys((dept.name, *dept.aliases)) if n != word)
    group = _synonym_groups().get(word)
    if group:
        return tuple(w for w in group if w != word)
    return _within(word)


def _within(word: str) -> tuple[str, ...]:
    """A word holding a short name of the synonym file (北京人大, 医保基金): the word with that
    short name spelt out (北京人民代表大会, 医疗保障基金) — the longest short name it holds, only
    toward a longer name."""
    for short in _short_names():
        if short in word:
            return tuple(word.replace(short, full) for full in _synonym_groups()[short] if len(full) > len(short))
    return ()


@lru_cache(maxsize=1)
def _short_names() -> tuple[str, ...]:
    return tuple(sorted((w for w in _synonym_groups() if len(w) >= 2), key=len, reverse=True))


def canonical_department(name: str) -> str:
    """The canonical name for any alias (a short name: the city's unit); unknown names come back unchanged."""
    dept = _unit(name)
    return dept.name if dept else name


def user_words() -> list[str]:
    """Names and terms the word segmenter must keep whole."""
    words = {name for d in departments() for name in (d.name, *d.aliases, *d.short)}
    words |= {k for t in topics() for k in t.keywords}
    words |= set(policy_terms()) | set(_synonym_groups())
    return sorted(words)


def data_fingerprint() -> str:
    h = hashlib.sha256()
    for path in DATA_FILES:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
