"""Property-based tests of phone normalisation and one-time codes."""
import re

from hypothesis import given, settings, strategies as st

from ..lib import otp, phone

PHONE_CHARS = "0123456789+()-/ .\u00a0\u0660\uff11xX#*;ext"
TYPED = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=PHONE_CHARS, max_size=40),
    st.from_regex(r"\A\+?(00)?49 ?\(?0?\)?1[5-7][0-9] ?[0-9]{7,8}\Z"),
    st.integers(0, 300).map(lambda n: "0151" + "2" * n),
)
REGIONS = st.sampled_from(["DE", "de", "AT", "US", "NL", None, "", "XX"])
MAX_MESSAGE = 300


def normalized_or_error(typed, region):
    try:
        return phone.normalize_mobile(typed, region)
    except phone.PhoneError as error:
        assert isinstance(error, (phone.InvalidPhoneError,
                                  phone.NotMobileError))
        text = str(error)
        assert error.template % error.params == text
        # Even a huge paste gives a readable message, not the paste itself.
        assert 0 < len(text) <= MAX_MESSAGE, len(text)
        return "refused"


@given(TYPED, REGIONS)
def test_typed_numbers_normalise_to_e164_or_are_refused_clearly(typed,
                                                                region):
    result = normalized_or_error(typed, region)
    if result in (None, "refused"):
        return
    assert re.fullmatch(r"\+[1-9][0-9]{6,14}", result), result
    # Normalising again changes nothing, whatever the default region.
    assert phone.normalize_mobile(result, "US") == result


def test_huge_paste_is_refused_with_a_short_message():
    assert normalized_or_error("0151" * 25000, "DE") == "refused"


@given(st.one_of(TYPED, st.none(), st.just(False)))
def test_mask_never_raises_and_shows_at_most_two_digits(value):
    masked = phone.mask_phone(value)
    if not value:
        assert masked == ""
        return
    assert phone.MASK in masked
    after_mask = masked.split(phone.MASK)[1].strip()
    assert re.fullmatch(r"[0-9]{0,2}", after_mask)
    assert re.fullmatch(r"(\+[0-9]{1,3} )?", masked.split(phone.MASK)[0])


@given(st.text(max_size=200), st.one_of(st.text(max_size=120), st.none()))
def test_verify_never_raises_on_garbage(typed, stored):
    assert otp.verify_code(typed, stored) in (True, False)


# Three key derivations per example: fewer examples keep the suite quick.
@settings(max_examples=80)
@given(st.integers(1, 12).flatmap(lambda n: st.text("0123456789", min_size=n,
                                                    max_size=n)),
       st.lists(st.sampled_from(["", " ", "-", "\t", " - "]), max_size=13))
def test_hash_then_verify_round_trips_with_separators(code, separators):
    stored = otp.hash_code(code)
    typed = "".join(digit + (separators[index] if index < len(separators)
                             else "")
                    for index, digit in enumerate(code))
    assert otp.verify_code(typed, stored)
    other = str((int(code) + 1) % 10 ** len(code)).zfill(len(code))
    assert not otp.verify_code(other, stored)
    # Digits of other scripts look alike but are not the code.
    lookalike = code.translate({ord(d): chr(0x660 + int(d)) for d in "09"})
    assert otp.verify_code(lookalike, stored) == (lookalike == code)
