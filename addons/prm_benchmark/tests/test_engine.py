"""KPI formulas, group statistics, anonymity and the entry save rules."""
import statistics

from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib.statistics import histogram
from ..models.benchmark_engine import ConcurrentEditError
from .common import BenchmarkCase
from .test_lib_statistics import reference_quartiles


class TestKpiConfiguration(BenchmarkCase):

    def test_bad_formulas_are_rejected_with_the_problem(self):
        Kpi = self.env["prm.benchmark.kpi"]
        cases = {
            "rev_new / (employees": "Missing closing parenthesis",
            "rev_new * nonsense": "Unknown code 'nonsense'",
            "import os": "",
            "rev_new $ 2": "Unexpected character",
            "frobnicate(rev_new)": "Unknown function 'frobnicate'",
        }
        for formula, message in cases.items():
            with self.assertRaises(ValidationError) as error, \
                    self.env.cr.savepoint():
                Kpi.create({"code": "t_bad", "name": "Bad", "formula": formula})
            self.assertIn(message, error.exception.name, formula)

    def test_circular_kpis_are_rejected(self):
        Kpi = self.env["prm.benchmark.kpi"]
        first = Kpi.create({"code": "t_a", "name": "A", "formula": "rev_new"})
        Kpi.create({"code": "t_b", "name": "B", "formula": "t_a * 2"})
        with self.assertRaises(ValidationError) as error:
            first.formula = "t_b + 1"
        self.assertIn("Circular", error.exception.name)

    def test_code_clash_with_input_is_rejected(self):
        with self.assertRaises(ValidationError):
            self.env["prm.benchmark.kpi"].create(
                {"code": "rev_new", "name": "X", "formula": "1"})


