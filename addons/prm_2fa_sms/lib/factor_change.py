"""Errors of a self-service change of the second-factor number (issue 21).

A user changes their own number only with the current factor: a code to
the current number first, then a code to the new number. Whoever has no
working current number goes to head office (identity check, audited).
"""

from .errors import TwoFactorError, _

# A confirmed current factor allows the change for this many seconds.
REAUTH_SECONDS = 10 * 60

# How head office checked the identity before changing a number:
# (key, label) of the wizard's required selection.
IDENTITY_CHECKS = [
    ("callback", _("Call back on the number on file (landline)")),
    ("in_person", _("In person with an identity document")),
    ("video", _("Video call with an identity document")),
    ("dealer_director", _("Confirmed by the dealer's managing director")),
]


class CurrentFactorCodeMissingError(TwoFactorError):
    template = _("Send a code to your current number first.")


class CurrentFactorRequiredError(TwoFactorError):
    template = _("Please confirm it is you with a code sent to your current "
                 "number first.")


class NoWorkingNumberError(TwoFactorError):
    template = _("There is no working number for your sign-in codes. Please "
                 "contact head office: they change the number after checking "
                 "your identity.")


class SameNumberError(TwoFactorError):
    template = _("This is already the number that receives your codes.")


class NoNewNumberError(TwoFactorError):
    template = _("Enter the new number first.")


def reauth_valid(state, uid, now, seconds=REAUTH_SECONDS):
    """True when ``state`` (``{"uid": int, "at": epoch seconds}`` kept in the
    server-side session after a right current-factor code, or None) belongs
    to ``uid`` and is younger than ``seconds`` at ``now`` (epoch seconds)."""
    if not isinstance(state, dict) or state.get("uid") != uid:
        return False
    at = state.get("at")
    return isinstance(at, (int, float)) and 0 <= now - at < seconds
