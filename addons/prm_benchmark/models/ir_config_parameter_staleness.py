"""Thin ORM hook of ``ir.config_parameter`` for ``lib.staleness``: changed
anonymity settings (how hooks work: ``res_partner_staleness``).
"""
from odoo import api, models

from ..lib import staleness


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def create(self, vals):
        record = super().create(vals)
        record._prm_benchmark_parameters_changed()
        return record

    def write(self, vals):
        touched = self._prm_benchmark_parameters()
        result = super().write(vals)
        (touched | self._prm_benchmark_parameters())._prm_benchmark_parameters_changed()
        return result

    def unlink(self):
        touched = self._prm_benchmark_parameters()
        result = super().unlink()
        if touched:
            self.env["prm.benchmark.engine"]._mark_stale("anonymity_global")
        return result

    def _prm_benchmark_parameters(self):
        return self.filtered(lambda p: (p.key or "").startswith(
            staleness.ANONYMITY_PARAMETER_PREFIX))

    def _prm_benchmark_parameters_changed(self):
        if self._prm_benchmark_parameters():
            self.env["prm.benchmark.engine"]._mark_stale("anonymity_global")
