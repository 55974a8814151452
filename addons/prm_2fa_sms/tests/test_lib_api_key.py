"""API keys: format, hashing, constant-time verification."""
import hashlib

from ..lib import api_key, secret_hash


def test_generated_keys_are_unique_and_well_formed():
    keys = {api_key.generate_key()[0] for _index in range(50)}
    assert len(keys) == 50
    for key in keys:
        key_id, secret = api_key.split_key(key)
        assert key.startswith("prm_%s_" % key_id)
        assert len(secret) >= 32


def test_verify_accepts_only_the_issued_key():
    key, _key_id = api_key.generate_key()
    stored = api_key.hash_key(key)
    assert stored.startswith("$pbkdf2-sha256$%d$" % api_key.ITERATIONS)
    assert api_key.verify_key(key, stored)
    assert not api_key.verify_key(key[:-1] + ("A" if key[-1] != "A" else "B"),
                                  stored)
    other, _other_id = api_key.generate_key()
    assert not api_key.verify_key(other, stored)


def test_malformed_input_is_rejected_without_errors():
    stored = api_key.hash_key(api_key.generate_key()[0])
    for candidate in (None, "", "demo", "prm_zz_x", 42, "prm_0123abcd_short"):
        assert api_key.split_key(candidate) is None
        assert api_key.verify_key(candidate, stored) is False
    for broken in ("zz", None, "", "$pbkdf2-sha256$1$x$y"):
        assert api_key.verify_key(api_key.generate_key()[0], broken) is False


def test_salts_differ_per_hash():
    key, _key_id = api_key.generate_key()
    assert api_key.hash_key(key) != api_key.hash_key(key)


def test_keys_issued_before_passlib_keep_working():
    """Keys stored as (salt hex, PBKDF2 hex) are converted by the migration."""
    key, _key_id = api_key.generate_key()
    salt = bytes(range(16))
    digest = hashlib.pbkdf2_hmac("sha256", key.encode(), salt, api_key.ITERATIONS)
    stored = secret_hash.from_legacy(salt.hex(), digest.hex(), api_key.ITERATIONS)
    assert api_key.verify_key(key, stored)
