"""Demo data: dealers' self-service of their users (issue 22).

One dealer has a limit of its own and a director who invited a temporary
bookkeeper and deactivated him again (the audit on the dealer form shows
both); another dealer's self-service is locked by head office.
"""
from odoo import api, models

#: (director who acts, director whose company head office locks)
ACTING, LOCKED = "director19", "director39"


class PrmDemoLoader(models.AbstractModel):
    _inherit = "prm.demo.loader"

    @api.model
    def _demo_portal_users(self):
        """Load the demo of ``/my/users`` once; returns True."""
        Users = self.env["res.users"]
        director = Users.search([("login", "=", ACTING)])
        if not director or self.env["prm.portal.user.event"].search_count(
                [("dealer_id", "=", director.commercial_partner_id.id)]):
            return True
        director.commercial_partner_id.prm_user_limit = 4
        # as the director: the same checks and audit as on /my/users
        admin = self.env["prm.portal.user.admin"].sudo(director)
        helper = admin._prm_invite(
            "Paul Aushilfe", "paul.aushilfe." + director.login.split("@")[0] +
            "@dealer.example", "0151 2345 6719", "bookkeeper")
        admin._prm_change(helper.id, active=False)
        locked = Users.search([("login", "=", LOCKED)])
        locked.commercial_partner_id.prm_user_selfservice_locked = True
        return True
