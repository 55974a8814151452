from odoo import _, http
from odoo.http import request

from odoo.addons.prm_benchmark.controllers.portal import BenchmarkPortal
from odoo.addons.prm_partner_portal.controllers.portal import prm_access_denied


class ScorecardPortal(BenchmarkPortal):
    """The managing director's scorecard of the own company."""

    def _prm_scorecard_partner(self):
        """The dealer whose scorecard the user may see, or None (the one
        access check of this controller: directors only, own company)."""
        user = request.env.user
        if not user._prm_is_director():
            return None
        partner = user.commercial_partner_id
        return partner if partner.prm_is_dealer else None

    @http.route("/my/scorecard", type="http", auth="user", website=True)
    def prm_scorecard(self, **kw):
        partner = self._prm_scorecard_partner()
        if partner is None:
            return prm_access_denied(_(
                "The scorecard is only available to the managing director "
                "of a partner company."))
        # sudo for the figures: the partner is the user's own company
        # (checked above) and only its own relationship figures are read;
        # the benchmark position is computed as the user, as on /my/benchmark.
        sections = partner._prm_scorecard_sections(partner.sudo())
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_scorecard", "sections": sections,
                       "dealer": partner})
        return request.render("prm_staff_home.portal_my_scorecard", values)
