"""Locale-aware parsing and formatting of numbers typed into the portal form.

Parsing is deliberately strict: a typo must be an error the dealer sees, not
a silently wrong figure in the comparison.
"""
import decimal
import math
import re
import unicodedata

from .errors import PrmError, _

MAX_SIGNIFICANT_DIGITS = 15
DIGITS = frozenset('0123456789')
# Spaces people and spreadsheets put between digit groups: space, no-break
# space, narrow no-break space, thin space and figure space.
SPACES = ' \u00a0\u202f\u2009\u2007'
# Apostrophes of Swiss formats ("1'234"), also as word processors turn them
# into typographic quotes (right single quotation mark, modifier letter).
APOSTROPHES = "'\u2019\u02bc"
# Minus signs as typed, pasted from word processors (U+2212 minus sign, en
# dash, figure dash) and from banking exports and full-width forms.
MINUS_SIGNS = '-\u2212\u2013\u2012\ufe63\uff0d'
SIGNS = MINUS_SIGNS + '+\uff0b'


# Longest input repeated in a message: a pasted page of text is shown by
# its start, not in full.
SHOWN_LENGTH = 40


class NumberError(PrmError):
    """Text entered as a number cannot be read."""


# Control characters as prm_partner_portal's lib/text.py defines them; not
# imported, this module runs without Odoo's addons path (import sandbox).
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]')


def _shown(text):
    """``text`` for an error message: control characters as U+FFFD, the
    start of a long text only."""
    text = _CONTROL.sub('\ufffd', text)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + '\u2026'


def _not_a_number(text):
    return NumberError(_("Please enter a number, not '%(value)s'"),
                       value=_shown(text))


def _bad_grouping(text, decimal_point):
    return NumberError(
        _("Digit grouping in '%(value)s' is not valid: thousands are grouped "
          "in threes and '%(decimal_point)s' is the decimal separator"),
        value=_shown(text), decimal_point=decimal_point)


def _grouping_kind(char, thousands_sep):
    for kind in (SPACES, APOSTROPHES):
        if char in kind and thousands_sep not in kind:
            return kind
    return thousands_sep


def _check_grouping(text, int_part, grouping_chars, thousands_sep,
                    decimal_point):
    """Validate digit grouping in ``int_part``; return its digits only."""
    groups = re.split('[%s]' % re.escape(''.join(grouping_chars)), int_part)
    if len(groups) == 1:
        return int_part
    # Spaces, apostrophes and the locale's separator are alternatives, not
    # to be mixed.
    used = {_grouping_kind(char, thousands_sep)
            for char in int_part if char not in DIGITS}
    # "0.123" is never how 123 is written: in German it is a mistyped 0,123.
    if (len(used) > 1
            or not 1 <= len(groups[0]) <= 3
            or groups[0].startswith('0')
            or any(len(group) != 3 for group in groups[1:])):
        raise _bad_grouping(text, decimal_point)
    return ''.join(groups)


def parse_number(text, decimal_point=',', thousands_sep='.'):
    """Parse a number typed in the given locale; None for empty input.

    Accepts an optional leading sign (also the typographic minus U+2212 and
    dashes, see MINUS_SIGNS) or a trailing minus ("12,50-", as German bank
    and ERP exports write negatives; not both), digit grouping with
    ``thousands_sep``, spaces (including no-break and narrow no-break
    spaces) or apostrophes (Swiss "1'234"), one kind per number, and a
    decimal part after ``decimal_point`` (``",5"`` works, ``"5,"`` does
    not). Units, exponents, infinity/nan and more than
    MAX_SIGNIFICANT_DIGITS significant digits are rejected with NumberError.
    """
    if decimal_point == thousands_sep or len(decimal_point) != 1:
        raise ValueError('invalid separators %r, %r'
                         % (decimal_point, thousands_sep))
    if text is None:
        return None
    # Invisible format characters (Unicode category Cf: zero-width space,
    # direction marks that phones and mail programs add) carry nothing.
    text = ''.join(char for char in text
                   if unicodedata.category(char) != 'Cf').strip()
    if not text:
        return None
    sign, body = '', text
    if text[0] in SIGNS:
        sign, body = ('-' if text[0] in MINUS_SIGNS else ''), text[1:]
    elif text[-1] in MINUS_SIGNS:
        # German bank statements and SAP exports: "1.234,56-"; never both
        # a leading and a trailing sign ("-5-" stays an error below)
        sign, body = '-', text[:-1]
    grouping_chars = (set(SPACES) | set(APOSTROPHES) | set(thousands_sep)) - {
        decimal_point}
    allowed = DIGITS | grouping_chars | {decimal_point}
    if not any(char in DIGITS for char in body) or any(
            char not in allowed for char in body):
        raise _not_a_number(text)
    if body.count(decimal_point) > 1:
        raise NumberError(
            _("'%(value)s' contains more than one decimal separator "
              "'%(decimal_point)s'"),
            value=_shown(text), decimal_point=decimal_point)
    int_part, has_point, frac_part = body.partition(decimal_point)
    if has_point and not frac_part:
        raise _not_a_number(text)
    if any(char not in DIGITS for char in frac_part):
        raise _bad_grouping(text, decimal_point)
    int_digits = _check_grouping(
        text, int_part, grouping_chars, thousands_sep, decimal_point)
    if len(int_digits.lstrip('0')) > MAX_SIGNIFICANT_DIGITS:
        raise NumberError(_("Number is too large"))
    significant = (int_digits + frac_part.rstrip('0')).lstrip('0')
    if len(significant) > MAX_SIGNIFICANT_DIGITS:
        raise NumberError(
            _("'%(value)s' has too many digits (at most %(max)s significant "
              "digits)"),
            value=_shown(text), max=MAX_SIGNIFICANT_DIGITS)
    value = float('%s%s.%s' % (sign, int_digits or '0', frac_part or '0'))
    # Adding 0.0 turns -0.0 into 0.0, so "-0" is not redisplayed as "-0,00".
    return value + 0.0


