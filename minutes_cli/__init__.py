"""The ``minutes`` command: index files, search, inspect a parse, serve.

A stable contract for scripts: extend it, don't break it. Library errors become
``click.ClickException`` here (exit 1, ``Error: …`` naming the file and why).
Commands run without the web app's time limit: the one who waits is the one who asked.
The JSON printed is the shapes of :mod:`indexer.present.shapes`, the web app's objects.
Like the web app, the command line imports only :mod:`indexer`; ``minutes serve`` runs
the web app in Flask's server by name.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import click

import indexer

from .answer import answer_cmd
from .options import INDEX_HELP, index_folder
from .progress import Progress, failure_summary
from .users import log_cmd, users_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="minutes-search")
def cli():
    """纪要检索: full-text search over meeting minutes and official documents."""
    try:
        indexer.check_environment()  # a misspelt MINUTES_* variable stops every command
    except indexer.SettingError as e:
        raise click.ClickException(str(e)) from None


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--rebuild", is_flag=True,
              help="Build a fresh index of every source the index knows plus PATHS, and swap it in atomically; "
                   "refused if a document could not be read again (see --prune).")
@click.option("--prune", is_flag=True, help="Remove documents whose source file is gone.")
@click.option("--if-needed", "if_needed", is_flag=True,
              help="Do nothing if a current index exists; build a missing one, rebuild an outdated one.")
@click.option("--procs", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Processes for analysis when building a fresh index (e.g. with --rebuild).")
@click.option("--wait", type=click.FloatRange(0), default=None, metavar="SECONDS",
              help="How long to wait for another indexing run to finish (default 10).")
def index_cmd(paths, index_dir, rebuild, prune, if_needed, procs, wait):
    """Index files and folders (.txt in UTF-8/UTF-16/GB18030, .md, .html, .docx,
    .doc, .wps, .ofd, .pdf; scanned images are named as needing OCR).

    Unchanged files are skipped, and so are copies of files already indexed;
    a folder that moved is re-linked. Every file that fails is listed with its
    reason, the others are still indexed, and the exit status is 1. Without
    PATHS, the files and folders the index was built from are read again.
    Progress goes to standard error (a bar on a terminal, plain lines otherwise).
    A run stopped half-way (Ctrl-C, kill) keeps what it committed (every 5000
    files, $MINUTES_COMMIT_EVERY): running it again reads only the rest.

    \b
    Examples:
        minutes index samples/corpus --index index/
        minutes index /data/minutes --prune          # weekly update
        minutes index --rebuild                      # everything the index holds, afresh
        minutes index samples/corpus --if-needed     # in a start-up script
    """
    target = index_folder(index_dir)
    try:
        with Progress() as progress:
            report = indexer.index_paths(paths, target, rebuild=rebuild, prune=prune, if_needed=if_needed,
                                         procs=procs, on_file=progress.on_file, on_plan=progress.on_plan,
                                         lock_timeout=wait)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted after {progress.done} of {progress.total} files; what was committed is kept: "
                   f"run the same minutes index again to go on from there", err=True)
        sys.exit(130)
    if report.skipped:
        click.echo(f"index at {target} is current; nothing to do")
        return
    for failure in report.failed:
        click.echo(f"failed: {failure.path}: {failure.reason}", err=True)
    for moved in report.relinked:
        click.echo(f"re-linked: {moved.was} → {moved.now} (the folder moved; its documents are kept as they are)")
    for moved in report.moved:
        click.echo(f"moved: {moved.was} → {moved.now}")
    if report.copies:
        first = report.copies[0]
        click.echo(f"already indexed: {len(report.copies)} files have the same content as indexed files "
                   f"(e.g. {first.path} is indexed from {first.indexed}); not indexed again")
    summary = f"indexed {len(report.indexed)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}"
    for label, values in (("copies", report.copies), ("moved", report.moved)):
        if values:
            summary += f", {label} {len(values)}"
    if prune:
        summary += f", pruned {len(report.pruned)}"
    click.echo(summary)
    if report.rebuilt:
        click.echo(f"rebuilt: {report.records} records from {report.documents} files "
                   f"(was {report.was_records} from {report.was_documents})")
    for line in failure_summary(report.failed):
        click.echo(line, err=True)
    if report.failed:
        sys.exit(1)


class QueryCommand(click.Command):
    """A command whose query words may start with a minus, as exclusions do in the
    query language (``minutes search 电梯 -加装``, ``minutes search -电梯``).

    click would take any word that starts with ``-`` for an option. Here a word
    with one leading minus that names none of the command's options is a query
    word; an unknown ``--word`` is still an error (a mistyped option must not
    become a search), and everything after ``--`` is a query word, as usual."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value = {name: not (param.is_flag or param.count)
                       for param in self.get_params(ctx) if isinstance(param, click.Option)
                       for name in (*param.opts, *param.secondary_opts)}
        options, words = [], []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                words.extend(rest)
                break
            name = arg.split("=", 1)[0]
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg:
                    options.extend(itertools.islice(rest, 1))  # the option's value, whatever it looks like
            elif arg.startswith("-") and not arg.startswith("--"):
                words.append(arg)
            elif arg.startswith("-"):
                options.append(arg)  # an unknown --option: click reports it
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words])


