from odoo import api, fields, models


class CrmClaim(models.Model):
    """Warranty claims are OCA ``crm_claim`` records, keyed to the dealer.

    crm_claim already has stages, categories, responsible users, chatter and a
    partner; the PRM only needs the dealer (commercial partner) stored for
    record rules and grouping, and the closing date kept up to date.
    """

    _inherit = "crm.claim"

    prm_dealer_id = fields.Many2one(
        "res.partner", string="Dealer", compute="_compute_prm_dealer_id",
        store=True, index=True)
    prm_territory_id = fields.Many2one(
        related="prm_dealer_id.prm_territory_id", store=True, index=True,
        readonly=True)

    @api.depends("partner_id.commercial_partner_id")
    def _compute_prm_dealer_id(self):
        for claim in self:
            commercial = claim.partner_id.commercial_partner_id
            claim.prm_dealer_id = commercial if commercial.prm_is_dealer else False

    @api.model
    def create(self, vals):
        claim = super().create(vals)
        claim._prm_sync_date_closed()
        return claim

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            self._prm_sync_date_closed()
        return result

    def _prm_sync_date_closed(self):
        for claim in self:
            closed = claim.stage_id.prm_is_closed
            if closed and not claim.date_closed:
                claim.date_closed = fields.Datetime.now()
            elif not closed and claim.date_closed:
                claim.date_closed = False
