from odoo import _, http
from odoo.http import request

from odoo.addons.prm_benchmark.controllers.portal import BenchmarkPortal
from odoo.addons.prm_partner_portal.controllers.portal import prm_access_denied


class ScorecardPortal(BenchmarkPortal):
    """The managing director's scorecard of the own company."""

    def _prm_scorecard_partner(self):
        """The dealer whose scorecard the user may see, or None (the one
        access check: ``res.users._prm_scorecard_dealer``)."""
        return request.env.user._prm_scorecard_dealer()

    @http.route("/my/scorecard", type="http", auth="user", website=True)
    def prm_scorecard(self, **kw):
        partner = self._prm_scorecard_partner()
        if partner is None:
            return prm_access_denied(_(
                "The scorecard is only available to the managing director "
                "of a partner company."))
        # the figures as superuser (the user's own company, checked above:
        # see _prm_scorecard_source), the benchmark position as the user
        sections = partner._prm_scorecard_sections(
            partner._prm_scorecard_source())
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_scorecard", "sections": sections,
                       "dealer": partner})
        return request.render("prm_staff_home.portal_my_scorecard", values)
