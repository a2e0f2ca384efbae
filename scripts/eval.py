"""Relevance benchmark: three judged query sets, each run against our pipeline
and against the naive baseline (jieba's ChineseAnalyzer on one Whoosh field)
built from the same files in the same run.

1. The specimens: scripts/eval_queries.tsv over samples/corpus, judged per
   record (agenda item or preamble).
2. The real corpus: scripts/eval_real_queries.tsv over ../shared/corpus (read in
   place, never copied), judged per document: a system's answer is the list of
   distinct documents in the order of their first hit, and the relevant ones are
   the documents the judgments name by path. Item numbers depend on the parser,
   paths do not. Quoted phrases are stored as {quote:PATH:OFFSET:LENGTH}
   locators and read from the files at run time. When the folder is absent the
   block is skipped with a line saying why; MINUTES_REQUIRE_REAL_CORPUS=1 makes
   that an error (exit 1).

3. The hard set: scripts/eval_hard_queries.tsv over the same corpus, queries
   written as staff ask when they do not remember a document's words (paraphrase,
   question, colloquial or abbreviation, time-scoped, department-scoped, hard
   negative), one judged document each, judged per document as in block 2. A third
   system joins: plain BM25 with OR (the naive index queried with OrGroup). Prints
   MRR, success@1 and the zero-result rate of the three. Skipped, or an error, like
   block 2 when the corpus is absent.

4. Validity: eval/validity_golden.tsv, which document repeals or revises which, read from lines
   of the same corpus (scripts/eval_validity.py): precision and recall of the statements the
   labels rest on, from the files' text and from the index's validity table, and how many
   documents carry each label (each but 未见废止 must name a document and sentence).
5. The answer card: eval/answers.tsv, real questions on the same corpus with their
   answers (lead unit, meeting, date, decision, validity), asked of the card
   (scripts/eval_answers.py); prints its precision and recall per question type.
   Skipped, or an error, like block 2 when the corpus is absent.

Blocks 1 and 2 print MRR, nDCG@10, recall@10 and the zero-result rate, overall
and per query class. A benchmark, not a test: it asserts nothing and prints figures.

    scripts/eval                           # all five blocks
    scripts/eval --only hard               # one block (specimens, real, hard, validity, answers; repeatable)
    scripts/eval --show-misses             # also list queries whose first relevant hit is not first
    scripts/eval --real-corpus /path/to/corpus
"""
from __future__ import annotations

import argparse
import math
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import indexer

sys.path.insert(0, str(Path(__file__).resolve().parent))  # beside this script, also when a test loads it
import eval_answers  # noqa: E402  (scripts/eval_answers.py: the answer card's judge)
import eval_validity  # (scripts/eval_validity.py: repeals and revisions)
import naive  # noqa: E402  (scripts/naive.py: the baseline)

ROOT = Path(__file__).resolve().parent.parent
K = 10
REAL_CORPUS = Path(indexer.setting_value("REAL_CORPUS") or ROOT.parent / "shared" / "corpus")
REAL_QUERIES = ROOT / "scripts" / "eval_real_queries.tsv"
HARD_QUERIES = ROOT / "scripts" / "eval_hard_queries.tsv"
HARD_CLASSES = ("paraphrase", "question", "colloquial", "time", "department", "negative")
HARD_SYSTEMS = ("ours", "naive", "OR")
BLOCKS = ("specimens", "real", "hard", "validity", "answers")
REQUIRE_REAL = indexer.setting("REQUIRE_REAL_CORPUS").variable
# {quote:PATH:OFFSET:LENGTH}: LENGTH characters at character OFFSET of the file's UTF-8 text.
QUOTE = re.compile(r"\{quote:([^{}]+):(\d+):(\d+)\}")
# Records of one document fetched per page when collecting a ranked list of documents,
# and the most pages read (500 records: more than any query here needs for ten documents).
PAGE_SIZE, MAX_PAGES = 100, 5


def load_queries(path: Path) -> list[tuple[str, str, list[str]]]:
    queries = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            sys.exit(f"{path}:{n}: expected class<TAB>query<TAB>relevant, got {line!r}")
        queries.append((cells[0], cells[1], cells[2].split()))
    return queries


def resolver(docs: list[indexer.Document]):
    by_key = {}
    for doc in docs:
        by_key[doc.doc_number or doc.title] = doc.id

    def resolve(ref: str) -> str:
        key, _, part = ref.rpartition("#")
        if key not in by_key:
            sys.exit(f"judged record {ref!r}: no sample has number or title {key!r}")
        return f"{by_key[key]}#preamble" if part == "preamble" else f"{by_key[key]}#item-{int(part)}"

    return resolve


def metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    top = ranked[:K]
    first = next((i for i, rid in enumerate(top, 1) if rid in relevant), None)
    dcg = sum(1 / math.log2(i + 1) for i, rid in enumerate(top, 1) if rid in relevant)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(relevant), K) + 1))
    return {
        "mrr": 1 / first if first else 0.0,
        "ndcg": dcg / ideal if ideal else 0.0,
        "recall": len(set(top) & relevant) / len(relevant),
        "zero": 1.0 if not ranked else 0.0,
    }


def table(title: str, rows: dict[str, dict[str, list[dict]]]) -> None:
    print(f"\n{title}")
    print(f"{'class':<14}{'n':>4}  {'MRR':>13}  {'nDCG@10':>13}  {'recall@10':>13}  {'zero-result':>13}")
    print(f"{'':<14}{'':>4}  {'ours / naive':>13}  {'ours / naive':>13}  {'ours / naive':>13}  {'ours / naive':>13}")
    for name, systems in rows.items():
        n = len(systems["ours"])
        cells = []
        for metric in ("mrr", "ndcg", "recall", "zero"):
            ours = sum(m[metric] for m in systems["ours"]) / n
            base = sum(m[metric] for m in systems["naive"]) / n
            cells.append(f"{ours:.3f} / {base:.3f}")
        print(f"{name:<14}{n:>4}  " + "  ".join(f"{c:>13}" for c in cells))


def specimen_block(args) -> None:
    files, _ = indexer.collect_files([args.corpus])
    docs = [indexer.read_document(f) for f in files]
    resolve = resolver(docs)
    queries = load_queries(Path(args.queries))
    with tempfile.TemporaryDirectory() as tmp:
        report = indexer.index_paths([args.corpus], Path(tmp) / "ours")
        if report.failed:
            sys.exit(f"indexing failed: {report.failed}")
        naive.build(docs, Path(tmp) / "naive")
        ours, base = indexer.SearchIndex(Path(tmp) / "ours"), naive.NaiveIndex(Path(tmp) / "naive")
        rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"ours": [], "naive": []})
        misses = []
        for cls, q, refs in queries:
            relevant = {resolve(r) for r in refs}
            result = ours.search(indexer.SearchRequest(q=q, size=K))
            ranked = [h.id for h in result.hits]
            mine = metrics(ranked, relevant)
            theirs = metrics(base.search(q, K)[0], relevant)
            for key in (cls, "overall"):
                rows[key]["ours"].append(mine)
                rows[key]["naive"].append(theirs)
            if mine["mrr"] < 1:
                misses.append((cls, q, mine["mrr"], ranked[:3]))
        ours.close()
        base.close()
    overall = rows.pop("overall")
    print(f"judged queries: {len(queries)} over {len(docs)} documents in {args.corpus}")
    table("per class", dict(rows))
    table("overall", {"overall": overall})
    if args.show_misses:
        print("\nqueries whose first relevant record is not ranked first:")
        for cls, q, mrr, top in misses:
            print(f"  [{cls}] {q}: MRR {mrr:.3f}; top: {', '.join(top)}")


# --- the real corpus -------------------------------------------------------


@dataclass(frozen=True)
class RealQuery:
    cls: str
    written: str  # as in the file, with locators
    text: str  # as searched, locators replaced by the quoted text
    relevant: tuple[str, ...]  # paths relative to the corpus folder
    quotes: tuple[tuple[str, int, int, str], ...]  # (path, offset, length, text) of each locator


def read_quote(corpus: Path, path: str, offset: int, length: int) -> str:
    """LENGTH characters at character OFFSET of the file's UTF-8 text (no newline translation)."""
    text = (corpus / path).read_bytes().decode("utf-8")
    return text[offset:offset + length]


