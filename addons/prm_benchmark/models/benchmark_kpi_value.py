from odoo import api, fields, models

from odoo.addons.prm_partner_portal.models import group_measures

from .benchmark_engine import COUNTED_STATES


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

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """A group's value is the mean of one KPI over the entries that count
        in the comparison (submitted or checked, as the statistics); blank
        for a group of several KPIs, whose units do not mix."""
        groups = super().read_group(domain, fields, groupby, offset=offset,
                                    limit=limit, orderby=orderby, lazy=lazy)
        if group_measures.is_raw(self):
            return groups
        single = group_measures.blank_unless_single(
            self, groups, ["value"], "kpi_id", domain)
        group_measures.average_of_counted(
            self, [groups[index] for index in single], "value",
            [("entry_state", "in", list(COUNTED_STATES))], domain)
        return groups

    _sql_constraints = [
        ("kpi_value_unique", "unique(entry_id, kpi_id)",
         "A KPI is stored once per entry."),
    ]
