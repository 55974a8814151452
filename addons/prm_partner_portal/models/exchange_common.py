"""Helpers shared by the dealer exchange's model files (``mail_channel.py``,
``mail_message_exchange.py``): who acts, and the exchange's errors.
"""
from odoo import SUPERUSER_ID, _
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..glue import translated


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


def policy_error(error, env=None):
    """A ``lib.chat_policy`` refusal as a translated UserError.

    ``env``: whose language the text and its numbers follow (the web
    request's when not given).
    """
    return UserError(translated(error, env))
