"""Per-user API keys for programmatic access (XML-RPC) of 2FA users.

A key reads ``prm_<id>_<secret>``: ``id`` (8 hex chars) finds the stored
record without scanning, ``secret`` is checked against a salted PBKDF2 hash.
Keys are shown once when issued and never stored in clear.
"""
import hashlib
import hmac
import re
import secrets

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


def hash_key(key, salt=None):
    """``(salt_hex, hash_hex)`` of a key."""
    salt = bytes.fromhex(salt) if salt else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", key.encode(), salt, ITERATIONS)
    return salt.hex(), digest.hex()


def verify_key(key, salt_hex, hash_hex):
    """True when ``key`` matches the stored hash (constant-time compare)."""
    if not split_key(key):
        return False
    try:
        _salt, digest = hash_key(key, salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(digest, hash_hex)
