from odoo.http import request

from odoo.addons.prm_benchmark.glue import number_format_of
from odoo.addons.prm_benchmark.lib import numbers
from odoo.addons.prm_partner_portal.controllers.portal import PrmCustomerPortal

from ..lib import tier_card, tier_rules


class ProgrammePortal(PrmCustomerPortal):
    """The director's tier card on /my/home."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if values.get("prm_is_director"):
            values["prm_tier_card"] = self._prm_tier_card(values["prm_dealer"])
        return values

    def _prm_tier_card(self, dealer):
        """The card's values, or None before the first evaluation."""
        # as the user: the record rule gives the director his company's row
        status = request.env["prm.tier.status"].search(
            [("partner_id", "=", dealer.id)], limit=1)
        if not status:
            return None
        # sudo: tiers and their criteria are the programme's published
        # rules (the same for every dealer); no dealer's figures are read
        tiers = request.env["prm.tier"].sudo().search([])
        Criterion = request.env["prm.tier.criterion"].sudo()
        current = dealer.sudo().prm_tier_id  # sudo: the own company's tier
        upper, checks = tier_rules.distance_to_next(
            tiers._prm_rules(), status._prm_values(), current.id or None)
        fmt = number_format_of(request.env)

        def format_number(value, digits):
            return numbers.format_number(value, fmt[0], fmt[1], digits=digits)

        return {
            "tier": current,
            "next_tier": tiers.browse(upper.key) if upper else None,
            "rows": tier_card.card_rows(checks, tier_rules.CRITERIA, format_number),
            "labels": Criterion._prm_labels(),
            "units": Criterion._prm_unit_labels(),
            "grace_until": status.grace_until,
            "grace_tier": status.grace_tier_id.sudo(),  # sudo: a tier's name
            "evaluated_on": status.evaluated_on,
        }
