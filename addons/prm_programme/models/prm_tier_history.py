from odoo import fields, models


class PrmTierHistory(models.Model):
    """Every change of a dealer's tier: who, when, from, to and why.

    Written by ``res.partner.write`` only; nobody edits or deletes it.
    """

    _name = "prm.tier.history"
    _description = "Tier change"
    _order = "changed_on desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True,
        ondelete="cascade", readonly=True)
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", store=True, index=True,
        readonly=True)
    from_tier_id = fields.Many2one("prm.tier", string="From", readonly=True,
                                   ondelete="set null")
    to_tier_id = fields.Many2one("prm.tier", string="To", readonly=True,
                                 ondelete="set null")
    changed_by_id = fields.Many2one("res.users", string="Changed by",
                                    readonly=True, ondelete="set null")
    changed_on = fields.Datetime(string="Changed on", readonly=True,
                                 default=fields.Datetime.now)
    proposal_id = fields.Many2one(
        "prm.tier.proposal", string="Proposal", readonly=True, ondelete="set null",
        help="Empty when the tier was set by hand.")
    reason_ids = fields.One2many(related="proposal_id.reason_ids",
                                 string="Reasons", readonly=True)
