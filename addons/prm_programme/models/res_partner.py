from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.exceptions import AccessError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_certified_technicians = fields.Integer(
        string="Certified technicians", track_visibility="onchange",
        help="Technicians of the dealer with a valid manufacturer "
             "certification; maintained by head office (a tier criterion).")
    # head-office data (territory managers read their region's): the
    # groups keep them out of other users' reads of a dealer
    prm_tier_history_ids = fields.One2many(
        "prm.tier.history", "partner_id", string="Tier history",
        groups="prm_partner_portal.group_prm_user")
    prm_tier_proposal_ids = fields.One2many(
        "prm.tier.proposal", "partner_id", string="Tier proposals",
        groups="prm_partner_portal.group_prm_user")
    prm_tier_grace_until = fields.Date(
        string="Tier kept until", compute="_compute_prm_tier_grace",
        help="A confirmed downgrade waits for the end of its grace period.")

    _sql_constraints = [
        ("prm_certified_technicians_positive",
         "CHECK(prm_certified_technicians >= 0)",
         "The number of certified technicians must not be negative."),
    ]

    def _compute_prm_tier_grace(self):
        Proposal = self.env["prm.tier.proposal"]
        readable = Proposal.check_access_rights("read", raise_exception=False)
        grace = {}
        if readable and self.ids:
            for proposal in Proposal.search([("partner_id", "in", self.ids),
                                             ("state", "=", "grace")]):
                grace[proposal.partner_id.id] = proposal.grace_until
        for partner in self:
            partner.prm_tier_grace_until = grace.get(partner.id, False)

    @api.multi
    def write(self, vals):
        if "prm_certified_technicians" in vals:
            self._prm_check_technicians(vals["prm_certified_technicians"])
        before = ({partner.id: partner.prm_tier_id for partner in self}
                  if "prm_tier_id" in vals else None)
        result = super().write(vals)
        if before is not None:
            self._prm_log_tier_changes(before)
        if "prm_state" in vals or "prm_is_dealer" in vals:
            self._prm_cancel_outside_proposals()
        return result

    def _prm_cancel_outside_proposals(self):
        """Cancel the open and waiting (grace) tier proposals of those of
        these partners that do not take part in the programme (README
        "Dealers outside the programme": no tier changes); their tier
        stays as it is."""
        outside = self.filtered(lambda partner: partner.is_company
                                and not partner._prm_takes_part())
        if outside:
            self.env["prm.tier.proposal"]._prm_cancel_open(outside)

    def _prm_check_technicians(self, value):
        """Only head office changes the certified technicians of a dealer
        (they decide a tier). Raises a translated AccessError; a negative
        number a translated ValidationError before the SQL check refuses
        it (in English to a JSON-RPC caller)."""
        if isinstance(value, (int, float)) and value < 0:
            raise ValidationError(_("The number of certified technicians "
                                    "must not be negative."))
        if self.env.uid == SUPERUSER_ID or self.env.user._prm_is_head_office():
            return
        if any(partner.prm_is_dealer and partner.prm_certified_technicians
               != (value or 0) for partner in self):
            raise AccessError(_("Only head office may change the certified "
                                "technicians of a network dealer."))

    def _prm_log_tier_changes(self, before):
        """One history row per dealer whose tier changed (by hand or by a
        confirmed proposal: ``prm_tier_proposal_id`` in the context)."""
        proposal_id = self.env.context.get("prm_tier_proposal_id") or False
        rows = [{
            "partner_id": partner.id,
            "from_tier_id": before[partner.id].id or False,
            "to_tier_id": partner.prm_tier_id.id or False,
            "proposal_id": proposal_id,
            "changed_by_id": self.env.uid,
        } for partner in self
            if partner.prm_is_dealer and before[partner.id] != partner.prm_tier_id]
        if rows:
            # sudo: the history is written by the code only (nobody has
            # create access); the tier change itself passed the checks of
            # write (head office only, DEALER_FIELDS).
            History = self.env["prm.tier.history"].sudo()
            for row in rows:
                History.create(row)
