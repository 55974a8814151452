from odoo import api, fields, models, _


class PrmTargetMetric(models.Model):
    """What a target measures (revenue, machine units, service revenue, ...).

    ``source`` says where actuals come from. It is the extension point: a
    module adds a selection value and a method ``_prm_actuals_<source>`` on
    ``prm.target`` (see ``prm.target._refresh_actuals``).
    """

    _name = "prm.target.metric"
    _description = "Target metric"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    unit = fields.Selection([
        ("currency", "Currency"),
        ("count", "Count"),
        ("percent", "Percent"),
        ("hours", "Hours"),
    ], required=True, default="currency")
    aggregation = fields.Selection([
        ("sum", "Sum over dealers"),
        ("avg", "Average over dealers"),
    ], required=True, default="sum",
        help="How dealer targets and actuals combine into territory and "
             "network figures.")
    higher_is_better = fields.Boolean(default=True)
    source = fields.Selection(
        selection="_selection_source", required=True, default="manual",
        help="Where actual values come from.")
    source_reference = fields.Char(
        help="Source-specific key, e.g. the benchmark input code.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The metric code must be unique."),
    ]

    @api.model
    def _selection_source(self):
        # A selection from a method is not translated by Odoo 11: _() here.
        return [
            ("manual", _("Manual entry")),
            ("leads_won_revenue", _("Revenue of won forwarded leads")),
            ("leads_won_count", _("Number of won forwarded leads")),
            ("leads_response_median",
             _("Median first response to forwarded leads (h)")),
            ("leads_response_p90",
             _("90th percentile first response to forwarded leads (h)")),
            ("leads_response_average",
             _("Average first response to forwarded leads (h)")),
            ("leads_response_within_target",
             _("Forwarded leads answered within target (%)")),
            ("leads_acceptance_rate",
             _("Forwarded leads accepted by the dealer (%)")),
            ("leads_recall_count",
             _("Leads recalled from the dealer for no answer")),
        ]
