"""The release model in the ORM: what a director's view carries (issue 16)."""
from ..lib.release import PROTECT
from .common import BenchmarkCase


class TestReleaseViews(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.more = Partner
        for index in range(8):
            cls.more |= Partner.create({
                "name": "T Bench Extra %d" % index, "is_company": True,
                "prm_is_dealer": True, "prm_state": "active",
                "prm_territory_id": cls.territory.id})
        Group = cls.env["prm.benchmark.group"]
        # A: 10 dealers; B: A plus 5 small ones. B's top group (4 firms) is
        # A's top group (3 firms) plus one: 4 x TQM(B) - 3 x TQM(A) is it.
        cls.group_a = Group.create({
            "name": "T group A", "kind": "explicit", "explicit_partner_ids": [
                (6, 0, (cls.dealers | cls.more[:3]).ids)]})
        cls.group_b = Group.create({
            "name": "T group B", "kind": "explicit", "explicit_partner_ids": [
                (6, 0, (cls.dealers | cls.more).ids)]})
        # The class group (7 dealers) would conflict with A: not one of ours.
        cls.group.active = False

    def fill(self):
        revenues = [100000.0 * (index + 1) for index in range(10)]
        for dealer, revenue in zip(self.dealers | self.more[:3], revenues):
            self.save(dealer, self.full_values(revenue_new=revenue))
        for dealer in self.more[3:]:
            self.save(dealer, self.full_values(revenue_new=1000.0))
        self.refresh()

    def test_overlapping_top_groups_do_not_give_a_firm_away(self):
        self.fill()
        analysis = self.env["prm.benchmark.analysis"]
        engine = self.env["prm.benchmark.engine"]
        kpi = self.kpi["rev_total"]
        raw = engine._raw_statistics_of_periods(self.q1, self.group_a)
        raw_b = engine._raw_statistics_of_periods(self.q1, self.group_b)
        top_a = raw[(self.q1.id, kpi.id)]["top_quartile_mean"]
        top_b = raw_b[(self.q1.id, kpi.id)]["top_quartile_mean"]
        values = list(engine._group_values(self.q1, self.group_a)[kpi.id])
        # the attack the rule prevents
        self.assertAlmostEqual(4 * top_b - 3 * top_a, values[6], places=3)
        visible = analysis._visible_groups(self.dealers[0], self.q1)
        self.assertLessEqual({self.group_a.id, self.group_b.id}, set(visible.ids))
        groups = self.group_a | self.group_b
        conflicts = analysis._top_group_conflicts(self.q1, groups, self.group_a)
        self.assertIn((self.q1.id, kpi.id), conflicts)
        self.assertFalse(analysis._top_group_conflicts(
            self.q1, groups, self.group_b))
        view = analysis._analysis_data(self.dealers[0], self.q1, self.group_a)
        row = [r for r in view["kpis"] if r["code"] == "rev_total"][0]
        self.assertIsNone(row["stats"]["top_quartile_mean"])
        self.assertEqual(row["withheld_fields"]["top_quartile_mean"], PROTECT)

    def test_the_view_carries_no_extremes_and_formats_by_unit(self):
        self.fill()
        analysis = self.env["prm.benchmark.analysis"]
        view = analysis._analysis_data(self.dealers[0], self.q1, self.group_b)
        for row in view["kpis"]:
            self.assertNotIn("min", row["stats"])
            self.assertNotIn("max", row["stats"])
            self.assertIn("cells", row)
        row = [r for r in view["kpis"] if r["code"] == "rev_total"][0]
        self.assertEqual(row["decimals"], 0)
        self.assertNotIn(",", row["cells"]["own"].replace(".", "")[-3:])

    def conflict_rows(self):
        self.env.cr.execute("""
            SELECT period_id, kpi_id, group_a_id, group_b_id, difference,
                   smaller, kind FROM prm_benchmark_conflict ORDER BY 1, 2, 3, 4, 7
        """)
        return self.env.cr.fetchall()

    def test_a_refresh_keeps_the_stored_pairs_equal_to_a_full_recomputation(self):
        """A refresh recomputes the pairs of the KPIs whose release changed
        only; the table must equal recomputing every KPI of every period."""
        self.fill()
        engine = self.env["prm.benchmark.engine"]
        # one firm of both groups changes one figure: few KPIs change
        for revenue in (123456.0, 7.0):
            self.save(self.dealers[0], self.full_values(revenue_new=revenue))
            self.refresh()
            kept = self.conflict_rows()
            self.assertTrue([row for row in kept if row[-1] == "top"])
            self.env.cr.execute("SELECT id FROM prm_benchmark_period")
            engine._refresh_conflicts(
                {"periods": tuple(row[0] for row in self.env.cr.fetchall())})
            self.assertEqual(kept, self.conflict_rows())

    def released_top_mean(self, kpi, group):
        self.env.cr.execute("""
            SELECT r.top_quartile_mean, s.top_quartile_mean
              FROM prm_benchmark_stat_release r
              JOIN prm_benchmark_stat s USING (period_id, group_id, kpi_id)
             WHERE r.period_id = %s AND r.group_id = %s AND r.kpi_id = %s
        """, [self.q1.id, group.id, kpi.id])
        return self.env.cr.fetchone()

    def test_a_changed_direction_is_released_at_once(self):
        """Outside review: flipping a KPI's direction changes its top group
        but no firm's value; the release rule kept the old top-quartile mean
        (and every view showed it as current)."""
        self.fill()
        kpi = self.kpi["rev_total"]
        analysis = self.env["prm.benchmark.analysis"]
        before = analysis._analysis_data(self.dealers[0], self.q1, self.group_b)
        released, fresh = self.released_top_mean(kpi, self.group_b)
        self.assertEqual(released, fresh)
        kpi.higher_is_better = False
        self.refresh()
        released_after, fresh_after = self.released_top_mean(kpi, self.group_b)
        self.assertNotEqual(fresh_after, fresh)
        self.assertEqual(released_after, fresh_after)
        after = analysis._analysis_data(self.dealers[0], self.q1, self.group_b)
        row = [r for r in after["kpis"] if r["code"] == "rev_total"][0]
        old = [r for r in before["kpis"] if r["code"] == "rev_total"][0]
        self.assertNotEqual(row["rank"], old["rank"])
        kept = self.conflict_rows()
        self.env.cr.execute("SELECT id FROM prm_benchmark_period")
        self.env["prm.benchmark.engine"]._refresh_conflicts(
            {"periods": tuple(row[0] for row in self.env.cr.fetchall())})
        self.assertEqual(kept, self.conflict_rows())

    def test_a_raised_k_hides_the_group_at_once(self):
        """Outside review: raising a group's k released nothing new, and the
        workers' caches (keyed by the statistics stamp) kept showing it."""
        self.fill()
        analysis = self.env["prm.benchmark.analysis"]
        self.assertIn(self.group_a, analysis._visible_groups(
            self.dealers[0], self.q1))
        self.group_a.min_group_size = 11   # A has 10 members
        self.refresh()
        self.assertNotIn(self.group_a, analysis._visible_groups(
            self.dealers[0], self.q1))
        view = analysis._analysis_data(self.dealers[0], self.q1, self.group_a)
        row = [r for r in view["kpis"] if r["code"] == "rev_total"][0]
        self.assertIsNone(row["stats"]["median"])
