from odoo import _, api, fields, models


class PrmResponseOverview(models.TransientModel):
    """Response figures on every level at once: the network (all leads the
    user may read), each territory (with its areas) and each touchpoint.

    A transient record only carries the screen; every figure is computed
    when shown, as the current user (record rules apply).
    """

    _name = "prm.response.overview"
    _inherit = ["prm.response.figures"]
    _description = "Lead response times on every level"

    territory_ids = fields.Many2many(
        "prm.territory", string="Territories", compute="_compute_levels")
    touchpoint_ids = fields.Many2many(
        "prm.touchpoint", string="Touchpoints", compute="_compute_levels")

    def _prm_routing_domain(self):
        return []

    def _compute_response_figures(self):
        Lead = self.env["crm.lead"]
        stats = None
        if Lead.check_access_rights("read", raise_exception=False):
            stats = Lead._prm_response_statistics(
                self._prm_window(), None).get(False)
        for overview in self:
            overview._prm_set_response_figures(stats)

    def _compute_levels(self):
        # Only what the user has answered leads for: a territory manager
        # sees his own territories, not rows of zeros for the others.
        territories = self.env["prm.territory"].search([]).filtered(
            "response_count")
        touchpoints = self.env["prm.touchpoint"].search([]).filtered(
            "response_count")
        for overview in self:
            overview.territory_ids = territories
            overview.touchpoint_ids = touchpoints

    def name_get(self):
        return [(overview.id, _("Response times on every level"))
                for overview in self]

    @api.model
    def action_open(self):
        """Window action showing a fresh overview (menu entry)."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Response times on every level"),
            "res_model": self._name,
            "res_id": self.create({}).id,
            "view_mode": "form",
            "target": "current",
        }
