"""Bridge from the plain-Python errors of ``lib`` to translated Odoo errors."""
from odoo import _
from odoo.exceptions import UserError, ValidationError


def translated(error):
    """The user's-language text of a ``lib`` error (template + params)."""
    return _(error.template) % error.params


def as_validation_error(error):
    return ValidationError(translated(error))


def as_user_error(error):
    return UserError(translated(error))
