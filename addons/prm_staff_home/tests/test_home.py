"""Start page tiles, home action and scorecard through the ORM."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.prm_partner_portal.tests.common import PrmCase


class TestHome(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        old = fields.Datetime.to_string(
            datetime.datetime.utcnow() - datetime.timedelta(hours=200))
        fresh = fields.Datetime.now()
        cls.touchpoint = cls.env["prm.touchpoint"].create({
            "name": "T fair", "code": "t-fair", "target_response_hours": 300.0})

        def lead(name, dealer, forwarded, **extra):
            vals = {"name": name, "partner_assigned_id": dealer.id,
                    "prm_forwarded_date": forwarded,
                    "prm_dealer_state": "pending"}
            vals.update(extra)
            return Lead.create(vals)

        cls.late_a1 = lead("T late A1", cls.dealer_a1, old)
        cls.late_b = lead("T late B", cls.dealer_b, old)
        cls.fresh_a2 = lead("T fresh A2", cls.dealer_a2, fresh)
        # 200 h ago, but this touchpoint allows 300 h: not late yet
        cls.in_time_a2 = lead("T in time A2", cls.dealer_a2, old,
                              prm_touchpoint_id=cls.touchpoint.id)
        cls.answered_a1 = lead("T answered A1", cls.dealer_a1, old,
                               prm_dealer_state="accepted")
        Claim = cls.env["crm.claim"]
        Claim.create({"name": "T claim A", "partner_id": cls.dealer_a2.id})
        Claim.create({"name": "T claim B", "partner_id": cls.dealer_b.id})
        cls.Tile = cls.env["prm.home.tile"]

    def tiles(self, user):
        return {tile.get_external_id()[tile.id]: tile.count
                for tile in self.Tile.sudo(user)._prm_visible_tiles()}

    def listed(self, user, xmlid):
        tile = self.env.ref(xmlid).sudo(user)
        action = tile.action_open()
        return self.env[action["res_model"]].sudo(user).search(action["domain"])

    def test_overdue_leads_follow_the_touchpoint_target(self):
        leads = self.env["crm.lead"].search(
            self.env["crm.lead"]._prm_deadline_domain()
            + [("id", "in", (self.late_a1 | self.late_b | self.fresh_a2
                             | self.in_time_a2 | self.answered_a1).ids)])
        self.assertEqual(leads, self.late_a1 | self.late_b)

    def test_overdue_leads_follow_their_business_hour_deadline(self):
        """A routed lead carries its acceptance deadline (business hours of
        the dealer's calendar): that decides, not the touchpoint's hours."""
        past = fields.Datetime.to_string(
            datetime.datetime.utcnow() - datetime.timedelta(minutes=5))
        future = fields.Datetime.to_string(
            datetime.datetime.utcnow() + datetime.timedelta(hours=5))
        # forwarded 200 h ago, but the deadline (a long weekend) is ahead
        self.late_a1.prm_accept_deadline = future
        # forwarded just now with a deadline already passed (test data)
        self.fresh_a2.prm_accept_deadline = past
        leads = self.env["crm.lead"].search(
            self.env["crm.lead"]._prm_deadline_domain()
            + [("id", "in", (self.late_a1 | self.late_b | self.fresh_a2).ids)])
        self.assertEqual(leads, self.late_b | self.fresh_a2)

    def test_tier_changes_proposed_tile(self):
        """prm_programme's proposals: head office and the territory manager
        of the dealer count them as they may read them."""
        tile = self.env.ref("prm_staff_home.tile_tier_proposals")
        self.assertEqual(tile.model_name, "prm.tier.proposal")
        self.assertIn("prm_staff_home.tile_tier_proposals", self.tiles(self.manager))

    def test_territory_manager_counts_only_his_territory(self):
        ours = self.late_a1 | self.late_b | self.fresh_a2 | self.in_time_a2
        listed = self.listed(self.tm_a, "prm_staff_home.tile_leads_overdue")
        self.assertEqual(listed & ours, self.late_a1)
        dealers = self.listed(self.tm_a, "prm_staff_home.tile_dealers")
        self.assertEqual(dealers & self.dealers, self.dealer_a1 | self.dealer_a2)
        self.assertFalse(dealers.filtered(
            lambda d: d.prm_territory_id not in (
                self.region_a | self.area_a1 | self.area_a2)))
        claims = self.listed(self.tm_a, "prm_staff_home.tile_claims_open")
        self.assertEqual(claims.mapped("prm_dealer_id") & self.dealers,
                         self.dealer_a2)
        counts = self.tiles(self.tm_a)
        self.assertEqual(counts["prm_staff_home.tile_dealers"], len(dealers))
        self.assertEqual(counts["prm_staff_home.tile_claims_open"], len(claims))

    def test_head_office_counts_the_network(self):
        listed = self.listed(self.manager, "prm_staff_home.tile_leads_overdue")
        self.assertEqual(listed & (self.late_a1 | self.late_b),
                         self.late_a1 | self.late_b)
        counts = self.tiles(self.tm_a)
        network = self.tiles(self.manager)
        self.assertGreater(network["prm_staff_home.tile_dealers"],
                           counts["prm_staff_home.tile_dealers"])

    def test_roles_see_their_part_only(self):
        self.assertEqual(self.tiles(self.employee), {})
        self.assertFalse(self.Tile.sudo(self.employee).search([]))
        warranty = set(self.tiles(self.warranty))
        self.assertIn("prm_staff_home.tile_claims_open", warranty)
        self.assertNotIn("prm_staff_home.tile_leads_overdue", warranty)
        marketing = set(self.tiles(self.marketing))
        self.assertIn("prm_staff_home.tile_leads_overdue", marketing)
        self.assertNotIn("prm_staff_home.tile_claims_open", marketing)
        with self.assertRaises(AccessError):
            self.Tile.sudo(self.director_a1).search([])

    def test_receivables_tile_only_with_accounting(self):
        visible = set(self.tiles(self.receivables))
        self.assertEqual("prm_staff_home.tile_receivables_overdue" in visible,
                         "account.invoice" in self.env)

    def test_missing_entries_lists_dealers_without_submitted_figures(self):
        Period = self.env["prm.benchmark.period"]
        quarter = self.env.ref("prm_partner_portal.date_range_type_quarter")
        rng = self.env["date.range"].create({
            "name": "T Q3/2001", "type_id": quarter.id,
            "date_start": "2001-07-01", "date_end": "2001-09-30"})
        Period.search([("state", "=", "open")]).write({"state": "closed"})
        period = Period.create({"date_range_id": rng.id, "state": "open",
                                "deadline": "2999-12-31"})
        self.env["prm.benchmark.entry"].create({
            "partner_id": self.dealer_a1.id, "period_id": period.id,
            "state": "submitted"})
        missing = self.listed(self.tm_a, "prm_staff_home.tile_missing_entries")
        self.assertEqual(missing & self.dealers, self.dealer_a2)
        period.deadline = "2001-01-01"  # deadline passed: no longer a reminder
        missing = self.listed(self.tm_a, "prm_staff_home.tile_missing_entries")
        self.assertFalse(missing)

    def test_home_action_follows_the_roles(self):
        home = self.env.ref("prm_staff_home.action_prm_home")
        self.assertEqual(self.tm_a.action_id.id, home.id)
        self.assertEqual(self.warranty.action_id.id, home.id)
        self.assertFalse(self.employee.action_id)
        self.assertFalse(self.director_a1.action_id)
        self.employee.groups_id = [(4, self.env.ref(
            "prm_partner_portal.group_prm_marketing").id)]
        self.assertEqual(self.employee.action_id.id, home.id)
        self.employee.groups_id = [(3, self.env.ref(
            "prm_partner_portal.group_prm_marketing").id)]
        self.assertFalse(self.employee.action_id)
        action = self.env["prm.home.tile"].sudo(self.tm_a)._prm_home_action()
        self.assertEqual(action["res_model"], "prm.home.tile")
        self.assertTrue(action["domain"][0][2])

    def test_scorecard_sections_and_labels_in_german(self):
        self.make_target(self.dealer_a1, self.q1, self.revenue, 1000.0, 900.0)
        self.make_target(self.dealer_a1, self.q2, self.revenue, 1000.0, 1100.0)
        dealer = self.dealer_a1.sudo(self.tm_a).with_context(lang="de_DE")
        sections = {s["key"]: s for s in dealer._prm_scorecard_sections()}
        self.assertEqual(sections["targets"]["title"], "Ziele und Zielerreichung")
        self.assertEqual(sections["targets"]["rows"][0]["cells"][2], "110,0 %")
        self.assertEqual(sections["leads"]["rows"][2]["cells"], ["1"])
        self.assertIn("Ziele und Zielerreichung", dealer.prm_scorecard_html)