@cli.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1)
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--dept", multiple=True, help="Department (repeatable; values OR-ed).")
@click.option("--topic", multiple=True, help="Topic (repeatable).")
@click.option("--meeting", multiple=True, help="Meeting, by its document number, e.g. 〔2021〕9号 (repeatable).")
@click.option("--year", multiple=True, help="Year, e.g. 2021 (repeatable).")
@click.option("--type", "doc_type", multiple=True, help="Document type, e.g. 会议纪要 (repeatable).")
@click.option("--validity", multiple=True, type=click.Choice(indexer.VALIDITY_LABELS),
              help="Validity: 现行有效, 已修订, 已废止, 已失效 or 未见废止 (repeatable).")
@click.option("--limit", default=10, show_default=True, type=int, help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=int)
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the /api/search object, each hit's url included.")
def search_cmd(query, index_dir, dept, topic, meeting, year, doc_type, validity, limit, page, sort, as_json):
    """Search the index. QUERY is the query language of the search page; its
    words may be given apart and may start with a minus (an exclusion).

    \b
    Examples:
        minutes search 电梯安全
        minutes search 电梯 -加装
        minutes search '"原则同意"' --dept 市发改委 --year 2021 --json
    """
    try:
        request = indexer.SearchRequest(q=" ".join(query), dept=dept, topic=topic, meeting=meeting, year=year,
                                        doc_type=doc_type, validity=validity, page=page, size=limit, sort=sort)
        with indexer.SearchIndex(index_folder(index_dir), time_limit=None) as search_index:
            result = search_index.search(request)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    # The /api/search object; its answer card is `minutes answer`'s (a one-off command would load
    # the cross-references for it, as a worker that has not loaded them yet shows none).
    data = dict(indexer.result_dict(result), answer=None)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['total']} results ({data['elapsed_ms']} ms)")
    for n, hit in enumerate(result.hits, (page - 1) * limit + 1):
        # (a citation already says 已废止, 已失效 or 已修订)
        click.echo(f"\n{n}. {hit.citation}  {hit.date}" + ("  [现行有效]" if hit.validity == "现行有效" else ""))
        click.echo(f"   {hit.item_title}")
        for fragment in hit.fragments:
            click.echo("   " + _marked(fragment))


def _marked(fragment: indexer.Fragment) -> str:
    """Fragment text with highlights in 【】 for a terminal."""
    out, last = [], 0
    for start, end in fragment.highlights:
        out += [fragment.text[last:start], "【", fragment.text[start:end], "】"]
        last = end
    return "".join(out + [fragment.text[last:]])


VISIBILITY_HELP = ("Decide visibility with this index folder's visibility.toml and source folders, as "
                   "`minutes index --index DIR` would (default: the document's marking, else internal).")


@cli.command("parse")
@click.argument("file", type=click.Path())
@click.option("--index", "index_dir", help=VISIBILITY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the whole structure as JSON.")
def parse_cmd(file, index_dir, as_json):
    """Show how one file parses (nothing is indexed): .txt, .md, .html, .docx, .doc, .wps, .ofd, .pdf,
    and the visibility indexing would give it. A document marked 秘密/机密/绝密
    is an error, as `minutes index` refuses it.

    \b
    Examples:
        minutes parse samples/corpus/示例市政府常务会议纪要-2021-09.txt --json
        minutes parse /data/minutes/a.txt --index index/    # visibility by index/visibility.toml
    """
    try:
        doc = indexer.read_decided(file, index_folder(index_dir) if index_dir else None)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({**asdict(doc), "ocr": doc.ocr}, ensure_ascii=False, indent=2))
        return
    for label, value in [("id", doc.id), ("title", doc.title), ("issuer", doc.issuer), ("type", doc.doc_type),
                         ("number", doc.doc_number), ("session", doc.session), ("date", doc.date),
                         ("chair", doc.chair), ("issued", doc.issued),
                         ("visibility", f"{doc.visibility} ({doc.visibility_reason})"),
                         ("OCR", indexer.ocr_summary(doc.ocr_pages))]:
        if value:
            click.echo(f"{label}: {value}")
    for item in doc.items:
        click.echo(f"{indexer.item_label(item.number) or 'body'}: {item.title}")
        for label, value in [("decision", item.decision), ("reviewed", "、".join(f"《{t}》" for t in item.reviewed)),
                             ("lead", "、".join(item.leads)), ("co-lead", "、".join(item.co_leads)),
                             ("topics", "、".join(item.topics)), ("keywords", "、".join(item.keywords))]:
            if value:
                click.echo(f"    {label}: {value}")
        for sp in item.subpoints:
            click.echo(f"    {sp.label} {sp.text[:40]}")


