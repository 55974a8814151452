import json

from odoo import fields, models


class BenchmarkImportMapping(models.Model):
    """A saved column-to-input mapping of the historical questionnaires."""

    _name = "prm.benchmark.import.mapping"
    _description = "Questionnaire column mapping"
    _order = "write_date desc"

    name = fields.Char(required=True)
    mapping_json = fields.Text(required=True, default="{}")

    def _headers(self):
        """``{normalised header: input code or None}``."""
        self.ensure_one()
        try:
            return json.loads(self.mapping_json or "{}")
        except ValueError:
            return {}
