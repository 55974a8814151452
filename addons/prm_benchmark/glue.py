"""The benchmark's number formats, and its use of the one translation bridge
(``prm_partner_portal.glue``) with exact numbers."""
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner_portal import glue as portal_glue

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
    """The user's-language text of a ``lib`` error or message object
    (``prm_partner_portal.glue.translated``, the one bridge), float
    parameters written exactly (``format_exact``): figures are never
    rounded in a message."""
    return portal_glue.translated(error, env, number=format_exact)


def as_validation_error(error):
    return ValidationError(translated(error))
