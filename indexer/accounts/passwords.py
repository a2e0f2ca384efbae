"""Password hashes in werkzeug's format, made and checked with the standard library.

A hash is ``method$salt$hex``, as :func:`werkzeug.security.generate_password_hash` writes it:
``scrypt:32768:8:1$<16 letters and digits>$<64 bytes in hex>``. Users files written while the
web app hashed with werkzeug keep verifying, and werkzeug verifies ours (tests check both ways);
werkzeug's older ``pbkdf2:<hash>:<iterations>`` hashes are checked too. The engine does not
depend on the web framework for it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from functools import cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # werkzeug's defaults: about 50 ms and 32 MB per check
SALT_CHARS = string.ascii_letters + string.digits
SALT_LENGTH = 16
PBKDF2_ITERATIONS = 1_000_000  # werkzeug's default when a pbkdf2 hash names no count


def _derive(method: str, salt: str, password: str) -> str | None:
    """The hex digest ``method`` (with its parameters) gives; None for a method we do not know."""
    name, *args = method.split(":")
    try:
        if name == "scrypt":
            n, r, p = map(int, args) if args else (SCRYPT_N, SCRYPT_R, SCRYPT_P)
            return hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p,
                                  maxmem=132 * n * r * p).hex()  # werkzeug's bound: a little over 128·n·r·p
        if name == "pbkdf2" and len(args) <= 2:
            digest = args[0] if args else "sha256"
            iterations = int(args[1]) if len(args) == 2 else PBKDF2_ITERATIONS
            return hashlib.pbkdf2_hmac(digest, password.encode(), salt.encode(), iterations).hex()
    except ValueError:  # parameters that are not numbers, or that the library refuses
        return None
    return None


def hash_password(password: str) -> str:
    """A new hash of ``password`` with a fresh salt: ``scrypt:32768:8:1$salt$hex``."""
    salt = "".join(secrets.choice(SALT_CHARS) for _ in range(SALT_LENGTH))
    method = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"
    return f"{method}${salt}${_derive(method, salt, password)}"


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (compared in constant time).
    A hash that is not ``method$salt$hex`` of a known method matches nothing."""
    method, salt, digest = (stored.split("$", 2) + ["", ""])[:3]
    derived = _derive(method, salt, password) if digest else None
    return derived is not None and hmac.compare_digest(derived, digest)


@cache
def dummy_hash() -> str:
    """A hash no password is checked against in earnest: an unknown name is checked against it,
    so that it costs the same work as a wrong password. Made on first need, not at import."""
    return hash_password("no such user: the same work as a wrong password")
