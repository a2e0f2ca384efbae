"""Password hashes (indexer/accounts/passwords.py): werkzeug's format, made and checked with
hashlib, so the users files the web app wrote with werkzeug keep verifying. werkzeug is the
oracle here: it checks ours and we check its."""
from __future__ import annotations

import hashlib
import json

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

import indexer
from indexer.accounts import passwords

PASSWORD = "s3cret-pass"


def test_a_hash_is_werkzeugs_scrypt_form_with_a_fresh_salt():
    made = passwords.hash_password(PASSWORD)
    method, salt, digest = made.split("$")
    assert (method, len(salt), salt.isascii() and salt.isalnum(), len(digest)) == ("scrypt:32768:8:1", 16, True, 128)
    assert passwords.hash_password(PASSWORD).split("$")[1] != salt


def test_werkzeug_checks_ours():
    made = passwords.hash_password(PASSWORD)
    assert (check_password_hash(made, PASSWORD), check_password_hash(made, "wrong-pass")) == (True, False)


@pytest.mark.parametrize("method", ["scrypt", "scrypt:16384:8:1", "pbkdf2:sha256:1000", "pbkdf2:sha512:2000"])
def test_we_check_werkzeugs(method):
    made = generate_password_hash(PASSWORD, method=method)
    assert (passwords.verify_password(made, PASSWORD), passwords.verify_password(made, "wrong-pass")) == (True, False)


def test_a_hash_without_parameters_takes_werkzeugs_defaults():
    salt = "abcdefghABCDEFGH"
    bare = f"scrypt${salt}${hashlib.scrypt(PASSWORD.encode(), salt=salt.encode(), n=2**15, r=8, p=1, maxmem=2**26).hex()}"
    assert (check_password_hash(bare, PASSWORD), passwords.verify_password(bare, PASSWORD)) == (True, True)


@pytest.mark.parametrize("stored", ["", "scrypt", "scrypt$salt", "md5$salt$00", "scrypt:x:8:1$salt$00",
                                    "pbkdf2:sha256:1000:9$salt$00", "pbkdf2:nohash:1000$salt$00"])
def test_a_malformed_hash_matches_nothing(stored):
    assert passwords.verify_password(stored, PASSWORD) is False


def test_a_users_file_werkzeug_hashed_still_verifies(tmp_path):
    """The file as the web app wrote it before the users file moved into indexer."""
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"format": 1, "users": [
        {"name": "zhang", "role": "editor", "groups": ["财政组"], "password_hash": generate_password_hash(PASSWORD)}]}),
        encoding="utf-8")
    users = indexer.UsersFile(path)
    assert users.verify("zhang", PASSWORD) == indexer.User("zhang", "editor", ("财政组",), users.get("zhang").password_hash)
    assert users.verify("zhang", "wrong-pass") is None


def test_an_unknown_name_costs_one_scrypt_like_a_wrong_password(tmp_path, monkeypatch):
    """No user enumeration by timing: an unknown name is checked against a dummy hash made the
    same way, so both answers cost one scrypt of the same parameters."""
    users = indexer.UsersFile(tmp_path / "users.json")
    users.add("zhang", "reader", (), "long enough")
    passwords.dummy_hash()  # made once, before counting
    calls = []
    scrypt = hashlib.scrypt

    def counted(password, *, salt, n, r, p, maxmem):
        calls.append((len(salt), n, r, p))
        return scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    assert (users.verify("zhang", "wrong guess"), users.verify("nobody", "wrong guess")) == (None, None)
    assert calls == [(16, 2**15, 8, 1)] * 2
