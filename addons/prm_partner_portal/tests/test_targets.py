"""Targets, attainment and aggregation per territory and network."""
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import PrmCase


class TestTargets(PrmCase):

    def test_attainment_is_computed(self):
        target = self.make_target(self.dealer_a1, self.q1, self.revenue, 200, 150)
        self.assertEqual(target.attainment, 75.0)
        target.actual_value = 250
        self.assertEqual(target.attainment, 125.0)
        self.assertEqual(target.territory_id, self.area_a1)

    def test_one_target_per_dealer_period_metric(self):
        self.make_target(self.dealer_a1, self.q1, self.revenue, 200, 150)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.make_target(self.dealer_a1, self.q1, self.revenue, 1, 1)

    def test_targets_only_for_dealers(self):
        with self.assertRaises(ValidationError):
            self.make_target(self.customer, self.q1, self.revenue, 1, 1)

    def test_territory_aggregation_equals_sum_of_dealers(self):
        self.make_target(self.dealer_a1, self.q1, self.revenue, 100, 80)
        self.make_target(self.dealer_a2, self.q1, self.revenue, 300, 330)
        self.make_target(self.dealer_b, self.q1, self.revenue, 1000, 900)
        self.make_target(self.dealer_a1, self.q2, self.revenue, 110, 100)
        dealers = self.dealers.ids
        result = self.env["prm.target"]._aggregate([("partner_id", "in", dealers)])
        key = (self.revenue.id, self.q1.id)
        region_a = result["territories"][self.region_a.id][key]
        self.assertEqual((region_a["target"], region_a["actual"]), (400, 410))
        self.assertAlmostEqual(region_a["attainment"], 102.5)
        area_a1 = result["territories"][self.area_a1.id][key]
        self.assertEqual((area_a1["target"], area_a1["actual"]), (100, 80))
        network = result["network"][key]
        self.assertEqual((network["target"], network["actual"]), (1400, 1310))
        self.assertEqual(result["network"][(self.revenue.id, self.q2.id)]["target"],
                         110)

    def test_aggregation_respects_territory_rules(self):
        self.make_target(self.dealer_a1, self.q1, self.revenue, 100, 80)
        self.make_target(self.dealer_b, self.q1, self.revenue, 1000, 900)
        result = self.env["prm.target"].sudo(self.tm_a)._aggregate(
            [("partner_id", "in", self.dealers.ids)])
        key = (self.revenue.id, self.q1.id)
        self.assertEqual(result["network"][key]["target"], 100)
        self.assertNotIn(self.region_b.id, result["territories"])

    def count_queries(self, function):
        before = self.cr.sql_log_count
        function()
        return self.cr.sql_log_count - before

    def test_aggregation_is_one_query_whatever_the_number_of_dealers(self):
        Target = self.env["prm.target"]
        self.make_target(self.dealer_a1, self.q1, self.revenue, 100, 80)
        domain = [("date_range_id", "=", self.q1.id)]
        Target._aggregate(domain)  # warm caches
        small = self.count_queries(lambda: Target._aggregate(domain))
        for index in range(30):
            extra = self.env["res.partner"].create({
                "name": "T extra %d" % index, "is_company": True,
                "prm_is_dealer": True,
                "prm_territory_id": (self.area_a1 if index % 2 else self.region_b).id})
            self.make_target(extra, self.q1, self.revenue, 10, 10)
            self.make_target(extra, self.q1, self.units, 1, 1)
        self.env.cache.invalidate()
        Target._aggregate(domain)
        large = self.count_queries(lambda: Target._aggregate(domain))
        self.assertEqual(small, large)

    def test_relationship_figures_are_batched(self):
        Partner = self.env["res.partner"]
        many = Partner.search([("prm_is_dealer", "=", True)])
        few = many[:3]
        self.assertGreater(len(many), 10)
        many._prm_relationship_figures()  # warm the caches
        few_count = self.count_queries(few._prm_relationship_figures)
        many_count = self.count_queries(many._prm_relationship_figures)
        self.assertEqual(few_count, many_count)

    def test_actuals_from_won_leads(self):
        metric = self.env.ref("prm_partner_portal.metric_won_leads")
        Lead = self.env["crm.lead"]
        for name, closed in (("won in Q1", "2001-02-10 10:00:00"),
                             ("won in Q2", "2001-05-10 10:00:00")):
            lead = Lead.create({"name": name, "type": "opportunity",
                                "partner_assigned_id": self.dealer_a1.id,
                                "planned_revenue": 5000})
            lead.action_set_won()
            lead.date_closed = closed
        target = self.make_target(self.dealer_a1, self.q1, metric, 2, 0)
        self.assertEqual(target.actual_value, 1)
        self.assertEqual(target.attainment, 50.0)