@cli.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--index", "index_dir", help=VISIBILITY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: files and totals (the /api/audit shape).")
def audit_cmd(paths, index_dir, as_json):
    """What the parser understands in each file, before you index it (nothing is indexed).

    Per file: type, title, number, issuer and its level, dates, items,
    departments with their level, units not in the gazetteer, attendance of
    minutes, the pages of a scan recognised by OCR with their confidence,
    warnings ("no number found", "title longer than 60 characters", "text
    recognised from a scan with low confidence", minutes that lack a session,
    chair or meeting date: "会议纪要缺少：会次、主持人", …) and the visibility
    indexing would give it, with the reason (with --index, by that index
    folder's visibility.toml; else by the document's marking, else
    internal); then totals. Files are picked as `minutes index`
    picks them. Warnings leave the exit status 0; a file that cannot be read
    or parsed, or is marked 秘密/机密/绝密, is listed with its reason, the
    others are still audited, and the exit status is 1, as `minutes index`
    would exit.

    \b
    Examples:
        minutes audit /data/minutes
        minutes audit /data/minutes --index index/   # visibility by index/visibility.toml
        minutes audit /data/minutes --json | jq '.files[] | select(.warnings != []) | .path'
    """
    files, _ = indexer.collect_files(paths)
    try:
        with click.progressbar(length=len(files), label="auditing", file=sys.stderr,
                               item_show_func=lambda p: p.name if p else None) as bar:
            report = indexer.audit_paths(paths, on_file=lambda path: bar.update(1, path),
                                         index_dir=index_folder(index_dir) if index_dir else None)
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(indexer.audit_dict(report), ensure_ascii=False, indent=2))
    else:
        root = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
        for f in report.files:
            _echo_file_audit(f, root)
        _echo_audit_totals(report.totals)
    if report.failures:
        sys.exit(1)


AUDIT_LABEL_WIDTH = 11
AUDIT_NAMES_SHOWN = 12  # per level in the terminal; --json has them all


def _field(label: str, value: str) -> None:
    click.echo(f"    {label:<{AUDIT_LABEL_WIDTH}}{value}".rstrip())


def _echo_file_audit(f: indexer.FileAudit, root: Path | None) -> None:
    path = Path(f.path)
    click.echo("\n" + (path.relative_to(root).as_posix() if root and path.is_relative_to(root) else f.path))
    if f.failure:
        _field("FAILED", f.failure)
        return
    limit = indexer.AUDIT_TITLE_MAX_CHARS
    title = f.title if len(f.title) <= limit else f.title[:limit] + "…"
    _field("type", " · ".join(v for v in (f.doc_type or "—", f.meeting_kind, f.session) if v))
    _field("title", title or "—")
    _field("number", f.doc_number or "—")
    _field("issuer", (f.issuer or "—") + (f" ({f.issuer_level})" if f.issuer_level else ""))
    others = ", ".join(f"{label} {value}" for label, value in
                       (("signed", f.signed), ("compiled", f.compiled), ("issued", f.issued)) if value)
    _field("date", (f.date or "—") + (f" ({others})" if others else ""))
    _field("items", str(f.item_count))
    _field("visibility", f"{f.visibility} ({f.visibility_reason})")
    if f.ocr:
        _field("OCR", indexer.ocr_summary(f.ocr_pages))
    if f.departments:
        by_level: dict[str, list[str]] = {}
        for d in f.departments:
            by_level.setdefault(d.level or "no level", []).append(d.name)
        for n, (level, names) in enumerate(by_level.items()):
            shown = "、".join(names[:AUDIT_NAMES_SHOWN]) + (f" … (+{len(names) - AUDIT_NAMES_SHOWN})"
                                                          if len(names) > AUDIT_NAMES_SHOWN else "")
            _field("depts" if n == 0 else "", f"{level} {len(names)}: {shown}")
    if f.unknown_units:
        _field("unknown", "、".join(f.unknown_units))
    if f.attendance:
        a = f.attendance
        _field("attendance", f"present {a.present}, attending {a.attending_units} units / {a.attending_persons} "
                             f"persons, absent {a.absent}, recorder {a.recorder or '—'}")
    for w in f.warnings:
        _field("warning", w.message)


