from odoo import models


class PrmTarget(models.Model):
    """Benchmark figures as target actuals (extension point of the core)."""

    _inherit = "prm.target"

    def _prm_actuals_benchmark(self, targets):
        """The input or KPI named by ``source_reference`` in the same period."""
        result = {}
        # sudo: a target's actual is the dealer's own figure of that period;
        # the caller already has access to the target.
        periods = self.env["prm.benchmark.period"].sudo().search(
            [("date_range_id", "in", targets.mapped("date_range_id").ids)])
        period_of = {p.date_range_id.id: p.id for p in periods}
        codes = set(targets.mapped("metric_id.source_reference"))
        partner_ids = targets.mapped("partner_id").ids
        values = {}
        for record in self.env["prm.benchmark.value"].sudo().search([
                ("period_id", "in", periods.ids), ("partner_id", "in", partner_ids),
                ("input_id.code", "in", list(codes))]):
            values[(record.partner_id.id, record.period_id.id,
                    record.input_id.code)] = record.value
        for record in self.env["prm.benchmark.kpi.value"].sudo().search([
                ("period_id", "in", periods.ids), ("partner_id", "in", partner_ids),
                ("kpi_id.code", "in", list(codes))]):
            values[(record.partner_id.id, record.period_id.id,
                    record.kpi_id.code)] = record.value
        for target in targets:
            key = (target.partner_id.id, period_of.get(target.date_range_id.id),
                   target.metric_id.source_reference)
            result[target.id] = values.get(key, 0.0)
        return result