def load_real_queries(path: Path, corpus: Path) -> list[RealQuery]:
    """The judged set, locators resolved against ``corpus``. Raises ValueError naming
    the line for a malformed row, a judged path that is not a file, or a locator that
    reads nothing, runs past its file or spans a line break."""
    queries = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or not cells[2].split():
            raise ValueError(f"{path.name}:{n}: expected class<TAB>query<TAB>relevant paths, got {line!r}")
        cls, written, refs = cells
        relevant = tuple(dict.fromkeys(ref.partition("#")[0] for ref in refs.split()))
        for rel in relevant:
            if not (corpus / rel).is_file():
                raise ValueError(f"{path.name}:{n}: judged document {rel!r} is not a file in {corpus}")
        quotes = []
        for m in QUOTE.finditer(written):
            rel, offset, length = m.group(1), int(m.group(2)), int(m.group(3))
            if not (corpus / rel).is_file():
                raise ValueError(f"{path.name}:{n}: quoted file {rel!r} is not a file in {corpus}")
            quote = read_quote(corpus, rel, offset, length)
            if length == 0 or len(quote) != length or "\n" in quote or "\r" in quote:
                raise ValueError(f"{path.name}:{n}: {m.group(0)} reads {quote!r}, not {length} characters on one line")
            quotes.append((rel, offset, length, quote))
        text = QUOTE.sub(lambda m: read_quote(corpus, m.group(1), int(m.group(2)), int(m.group(3))), written)
        queries.append(RealQuery(cls, written, text, relevant, tuple(quotes)))
    return queries


def first_documents(hits, doc_of) -> list[str]:
    """Distinct documents in the order of their first hit."""
    return list(dict.fromkeys(doc_of(hit) for hit in hits))


def ours_documents(index: indexer.SearchIndex, q: str, path_of: dict[str, str]) -> list[str]:
    ranked: list[str] = []
    for page in range(1, MAX_PAGES + 1):
        result = index.search(indexer.SearchRequest(q=q, size=PAGE_SIZE, page=page))
        ranked = list(dict.fromkeys(ranked + first_documents(result.hits, lambda h: path_of.get(h.doc_id, h.doc_id))))
        if len(ranked) >= K or page >= result.pages:
            return ranked
    return ranked


def naive_documents(index: naive.NaiveIndex, q: str, path_of: dict[str, str]) -> list[str]:
    ids, _ = index.search(q, PAGE_SIZE * MAX_PAGES)
    return first_documents(ids, lambda rid: path_of.get(rid.partition("#")[0], rid))


def short(path: str) -> str:
    return path.rpartition("/")[2]


def corpus_missing(corpus: Path, block: str) -> int:
    """Say why a block over the real corpus is skipped: exit status 0, or 1 (printed to
    stderr) under MINUTES_REQUIRE_REAL_CORPUS=1."""
    why = (f"{block}: skipped, no folder at {corpus} (expected ../shared/corpus beside the repository; "
           "--real-corpus PATH or MINUTES_REAL_CORPUS=PATH point elsewhere)")
    if indexer.setting_value(REQUIRE_REAL) == "1":
        print(f"{why}; {REQUIRE_REAL}=1 makes this an error", file=sys.stderr)
        return 1
    print(why)
    return 0


def read_corpus(corpus: Path) -> tuple[list[indexer.Document], dict[str, str], list[str]]:
    """The corpus's documents as the parser reads them, each document id's path relative
    to the corpus, and the files that could not be read (with why)."""
    files, _ = indexer.collect_files([corpus])
    docs, path_of, unparsed = [], {}, []
    for f in files:
        try:
            doc = indexer.read_document(f)
        except indexer.MinutesError as e:
            unparsed.append(f"{f.relative_to(corpus).as_posix()}: {e}")
            continue
        docs.append(doc)
        path_of[doc.id] = f.relative_to(corpus).as_posix()
    return docs, path_of, unparsed


@dataclass
class Built:
    """The real corpus indexed by ours and by the naive baseline (queried with AND and with OR)."""
    path_of: dict[str, str]
    unparsed: list[str]
    report: object
    ours: indexer.SearchIndex
    naive: naive.NaiveIndex
    any_word: naive.NaiveIndex


_BUILT: dict[Path, Built] = {}
_TMP: list[Path] = []


def indexes(corpus: Path) -> Built:
    """The corpus's indexes, built once a run (the real and hard blocks share them)."""
    if corpus not in _BUILT:
        tmp = Path(tempfile.mkdtemp(prefix="minutes-eval-"))
        _TMP.append(tmp)
        docs, path_of, unparsed = read_corpus(corpus)
        report = indexer.index_paths([corpus], tmp / "ours")
        naive.build(docs, tmp / "naive")
        _BUILT[corpus] = Built(path_of, unparsed, report, indexer.SearchIndex(tmp / "ours"),
                               naive.NaiveIndex(tmp / "naive"), naive.NaiveIndex(tmp / "naive", any_word=True))
    return _BUILT[corpus]


