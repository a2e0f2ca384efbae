"""Relevance benchmark: the judged query set in scripts/eval_queries.tsv, run
against our pipeline and against the naive baseline (jieba's ChineseAnalyzer on
one Whoosh field) built from the same samples in the same run.

Prints MRR, nDCG@10, recall@10 and the zero-result rate, overall and per query
class. A benchmark, not a test: it asserts nothing and prints figures.

    scripts/eval                 # samples/corpus
    scripts/eval --show-misses   # also list queries whose first relevant hit is not first
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import indexer
from indexer import naive

ROOT = Path(__file__).resolve().parent.parent
K = 10


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "samples" / "corpus"))
    parser.add_argument("--queries", default=str(ROOT / "scripts" / "eval_queries.tsv"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
