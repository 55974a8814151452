"""Tests for mobile number normalisation and masking."""

import pytest

from ..lib import phone
from ..lib.errors import TwoFactorError

E164 = "+4915123456767"
MASK = "\u2022\u2022\u2022 \u2022\u2022\u2022\u2022"


@pytest.mark.parametrize("typed", [
    "015123456767",
    "0151 23456767",
    "0151/234 567-67",
    "+49 151 23456767",
    "0049 151 23456767",
    "+4915123456767",
    " +49 (0)151 23456767 ",
    # pasted from web pages and word processors: every Unicode space
    # separator is a space (issue 17/13)
    "+49\u00a0151\u00a023456767",
    "+49\u202f151\u202f234\u200956767",
    "\u3000+49\u2007151 23456767\u00a0",
])
def test_german_mobile_normalises_to_e164(typed):
    assert phone.normalize_mobile(typed) == E164


def test_region_is_case_insensitive():
    assert phone.normalize_mobile("015123456767", "de") == E164


def test_other_country_with_its_region():
    assert phone.normalize_mobile("0612345678", "NL") == "+31612345678"
    assert phone.normalize_mobile("0664 1234567", "AT") == "+436641234567"


def test_international_number_ignores_default_region():
    assert phone.normalize_mobile("+31 6 12345678") == "+31612345678"


def test_national_number_without_region_is_invalid():
    with pytest.raises(phone.InvalidPhoneError):
        phone.normalize_mobile("015123456767", None)


def test_fixed_line_or_mobile_is_accepted():
    # US plans do not separate mobile ranges, so SMS may reach them.
    assert phone.normalize_mobile("(201) 555-0123", "US") == "+12015550123"


@pytest.mark.parametrize("empty", [None, False, "", "   "])
def test_empty_gives_none(empty):
    assert phone.normalize_mobile(empty) is None


@pytest.mark.parametrize(
    "typed", ["12", "0151", "+49 000 0000000", "+999 123456"]
)
def test_invalid_numbers_raise(typed):
    with pytest.raises(phone.InvalidPhoneError) as caught:
        phone.normalize_mobile(typed)
    error = caught.value
    assert isinstance(error, phone.PhoneError)
    assert isinstance(error, TwoFactorError)
    assert error.template == "%(number)s is not a valid phone number"
    assert str(error) == "%s is not a valid phone number" % typed.strip()


@pytest.mark.parametrize("landline", ["030 12345678", "+49 89 1234567", "0221 1234567"])
def test_landline_is_rejected(landline):
    with pytest.raises(phone.NotMobileError) as caught:
        phone.normalize_mobile(landline)
    assert caught.value.template == "%(number)s is not a mobile number"
    assert str(caught.value) == "%s is not a mobile number" % landline


def test_mask_keeps_country_code_and_last_two_digits():
    assert phone.mask_phone(E164) == "+49 " + MASK + " 67"


def test_mask_handles_other_country_code_lengths():
    assert phone.mask_phone("+12015550123") == "+1 " + MASK + " 23"
    assert phone.mask_phone("+353861234567").startswith("+353 ")


def test_mask_hides_the_length_of_the_number():
    longer, shorter = "+4915123456767", "+491511234567"
    assert len(phone.mask_phone(longer)) == len(phone.mask_phone(shorter))


@pytest.mark.parametrize(
    "value", ["+4915123456767", "015123456767", "garbage 98765432"]
)
def test_mask_never_shows_the_middle_digits(value):
    masked = phone.mask_phone(value)
    assert "1512345" not in masked and "234" not in masked and "876543" not in masked
    assert masked.endswith(value[-2:])


@pytest.mark.parametrize("value", [None, "", False])
def test_mask_of_nothing_is_empty(value):
    assert phone.mask_phone(value) == ""


def test_mask_of_short_garbage_reveals_no_digits():
    assert phone.mask_phone("123") == MASK


@pytest.mark.parametrize("typed", [
    "+49 171 ABCDEFG",          # libphonenumber reads letters as keypad digits
    "0171 2345678 ext. 9",
    "+49 171 2345678!",
    "+49\u00a0171\u00a0ABCDEFG",  # letters stay refused after any space
    "+49 171 234567\u0667",     # an Arabic-Indic digit
    "49+171 2345678",
])
def test_letters_and_other_signs_are_refused_never_repaired(typed):
    with pytest.raises(phone.PhoneCharactersError) as error:
        phone.normalize_mobile(typed)
    assert "may contain only digits" in str(error.value)


def test_invisible_format_characters_are_dropped():
    """Outside review: numbers copied from phone contacts carry direction
    marks (U+202D ... U+202C) and zero-width spaces."""
    assert phone.normalize_mobile("\u202d+49\u00a0171\u200b2345678\u202c") == \
        phone.normalize_mobile("+49 171 2345678")
