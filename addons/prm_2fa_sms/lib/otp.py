"""One-time codes: generation, salted hashing and tolerant verification."""

import re
import secrets

from . import secret_hash

# A 6-digit code has only 10**6 values, so no iteration count can stop an
# offline brute force of a leaked hash; the real defences are the 5-minute
# validity and the attempt limits. The hash only keeps codes out of plain
# sight in the database, and a modest count keeps sign-in fast.
ITERATIONS = 10000

# Longer input cannot be a code; the cap also bounds hashing work.
MAX_INPUT_LENGTH = 64

_SEPARATORS = re.compile(r"[\s\-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def generate_code(digits=6):
    """Return a uniformly random, zero-padded code of ``digits`` digits."""
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1:
        raise ValueError("digits must be a positive integer")
    return str(secrets.randbelow(10 ** digits)).zfill(digits)


def normalize_code(code):
    """Return ``code`` without spaces and dashes, or None if not all digits."""
    if not isinstance(code, str) or len(code) > MAX_INPUT_LENGTH:
        return None
    compact = _SEPARATORS.sub("", code)
    if not _ASCII_DIGITS.fullmatch(compact):
        return None
    return compact


def hash_code(code):
    """The salted hash of ``code`` to store (``lib.secret_hash``).

    Raises ValueError when ``code`` is not digits (separators allowed).
    """
    compact = normalize_code(code)
    if compact is None:
        raise ValueError("a code consists of digits only")
    return secret_hash.hash_secret(compact, ITERATIONS)


def verify_code(code, stored):
    """Tell whether user input ``code`` matches the stored hash; never raises."""
    compact = normalize_code(code)
    if compact is None:
        return False
    return secret_hash.verify_secret(compact, stored)
