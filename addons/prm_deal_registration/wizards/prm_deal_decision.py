from odoo import api, fields, models


class PrmDealDecision(models.TransientModel):
    """Approve or reject a deal registration with a required reason."""

    _name = "prm.deal.decision"
    _description = "Deal registration decision"

    registration_id = fields.Many2one("prm.deal.registration", required=True,
                                      ondelete="cascade")
    reason = fields.Text(string="Reason", required=True,
                         help="The dealer reads this reason. Do not name other "
                              "dealers or their registrations.")

    @api.multi
    def action_approve(self):
        self.ensure_one()
        return self.registration_id._prm_decide(True, self.reason)

    @api.multi
    def action_reject(self):
        self.ensure_one()
        return self.registration_id._prm_decide(False, self.reason)
