from odoo import api, fields, models


class BenchmarkValue(models.Model):
    """One entered figure."""

    _name = "prm.benchmark.value"
    _description = "Benchmark figure"
    _order = "entry_id, input_sequence"

    entry_id = fields.Many2one("prm.benchmark.entry", required=True, index=True,
                               ondelete="cascade")
    input_id = fields.Many2one("prm.benchmark.input", required=True, index=True,
                               ondelete="restrict")
    input_sequence = fields.Integer(related="input_id.sequence", store=True,
                                    readonly=True)
    partner_id = fields.Many2one(related="entry_id.partner_id", store=True,
                                 readonly=True, index=True)
    period_id = fields.Many2one(related="entry_id.period_id", store=True,
                                readonly=True, index=True)
    value = fields.Float(required=True)

    _sql_constraints = [
        ("value_unique", "unique(entry_id, input_id)",
         "A figure is entered once per entry."),
    ]

    # A figure changed outside the save and the import (head office's
    # correction in the backend, also in a closed or published period):
    # the dealer's KPIs at once, the statistics marked stale.
    @api.model
    def create(self, vals):
        record = super().create(vals)
        record.entry_id._figures_changed()
        return record

    def write(self, vals):
        result = super().write(vals)
        self.mapped("entry_id")._figures_changed()
        return result

    def unlink(self):
        entries = self.mapped("entry_id")
        result = super().unlink()
        entries.exists()._figures_changed()
        return result
