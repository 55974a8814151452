"""Recovery codes: one-time codes for a lost phone.

Ten codes of ten characters from a 31-letter alphabet without look-alikes
(i, l, o, 0, 1 left out; 49 bits each), shown as ``xxxxx-xxxxx``; only
their salted hashes (``lib.secret_hash``) are stored. Input is compared
case-insensitively, without spaces and dashes.
"""
import re
import secrets

from . import secret_hash

COUNT = 10
LENGTH = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# 49 bits per code: far beyond online guessing under the attempt limits;
# the hash keeps the codes out of plain sight in the database.
ITERATIONS = 20000
MAX_INPUT_LENGTH = 64

_SEPARATORS = re.compile(r"[\s\-]+")


def generate_codes(count=COUNT):
    """``count`` new codes (list of str), formatted for reading."""
    return ["%s-%s" % (code[:5], code[5:]) for code in (
        "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
        for _n in range(count))]


def normalize(code):
    """``code`` lower-cased without spaces and dashes, or None if not a code."""
    if not isinstance(code, str) or len(code) > MAX_INPUT_LENGTH:
        return None
    compact = _SEPARATORS.sub("", code).lower()
    if len(compact) != LENGTH or any(char not in ALPHABET for char in compact):
        return None
    return compact


def hash_code(code):
    """The stored form of ``code``; raises ValueError for a malformed code."""
    compact = normalize(code)
    if compact is None:
        raise ValueError("not a recovery code")
    return secret_hash.hash_secret(compact, ITERATIONS)


def find_match(code, stored_hashes):
    """Index of the stored hash ``code`` matches, or None; never raises.

    ``stored_hashes``: sequence of stored forms (of the unused codes).
    """
    compact = normalize(code)
    if compact is None:
        return None
    found = None
    for index, stored in enumerate(stored_hashes):
        # every hash is checked, so the time does not tell which one matched
        if secret_hash.verify_secret(compact, stored) and found is None:
            found = index
    return found
