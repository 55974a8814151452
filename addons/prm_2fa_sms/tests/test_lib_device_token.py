"""Tests for the signed "trust this device" tokens."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..lib import device_token

SECRET = b"server-secret-for-tests"
NOW = 1700000000
EXPIRES = NOW + 30 * 24 * 3600
USER = 42
BINDING = device_token.binding_for("$pbkdf2-sha512$25000$abc", 0)


@pytest.fixture
def token():
    return device_token.make_token(SECRET, USER, BINDING, EXPIRES)


def test_format_is_documented_and_cookie_safe(token):
    version, user_id, expires_at, signature = token.split(".")
    assert (version, user_id, expires_at) == ("v1", "42", str(EXPIRES))
    assert len(signature) == 43
    assert set(signature) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_round_trip(token):
    assert device_token.read_token(SECRET, token, NOW) == (USER, EXPIRES)
    assert device_token.check_token(SECRET, token, USER, BINDING, NOW) is True


def test_token_is_deterministic_for_the_same_input(token):
    assert device_token.make_token(SECRET, USER, BINDING, EXPIRES) == token


def test_expired_exactly_at_expiry(token):
    assert device_token.check_token(SECRET, token, USER, BINDING, EXPIRES - 1)
    assert not device_token.check_token(SECRET, token, USER, BINDING, EXPIRES)
    assert device_token.read_token(SECRET, token, EXPIRES) is None


def test_wrong_user_is_refused(token):
    assert not device_token.check_token(SECRET, token, USER + 1, BINDING, NOW)


def test_other_secret_is_refused(token):
    assert not device_token.check_token(b"another secret", token, USER, BINDING, NOW)


def test_password_change_voids_token(token):
    binding = device_token.binding_for("$pbkdf2-sha512$25000$new", 0)
    assert not device_token.check_token(SECRET, token, USER, binding, NOW)


def test_revocation_voids_token(token):
    binding = device_token.binding_for("$pbkdf2-sha512$25000$abc", 1)
    assert not device_token.check_token(SECRET, token, USER, binding, NOW)


def test_binding_is_sha256_hex_and_depends_on_both_inputs():
    binding = device_token.binding_for("hash", 3)
    assert len(binding) == 64 and int(binding, 16) >= 0
    assert binding == device_token.binding_for("hash", 3)
    assert binding != device_token.binding_for("hash", 4)
    assert binding != device_token.binding_for("hash2", 3)


def test_binding_tolerates_missing_password_hash():
    assert device_token.binding_for(False, None) == device_token.binding_for("", 0)


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace("v1.42.", "v1.43.", 1),
    lambda t: t.replace(".%d." % EXPIRES, ".%d." % (EXPIRES + 86400), 1),
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: t.replace("v1.", "v2.", 1),
    lambda t: t + "=",
    lambda t: t.replace("v1.42.", "v1.042.", 1),
    lambda t: t.upper(),
])
def test_tampered_token_is_refused(token, tamper):
    tampered = tamper(token)
    assert tampered != token
    assert not device_token.check_token(SECRET, tampered, USER, BINDING, NOW)
    assert not device_token.check_token(SECRET, tampered, USER + 1, BINDING, NOW)


def test_read_token_does_not_check_the_signature(token):
    forged = token.rsplit(".", 1)[0] + "." + "A" * 43
    assert device_token.read_token(SECRET, forged, NOW) == (USER, EXPIRES)
    assert not device_token.check_token(SECRET, forged, USER, BINDING, NOW)


@pytest.mark.parametrize("garbage", [
    None, "", "v1", "v1...", "v1.abc.def.ghi", 42, b"v1.42.1.x", "x" * 10000,
])
def test_garbage_is_refused(garbage):
    assert device_token.read_token(SECRET, garbage, NOW) is None
    assert device_token.check_token(SECRET, garbage, USER, BINDING, NOW) is False


def test_bad_checker_arguments_give_false(token):
    assert device_token.check_token(SECRET, token, USER, None, NOW) is False
    assert device_token.check_token(b"", token, USER, BINDING, NOW) is False
    assert device_token.check_token(SECRET, token, USER, BINDING, None) is False


@pytest.mark.parametrize("kwargs", [
    {"secret": b""}, {"secret": "text"}, {"user_id": 0}, {"user_id": True},
    {"expires_at": 1.5}, {"expires_at": -1}, {"binding": None},
])
def test_make_token_refuses_bad_input(kwargs):
    arguments = dict(secret=SECRET, user_id=USER, binding=BINDING, expires_at=EXPIRES)
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        device_token.make_token(**arguments)


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(
    st.text(max_size=120),
    st.from_regex(r"\Av1\.[0-9]{1,20}\.[0-9]{1,13}\.[A-Za-z0-9_=-]{0,50}\Z"),
))
def test_checker_never_raises_on_arbitrary_strings(candidate):
    assert device_token.check_token(SECRET, candidate, USER, BINDING, NOW) is False
    parsed = device_token.read_token(SECRET, candidate, NOW)
    assert parsed is None or (len(parsed) == 2 and parsed[1] > NOW)
