"""Encryption of stored second-factor secrets (authenticator keys).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with a key that
lives outside the database: the server option ``prm_2fa_secret_key`` in
odoo.conf, written by ``scripts/make_config.py``. A database dump or an
administrator reading tables sees only ciphertext.
"""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class NoKeyError(Exception):
    """The server has no key for second-factor secrets."""


def _fernet(key):
    if not key or not isinstance(key, str) or len(key) < 32:
        raise NoKeyError("prm_2fa_secret_key missing or shorter than 32 characters")
    # Any long random string works: it is hashed into the 32-byte Fernet key.
    digest = hashlib.sha256(("prm-2fa-secret:%s" % key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(key, secret):
    """The stored form (str) of ``secret`` (str). Raises NoKeyError."""
    return _fernet(key).encrypt(secret.encode()).decode("ascii")


def decrypt(key, stored):
    """The secret (str) of ``stored``, or None when it was made with another
    key or altered. Raises NoKeyError."""
    fernet = _fernet(key)
    try:
        return fernet.decrypt(stored.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, AttributeError):
        return None
