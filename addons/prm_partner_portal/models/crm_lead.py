from odoo import api, fields, models, _
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """Leads forwarded to a dealer, with touchpoint and first-response time.

    ``partner_assigned_id`` has the name and meaning of the field in core
    ``website_crm_partner_assign``; we add it ourselves because that module
    pulls in website, accounting and payment for one field.
    """

    _inherit = "crm.lead"

    partner_assigned_id = fields.Many2one(
        "res.partner", string="Forwarded to dealer", index=True,
        track_visibility="onchange", domain=[("prm_is_dealer", "=", True)])
    prm_territory_id = fields.Many2one(
        related="partner_assigned_id.prm_territory_id", store=True, index=True,
        readonly=True)
    prm_touchpoint_id = fields.Many2one(
        "prm.touchpoint", string="Touchpoint", index=True)
    prm_forwarded_date = fields.Datetime(string="Forwarded on", readonly=True)
    prm_dealer_state = fields.Selection([
        ("pending", "Awaiting dealer"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
    ], string="Dealer status", readonly=True, index=True)
    prm_first_reaction = fields.Selection([
        ("contacted", "Customer contacted"),
        ("quote", "Quote sent"),
        ("lost", "Lost"),
    ], string="First reaction", readonly=True)
    prm_first_response_date = fields.Datetime(
        string="First response on", readonly=True)
    prm_response_hours = fields.Float(
        string="Response time (h)", compute="_compute_prm_response_hours",
        store=True, group_operator="avg")
    prm_dealer_note = fields.Text(string="Dealer note")

    @api.depends("prm_forwarded_date", "prm_first_response_date")
    def _compute_prm_response_hours(self):
        for lead in self:
            if lead.prm_forwarded_date and lead.prm_first_response_date:
                delta = (fields.Datetime.from_string(lead.prm_first_response_date)
                         - fields.Datetime.from_string(lead.prm_forwarded_date))
                lead.prm_response_hours = max(delta.total_seconds() / 3600.0, 0.0)
            else:
                lead.prm_response_hours = 0.0

    def action_prm_forward(self):
        """Forward the lead to its dealer and start the response clock."""
        for lead in self:
            if not lead.partner_assigned_id:
                raise UserError(_("Choose the dealer to forward the lead to."))
            lead.write({
                "prm_forwarded_date": fields.Datetime.now(),
                "prm_dealer_state": "pending",
                "prm_first_reaction": False,
                "prm_first_response_date": False,
            })
        return True
