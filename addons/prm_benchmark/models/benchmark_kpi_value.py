from odoo import fields, models


class BenchmarkKpiValue(models.Model):
    """A KPI of one entry, computed and stored on save."""

    _name = "prm.benchmark.kpi.value"
    _description = "Benchmark KPI value"
    _order = "period_start desc, partner_id, kpi_sequence"

    entry_id = fields.Many2one("prm.benchmark.entry", required=True, index=True,
                               ondelete="cascade")
    kpi_id = fields.Many2one("prm.benchmark.kpi", required=True, index=True,
                             ondelete="cascade")
    kpi_sequence = fields.Integer(related="kpi_id.sequence", store=True,
                                  readonly=True)
    # cascade: a deleted dealer takes its KPI values along (with its entries)
    partner_id = fields.Many2one("res.partner", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    period_id = fields.Many2one("prm.benchmark.period", required=True, index=True,
                                readonly=True)
    period_start = fields.Date(related="period_id.date_start", store=True,
                               readonly=True)
    territory_id = fields.Many2one(related="partner_id.prm_territory_id",
                                   store=True, readonly=True)
    entry_state = fields.Selection(related="entry_id.state", store=True,
                                   readonly=True)
    value = fields.Float(group_operator="avg")

    _sql_constraints = [
        ("kpi_value_unique", "unique(entry_id, kpi_id)",
         "A KPI is stored once per entry."),
    ]
