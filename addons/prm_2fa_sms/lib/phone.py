"""Mobile numbers: normalisation to E.164 and masking for display."""

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from .errors import TwoFactorError, _

# FIXED_LINE_OR_MOBILE covers countries (e.g. US) whose plans do not tell
# mobile and fixed ranges apart; SMS may reach those, so they are accepted.
SMS_CAPABLE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

MASK = "\u2022\u2022\u2022 \u2022\u2022\u2022\u2022"


class PhoneError(TwoFactorError):
    """A number that cannot receive the code."""


# Longest typed number repeated in a message: a pasted page of text is
# shown by its start, not in full.
SHOWN_LENGTH = 40


def _shown(number):
    return number if len(number) <= SHOWN_LENGTH else \
        number[:SHOWN_LENGTH] + "\u2026"


class InvalidPhoneError(PhoneError):
    template = _("%(number)s is not a valid phone number")

    def __init__(self, number):
        super().__init__(number=_shown(number))


class PhoneCharactersError(InvalidPhoneError):
    """Letters or other signs: libphonenumber would read letters as keypad
    digits ("vanity numbers"), sending codes to a stranger's phone."""

    template = _("%(number)s may contain only digits, spaces and + - / ( ) .")


# What people type into a phone number, nothing else: digits, spaces, a
# leading plus, dashes, slashes, parentheses and dots.
_ALLOWED = re.compile(r"\+?[0-9 ()./-]+", re.ASCII)


def _with_plain_spaces(text):
    """``text`` with every Unicode space separator (category Zs: no-break
    space U+00A0, narrow no-break space U+202F, thin space, ...) as an
    ASCII space: numbers pasted from web pages and word processors carry
    them, and the message says spaces are allowed. Invisible format
    characters (category Cf: zero-width space, the direction marks phones
    and mail programs put around numbers) are dropped: nobody typed them.
    """
    return "".join(" " if unicodedata.category(char) == "Zs" else char
                   for char in text if unicodedata.category(char) != "Cf")


class NotMobileError(PhoneError):
    template = _("%(number)s is not a mobile number")

    def __init__(self, number):
        super().__init__(number=_shown(number))


def normalize_mobile(number, country_code="DE"):
    """Return ``number`` as E.164, or None when empty.

    ``country_code`` (ISO 3166 alpha-2) applies to numbers written without
    a leading ``+``. Every Unicode space separator counts as a space.
    Raises PhoneCharactersError (letters or other signs:
    the number is never "repaired"), InvalidPhoneError or NotMobileError.
    """
    if number is None or number is False:
        return None
    text = _with_plain_spaces(str(number)).strip()
    if not text:
        return None
    if not _ALLOWED.fullmatch(text):
        raise PhoneCharactersError(number=text)
    region = country_code.upper() if country_code else None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneError(number=text) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneError(number=text)
    if phonenumbers.number_type(parsed) not in SMS_CAPABLE_TYPES:
        raise NotMobileError(number=text)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def mask_phone(e164):
    """Mask a number for logs and pages, e.g. ``+49 ••• •••• 67``.

    Keeps the country code and the last two digits; the mask has a fixed
    length so it does not reveal the number's length either.
    """
    if not e164:
        return ""
    text = str(e164)
    digits = "".join(char for char in text if char in "0123456789")
    last_two = digits[-2:] if len(digits) >= 6 else ""
    try:
        prefix = "+%d " % phonenumbers.parse(text, None).country_code
    except phonenumbers.NumberParseException:
        prefix = ""
    return (prefix + MASK + " " + last_two).strip()
