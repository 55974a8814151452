"""Tests for one-time code generation, hashing and verification."""

import hashlib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..lib import otp

SAMPLE_SIZE = 2000
# Chi-square with 9 degrees of freedom exceeds 40 with p < 1e-5, so a fair
# generator practically never trips this, while a biased digit does.
CHI_SQUARE_LIMIT = 40


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
    salt_hex, hash_hex = otp.hash_code("042917")
    assert otp.verify_code("042917", salt_hex, hash_hex)


def test_wrong_code_does_not_verify():
    salt_hex, hash_hex = otp.hash_code("042917")
    assert not otp.verify_code("042918", salt_hex, hash_hex)
    assert not otp.verify_code("42917", salt_hex, hash_hex)


def test_hash_has_random_16_byte_salt():
    first = otp.hash_code("123456")
    second = otp.hash_code("123456")
    assert len(bytes.fromhex(first[0])) == 16
    assert first[0] != second[0]
    assert first[1] != second[1]


def test_given_salt_makes_hash_reproducible():
    salt = bytes(range(16))
    assert otp.hash_code("123456", salt) == otp.hash_code("123456", salt.hex())
    assert otp.hash_code("123456", salt)[0] == salt.hex()


def test_hash_is_pbkdf2_sha256():
    salt = b"\x01" * 16
    expected = hashlib.pbkdf2_hmac("sha256", b"123456", salt, otp.ITERATIONS)
    assert otp.hash_code("123456", salt)[1] == expected.hex()


def test_hash_rejects_non_digit_code():
    with pytest.raises(ValueError):
        otp.hash_code("12a456")


@pytest.mark.parametrize(
    "typed", ["123456", " 123456 ", "123 456", "123-456", "12 34 56", "123\u00a0456\n"]
)
def test_verify_tolerates_spaces_and_dashes(typed):
    salt_hex, hash_hex = otp.hash_code("123456")
    assert otp.verify_code(typed, salt_hex, hash_hex)


@pytest.mark.parametrize(
    "typed", ["", "   ", "12345x", "123.456", "\u0661\u0662\u0663\u0664\u0665\u0666",
              None, 123456, b"123456", "1" * 100]
)
def test_verify_rejects_non_digit_input(typed):
    salt_hex, hash_hex = otp.hash_code("123456")
    assert otp.verify_code(typed, salt_hex, hash_hex) is False


@pytest.mark.parametrize("salt_hex, hash_hex", [
    ("zz", "00"), (None, None), ("", ""), ("00", "not hex"),
])
def test_verify_with_corrupt_stored_values_is_false(salt_hex, hash_hex):
    assert otp.verify_code("123456", salt_hex, hash_hex) is False


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(max_size=80))
def test_verify_never_raises_on_arbitrary_text(typed):
    salt_hex, hash_hex = otp.hash_code("123456", b"\x00" * 16)
    assert otp.verify_code(typed, salt_hex, hash_hex) in (True, False)


@settings(max_examples=30, deadline=None, database=None)
@given(st.from_regex(r"\A[0-9]{6}\Z"), st.sampled_from(["", " ", "-", "  "]))
def test_any_code_verifies_with_separator_in_the_middle(code, separator):
    salt_hex, hash_hex = otp.hash_code(code)
    assert otp.verify_code(code[:3] + separator + code[3:], salt_hex, hash_hex)
