"""Demo lead routing: rules, product lines, calendars with the holidays of
the dealers' states; a new demo lead is routed by the demo rules (ORM)."""
from odoo import fields
from odoo.tests.common import TransactionCase

from ..lib import demo_network, demo_routing


class TestDemoRouting(TransactionCase):

    def test_demo_routing_routes_a_lead_in_its_region(self):
        env = self.env
        env["prm.routing.rule"].with_context(active_test=False).search([]).unlink()
        env["prm.demo.loader"]._demo_routing()
        rules = env["prm.routing.rule"].search([])
        self.assertEqual(len(rules), len(demo_routing.RULES))
        bavaria = env["resource.calendar"].search(
            [("prm_holiday_state", "=", "BY")])
        self.assertEqual(len(bavaria), 1)
        self.assertIn("Heilige Drei Könige", bavaria.global_leave_ids.mapped("name"))
        dealer = env.ref("prm_demo.demo_dealer03")
        self.assertTrue(dealer.prm_calendar_id)
        self.assertTrue(dealer.prm_product_line_ids)
        lead = env["crm.lead"].with_context(
            prm_now="2026-01-12 08:00:00").create({
                "name": "Demo inquiry", "zip": "84028",
                "prm_touchpoint_id": env.ref("prm_partner_portal.touchpoint_web").id})
        self.assertEqual(lead.partner_assigned_id.prm_territory_id.parent_id.code,
                         "sued")
        self.assertEqual(lead.prm_routing_rule_id.name, "Region Süd (PLZ 7, 8, 9)")
        self.assertTrue(lead.prm_accept_deadline)
        self.assertEqual(lead.prm_forwarded_date, "2026-01-12 08:00:00")
        self.assertTrue(fields.Datetime.from_string(lead.prm_accept_deadline))

    def test_demo_dealer_routing_is_seeded(self):
        network = demo_network.generate(seed=2026, dealer_count=40)
        first = demo_routing.dealer_routing(network, 2026)
        self.assertEqual(first, demo_routing.dealer_routing(network, 2026))
        self.assertTrue(all("mower" in spec["product_lines"]
                            for spec in first.values()))
