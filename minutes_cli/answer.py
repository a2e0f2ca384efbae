"""``minutes answer``: the answer card of a question, as the search page shows it above the hits."""
from __future__ import annotations

import json

import click

import indexer

from .options import INDEX_HELP, index_folder


@click.command("answer")
@click.argument("question", nargs=-1, required=True)
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the /api/answer object.")
def answer_cmd(question, index_dir, as_json):
    """The answer card of QUESTION (a decision's subject, or a question about one: 谁牵头,
    哪次会议, 是否同意 …), drawn from the documents' parsed structure, each line with its
    citation. Exit 0 with "no answer" when the structure does not answer it.

    \b
    Examples:
        minutes answer 电梯安全条例谁牵头
        minutes answer 优化营商环境条例是哪次会议通过的 --json
    """
    q = " ".join(question).strip()
    try:
        with indexer.SearchIndex(index_folder(index_dir), time_limit=None) as search_index:
            found = search_index.answer(q)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    card = indexer.answer_dict(found) if found else None
    if as_json:
        click.echo(json.dumps({"ok": True, "query": q, "answer": card}, ensure_ascii=False, indent=2))
        return
    if card is None:
        click.echo("no answer: the documents' structure does not answer this (search for hits instead)")
        return
    click.echo(f"《{card['subject']}》 {card['kind_label']}")
    if card["decision"]:
        click.echo(f"  会议决定  {card['decision']['text']}\n            {card['decision']['citation']}")
    for u in card["units"]:
        click.echo(f"  {u['role_label']}  {u['name']}：{u['sentence']}\n            {u['citation']}")
    m = card["meeting"]
    if m:
        chair = f" {m['chair']}主持" if m["chair"] else ""
        click.echo(f"  会议  {m['session'] or m['title']} {m['date']}{chair}\n            {m['citation']}")
    if card["issued"]:
        click.echo(f"  公布  {card['issued']['date']} {card['issued']['text']}\n            {card['issued']['citation']}")
    v = card["validity"]
    if v:
        said = f"{v['sentence']} {v['date']}\n            {v['citation']}" if v["sentence"] else "未见后续文件提及其废止或修订"
        click.echo(f"  有效性  {v['label']}（《{v['of']}》）{said}")
    for p in card["later"]:
        click.echo(f"  后续  {p['citation']}  {p['date']}")
