"""Salted hashes of SMS codes and API keys, through passlib (Odoo's choice).

Stored as one string in the modular crypt format of passlib's
``pbkdf2_sha256`` (``$pbkdf2-sha256$<rounds>$<salt>$<checksum>``): algorithm,
work factor and a random 16-byte salt travel with the hash, so no salt column
is needed and the work factor can be raised later without breaking stored
hashes. Earlier versions stored ``hashlib.pbkdf2_hmac("sha256", secret, salt,
rounds)`` as hex with the salt in a column of its own; that is the same
function, and ``from_legacy`` rewrites such a pair losslessly.
"""
import binascii

from passlib.hash import pbkdf2_sha256
from passlib.utils.binary import ab64_encode


def hash_secret(secret, rounds):
    """The hash of ``secret`` (str) with ``rounds`` PBKDF2 iterations (str)."""
    return pbkdf2_sha256.using(rounds=rounds).hash(secret)


def verify_secret(secret, stored):
    """True when ``secret`` matches ``stored`` (constant time); never raises."""
    if not isinstance(secret, str) or not isinstance(stored, str):
        return False
    try:
        return pbkdf2_sha256.verify(secret, stored)
    except (ValueError, TypeError):
        return False


def from_legacy(salt_hex, hash_hex, rounds):
    """The stored form of an earlier ``(salt hex, PBKDF2-SHA256 hex)`` pair.

    Raises ValueError when either part is not hex.
    """
    try:
        salt, checksum = binascii.unhexlify(salt_hex), binascii.unhexlify(hash_hex)
    except (binascii.Error, TypeError) as error:
        raise ValueError("not a hex salt and hash") from error
    return "$pbkdf2-sha256$%d$%s$%s" % (
        rounds, ab64_encode(salt).decode("ascii"),
        ab64_encode(checksum).decode("ascii"))