class TestEngine(BenchmarkCase):

    def test_kpis_are_computed_on_save(self):
        entry = self.save(self.dealers[0], self.full_values(revenue_new=50000.0))
        kpis = {kv.kpi_id.code: kv.value for kv in entry.kpi_value_ids}
        total = 50000.0 + 1000.0 * 4
        self.assertAlmostEqual(kpis["rev_total"], total)
        self.assertAlmostEqual(kpis["rev_per_employee"], total / 10.0)
        self.assertNotIn("growth", kpis, "no previous year: no value, no error")

    def test_growth_uses_the_previous_year(self):
        self.q_prev_year.state = "open"
        self.save(self.dealers[0], self.full_values(revenue_new=40000.0),
                  period=self.q_prev_year)
        entry = self.save(self.dealers[0], self.full_values(revenue_new=84000.0))
        growth = entry.kpi_value_ids.filtered(lambda kv: kv.kpi_id.code == "growth")
        self.assertAlmostEqual(growth.value, (88000.0 / 44000.0 - 1) * 100)

    def test_division_by_zero_gives_no_value(self):
        values = self.full_values()
        values[self.inputs["employees"].id] = 0.0
        entry = self.save(self.dealers[0], values, submit=False)
        codes = entry.kpi_value_ids.mapped("kpi_id.code")
        self.assertNotIn("rev_per_employee", codes)
        self.assertIn("rev_total", codes)

    def test_statistics_match_the_reference(self):
        revenues = [10000.0, 25000.0, 40000.0, 55000.0, 61000.0, 90000.0, 150000.0]
        for dealer, revenue in zip(self.dealers, revenues):
            self.save(dealer, self.full_values(revenue_new=revenue))
        self.refresh()
        stat = self.env["prm.benchmark.stat"].search([
            ("period_id", "=", self.q1.id), ("group_id", "=", self.group.id),
            ("kpi_id", "=", self.kpi["rev_total"].id)])
        totals = sorted(r + 4000.0 for r in revenues)
        quartiles = reference_quartiles(totals)
        self.assertEqual(stat.count, 7)
        self.assertAlmostEqual(stat.median, statistics.median(totals))
        self.assertAlmostEqual(stat.q1, quartiles[0])
        self.assertAlmostEqual(stat.q3, quartiles[2])
        self.assertAlmostEqual(stat.mean, statistics.mean(totals))
        self.assertAlmostEqual(stat.top_quartile_mean, statistics.mean(
            [t for t in totals if t >= quartiles[2]]))
        # lower is better for the personnel cost ratio: top quartile at the bottom
        ratio = self.env["prm.benchmark.stat"].search([
            ("period_id", "=", self.q1.id), ("group_id", "=", self.group.id),
            ("kpi_id", "=", self.kpi["personnel_ratio"].id)])
        ratios = sorted(1000.0 / t * 100 for t in totals)
        low_q = reference_quartiles(ratios)[0]
        self.assertAlmostEqual(ratio.top_quartile_mean,
                               statistics.mean([r for r in ratios if r <= low_q]))

    def test_sorted_values_ranks_and_histogram_match_postgresql(self):
        """The stored values give PostgreSQL's ranks and the bars of bucket_index."""
        revenues = [10000.0, 25000.0, 40000.0, 55000.0, 61000.0, 90000.0, 150000.0,
                    12000.0, 33000.0, 47000.0, 47000.0]
        for dealer, revenue in zip(self.dealers, revenues):
            self.save(dealer, self.full_values(revenue_new=revenue))
        self.refresh()
        engine = self.env["prm.benchmark.engine"]
        kpi = self.kpi["rev_total"]
        values = engine._group_values(self.q1, self.group)[kpi.id]
        totals = sorted(r + 4000.0 for r in revenues[:len(self.dealers)])
        self.assertEqual(list(values), totals)
        self.env.cr.execute("""
            WITH b AS (
                SELECT percentile_cont(0.05) WITHIN GROUP (ORDER BY v) AS lo,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY v) AS hi
                  FROM unnest(%s::float8[]) v)
            SELECT b.lo, b.hi, array_agg(CASE WHEN v >= b.hi THEN 10
                       ELSE LEAST(GREATEST(floor((v - b.lo)
                                  / ((b.hi - b.lo) / 10))::int, 0), 9) + 1 END)
              FROM b, unnest(%s::float8[]) v GROUP BY b.lo, b.hi
        """, [totals, totals])
        low, high, buckets = self.env.cr.fetchone()
        counts = [buckets.count(bucket) for bucket in range(1, 11)]
        self.assertEqual(histogram(values, 10), (low, high, counts))
        # the viewer's value as counted in the released statistics
        released = engine._released_own_values(self.dealers[0], self.q1,
                                               self.group)
        self.assertEqual(released[(self.q1.id, kpi.id)], revenues[0] + 4000.0)

    def test_drafts_do_not_count(self):
        for dealer in self.dealers[:5]:
            self.save(dealer, self.full_values())
        self.save(self.dealers[5], self.full_values(), submit=False)
        self.refresh()
        stat = self.env["prm.benchmark.stat"].search([
            ("period_id", "=", self.q1.id), ("group_id", "=", self.group.id),
            ("kpi_id", "=", self.kpi["rev_total"].id)])
        self.assertEqual(stat.count, 5)

    def test_group_below_k_publishes_nothing(self):
        engine = self.env["prm.benchmark.engine"]
        kpis = self.env["prm.benchmark.kpi"].search([])
        for dealer in self.dealers[:4]:
            self.save(dealer, self.full_values(revenue_new=12345.0))
        self.refresh()
        published = engine._published_statistics(self.q1, self.group, kpis)
        for kpi_id, stats in published.items():
            self.assertEqual(stats["withheld"], "group_too_small")
            for key in ("count", "mean", "median", "q1", "q3",
                        "top_quartile_mean", "min", "max"):
                self.assertIsNone(stats[key], key)
        self.save(self.dealers[4], self.full_values(revenue_new=12345.0))
        self.refresh()
        published = engine._published_statistics(self.q1, self.group, kpis)
        total = published[self.kpi["rev_total"].id]
        self.assertIsNone(total["withheld"])
        self.assertEqual(total["count"], 5)
        self.assertIsNone(total["min"], "extremes need a larger group")

    def test_closed_period_is_read_only(self):
        self.save(self.dealers[0], self.full_values())
        self.q1.state = "closed"
        with self.assertRaises(UserError):
            self.save(self.dealers[0], self.full_values(revenue_new=1.0),
                      user=self.director0)
        value = self.env["prm.benchmark.value"].search([
            ("partner_id", "=", self.dealers[0].id),
            ("input_id.code", "=", "rev_new")])
        self.assertEqual(value.value, 100000.0)

    def test_concurrent_edit_is_detected_and_nothing_is_lost(self):
        entry = self.save(self.dealers[0], self.full_values(revenue_new=1.0),
                          user=self.director0, submit=False)
        opened_version = entry.version
        self.save(self.dealers[0], self.full_values(revenue_new=2.0),
                  user=self.bookkeeper0, version=opened_version, submit=False)
        with self.assertRaises(ConcurrentEditError) as error:
            with self.env.cr.savepoint():
                self.save(self.dealers[0], self.full_values(revenue_new=3.0),
                          user=self.director0, version=opened_version,
                          submit=False)
        self.assertIn("t_bench_bookkeeper0", error.exception.name)
        entry.invalidate_cache()
        self.assertEqual(entry._values_by_code()["rev_new"], 2.0)

    def test_cannot_enter_for_another_dealer(self):
        with self.assertRaises(AccessError):
            self.save(self.dealers[1], self.full_values(), user=self.director0)
        self.assertFalse(self.env["prm.benchmark.entry"].search(
            [("partner_id", "=", self.dealers[1].id)]))

    def test_submit_needs_required_figures(self):
        values = {self.inputs["rev_new"].id: 1000.0}
        with self.assertRaises(UserError) as error:
            with self.env.cr.savepoint():
                self.save(self.dealers[0], values, user=self.director0)
        self.assertIn("Please fill in", error.exception.name)
        self.assertFalse(self.env["prm.benchmark.entry"].search(
            [("partner_id", "=", self.dealers[0].id),
             ("period_id", "=", self.q1.id)]), "nothing half-saved")

    def test_partner_isolation_through_the_orm(self):
        self.save(self.dealers[0], self.full_values())
        self.save(self.dealers[1], self.full_values())
        Entry = self.env["prm.benchmark.entry"]
        mine = Entry.sudo(self.director0).search([("period_id", "=", self.q1.id)])
        self.assertEqual(mine.mapped("partner_id"), self.dealers[0])
        with self.assertRaises(AccessError):
            Entry.sudo(self.director0).search([]).write({"state": "checked"})
        with self.assertRaises(AccessError):
            self.env["prm.benchmark.kpi.value"].sudo(self.bookkeeper0).search([])
        with self.assertRaises(AccessError):
            self.env["prm.benchmark.stat"].sudo(self.director0).search([])

    def test_changes_are_audited(self):
        entry = self.save(self.dealers[0], self.full_values(revenue_new=1.0),
                          user=self.director0, submit=False)
        entry = self.save(self.dealers[0], self.full_values(revenue_new=2.0),
                          user=self.bookkeeper0, submit=False)
        notes = entry.message_ids.filtered(
            lambda m: "Figures changed" in (m.body or ""))
        self.assertTrue(notes)
        self.assertEqual(notes[0].author_id, self.bookkeeper0.partner_id)
        # Exact numbers in the language's format, not Python's "1.0".
        self.assertIn("1 → 2", notes[0].body)
        self.assertEqual(entry.last_saved_by_id, self.bookkeeper0)


class TestGroups(BenchmarkCase):

    def test_revenue_band_group(self):
        for dealer, revenue in zip(self.dealers[:3], (10000.0, 50000.0, 90000.0)):
            self.save(dealer, self.full_values(revenue_new=revenue))
        group = self.env["prm.benchmark.group"].create({
            "name": "T band", "kind": "rule", "revenue_min": 40000.0,
            "revenue_max": 60000.0})
        members = group.member_ids.mapped("partner_id")
        self.assertEqual(members & self.dealers, self.dealers[1])

    def test_rule_group_by_size_class(self):
        group = self.env["prm.benchmark.group"].create({
            "name": "T medium", "kind": "rule", "size_class": "medium",
            "territory_ids": [(6, 0, self.territory.ids)]})
        self.assertEqual(group.member_ids.mapped("partner_id"), self.dealers)
