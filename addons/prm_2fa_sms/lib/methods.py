"""Which second factors a user may and must use (policy per group).

A rule is one of ``RULES``, set per kind of user in the settings
(internal users: head office staff; portal users: dealers):

    ``sms_or_totp``  SMS code or authenticator app (the user's choice)
    ``totp``         authenticator app required
    ``sms``          SMS code only

Methods are ``"totp"`` and ``"sms"``. Recovery codes are a fallback for
whichever method a user has and are not a method of their own here.
"""
from collections import namedtuple

from .errors import TwoFactorError, _

TOTP = "totp"
SMS = "sms"
RULES = ("sms_or_totp", "totp", "sms")
DEFAULT_RULE = "sms_or_totp"

Plan = namedtuple("Plan", ["methods", "enrol_totp"])
Plan.__doc__ = """How one sign-in goes on after the password.

``methods``: tuple of methods the user may use now, the default first
(empty: none, the code page says why). ``enrol_totp``: the user must set up
the authenticator before the sign-in is finished (after the method in
``methods``, if any, succeeded: an SMS code first when there is a number).
"""


class TotpNotAllowedError(TwoFactorError):
    template = _("The authenticator app is not available for your account.")


class RecoveryNotAllowedError(TwoFactorError):
    template = _("Recovery codes are not available for your account. Please "
                 "sign in with the code sent by SMS.")


class TotpRequiredError(TwoFactorError):
    template = _("Your account must use the authenticator app. "
                 "Ask head office to reset it if you lost your phone.")


class WrongTotpError(TwoFactorError):
    template = _("The code from the authenticator app is wrong.")


class WrongRecoveryCodeError(TwoFactorError):
    template = _("This recovery code is wrong or was already used.")


class NoSecretKeyError(TwoFactorError):
    template = _("The authenticator app cannot be used on this server yet: "
                 "the server has no key for its secrets. Please contact "
                 "head office.")


class NoCurrentFactorError(TwoFactorError):
    template = _("Enter a code from your authenticator app, or request a "
                 "code by SMS first.")


class TotpAlreadyError(TwoFactorError):
    template = _("An authenticator app is already set up. Remove it first.")


def rule_for(is_portal, internal_rule, portal_rule):
    """The rule (one of ``RULES``) of a user; unknown values count as default."""
    rule = portal_rule if is_portal else internal_rule
    return rule if rule in RULES else DEFAULT_RULE


def sign_in_plan(rule, has_number, has_totp):
    """The :data:`Plan` of a sign-in under ``rule``.

    ``has_number``: the user has a confirmed SMS number; ``has_totp``: a
    confirmed authenticator. With ``totp`` required and none set up, the
    user proves the SMS number first (if there is one), then sets it up.
    """
    rule = rule if rule in RULES else DEFAULT_RULE
    if rule == TOTP:
        if has_totp:
            return Plan((TOTP,), False)
        return Plan((SMS,) if has_number else (), True)
    if rule == SMS:
        return Plan((SMS,), False)
    methods = ((TOTP,) if has_totp else ()) + ((SMS,) if has_number else ())
    # No method at all: SMS stays listed so the page names the missing number.
    return Plan(methods or (SMS,), False)


def may_enrol_totp(rule):
    """True when ``rule`` lets the user set up an authenticator app."""
    return rule in (TOTP, "sms_or_totp") or rule not in RULES


def check_remove_totp(rule):
    """Raise TotpRequiredError when the user may not remove the authenticator
    (only head office resets it then)."""
    if rule == TOTP:
        raise TotpRequiredError()


def choose(plan, wanted):
    """The method to use: ``wanted`` when the plan offers it, else the default
    (None when the plan offers none)."""
    if wanted in plan.methods:
        return wanted
    return plan.methods[0] if plan.methods else None
