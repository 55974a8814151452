"""The demo deal registrations load on the demo network (issue 20)."""
from odoo.tests.common import TransactionCase


class TestDemoDeals(TransactionCase):

    def test_demo_deals_load_with_every_outcome_and_one_conflict(self):
        if not self.env["res.users"].search_count([("login", "=", "director01")]):
            self.skipTest("the demo network is not loaded")
        Registration = self.env["prm.deal.registration"]
        # the install's demo registrations and their opportunities (a left
        # opportunity of the same customer would be a conflict of the reload)
        loaded = Registration.search([])
        loaded.mapped("lead_id").unlink()
        loaded.unlink()
        self.env["prm.demo.loader"]._load_demo_deals()
        deals = Registration.search([])
        self.assertEqual(len(deals), 6)
        self.assertEqual(
            sorted(set(deals.mapped("state"))), ["approved", "rejected", "submitted"])
        self.assertTrue(deals.filtered("escalated"))
        conflicting = deals.filtered("has_conflict")
        self.assertEqual(len(conflicting), 1)
        self.assertIn(conflicting.customer_name, conflicting.conflict_ids.name)
        approved = deals.filtered(lambda deal: deal.state == "approved")
        self.assertEqual(approved.lead_id.partner_assigned_id, approved.dealer_id)
        # loaded once: a second call adds nothing
        self.env["prm.demo.loader"]._load_demo_deals()
        self.assertEqual(Registration.search_count([]), 6)
