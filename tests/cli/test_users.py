"""``minutes users``: the users file through click's CliRunner, as an administrator uses it."""
from __future__ import annotations

import json
import os
import stat

import pytest
from click.testing import CliRunner

import indexer
from minutes_cli import cli


@pytest.fixture
def users_cli(tmp_path):
    index = tmp_path / "ix"
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, ["users", *args, "--index", str(index)], input=input)
    run.path = index / "users.json"
    return run


@pytest.mark.slow
def test_add_list_passwd_remove(users_cli):
    result = users_cli("add", "zhang", "--role", "editor", "--group", "财政组", "--group", "审计组",
                       "--password-stdin", input="s3cret-pass\n")
    assert (result.exit_code, result.stdout) == (0, "added zhang (editor, groups: 财政组, 审计组)\n")
    result = users_cli("add", "li", "--role", "reader", input="another-pw-2026\nanother-pw-2026\n")  # asked twice
    assert result.exit_code == 0, result.output
    assert users_cli("list").stdout == "li\treader\t\nzhang\teditor\t财政组,审计组\n"
    assert json.loads(users_cli("list", "--json").stdout) == {"ok": True, "users": [
        {"name": "li", "role": "reader", "role_label": "读者", "groups": []},
        {"name": "zhang", "role": "editor", "role_label": "编辑", "groups": ["财政组", "审计组"]}]}
    users = indexer.UsersFile(users_cli.path)
    assert users.verify("zhang", "s3cret-pass").name == "zhang" and users.verify("li", "another-pw-2026").name == "li"
    assert users.verify("zhang", "wrong-pass") is None and users.verify("nobody", "s3cret-pass") is None

    assert users_cli("passwd", "zhang", "--password-stdin", input="new-password\n").stdout == \
        "password changed for zhang\n"
    assert users.verify("zhang", "s3cret-pass") is None and users.verify("zhang", "new-password").role == "editor"
    assert users_cli("remove", "li").stdout == "removed li\n"
    assert users_cli("list").stdout == "zhang\teditor\t财政组,审计组\n"


def test_the_file_holds_scrypt_hashes_only_and_is_private(users_cli):
    users_cli("add", "zhang", "--role", "admin", "--password-stdin", input="s3cret-pass\n")
    text = users_cli.path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert [sorted(u) for u in data["users"]] == [["groups", "name", "password_hash", "role"]]
    assert data["users"][0]["password_hash"].startswith("scrypt:") and "s3cret-pass" not in text
    assert stat.S_IMODE(os.stat(users_cli.path).st_mode) == 0o600
    assert "scrypt" not in users_cli("list", "--json").stdout
    assert sorted(os.listdir(users_cli.path.parent)) == [".users.json.lock", "audit.log", "users.json"]  # no scratch


@pytest.mark.parametrize("args,input,message", [
    (["add", "zhang", "--role", "reader", "--password-stdin"], "short\n",
     "Error: the password is too short: at least 8 characters (密码太短：至少 8 个字符)\n"),
    # Issue 26: only the length was checked, and 12345678 was accepted.
    (["add", "zhang", "--role", "reader", "--password-stdin"], "12345678\n",
     "Error: the password is all digits (密码不能全是数字)\n"),
    (["add", "zhangwei", "--role", "reader", "--password-stdin"], "ZhangWei\n",
     "Error: the password is the user's name (密码不能与用户名相同)\n"),
    (["add", "zhangwei", "--role", "reader", "--password-stdin"], "zhangwei2024\n",
     "Error: the password is the user's name with a few characters added (密码不能只是用户名加几个字符)\n"),
    (["add", "zhang", "--role", "reader", "--password-stdin"], "password1\n",
     "Error: the password is a common one (这是常见密码，很容易被猜中；请换一个更长、不常见的密码，例如几个不相关的词连在一起)\n"),
    (["add", "zhang", "--role", "reader", "--password-stdin"], "qwertyuiop\n",
     "Error: the password is a common one (这是常见密码，很容易被猜中；请换一个更长、不常见的密码，例如几个不相关的词连在一起)\n"),
    (["add", "zhang", "--role", "reader", "--password-stdin"], "aaaabbbb\n",
     "Error: the password is easy to guess (密码太容易被猜中：请换一个更长、不常见的密码，例如几个不相关的词连在一起，"
     "避免键盘顺序、重复字符、日期和常见词)\n"),
    (["add", "zh ang", "--role", "reader", "--password-stdin"], "long enough\n",
     "Error: invalid user name 'zh ang': 1-64 letters, digits, '.', '_', '@' or '-'\n"),
    (["add", "zhang", "--role", "reader", "--group", "internal", "--password-stdin"], "long enough\n",
     "Error: invalid group 'internal': up to 64 characters, no spaces or commas, and not 'public' or 'internal'\n"),
    (["remove", "nobody"], None, "Error: no user 'nobody' in {path}\n"),
    (["passwd", "nobody", "--password-stdin"], "long enough\n", "Error: no user 'nobody' in {path}\n"),
])
def test_refusals_name_the_reason(users_cli, args, input, message):
    result = users_cli(*args, input=input)
    assert (result.exit_code, result.stderr) == (1, message.format(path=users_cli.path))


