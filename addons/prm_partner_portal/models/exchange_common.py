"""Helpers shared by the dealer exchange's model files (``mail_channel.py``,
``mail_message_exchange.py``): who acts, and the exchange's errors.
"""
from odoo import SUPERUSER_ID, _
from odoo.exceptions import AccessError, UserError
from odoo.http import request


def acting_user(env):
    """The user on whose behalf ``env`` works, or None for a visitor.

    ``env`` itself unless it is the superuser's: core routes (e.g.
    ``/mail/chat_post``) run as superuser for whoever calls them, so during
    a web request the session's user is the one acting - None when nobody
    (or only a half-signed-in session waiting for its SMS code) is signed
    in. Without a web request (cron, install, XML-RPC as admin) the
    superuser acts.
    """
    if env.uid != SUPERUSER_ID:
        return None if env.user._is_public() else env.user
    if not request:
        return env.user
    uid = request.session.uid
    if not uid:
        return None
    user = env["res.users"].browse(uid)
    return None if user._is_public() else user


def is_head_office(user):
    """``user`` (any env) is head office (``res.users._prm_is_head_office``)."""
    return user._prm_is_head_office()


def sign_in_error():
    return AccessError(_("Please sign in to use the dealer exchange."))


def localized_number(value, env):
    """``value`` (float) with its shortest exact decimals ("2", "12,3") in
    the number format of ``env``'s language (English format without env)."""
    digits = repr(float(value)).partition(".")[2]
    decimals = 0 if digits == "0" or "e" in digits else len(digits)
    if env is None:
        return "%.*f" % (decimals, value)
    lang = env["res.lang"]._lang_get(env.lang or "en_US")
    if not lang:
        return "%.*f" % (decimals, value)
    return lang.format("%%.%df" % decimals, value, grouping=True)


def policy_error(error, env=None):
    """A ``lib.chat_policy`` refusal as a translated UserError.

    ``env``: whose language the text and its numbers follow (the web
    request's when not given).
    """
    if env is None and request:
        env = request.env
    if env is not None and env.lang:
        template = env["ir.translation"]._get_source(
            None, ("code",), env.lang, error.template)
    else:
        template = _(error.template)
    params = {key: localized_number(value, env) if isinstance(value, float)
              else value for key, value in error.params.items()}
    return UserError(template % params)