def close_indexes() -> None:
    for built in _BUILT.values():
        built.ours.close()
        built.naive.close()
        built.any_word.close()
    _BUILT.clear()
    while _TMP:
        shutil.rmtree(_TMP.pop(), ignore_errors=True)


def real_block(args) -> int:
    corpus = Path(args.real_corpus)
    print(f"\n\nreal corpus ({corpus})")
    if not corpus.is_dir():
        return corpus_missing(corpus, "real corpus")
    try:
        queries = load_real_queries(Path(args.real_queries), corpus)
    except ValueError as e:
        print(f"real corpus: {e}", file=sys.stderr)
        return 1

    built = indexes(corpus)
    path_of, unparsed, report, ours, base = built.path_of, built.unparsed, built.report, built.ours, built.naive
    rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"ours": [], "naive": []})
    misses = []
    for query in queries:
        relevant = set(query.relevant)
        mine_ranked = ours_documents(ours, query.text, path_of)
        theirs_ranked = naive_documents(base, query.text, path_of)
        mine, theirs = metrics(mine_ranked, relevant), metrics(theirs_ranked, relevant)
        for key in (query.cls, "overall"):
            rows[key]["ours"].append(mine)
            rows[key]["naive"].append(theirs)
        if mine["mrr"] < 1 or theirs["mrr"] < 1 or mine["ndcg"] < theirs["ndcg"]:
            misses.append((query, mine, theirs, mine_ranked[:3], theirs_ranked[:3]))
    overall = rows.pop("overall")
    print(f"judged queries: {len(queries)} over {len(path_of)} documents in {corpus}")
    print("judged per DOCUMENT: each system's ranked list is its distinct documents in the order of their "
          "first hit; relevant = the documents the judgments name (item numbers depend on the parser)")
    for failure in [f"{f.path}: {f.reason}" for f in report.failed] + unparsed:
        print(f"  not indexed: {failure}")
    table("real corpus, per class (document level)", dict(rows))
    table("real corpus, overall (document level)", {"overall": overall})
    if args.show_misses:
        print("\nreal corpus: queries where either system's first relevant document is not first, "
              "or ours has the lower nDCG@10 (MRR ours / naive; top 3 documents):")
        for query, mine, theirs, mine_top, theirs_top in misses:
            flag = "  OURS WORSE" if mine["ndcg"] < theirs["ndcg"] or mine["mrr"] < theirs["mrr"] else ""
            print(f"  [{query.cls}] {query.text}: MRR {mine['mrr']:.3f} / {theirs['mrr']:.3f}{flag}")
            print(f"      ours:  {', '.join(map(short, mine_top)) or '(nothing)'}")
            print(f"      naive: {', '.join(map(short, theirs_top)) or '(nothing)'}")
            print(f"      judged: {', '.join(map(short, query.relevant))}")
    return 0


# --- the hard set: queries in staff's own words --------------------------


def success_metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    """Reciprocal rank of the first relevant document (0 past the first K), whether it
    is first (success@1), and whether the system returned nothing."""
    first = next((i for i, doc in enumerate(ranked[:K], 1) if doc in relevant), None)
    return {"mrr": 1 / first if first else 0.0, "s1": 1.0 if first == 1 else 0.0, "zero": 0.0 if ranked else 1.0}


def hard_table(title: str, rows: dict[str, dict[str, list[dict]]]) -> None:
    names = " / ".join(HARD_SYSTEMS)
    print(f"\n{title}")
    print(f"{'class':<12}{'n':>4}  {'MRR':>21}  {'success@1':>21}  {'zero-result':>21}")
    print(f"{'':<12}{'':>4}  {names:>21}  {names:>21}  {names:>21}")
    for name, systems in rows.items():
        n = len(systems["ours"])
        cells = [" / ".join(f"{sum(m[metric] for m in systems[s]) / n:.2f}" for s in HARD_SYSTEMS)
                 for metric in ("mrr", "s1", "zero")]
        print(f"{name:<12}{n:>4}  " + "  ".join(f"{c:>21}" for c in cells))