def test_a_name_is_added_once_and_roles_are_checked(users_cli):
    users_cli("add", "zhang", "--role", "reader", "--password-stdin", input="long enough\n")
    result = users_cli("add", "zhang", "--role", "admin", "--password-stdin", input="long enough\n")
    assert (result.exit_code, result.stderr) == (1, f"Error: user 'zhang' already exists in {users_cli.path}\n")
    result = users_cli("add", "wang", "--role", "root", "--password-stdin", input="long enough\n")
    assert result.exit_code == 2 and "'root' is not one of 'reader', 'editor', 'admin'" in result.stderr
    result = users_cli("add", "wang", "--role", "reader", input="long enough\ndifferent!\nlong enough\nlong enough\n")
    assert result.exit_code == 0 and "Error: The two entered values do not match." in result.output


def test_the_users_file_can_live_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("MINUTES_USERS", str(tmp_path / "etc" / "minutes-users.json"))
    result = CliRunner().invoke(cli, ["users", "add", "zhang", "--role", "reader", "--password-stdin",
                                      "--index", str(tmp_path / "ix")], input="long enough\n")
    assert result.exit_code == 0 and (tmp_path / "etc" / "minutes-users.json").is_file()
    assert not (tmp_path / "ix" / "users.json").exists()
    other = tmp_path / "other.json"
    CliRunner().invoke(cli, ["users", "add", "li", "--role", "reader", "--password-stdin", "--users", str(other),
                             "--index", str(tmp_path / "ix")], input="long enough\n")
    assert list(indexer.UsersFile(other).users()) == ["li"]


def test_an_unreadable_users_file_is_an_error_naming_it(users_cli):
    users_cli.path.parent.mkdir(parents=True)
    users_cli.path.write_text("{not json", encoding="utf-8")
    result = users_cli("list")
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: cannot read the users file {users_cli.path}: ")



def test_log_text_escapes_control_characters_so_no_line_is_forged(tmp_path):
    """A sign-in name or query with a newline or terminal escape prints as one escaped line."""
    index = tmp_path / "ix"
    log = indexer.AuditLog(indexer.audit_log_path(index))
    log.append("sign_in_failed", "x\n2026-01-01T00:00:00Z  admin  10.0.0.1  sign_in", "10.0.0.9")
    log.append("search", "zhang", "10.0.0.9", {"q": "电梯\r\x1b[2K\x1b]0;t\x07\x9b安全\u2028"})
    result = CliRunner().invoke(cli, ["log", "--index", str(index)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("  x\\n2026-01-01T00:00:00Z  admin  10.0.0.1  sign_in  10.0.0.9  sign_in_failed")
    assert lines[1].endswith("  zhang  10.0.0.9  search  q=电梯\\r\\x1b[2K\\x1b]0;t\\x07\\x9b安全\\u2028")
    assert not any(c in result.stdout for c in "\r\x1b\x07\x9b\u2028")
    as_json = CliRunner().invoke(cli, ["log", "--index", str(index), "--json"]).stdout.splitlines()
    assert json.loads(as_json[1])["what"]["q"] == "电梯\r\x1b[2K\x1b]0;t\x07\x9b安全\u2028"  # JSON keeps it, escaped


@pytest.mark.parametrize("name", ["zhang\n", "a\x1bb", "a\rb", "a\x85b", "a\tb"])
def test_a_user_name_with_control_characters_is_refused(users_cli, name):
    result = users_cli("add", name, "--role", "reader", "--password-stdin", input="s3cret-pass\n")
    assert result.exit_code == 1
    assert "invalid user name" in result.output
    assert not users_cli.path.exists()


@pytest.mark.parametrize("group", ["财政组\x1b[31m", "a\x85b", "a\x7fb"])
def test_a_group_with_control_characters_is_refused(users_cli, group):
    result = users_cli("add", "zhang", "--role", "reader", "--group", group, "--password-stdin", input="s3cret-pass\n")
    assert result.exit_code == 1
    assert "invalid group" in result.output
    assert not users_cli.path.exists()


def test_a_new_password_is_checked_like_a_first_one(users_cli):
    """Issue 26: ``minutes users passwd`` refuses what ``add`` refuses, and keeps the old password."""
    users_cli("add", "zhang", "--role", "reader", "--password-stdin", input="long enough\n")
    for weak, reason in [("12345678", "密码不能全是数字"), ("zhang123", "密码不能只是用户名加几个字符"),
                         ("iloveyou", "这是常见密码")]:
        result = users_cli("passwd", "zhang", "--password-stdin", input=weak + "\n")
        assert result.exit_code == 1 and reason in result.stderr, result.output
    assert indexer.UsersFile(users_cli.path).verify("zhang", "long enough").name == "zhang"
