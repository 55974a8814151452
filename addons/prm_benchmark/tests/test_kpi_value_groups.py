"""Issue 17/10 in the KPI pivot and graph: a grouped row is the mean of one
KPI over the entries the comparison counts, never a mean over several KPIs
(units mixed) or over drafts."""
from odoo.tests.common import TransactionCase


class TestKpiValueGroups(TransactionCase):

    def setUp(self):
        super().setUp()
        self.KpiValue = self.env["prm.benchmark.kpi.value"]
        drafts = self.KpiValue.search([("entry_state", "=", "draft")])
        if not drafts:
            self.skipTest("no draft entries with KPI values in this database")
        self.period = drafts[0].period_id

    def test_a_group_of_several_kpis_has_no_value(self):
        [group] = self.KpiValue.read_group(
            [("period_id", "=", self.period.id)], ["value", "period_id"],
            ["period_id"], lazy=False)
        self.assertIs(group["value"], False)

    def test_one_kpi_is_the_mean_of_the_counted_entries(self):
        domain = [("period_id", "=", self.period.id)]
        for group in self.KpiValue.read_group(
                domain, ["value", "kpi_id"], ["kpi_id"], lazy=False):
            counted = self.KpiValue.search(domain + [
                ("kpi_id", "=", group["kpi_id"][0]),
                ("entry_state", "in", ("submitted", "checked"))])
            expected = sum(counted.mapped("value")) / len(counted) \
                if counted else False
            self.assertAlmostEqual(group["value"], expected,
                                   msg=group["kpi_id"][1])
