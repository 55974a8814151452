"""Provider texts and codes never keep a phone number or a code, however
its digits are separated (outside review: German "0151 / 1000 / 0077",
codes with underscores)."""
from ..lib.sms_providers import clean_error_code, clean_provider_text


def test_numbers_with_wide_separators_are_masked():
    for text in ("Invalid recipient 0151 / 1000 / 0077",
                 "Invalid recipient +49 151,1000,0077",
                 "Your code 12_34_56"):
        cleaned = clean_provider_text(text)
        assert sum(char.isdigit() for char in cleaned) < 5, cleaned


def test_short_codes_and_texts_stay_readable():
    assert clean_provider_text("Error 4002: bad sender") == "Error 4002: bad sender"
    assert clean_error_code(21211) == "21211"
    assert clean_error_code(" invalid  number ") == "invalid number"


def test_a_number_as_error_code_is_masked():
    for code in ("+4915110000077", "0151 1000 0077", "015110000077"):
        assert clean_error_code(code) == "\u2026", code
