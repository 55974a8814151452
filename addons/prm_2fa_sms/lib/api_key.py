"""Per-user API keys for programmatic access (XML-RPC) of 2FA users.

A key reads ``prm_<id>_<secret>``: ``id`` (8 hex chars) finds the stored
record without scanning, the key is checked against a salted PBKDF2 hash
(``lib.secret_hash``). Keys are shown once when issued and never stored in
clear.
"""
import re
import secrets

from . import secret_hash

PREFIX = "prm_"
KEY_PATTERN = re.compile(r"^prm_([0-9a-f]{8})_([A-Za-z0-9_-]{32,64})$")
# API calls check the key on the first call of a process only (Odoo caches
# the verified credential per user), so a slower hash costs little.
ITERATIONS = 100000


def generate_key():
    """Return ``(key, key_id)`` for a new key."""
    key_id = secrets.token_hex(4)
    return "%s%s_%s" % (PREFIX, key_id, secrets.token_urlsafe(32)), key_id


def split_key(key):
    """``(key_id, secret)`` of a well-formed key, else None (never raises)."""
    if not isinstance(key, str):
        return None
    match = KEY_PATTERN.match(key)
    return (match.group(1), match.group(2)) if match else None


def hash_key(key):
    """The salted hash of ``key`` to store."""
    return secret_hash.hash_secret(key, ITERATIONS)


def verify_key(key, stored):
    """True when ``key`` is well-formed and matches ``stored``; never raises."""
    if not split_key(key):
        return False
    return secret_hash.verify_secret(key, stored)
