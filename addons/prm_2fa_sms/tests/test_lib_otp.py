"""Tests for one-time code generation, hashing and verification."""

import hashlib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from passlib.utils.binary import ab64_decode

from ..lib import otp, secret_hash

SAMPLE_SIZE = 2000
# Chi-square with 9 degrees of freedom exceeds 40 with p < 1e-5, so a fair
# generator practically never trips this, while a biased digit does.
CHI_SQUARE_LIMIT = 40
STORED_123456 = otp.hash_code("123456")


def _chi_square(counts, total, bins=10):
    expected = total / bins
    return sum((counts.get(str(digit), 0) - expected) ** 2 / expected
               for digit in range(bins))


def test_codes_are_six_ascii_digits():
    for _ in range(200):
        code = otp.generate_code()
        assert len(code) == 6
        assert set(code) <= set("0123456789")


def test_code_length_follows_digits():
    assert len(otp.generate_code(8)) == 8
    assert len(otp.generate_code(4)) == 4


@pytest.mark.parametrize("digits", [0, -1, "6", True])
def test_invalid_digit_counts_rejected(digits):
    with pytest.raises(ValueError):
        otp.generate_code(digits)


def test_codes_are_zero_padded():
    codes = [otp.generate_code(2) for _ in range(500)]
    # P(no code below 10 among 500) = 0.9 ** 500, i.e. practically never.
    assert any(code.startswith("0") for code in codes)
    assert all(len(code) == 2 for code in codes)


def test_digit_distribution_is_uniform_at_every_position():
    codes = [otp.generate_code() for _ in range(SAMPLE_SIZE)]
    for position in range(6):
        counts = Counter(code[position] for code in codes)
        assert _chi_square(counts, SAMPLE_SIZE) < CHI_SQUARE_LIMIT, position


def test_codes_rarely_repeat():
    codes = [otp.generate_code() for _ in range(SAMPLE_SIZE)]
    # About 2 collisions are expected among 2000 draws from 10**6 values.
    assert len(set(codes)) > SAMPLE_SIZE - 20


def test_hash_then_verify_round_trip():
    stored = otp.hash_code("042917")
    assert otp.verify_code("042917", stored)


def test_wrong_code_does_not_verify():
    stored = otp.hash_code("042917")
    assert not otp.verify_code("042918", stored)
    assert not otp.verify_code("42917", stored)


def test_hash_is_salted_pbkdf2_sha256_in_passlib_format():
    first, second = otp.hash_code("123456"), otp.hash_code("123456")
    assert first.startswith("$pbkdf2-sha256$%d$" % otp.ITERATIONS)
    assert first != second, "a random salt per hash"
    _scheme, _algorithm, _rounds, salt, checksum = first.split("$")
    expected = hashlib.pbkdf2_hmac("sha256", b"123456", ab64_decode(salt),
                                   otp.ITERATIONS)
    assert ab64_decode(checksum) == expected and len(ab64_decode(salt)) == 16


def test_a_hash_of_the_earlier_format_is_converted_losslessly():
    salt = bytes(range(16))
    digest = hashlib.pbkdf2_hmac("sha256", b"123456", salt, otp.ITERATIONS)
    stored = secret_hash.from_legacy(salt.hex(), digest.hex(), otp.ITERATIONS)
    assert otp.verify_code("123 456", stored)
    assert not otp.verify_code("123457", stored)
    with pytest.raises(ValueError):
        secret_hash.from_legacy("zz", digest.hex(), otp.ITERATIONS)


def test_hash_rejects_non_digit_code():
    with pytest.raises(ValueError):
        otp.hash_code("12a456")


@pytest.mark.parametrize(
    "typed", ["123456", " 123456 ", "123 456", "123-456", "12 34 56", "123\u00a0456\n"]
)
def test_verify_tolerates_spaces_and_dashes(typed):
    assert otp.verify_code(typed, otp.hash_code("123456"))


@pytest.mark.parametrize(
    "typed", ["", "   ", "12345x", "123.456", "\u0661\u0662\u0663\u0664\u0665\u0666",
              None, 123456, b"123456", "1" * 100]
)
def test_verify_rejects_non_digit_input(typed):
    assert otp.verify_code(typed, otp.hash_code("123456")) is False


@pytest.mark.parametrize("stored", [
    "zz", None, "", "$pbkdf2-sha256$10000$not$valid", "$1$md5$x", 42,
])
def test_verify_with_corrupt_stored_values_is_false(stored):
    assert otp.verify_code("123456", stored) is False


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(max_size=80))
def test_verify_never_raises_on_arbitrary_text(typed):
    assert otp.verify_code(typed, STORED_123456) in (True, False)


@settings(max_examples=30, deadline=None, database=None)
@given(st.from_regex(r"\A[0-9]{6}\Z"), st.sampled_from(["", " ", "-", "  "]))
def test_any_code_verifies_with_separator_in_the_middle(code, separator):
    assert otp.verify_code(code[:3] + separator + code[3:], otp.hash_code(code))
