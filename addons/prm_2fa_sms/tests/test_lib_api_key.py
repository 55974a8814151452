"""API keys: format, hashing, constant-time verification."""
from ..lib import api_key


def test_generated_keys_are_unique_and_well_formed():
    keys = {api_key.generate_key()[0] for _index in range(50)}
    assert len(keys) == 50
    for key in keys:
        key_id, secret = api_key.split_key(key)
        assert key.startswith("prm_%s_" % key_id)
        assert len(secret) >= 32


def test_verify_accepts_only_the_issued_key():
    key, _key_id = api_key.generate_key()
    salt, digest = api_key.hash_key(key)
    assert api_key.verify_key(key, salt, digest)
    assert not api_key.verify_key(key[:-1] + ("A" if key[-1] != "A" else "B"),
                                  salt, digest)
    other, _other_id = api_key.generate_key()
    assert not api_key.verify_key(other, salt, digest)


def test_malformed_input_is_rejected_without_errors():
    salt, digest = api_key.hash_key(api_key.generate_key()[0])
    for candidate in (None, "", "demo", "prm_zz_x", 42, "prm_0123abcd_short"):
        assert api_key.split_key(candidate) is None
        assert api_key.verify_key(candidate, salt, digest) is False
    assert api_key.verify_key(api_key.generate_key()[0], "zz", digest) is False


def test_salts_differ_per_hash():
    key, _key_id = api_key.generate_key()
    assert api_key.hash_key(key)[0] != api_key.hash_key(key)[0]
