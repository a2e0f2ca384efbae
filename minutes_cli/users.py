"""``minutes users`` (who may sign in to the web app) and ``minutes log`` (the audit trail).

The users file and the audit trail are :mod:`indexer`'s (``UsersFile``, ``AuditLog``): the web
app reads and appends to the same files.
"""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

import indexer

from .options import INDEX_HELP, index_folder

USERS_HELP = "Users file (default: $MINUTES_USERS_FILE or $MINUTES_USERS, else users.json in the index folder)."
LOG_HELP = "Audit log (default: $MINUTES_AUDIT_LOG, else audit.log in the index folder)."
USERS_ENV = indexer.setting("USERS_FILE").variables  # MINUTES_USERS_FILE, MINUTES_USERS
LOG_ENV = indexer.setting("AUDIT_LOG").variables


def _users_file(index_dir: str | None, users: str | None) -> indexer.UsersFile:
    return indexer.UsersFile(Path(users).absolute() if users else indexer.users_file_path(index_folder(index_dir)))


def _audit_log(index_dir: str | None, log: str | None) -> indexer.AuditLog:
    return indexer.AuditLog(Path(log).absolute() if log else indexer.audit_log_path(index_folder(index_dir)))


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat for confirmation")


def _change(index_dir, users, log, event: str, action, what: dict):
    """Run one change of the users file, log it, and turn its errors into ``Error: …``."""
    try:
        result = action(_users_file(index_dir, users))
        _audit_log(index_dir, log).append(event, _operator(), "cli", what)
    except (indexer.AccountError, OSError) as e:
        raise click.ClickException(str(e)) from None
    return result


def _file_options(command):
    command = click.option("--log", "log", envvar=LOG_ENV, help=LOG_HELP)(command)
    command = click.option("--users", "users", envvar=USERS_ENV, help=USERS_HELP)(command)
    return click.option("--index", "index_dir", help=INDEX_HELP)(command)


@click.group("users")
def users_cmd():
    """Who may sign in to the web app: add, remove, change a password, list.

    Roles: reader (public and internal documents, and those of their groups),
    editor (also adds documents), admin (every document, the users and the log).

    \b
    Examples:
        minutes users add zhang --role reader --group 财政组
        echo "$PASSWORD" | minutes users add ci-bot --role editor --password-stdin
        minutes users passwd zhang
        minutes users list --json
    """


@users_cmd.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(indexer.USER_ROLES))
@click.option("--group", "groups", multiple=True, help="A group whose documents the user may read (repeatable).")
@click.option("--password-stdin", "password_stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of prompting twice.")
@_file_options
def add_cmd(name, role, groups, password_stdin, index_dir, users, log):
    """Add a user; the password is asked twice (at least 8 characters, not all digits,
    not the name, not a common or easily guessed one).

    \b
    Example:
        minutes users add zhang --role editor --group 财政组 --group 审计组
    """
    password = _password(password_stdin)
    user = _change(index_dir, users, log, "user_add", lambda f: f.add(name, role, groups, password),
                   {"name": name, "role": role, "groups": list(groups)})
    click.echo(f"added {user.name} ({user.role}{', groups: ' + ', '.join(user.groups) if user.groups else ''})")


@users_cmd.command("remove")
@click.argument("name")
@_file_options
def remove_cmd(name, index_dir, users, log):
    """Remove a user; their sessions end at their next request.

    \b
    Example:
        minutes users remove zhang
    """
    _change(index_dir, users, log, "user_remove", lambda f: f.remove(name), {"name": name})
    click.echo(f"removed {name}")


@users_cmd.command("passwd")
@click.argument("name")
@click.option("--password-stdin", "password_stdin", is_flag=True,
              help="Read the new password from the first line of standard input.")
@_file_options
def passwd_cmd(name, password_stdin, index_dir, users, log):
    """Set a user's password; their sessions signed in with the old one end.

    \b
    Example:
        minutes users passwd zhang
    """
    password = _password(password_stdin)
    _change(index_dir, users, log, "passwd", lambda f: f.passwd(name, password), {"name": name})
    click.echo(f"password changed for {name}")


@users_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the /api/admin/users shape).")
@_file_options
def list_cmd(as_json, index_dir, users, log):
    """List the users with their roles and groups (never their password hashes).

    \b
    Example:
        minutes users list
    """
    try:
        found = sorted(_users_file(index_dir, users).users().values(), key=lambda u: u.name)
    except indexer.AccountError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({"ok": True, "users": [u.public_dict() for u in found]}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no users")
    for u in found:
        click.echo(f"{u.name}\t{u.role}\t{','.join(u.groups)}")


@click.command("log")
@click.option("--since", default="", help="From this date or time on (UTC), e.g. 2026-11-01 or 2026-11-01T08:00.")
@click.option("--user", default="", help="Only this user's entries.")
@click.option("--event", default="", help="Only this event: sign_in, sign_in_failed, sign_out, search, view, upload, "
                                          "user_add, user_remove, passwd, locked, anonymous_searches.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines, as the log stores them.")
@click.option("--index", "index_dir", help=INDEX_HELP)
@click.option("--log", "log", envvar=LOG_ENV, help=LOG_HELP)
def log_cmd(since, user, event, as_json, index_dir, log):
    """Print the audit trail: sign-ins, searches and views by signed-in users, uploads,
    user changes, and counts of anonymous searches, oldest first.

    \b
    Examples:
        minutes log --since 2026-11-01 --event sign_in_failed
        minutes log --user zhang --json | jq .what.q
    """
    if event and event not in indexer.AUDIT_EVENTS:
        raise click.ClickException(f"unknown event {event!r}: must be one of {', '.join(indexer.AUDIT_EVENTS)}")
    entries = _audit_log(index_dir, log).entries(since=since, user=user, event=event)
    for e in entries:
        if as_json:
            click.echo(indexer.printable_audit_text(json.dumps(e.as_dict(), ensure_ascii=False), as_json=True))
        else:
            line = f"{e.time}  {e.user or '-'}  {e.address or '-'}  {e.event}  {indexer.describe_audit_what(e.what)}"
            click.echo(indexer.printable_audit_text(line).rstrip())  # a name or query cannot forge a line