def hard_block(args) -> int:
    """The hard set (scripts/eval_hard_queries.tsv) over the real corpus, against ours,
    the naive baseline (AND) and plain BM25 with OR, all built from the same files."""
    corpus = Path(args.real_corpus)
    print(f"\n\nhard queries over the real corpus ({corpus})")
    if not corpus.is_dir():
        return corpus_missing(corpus, "hard queries")
    try:
        queries = load_real_queries(Path(args.hard_queries), corpus)
    except ValueError as e:
        print(f"hard queries: {e}", file=sys.stderr)
        return 1

    built = indexes(corpus)
    path_of, unparsed, report = built.path_of, built.unparsed, built.report
    ours, base, any_word = built.ours, built.naive, built.any_word
    rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {s: [] for s in HARD_SYSTEMS})
    misses = []
    for query in queries:
        relevant = set(query.relevant)
        ranked = {
            "ours": ours_documents(ours, query.text, path_of),
            "naive": naive_documents(base, query.text, path_of),
            "OR": naive_documents(any_word, query.text, path_of),
        }
        scores = {s: success_metrics(ranked[s], relevant) for s in HARD_SYSTEMS}
        for key in (query.cls, "overall"):
            for s in HARD_SYSTEMS:
                rows[key][s].append(scores[s])
        if not scores["ours"]["s1"]:
            mine = ranked["ours"]
            rank = next((i for i, doc in enumerate(mine, 1) if doc in relevant), None)
            misses.append((query, mine[0] if mine else None, rank, len(mine),
                           {s: scores[s]["mrr"] for s in HARD_SYSTEMS}))
    overall = rows.pop("overall")
    print(f"judged queries: {len(queries)} over {len(path_of)} documents in {corpus}")
    print("judged per DOCUMENT (as the real block); ours = indexer.SearchIndex, naive = jieba + Whoosh's "
          "default parser (AND), OR = the same index queried with OrGroup (plain BM25)")
    for failure in [f"{f.path}: {f.reason}" for f in report.failed] + unparsed:
        print(f"  not indexed: {failure}")
    order = [c for c in HARD_CLASSES if c in rows] + sorted(set(rows) - set(HARD_CLASSES))
    hard_table("hard queries, per class (document level)", {cls: rows[cls] for cls in order})
    hard_table("hard queries, overall (document level)", {"overall": overall})
    if args.show_misses:
        print(f"\nhard queries: {len(misses)} whose judged document is not ours' first "
              "(class, query; our first document; rank of the judged one in ours; MRR ours / naive / OR):")
        for query, first, rank, seen, mrr in misses:
            where = f"rank {rank}" if rank else (f"not in our {seen} documents" if seen else "nothing found")
            print(f"  [{query.cls}] {query.text}")
            print(f"      ours first: {short(first) if first else '(nothing)'}; judged "
                  f"{', '.join(map(short, query.relevant))}: {where}; "
                  f"MRR {' / '.join(f'{mrr[s]:.2f}' for s in HARD_SYSTEMS)}")
    return 0


def validity_block(args) -> int:
    corpus = Path(args.real_corpus)
    print(f"\n\nvalidity ({corpus})")
    if not corpus.is_dir():
        return corpus_missing(corpus, "validity")
    built = indexes(corpus)
    eval_validity.block(corpus, built.ours.validity_table(), built.path_of, args.show_misses)
    return 0


def answers_block(args) -> int:
    corpus = Path(args.real_corpus)
    print(f"\n\nanswer card ({corpus}, {eval_answers.QUESTIONS.relative_to(ROOT)})")
    if not corpus.is_dir():
        return corpus_missing(corpus, "answer card")
    questions = eval_answers.load()
    built = indexes(corpus)
    verdicts, scores = eval_answers.run(built.ours, built.path_of, questions)
    eval_answers.report(verdicts, scores, questions, args.show_misses)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "samples" / "corpus"))
    parser.add_argument("--queries", default=str(ROOT / "scripts" / "eval_queries.tsv"))
    parser.add_argument("--real-corpus", default=str(REAL_CORPUS),
                        help="the real corpus folder (default: ../shared/corpus beside the repository, "
                             "or $MINUTES_REAL_CORPUS)")
    parser.add_argument("--real-queries", default=str(REAL_QUERIES))
    parser.add_argument("--hard-queries", default=str(HARD_QUERIES))
    parser.add_argument("--only", choices=BLOCKS, action="append",
                        help="run only this block (repeatable); default: all five")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    only = set(args.only or BLOCKS)
    status = 0
    if "specimens" in only:
        specimen_block(args)
    try:
        if "real" in only:
            status = max(status, real_block(args))
        if "hard" in only:
            status = max(status, hard_block(args))
        if "validity" in only:
            status = max(status, validity_block(args))
        if "answers" in only:
            status = max(status, answers_block(args))
    finally:
        close_indexes()
    sys.exit(status)


if __name__ == "__main__":
    main()
