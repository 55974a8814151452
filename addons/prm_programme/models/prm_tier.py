from odoo import fields, models

from ..lib import tier_rules


class PrmTier(models.Model):
    """Tiers carry their criteria; the order (``sequence``) is the rank:
    the first tier is the highest."""

    _inherit = "prm.tier"

    criterion_ids = fields.One2many(
        "prm.tier.criterion", "tier_id", string="Criteria")
    grace_months = fields.Integer(
        string="Grace period on downgrade (months)", default=0,
        help="A confirmed downgrade from this tier takes effect only after "
             "this many months; meanwhile the dealer keeps the tier and sees "
             "a warning. 0: at once.")

    _sql_constraints = [
        ("grace_months_range", "CHECK(grace_months >= 0 AND grace_months <= 24)",
         "The grace period must be between 0 and 24 months."),
    ]

    def _prm_rules(self):
        """The tiers (all active ones when ``self`` is empty) as
        ``tier_rules.TierRule`` with the tier id as key."""
        tiers = self or self.search([])
        count = len(tiers)
        ordered = tiers.sorted(key=lambda tier: (tier.sequence, tier.id))
        return [tier_rules.TierRule(
            tier.id, count - index,
            {crit.criterion: crit.threshold for crit in tier.criterion_ids})
            for index, tier in enumerate(ordered)]
