"""Bridge from the plain-Python errors of ``lib`` to translated Odoo text."""
from odoo import _
from odoo.exceptions import ValidationError
from odoo.http import request

from .lib import numbers


def number_format_of(env):
    """(decimal point, thousands separator) of the language of ``env``."""
    lang = env["res.lang"]._lang_get(env.lang or "en_US") if env else None
    if not lang:
        return (".", ",")
    return (lang.decimal_point or ".", lang.thousands_sep or "")


def format_exact(value, env):
    """``value`` with all its digits in the number format of ``env``'s language.

    For texts that are stored (chatter, audit trail) or read back: nothing
    is rounded away. None gives "–".
    """
    if value is None:
        return "–"
    return numbers.format_exact(value, *number_format_of(env))


def translated(error, env=None):
    """The user's-language text of a ``lib`` error or message object.

    ``odoo._`` finds the language only in a web request; with ``env`` the
    text is also translated elsewhere (wizards called from code, tests).
    Float parameters are written in the number format of that language.
    """
    if env is not None and env.lang:
        template = env["ir.translation"]._get_source(
            None, ("code",), env.lang, error.template)
    else:
        template = _(error.template)
        env = request.env if request else None
    params = {key: format_exact(value, env) if isinstance(value, float) else value
              for key, value in error.params.items()}
    return template % params


def as_validation_error(error):
    return ValidationError(translated(error))
