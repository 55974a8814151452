"""Char and Text values of our models are stored without control characters.

One hook for every model of the PRM addons (``prm.*``): ``create`` and
``write`` pass the values of Char and Text fields through
``lib.text.strip_controls``. Core models keep their behaviour.
"""
from odoo import api, models

from ..lib.text import strip_controls

#: Model names that get the cleaning: our own models.
PRM_PREFIX = "prm."


class Base(models.AbstractModel):
    _inherit = "base"

    def _prm_clean_text_values(self, vals):
        """``vals`` with Char/Text values cleaned (a new dict), for prm.* only."""
        if not self._name.startswith(PRM_PREFIX) or not isinstance(vals, dict):
            return vals
        cleaned = dict(vals)
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is not None and field.type in ("char", "text") and \
                    isinstance(value, str):
                cleaned[name] = strip_controls(value, field.type == "text")
        return cleaned

    @api.model
    def create(self, vals):
        return super().create(self._prm_clean_text_values(vals))

    @api.multi
    def write(self, vals):
        return super().write(self._prm_clean_text_values(vals))