def format_number(value, decimal_point=',', thousands_sep='.', digits=2):
    """Render ``value`` with ``digits`` decimals in the given locale.

    None gives ''. The result is read back by :func:`parse_number` with the
    same separators as ``round(value, digits)``.
    """
    if value is None:
        return ''
    value = float(value)
    if not math.isfinite(value):
        raise ValueError('cannot format %r' % value)
    text = '{:,.{}f}'.format(value, digits)
    if not any(char in '123456789' for char in text):
        # Values that round to zero would otherwise show as "-0,00".
        text = text.lstrip('-')
    return text.translate({ord(','): thousands_sep, ord('.'): decimal_point})


def _exact_decimal(value):
    """``value`` as the shortest decimal that reads back as the same float.

    At most MAX_SIGNIFICANT_DIGITS significant digits: a float that needs
    more (0.1 + 0.2) is given with that many, as a spreadsheet shows it.
    """
    exact = decimal.Decimal(repr(value))
    if len(exact.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        exact = decimal.Decimal('%.*g' % (MAX_SIGNIFICANT_DIGITS, value))
    return exact


def format_exact(value, decimal_point=',', thousands_sep='.'):
    """Render ``value`` with all its decimals, for an edit field.

    No rounding to a display precision: 25.875 gives "25,875", 10.0 gives
    "10". ``parse_number`` of the result with the same separators gives
    ``value`` back for every float with at most MAX_SIGNIFICANT_DIGITS
    significant digits (every value typed in or imported). None gives ''.
    """
    if value is None:
        return ''
    value = float(value)
    if not math.isfinite(value):
        raise ValueError('cannot format %r' % value)
    text = '{:,f}'.format(_exact_decimal(value + 0.0))
    if '.' in text:
        text = text.rstrip('0').rstrip('.')
    if not any(char in '123456789' for char in text):
        text = '0'
    return text.translate({ord(','): thousands_sep, ord('.'): decimal_point})


def parse_edited(text, stored, decimal_point=',', thousands_sep='.'):
    """Parse an edit field that was shown with ``format_exact(stored)``.

    An unchanged field gives ``stored`` itself, also when the stored float
    has more digits than can be typed, so a field the user did not touch is
    never rewritten. Otherwise as :func:`parse_number`.
    """
    if stored is not None and text is not None and text.strip() == \
            format_exact(stored, decimal_point, thousands_sep):
        return stored
    return parse_number(text, decimal_point, thousands_sep)


# Trend marks: better, worse, unchanged (the dealer scorecard's targets and
# tier criteria, the tier card).
TREND_UP, TREND_DOWN, TREND_SAME = "▲", "▼", "="


def trend_mark(values, higher_is_better=True):
    """▲ / ▼ / = comparing the last two known ``values``; '' with
    fewer.

    ``values``: numbers or None, oldest first; equal within 1e-9 is "=".
    """
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return ""
    before, last = known[-2], known[-1]
    if abs(last - before) < 1e-9:
        return TREND_SAME
    return TREND_UP if (last > before) == bool(higher_is_better) else TREND_DOWN
