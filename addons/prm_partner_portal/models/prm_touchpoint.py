from odoo import fields, models


class PrmTouchpoint(models.Model):
    """Where a customer inquiry came from (web form, phone, trade fair, ...)."""

    _name = "prm.touchpoint"
    _inherit = ["prm.response.figures"]
    _description = "Customer touchpoint"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    target_response_hours = fields.Float(
        string="Target response time (h)", default=24.0,
        help="Share of leads answered within this time is reported per dealer.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The touchpoint code must be unique."),
    ]

    def _prm_routing_domain(self):
        return [("touchpoint_id", "=", self.id)]

    def _compute_response_figures(self):
        Lead = self.env["crm.lead"]
        if not self.ids or not Lead.check_access_rights(
                "read", raise_exception=False):
            for touchpoint in self:
                touchpoint._prm_set_response_figures(None)
            return
        stats = Lead._prm_response_statistics(
            [("prm_touchpoint_id", "in", self.ids)] + self._prm_window(),
            "prm_touchpoint_id")
        for touchpoint in self:
            touchpoint._prm_set_response_figures(stats.get(touchpoint.id))
