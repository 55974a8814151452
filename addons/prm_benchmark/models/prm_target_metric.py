from odoo import api, models


class PrmTargetMetric(models.Model):
    _inherit = "prm.target.metric"

    @api.model
    def _selection_source(self):
        return super()._selection_source() + [
            ("benchmark", "Benchmark figure or KPI (code in Source reference)"),
        ]
