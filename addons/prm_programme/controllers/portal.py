from odoo.http import request

from odoo.addons.prm_partner_portal.controllers.portal import PrmCustomerPortal


class ProgrammePortal(PrmCustomerPortal):
    """The tier card on /my/home (managing director and bookkeeper: the
    own company's tier and criteria, no other firm's data)."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if values.get("prm_is_director") or values.get("prm_is_bookkeeper"):
            # as the user: record rules give the own company's status only
            values["prm_tier_card"] = request.env["prm.tier.status"]._prm_card(
                values["prm_dealer"])
        return values
