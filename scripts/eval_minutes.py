"""How well the parser reads real minutes of many governments: eval/minutes_dev.tsv.

Each row of the TSV holds the facts a person read from one real minutes (a page of a
government's website: its address is in the row) — never the text. The texts are saved
during a session to a folder outside the repository (default ../minutes-dev, beside the
project; ``--texts DIR``), under the row's ``file`` path. This parses each with
``indexer.parse_text`` — what ``minutes parse`` does — and prints, per field, how many
facts the parse got right. A benchmark: it asserts nothing.

Fields and what counts as right (values compared without spaces, traditional characters
folded to simplified):
- type: the document is typed 会议纪要 (every row);
- title: the parsed title equals the printed title (rows that print one);
- number: the document number equals the printed one (rows that print one);
- session: same sequence number and, where numbered per year, the same year (every row;
  a meeting without a number must get none);
- date: the meeting's date (every row; an unreadable date must give "");
- chair, chair_role: who chaired and the role word beside the name (rows naming a chair);
- first_lead: a lead unit of the first item is the unit named (rows naming one);
- items: the number of agenda items (rows that count them);
- attendance: the number of persons named as attending (rows that count them).

    scripts/eval_minutes.py                      # the score per field
    scripts/eval_minutes.py --show-misses        # and each miss: file, expected, parsed
    scripts/eval_minutes.py --field chair --show-misses
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import indexer
from indexer.hanzi import simplified

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "eval" / "minutes_dev.tsv"
DEFAULT_TEXTS = ROOT.parent / "minutes-dev"
FIELDS = ("type", "title", "number", "session", "date", "chair", "chair_role", "first_lead", "items", "attendance")
ALWAYS = {"type", "session", "date"}  # scored on every row; the others where the row records a value


def _fold(text: str) -> str:
    return simplified(text)  # facts are recorded in simplified characters


def _plain(text: str) -> str:
    text = re.sub(r"\s+", "", _fold(text or "")).replace("（", "(").replace("）", ")")
    return text.translate(str.maketrans({",": "，", ":": "：", ";": "；"}))


def session_key(text: str) -> tuple[str, int] | None:
    """(year or "", sequence) of a session as written (2023年度第5次常务会议 → ("2023", 5))."""
    text = _plain(text)
    m = re.search(r"第?(\d{1,4})次", text)
    if not m:
        return None
    year = re.match(r"((?:19|20)\d\d)年", text)
    return (year.group(1) if year else "", int(m.group(1)))


def _unit(name: str) -> str:
    return re.sub(r"^(?:[市区县旗州])", "", _plain(name))


def parsed_facts(doc) -> dict[str, str]:
    first = doc.items[0] if doc.items else None
    leads = [r.name for r in (first.roles if first else ()) if r.role == "lead"]
    return {
        "type": doc.doc_type,
        "title": doc.title,
        "number": doc.doc_number,
        "session": doc.session,
        "date": doc.date,
        "chair": doc.chair_name,
        "chair_role": doc.chair_title,
        "first_lead": "、".join(leads),
        "items": str(len([i for i in doc.items if i.number])),
        "attendance": str(len(doc.attendance.present)),
    }


def right(field: str, expected: str, parsed: str) -> bool:
    if field == "type":
        return parsed == "会议纪要"
    if field == "session":
        return session_key(expected) == session_key(parsed)
    if field == "number":  # minutes numbered by their kind (常务会议纪要〔2023〕39号) are 〔2023〕39号
        return _plain(re.sub(r"^.*纪要(?=〔)", "", expected)) == _plain(parsed)
    if field == "first_lead":
        return _unit(expected) in {_unit(p) for p in parsed.split("、") if p}
    return _plain(expected) == _plain(parsed)


def scored(field: str, expected: str) -> bool:
    if field in ALWAYS:
        return True
    if field in ("items", "attendance"):
        return expected not in ("", "0")
    return bool(expected.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder holding the saved texts")
    parser.add_argument("--facts", type=Path, default=FACTS)
    parser.add_argument("--field", choices=FIELDS, action="append", help="only these fields (repeatable)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    fields = args.field or list(FIELDS)
    if not args.texts.is_dir():
        print(f"no texts at {args.texts}: save the pages listed in {args.facts.name} there first", file=sys.stderr)
        return 2
    with args.facts.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    totals = {field: [0, 0] for field in fields}
    misses: list[str] = []
    missing = 0
    for row in rows:
        path = args.texts / row["file"]
        if not path.is_file():
            missing += 1
            continue
        try:
            doc = indexer.parse_text(path.read_text(encoding="utf-8"), source=str(path))
        except indexer.MinutesError as e:
            facts = {}
            misses.append(f"{row['file']}: parse error: {e}")
        else:
            facts = parsed_facts(doc)
        for field in fields:
            expected = row.get(field, "") or ""
            if not scored(field, expected):
                continue
            totals[field][1] += 1
            got = facts.get(field, "")
            if facts and right(field, expected, got):
                totals[field][0] += 1
            elif args.show_misses:
                misses.append(f"{field:10} {row['file']:14} expected {expected or '∅'!r:34} parsed {got or '∅'!r}")
    print(f"{len(rows) - missing} of {len(rows)} minutes read from {args.texts}"
          + (f" ({missing} texts missing)" if missing else ""))
    for field in fields:
        ok, total = totals[field]
        print(f"  {field:11} {ok:3d}/{total:<3d} {100 * ok / total:5.1f}%" if total else f"  {field:11}   -")
    all_ok, all_total = sum(t[0] for t in totals.values()), sum(t[1] for t in totals.values())
    if all_total:
        print(f"  {'all facts':11} {all_ok:3d}/{all_total:<3d} {100 * all_ok / all_total:5.1f}%")
    if args.show_misses and misses:
        print("\n".join(["", "misses:", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
