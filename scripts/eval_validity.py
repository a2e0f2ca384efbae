"""Repeals and revisions on the real corpus: eval/validity_golden.tsv against what we find.

Each golden row is a fact read from one line of a corpus file (never its text): the file, the
line number, the kind (repealed, expired, revised, or none for a line that only talks of
repeal or revision in general), the document it speaks of (a normalized title, or <self> for
the file's own document: a revision history), its number, the date and the revising decision.

Two ways of finding them are scored, both precision and recall:

- **raw**: :func:`indexer.parse.statements` over each corpus file's own text, located by line;
  a finding counts when a positive row has its file, line, kind, document and date.
- **index**: the validity table the index built at commit (what the labels rest on); a finding
  counts when a positive row has its file, kind, document and date and the finding's sentence
  is on that row's line (the index keeps sentences, not lines).

    .venv/bin/python scripts/eval_validity.py [--real-corpus PATH] [--show-misses]

``scripts/eval --only validity`` runs the index half with the other real-corpus blocks.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import indexer
from indexer.parse import statements

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "eval" / "validity_golden.tsv"
REAL_CORPUS = Path(indexer.setting_value("REAL_CORPUS") or ROOT.parent / "shared" / "corpus")
NONE, OWN = "none", "<self>"
SUFFIXES = (".txt", ".md")  # the files whose lines the rows count (the .html fragments hold no row)


@dataclass(frozen=True)
class Golden:
    file: str
    line: int
    kind: str
    target: str  # a normalized title, <self>, or "" (a none row; or a repeal by number only)
    number: str
    date: str
    by: str


@dataclass(frozen=True)
class Found:
    file: str
    line: int  # 0 when not known (the index's findings)
    kind: str
    target: str
    date: str
    sentence: str


def load_golden(path: Path = GOLDEN) -> list[Golden]:
    with open(path, encoding="utf-8", newline="") as f:
        return [Golden(r["file"], int(r["line"]), r["kind"], r["target"], r["number"], r["date"], r["by"])
                for r in csv.DictReader(f, delimiter="\t")]


def key(text: str) -> str:
    """Text compared as a reader may have rewritten it: compatibility forms, no whitespace, ISO dates as written."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    return re.sub(r"\s+", "", text)


def raw_found(corpus: Path) -> list[Found]:
    """Every statement in the corpus's text files, by the line it starts on."""
    out = []
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        text = path.read_text("utf-8")
        for s in statements("", text):
            line = text.count("\n", 0, max(s.start, 0)) + 1
            out.append(Found(path.relative_to(corpus).as_posix(), line, s.kind, s.target or OWN, s.date, s.sentence))
    return out


def index_found(table, path_of: dict[str, str]) -> list[Found]:
    """Every statement the index's validity table holds, by the file of the document that makes it."""
    return [Found(path_of.get(doc_id, doc_id), 0, s.kind, s.target or OWN, s.date, s.sentence)
            for doc_id in table.documents for s, _ in table.said_by(doc_id) if path_of.get(doc_id, "").endswith(SUFFIXES)]


def score(found: list[Found], golden: list[Golden], corpus: Path) -> dict:
    """Precision and recall of ``found`` against the positive rows, overall and per kind;
    the misses (rows not found) and the false findings (found, no row)."""
    lines: dict[str, list[str]] = {}

    def line_text(file: str, n: int) -> str:
        if file not in lines:
            lines[file] = (corpus / file).read_text("utf-8").split("\n")
        return lines[file][n - 1] if 0 < n <= len(lines[file]) else ""

    positives = [g for g in golden if g.kind != NONE]

    def matches(f: Found, g: Golden) -> bool:
        same = (f.file, f.kind, f.target, f.date) == (g.file, g.kind, g.target or OWN, g.date)
        if f.line:
            return same and f.line == g.line
        return same and key(f.sentence) in key(line_text(g.file, g.line))

    true = [f for f in found if any(matches(f, g) for g in positives)]
    hit = [g for g in positives if any(matches(f, g) for f in found)]
    kinds = sorted({g.kind for g in positives} | {f.kind for f in found})
    per_kind = {}
    for kind in kinds:
        fk, gk = [f for f in found if f.kind == kind], [g for g in positives if g.kind == kind]
        per_kind[kind] = (sum(1 for f in true if f.kind == kind), len(fk), sum(1 for g in hit if g.kind == kind), len(gk))
    return {
        "precision": len(true) / len(found) if found else 1.0,
        "recall": len(hit) / len(positives) if positives else 1.0,
        "found": len(found), "true": len(true), "rows": len(positives), "hit": len(hit),
        "none_rows": len(golden) - len(positives), "per_kind": per_kind,
        "misses": [g for g in positives if g not in hit],
        "false": [f for f in found if f not in true],
    }


def labels_check(table) -> dict:
    """What the labels rest on: every label but 未见废止 names a document and its sentence, and
    how many documents carry each label."""
    counts: dict[str, int] = {}
    unfounded = []
    for doc_id in table.documents:
        v = table.validity(doc_id)
        counts[v.label] = counts.get(v.label, 0) + 1
        if v.label != "未见废止" and (v.decided is None or not v.decided.doc_id or not v.decided.sentence):
            unfounded.append(doc_id)
    return {"counts": counts, "unfounded": unfounded}


def report(title: str, result: dict, show_misses: bool) -> None:
    print(f"  {title}: precision {result['precision']:.1%} ({result['true']}/{result['found']}), "
          f"recall {result['recall']:.1%} ({result['hit']}/{result['rows']})")
    for kind, (true, found, hit, rows) in result["per_kind"].items():
        print(f"    {kind:<9} precision {true}/{found}  recall {hit}/{rows}")
    if show_misses:
        for g in result["misses"]:
            print(f"    missed  {g.file}:{g.line} {g.kind} {g.target or g.number} {g.date}")
        for f in result["false"]:
            print(f"    false   {f.file}:{f.line or '?'} {f.kind} {f.target} {f.date} | {f.sentence[:40]}")


def block(corpus: Path, table, path_of: dict[str, str], show_misses: bool = False) -> None:
    """The scripts/eval block: both halves, and what the labels rest on."""
    golden = load_golden()
    print(f"  {len(golden)} golden rows: {sum(g.kind != NONE for g in golden)} repeals and revisions, "
          f"{sum(g.kind == NONE for g in golden)} lines of general talk")
    report("raw text", score(raw_found(corpus), golden, corpus), show_misses)
    report("index", score(index_found(table, path_of), golden, corpus), show_misses)
    labels = labels_check(table)
    print(f"  labels: {', '.join(f'{k} {v}' for k, v in sorted(labels['counts'].items()))}; "
          f"without a document and sentence: {len(labels['unfounded'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real-corpus", default=str(REAL_CORPUS))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    corpus = Path(args.real_corpus)
    if not (corpus / "MANIFEST.tsv").is_file():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    files, _ = indexer.collect_files([corpus])
    path_of = {indexer.read_document(f).id: f.relative_to(corpus).as_posix() for f in files}
    with tempfile.TemporaryDirectory(prefix="minutes-validity-") as tmp:
        indexer.index_paths([corpus], Path(tmp) / "ix")
        with indexer.SearchIndex(Path(tmp) / "ix", time_limit=None) as ix:
            print(f"validity ({corpus})")
            block(corpus, ix.validity_table(), path_of, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
