"""Property-based tests of locale number parsing with hostile input."""
import re

from hypothesis import assume, given, strategies as st

from ..lib.numbers import (
    APOSTROPHES, MAX_SIGNIFICANT_DIGITS, MINUS_SIGNS, SPACES, NumberError,
    format_exact, format_number, parse_number,
)
from .prop_common import NASTY_TEXT, assert_clear_error

LOCALES = st.sampled_from([
    {'decimal_point': ',', 'thousands_sep': '.'},
    {'decimal_point': '.', 'thousands_sep': ','},
    {'decimal_point': ',', 'thousands_sep': '\u202f'},
    {'decimal_point': '.', 'thousands_sep': "'"},
])


def parse_or_error(text, locale):
    try:
        value = parse_number(text, **locale)
    except NumberError as error:
        assert_clear_error(error, NumberError)
        # A pasted page is not repeated back in full.
        assert len(str(error)) <= 200, len(str(error))
        return 'refused'
    assert value is None or isinstance(value, float)
    return value


@given(st.one_of(
    NASTY_TEXT,
    st.integers(0, 300).map(lambda n: '1' * n),
    st.integers(0, 300).map(lambda n: '1.000' * n + ',5'),
), LOCALES)
def test_hostile_text_gives_a_number_nothing_or_a_clear_refusal(text, locale):
    parse_or_error(text, locale)


def test_a_huge_input_is_refused_not_parsed():
    for text in ('9' * 100000, '1.000' * 20000, '-' + ' ' * 100000 + '1x'):
        assert parse_or_error(text, {'decimal_point': ','}) == 'refused'


# Numbers as dealers type them: sign, 1-15 digits grouped or not, decimals.
@st.composite
def typed_numbers(draw, locale):
    int_digits = draw(st.text('0123456789', min_size=1, max_size=12))
    int_digits = int_digits.lstrip('0') or '0'
    frac = draw(st.text('0123456789', max_size=MAX_SIGNIFICANT_DIGITS
                        - len(int_digits)))
    if draw(st.booleans()) and len(int_digits) > 3:
        groups = []
        while int_digits:
            groups.insert(0, int_digits[-3:])
            int_digits = int_digits[:-3]
        int_digits = locale['thousands_sep'].join(groups)
    sign = draw(st.sampled_from(['', '-', '+']))
    text = sign + int_digits + (locale['decimal_point'] + frac if frac else '')
    return text, len(frac)


@given(st.data(), LOCALES)
def test_parse_format_parse_round_trips(data, locale):
    text, decimals = data.draw(typed_numbers(locale))
    value = parse_number(text, **locale)
    shown = format_number(value, digits=decimals, **locale)
    assert parse_number(shown, **locale) == value, shown


@given(st.floats(allow_nan=False, allow_infinity=False), LOCALES,
       st.integers(0, 4))
def test_format_then_parse_round_trips_or_refuses_too_many_digits(
        value, locale, digits):
    text = format_number(value, digits=digits, **locale)
    int_text, __, frac_text = text.partition(locale['decimal_point'])
    int_digits = re.sub(r'\D', '', int_text).lstrip('0')
    significant = (int_digits + frac_text.rstrip('0')).lstrip('0')
    try:
        parsed = parse_number(text, **locale)
    except NumberError as error:
        assert_clear_error(error, NumberError)
        assert len(significant) > MAX_SIGNIFICANT_DIGITS, text
        assert len(int_digits) <= MAX_SIGNIFICANT_DIGITS or error.template == (
            'Number is too large')
        return
    assert parsed == float(text.translate({
        ord(locale['thousands_sep']): None,
        ord(locale['decimal_point']): '.'}))
    assume(abs(value) < 1e15)
    assert parsed == round(value, digits)


# As pasted from German bank exports and word processors: a typographic
# minus or dash, digit groups with (narrow) no-break spaces or apostrophes.
@given(st.data(), LOCALES, st.sampled_from(MINUS_SIGNS),
       st.sampled_from(SPACES + APOSTROPHES))
def test_pasted_signs_and_group_separators_read_as_typed(
        data, locale, minus, group):
    text, _decimals = data.draw(typed_numbers(locale))
    value = parse_number(text, **locale)
    pasted = text.replace(locale['thousands_sep'], group)
    if pasted.startswith('-'):
        pasted = minus + pasted[1:]
    assert parse_number(pasted, **locale) == value, pasted


@given(st.data(), LOCALES)
def test_format_exact_round_trips_every_typed_value(data, locale):
    text, _decimals = data.draw(typed_numbers(locale))
    value = parse_number(text, **locale)
    shown = format_exact(value, **locale)
    assert parse_number(shown, **locale) == value, shown
    # In the other language too (the form and the audit trail may differ).
    other = {'decimal_point': ',', 'thousands_sep': '.'} \
        if locale['decimal_point'] == '.' else \
        {'decimal_point': '.', 'thousands_sep': ','}
    assert parse_number(format_exact(value, **other), **other) == value


def test_trailing_minus_of_bank_and_erp_exports():
    # issue 17/3: German bank statements and SAP write "1.234,56-"
    assert parse_number('1.234,56-') == -1234.56
    assert parse_number('12,50-') == -12.5
    assert parse_number('12,50\u2212') == -12.5
    assert parse_number('1,234.56-', decimal_point='.', thousands_sep=',') == \
        -1234.56
    for text in ('-12,50-', '+12,50-', '\u221212,50\u2212', '12,50+', '12,50--',
                 '-', '- -', '12-,5'):
        assert parse_or_error(text, {'decimal_point': ','}) == 'refused', text


# A negative as an export writes it: the minus (any of MINUS_SIGNS) after
# the digits; reads as the same value, and a second (leading) sign is an error.
@given(st.data(), LOCALES, st.sampled_from(MINUS_SIGNS),
       st.sampled_from(['-', '+', '\u2212']))
def test_trailing_minus_round_trips_and_never_with_a_leading_sign(
        data, locale, minus, leading):
    text, _decimals = data.draw(typed_numbers(locale))
    value = parse_number(text, **locale)
    shown = format_exact(abs(value), **locale)
    assert parse_number(shown + minus, **locale) == -abs(value) + 0.0, shown
    assert parse_or_error(leading + shown + minus, locale) == 'refused'
