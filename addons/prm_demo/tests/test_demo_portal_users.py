"""The demo of the dealers' user self-service (issue 22)."""
from odoo.tests.common import TransactionCase

from ..models.prm_demo_loader_users import ACTING, LOCKED


class TestDemoPortalUsers(TransactionCase):

    def test_demo_shows_limit_audit_and_lock(self):
        Users = self.env["res.users"]
        director = Users.search([("login", "=", ACTING)])
        if not director:
            self.skipTest("demo network not loaded")
        self.env["prm.demo.loader"]._demo_portal_users()
        dealer = director.commercial_partner_id
        self.assertEqual(dealer.prm_user_limit, 4)
        self.assertEqual(dealer.prm_user_event_ids.mapped("action"),
                         ["deactivated", "invited"])
        self.assertEqual(dealer.prm_user_event_ids.mapped("author_id"), director)
        self.assertTrue(Users.search([("login", "=", LOCKED)])
                        .commercial_partner_id.prm_user_selfservice_locked)
        # loaded once only
        self.env["prm.demo.loader"]._demo_portal_users()
        self.assertEqual(len(dealer.prm_user_event_ids), 2)
