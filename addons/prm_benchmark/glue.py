"""Bridge from the plain-Python errors of ``lib`` to translated Odoo text."""
from odoo import _
from odoo.exceptions import ValidationError


def translated(error, env=None):
    """The user's-language text of a ``lib`` error or message object.

    ``odoo._`` finds the language only in a web request; with ``env`` the
    text is also translated elsewhere (wizards called from code, tests).
    """
    if env is not None and env.lang:
        template = env["ir.translation"]._get_source(
            None, ("code",), env.lang, error.template)
    else:
        template = _(error.template)
    return template % error.params


def as_validation_error(error):
    return ValidationError(translated(error))
