"""Signed "trust this device" cookie values.

Token format (cookie-safe ASCII)::

    v1.<user_id>.<expires_at>.<signature>

``user_id`` is a positive integer, ``expires_at`` epoch seconds and
``signature`` the unpadded url-safe base64 of HMAC-SHA256 over
``v1|<user_id>|<expires_at>|<binding>`` keyed with the server secret.

The binding is signed but not stored in the token. Deriving it from the
user's password hash and a per-user revocation counter (``binding_for``)
voids every token of a user on a password change or a revocation.
"""

import base64
import hashlib
import hmac
import re

VERSION = "v1"

_TOKEN_PATTERN = re.compile(
    r"v1\.([1-9][0-9]{0,17})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})", re.ASCII
)
# Anything longer cannot be a token; checked before the regex to bound work.
_MAX_TOKEN_LENGTH = 100


def binding_for(password_hash, revocation_counter):
    """SHA-256 hex of the password hash and the revocation counter."""
    material = "%s\x00%d" % (password_hash or "", int(revocation_counter or 0))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _signature(secret, user_id, expires_at, binding):
    message = "%s|%d|%d|%s" % (VERSION, user_id, expires_at, binding)
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _is_plain_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def make_token(secret, user_id, binding, expires_at):
    """Sign a token for ``user_id`` valid until ``expires_at`` (epoch s)."""
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("secret must be non-empty bytes")
    if not _is_plain_int(user_id) or user_id < 1:
        raise ValueError("user_id must be a positive integer")
    if not _is_plain_int(expires_at) or not 0 <= expires_at < 10 ** 12:
        raise ValueError("expires_at must be epoch seconds")
    if not isinstance(binding, str):
        raise ValueError("binding must be a string")
    signature = _signature(secret, user_id, expires_at, binding)
    return "%s.%d.%d.%s" % (VERSION, user_id, expires_at, signature)


def read_token(secret, token, now):
    """Return ``(user_id, expires_at)`` of a well-formed, unexpired token.

    Returns None otherwise. The signature is not checked here because that
    needs the user's binding (see ``check_token``); ``secret`` is accepted
    so both calls take the same arguments.
    """
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH:
        return None
    match = _TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return None
    user_id, expires_at = int(match.group(1)), int(match.group(2))
    try:
        if now >= expires_at:
            return None
    except TypeError:
        return None
    return user_id, expires_at


def check_token(secret, token, user_id, binding, now):
    """True if ``token`` is valid, unexpired and signed for this user.

    Never raises: tampered, expired, foreign or malformed tokens give False.
    """
    parsed = read_token(secret, token, now)
    if parsed is None or parsed[0] != user_id:
        return False
    try:
        expected = make_token(secret, user_id, binding, parsed[1])
    except ValueError:
        return False
    # Both are ASCII here: the token matched the pattern above.
    return hmac.compare_digest(expected, token)
