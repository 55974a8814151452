"""Bridge from the plain-Python errors of ``lib`` to translated Odoo text."""
from odoo import _
from odoo.exceptions import ValidationError


def translated(error):
    """The user's-language text of a ``lib`` error or message object."""
    return _(error.template) % error.params


def as_validation_error(error):
    return ValidationError(translated(error))
