"""Issue 17/10, one definition at every level: the grouped rows of our
pivots, graphs and lists (``read_group``) show each level's own figure, or
none, never a sum of medians, a mean of medians or unanswered leads as 0 h."""
from .test_lead_response import LeadCase


class TestGroupMeasures(LeadCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A1: answered after 1, 5, 3, 50 h and one lead not answered yet;
        # B: 10, 20 h and a lost lead answered after 30 h
        for hours in (1, 5, 3, 50, None):
            cls.lead(cls.dealer_a1, hours, cls.tp_fast)
        cls.lead(cls.dealer_b, 10)
        cls.lead(cls.dealer_b, 20)
        cls.lead(cls.dealer_b, 30, active=False, probability=0)
        cls.median = cls.env["prm.target.metric"].create({
            "name": "T median", "code": "t-median", "unit": "hours",
            "aggregation": "avg", "higher_is_better": False,
            "source": "leads_response_median"})
        cls.make_target(cls.dealer_a1, cls.q1, cls.median, 24, 0)   # 4 h
        cls.make_target(cls.dealer_b, cls.q1, cls.median, 12, 0)    # 20 h
        cls.share = cls.env["prm.target.metric"].create({
            "name": "T share", "code": "t-share", "unit": "percent",
            "aggregation": "avg", "source": "manual"})
        cls.make_target(cls.dealer_a1, cls.q1, cls.share, 10, 20)
        cls.make_target(cls.dealer_b, cls.q1, cls.share, 30, 40)
        cls.make_target(cls.dealer_a1, cls.q1, cls.revenue, 100, 80)
        cls.make_target(cls.dealer_b, cls.q1, cls.revenue, 300, 330)

    def group(self, model, domain, fields, groupby=()):
        return self.env[model].read_group(domain, fields, list(groupby),
                                          lazy=False)

    def test_targets_of_a_response_median_give_the_median_of_all_leads(self):
        Target = self.env["prm.target"]
        self.assertEqual(Target.search([("metric_id", "=", self.median.id)])
                         .mapped("actual_value"), [4.0, 20.0])
        [total] = self.group("prm.target", [("metric_id", "=", self.median.id)],
                             ["target_value", "actual_value"])
        # median of 1, 3, 5, 10, 20, 30, 50 (not 4 + 20, not their mean 12)
        self.assertAlmostEqual(total["actual_value"], 10.0)
        self.assertAlmostEqual(total["target_value"], 18.0)  # "avg" of 24, 12
        by_territory = self.group(
            "prm.target", [("metric_id", "=", self.median.id)],
            ["target_value", "actual_value", "territory_id"], ["territory_id"])
        self.assertEqual(sorted(g["actual_value"] for g in by_territory),
                         [4.0, 20.0])
        result = Target._aggregate([("metric_id", "=", self.median.id)])
        key = (self.median.id, self.q1.id)
        self.assertAlmostEqual(result["network"][key]["actual"], 10.0)
        self.assertAlmostEqual(result["territories"][self.region_a.id][key]["actual"],
                               4.0)

    def test_average_metrics_give_the_mean_and_sums_the_sum(self):
        [share] = self.group("prm.target", [("metric_id", "=", self.share.id)],
                             ["target_value", "actual_value"])
        self.assertEqual((share["target_value"], share["actual_value"]), (20, 30))
        [revenue] = self.group("prm.target", [
            ("metric_id", "=", self.revenue.id),
            ("partner_id", "in", self.dealers.ids)], ["target_value", "actual_value"])
        self.assertEqual((revenue["target_value"], revenue["actual_value"]),
                         (400, 410))

    def test_a_group_of_several_metrics_has_no_total(self):
        dealers = [("partner_id", "in", self.dealers.ids)]
        for group in self.group("prm.target", dealers,
                                ["target_value", "actual_value", "date_range_id"],
                                ["date_range_id"]):
            self.assertIs(group["target_value"], False)
            self.assertIs(group["actual_value"], False)

    def test_response_pivot_averages_answered_leads_only(self):
        groups = self.group(
            "crm.lead", [("partner_assigned_id", "in", self.dealers.ids)],
            ["prm_response_hours", "partner_assigned_id"], ["partner_assigned_id"])
        hours = {g["partner_assigned_id"][0]: g["prm_response_hours"]
                 for g in groups}
        # Odoo's avg would be (1 + 5 + 3 + 50 + 0) / 5 = 11.8
        self.assertAlmostEqual(hours[self.dealer_a1.id], 14.75)
        self.assertAlmostEqual(hours[self.dealer_b.id], 15.0)  # lost: archived