def _echo_audit_totals(t: indexer.AuditTotals) -> None:
    click.echo(f"\ntotals: {t.files} files, {t.parsed} parsed, {t.failed} failed, "
               f"{t.with_warnings} with warnings, {t.item_count} items")
    _field("by type", " · ".join(f"{c.value or '—'} {c.count}" for c in t.doc_types) or "—")
    _field("visibility", " · ".join(f"{c.value} {c.count}" for c in t.visibility) or "—")
    _field("warnings", "" if t.warnings else "none")
    for c in t.warnings:
        click.echo(f"      {c.count:>5}  {indexer.AUDIT_WARNINGS[c.value]}")
    _field("dept level", " · ".join(f"{c.value or 'no level'} {c.count}" for c in t.dept_levels) or "—")
    _field("unknown", "most common, by files naming them:" if t.unknown_units else "—")
    for u in t.unknown_units[:15]:
        click.echo(f"      {u.files:>5}  {u.name}")


@cli.command("refs")
@click.argument("doc")
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the doc_id, and its cites and cited_by as /api/doc/<id> gives them.")
def refs_cmd(doc, index_dir, as_json):
    """What a document cites, and what cites it. DOC is an id or a document number.

    \b
    Examples:
        minutes refs 〔2021〕9号
        minutes refs 979f73d70c26 --json
    """
    try:
        with indexer.SearchIndex(index_folder(index_dir), time_limit=None) as search_index:
            found = search_index.lookup(doc) or ((doc,) if doc in search_index.crossrefs().documents else ())
            if len(found) != 1:
                raise indexer.DocumentNotFound(doc)
            data = indexer.references_dict(search_index.crossrefs(), found[0])
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({"doc_id": found[0], **data}, ensure_ascii=False, indent=2))
        return
    click.echo("cites:" if data["cites"] else "cites: nothing")
    for c in data["cites"]:
        target = f" → {c['target']['citation']}" if c["target"] else " (not indexed)"
        click.echo(f"  [{c['label']}] {c['text']}{target}")
    click.echo("cited by:" if data["cited_by"] else "cited by: nothing")
    for r in data["cited_by"]:
        click.echo(f"  {r['source']['citation']}  {r['source']['date']}  ({r['label']} {r['text']})")


@cli.command("tasks")
@click.argument("dept")
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--year", default="", help="Only this year, e.g. 2021.")
@click.option("--role", type=click.Choice(["lead", "co-lead"]), default=None, help="Only this role.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the /api/tasks object.")
def tasks_cmd(dept, index_dir, year, role, as_json):
    """The items that give a department work (lead or co-lead), newest first.

    \b
    Examples:
        minutes tasks 发改委
        minutes tasks 市住建局 --year 2021 --role lead --json
    """
    try:
        with indexer.SearchIndex(index_folder(index_dir), time_limit=None) as search_index:
            data = indexer.tasks_dict(dept, year, role or "", search_index.crossrefs().tasks(dept, year, role or ""))
    except indexer.MinutesError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['dept']}: {len(data['tasks'])} tasks")
    for t in data["tasks"]:
        click.echo(f"\n{t['date']}  {t['role_label']}  {t['citation']}")
        click.echo(f"   {t['sentence']}")


@cli.command("serve")
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show tracebacks.")
def serve_cmd(index_dir, host, port, debug):
    """Run the development server (Flask's, one request at a time). In production use gunicorn:

    \b
        gunicorn -c gunicorn.conf.py 'webapp:create_app()'

    \b
    Examples:
        minutes serve --index index/ --port 8080
        minutes serve --debug
    """
    os.execve(sys.executable, dev_server_command(host, port, debug), dev_server_env(index_folder(index_dir)))


def dev_server_command(host: str, port: int, debug: bool) -> list[str]:
    """``flask run`` of the web app's factory, by name: the command line never imports the web
    app, and this process becomes the server (its signals and exit status are the server's).
    One thread, as under gunicorn's sync workers: a worker's searcher is shared state."""
    return [sys.executable, "-m", "flask", "--app", "webapp:create_app()", "--debug" if debug else "--no-debug",
            "run", "--host", host, "--port", str(port), "--without-threads"]


def dev_server_env(index: Path) -> dict[str, str]:
    """The environment the app reads its index from; Flask reads no .env file (as app.run did not)."""
    return dict(os.environ, MINUTES_INDEX=str(index), FLASK_SKIP_DOTENV="1")


cli.add_command(answer_cmd)
cli.add_command(users_cmd)
cli.add_command(log_cmd)
