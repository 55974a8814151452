"""Every edge of the dependency map (lib.staleness.EDGES), through the ORM.

Each test makes one kind of change after the statistics were fresh, checks
that exactly the statistics it affects are marked stale (the view says
"being updated"), lets the worker's refresh run (``self.refresh()``: what the
refresher thread does after the commit) and checks that the view then shows
the new statistics and is no longer stale.
"""
import statistics

from ..lib import staleness
from .common import BenchmarkCase

REVENUES = [10000.0, 25000.0, 40000.0, 55000.0, 61000.0, 90000.0, 150000.0]
# Edges covered below (test_every_edge_has_a_test keeps this list honest).
TESTED_EDGES = set()


def edge(name):
    def decorate(function):
        TESTED_EDGES.add(name)
        return function
    return decorate


class StalenessCase(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["prm.benchmark.engine"]
        for dealer, revenue in zip(cls.dealers, REVENUES):
            cls.engine._save_entry(dealer, cls.q1,
                                   cls.full_values(revenue_new=revenue),
                                   submit=True)
        cls.engine._refresh_stale()

    # --- helpers ---------------------------------------------------------------
    def marks(self, period=None):
        self.env.cr.execute("SELECT group_id, reason FROM prm_benchmark_stale "
                            "WHERE period_id = %s", [(period or self.q1).id])
        return set(self.env.cr.fetchall())

    def stale(self, group, period=None):
        return self.engine._freshness(period or self.q1, group)["stale"]

    def raw(self, group, code="rev_total", key="count", period=None):
        """A stored statistic as the refresh wrote it (0/None when absent)."""
        self.env.cr.execute(
            "SELECT %s FROM prm_benchmark_stat WHERE period_id = %%s "
            "AND group_id = %%s AND kpi_id = %%s" % key,
            [(period or self.q1).id, group.id, self.kpi[code].id])
        row = self.env.cr.fetchone()
        return row[0] if row else (0 if key == "count" else None)

    def shown(self, group, code="rev_total"):
        """What the analysis shows of a KPI (anonymity-filtered)."""
        kpis = self.env["prm.benchmark.kpi"].search([])
        return self.engine._published_statistics(self.q1, group, kpis)[
            self.kpi[code].id]

    def members(self, group):
        return group.member_ids.mapped("partner_id")

    def assert_refreshes(self, group, period=None):
        """Stale now; after the worker's refresh, fresh with an "as of"."""
        self.assertTrue(self.stale(group, period), "the change is not marked")
        self.assertIn((period or self.q1).id, self.refresh())
        freshness = self.engine._freshness(period or self.q1, group)
        self.assertFalse(freshness["stale"])
        self.assertTrue(freshness["as_of"])


class TestSaving(StalenessCase):

    def test_counted_save_marks_stale_and_does_not_aggregate(self):
        before = self.raw(self.group, key="median")
        self.env.cr.execute("SELECT max(id) FROM prm_benchmark_stat")
        last_stat = self.env.cr.fetchone()[0]
        entry = self.save(self.dealers[0], self.full_values(revenue_new=500000.0))
        # the dealer's own KPI at once ...
        own = entry.kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["rev_total"])
        self.assertEqual(own.value, 504000.0)
        # ... the aggregate not run in the save: no statistic row written
        self.env.cr.execute("SELECT max(id) FROM prm_benchmark_stat")
        self.assertEqual(self.env.cr.fetchone()[0], last_stat)
        self.assertEqual(self.raw(self.group, key="median"), before)
        self.assertIn((self.group.id, "entry_values"), self.marks())
        self.assert_refreshes(self.group)
        totals = sorted([504000.0] + [r + 4000.0 for r in REVENUES[1:]])
        self.assertAlmostEqual(self.raw(self.group, key="median"),
                               statistics.median(totals))

    def stat_rows(self):
        self.env.cr.execute("""
            SELECT id, group_id, kpi_id, count, mean, median, q1, q3,
                   top_quartile_mean, min_value, max_value, top_group_size,
                   has_dominant, sorted_values, contributors, contributor_values
              FROM prm_benchmark_stat WHERE period_id = %s
        """, [self.q1.id])
        return {(row[1], row[2]): row for row in self.env.cr.fetchall()}

    def test_a_save_recomputes_only_its_kpis_and_equals_a_full_refresh(self):
        """Only the (group, KPI) statistics whose values a save changed are
        recomputed, and they equal a full recomputation to the last bit."""
        before = self.stat_rows()
        values = self.full_values(revenue_new=REVENUES[0])
        values[self.inputs["hours_billable"].id] = 700.0   # billable_ratio only
        self.save(self.dealers[0], values)
        self.env.cr.execute("SELECT DISTINCT kpi_id FROM prm_benchmark_stale"
                            " WHERE period_id = %s", [self.q1.id])
        marked = {row[0] for row in self.env.cr.fetchall()}
        self.assertEqual(marked, {self.kpi["billable_ratio"].id})
        self.refresh()
        partial = self.stat_rows()
        key = (self.group.id, self.kpi["billable_ratio"].id)
        self.assertNotEqual(partial[key][0], before[key][0], "recomputed")
        untouched = (self.group.id, self.kpi["rev_total"].id)
        self.assertEqual(partial[untouched], before[untouched], "kept as it was")
        self.engine._refresh_statistics(self.q1)   # everything, from scratch
        full = self.stat_rows()
        self.assertEqual(set(full), set(partial))
        for pair, row in full.items():
            self.assertEqual(row[1:], partial[pair][1:], pair)

    def test_a_save_that_moves_the_dealer_into_a_revenue_band_counts_all_kpis(self):
        """A group the save moves the dealer into gets every KPI recomputed,
        not only those whose values changed."""
        band = self.env["prm.benchmark.group"].create({
            "name": "T band", "kind": "rule", "revenue_min": 200000.0,
            "territory_ids": [(6, 0, self.territory.ids)]})
        self.refresh()
        self.assertEqual(self.raw(band, code="billable_ratio"), 0)
        self.save(self.dealers[0], self.full_values(revenue_new=300000.0))
        self.assertIn(self.dealers[0], self.members(band))
        self.refresh()
        self.assertEqual(self.raw(band), 1)
        self.assertEqual(self.raw(band, code="billable_ratio"), 1,
                         "an unchanged KPI of the dealer joins the group too")
        self.save(self.dealers[0], self.full_values(revenue_new=REVENUES[0]))
        self.refresh()
        self.assertEqual(self.raw(band, code="billable_ratio"), 0, "and leaves")

    def test_draft_save_marks_nothing(self):
        dealer = self.env["res.partner"].create({
            "name": "T draft dealer", "is_company": True, "prm_is_dealer": True,
            "prm_state": "active", "prm_territory_id": self.territory.id})
        self.refresh()
        self.save(dealer, self.full_values(), submit=False)
        self.assertEqual(self.marks(), set())

    def test_many_saves_are_one_refresh(self):
        for dealer, revenue in zip(self.dealers, REVENUES):
            self.save(dealer, self.full_values(revenue_new=revenue + 1.0))
        self.assertGreaterEqual(len(self.marks()), 1)
        self.assertEqual(self.refresh(), [self.q1.id])
        self.assertEqual(self.refresh(), [], "nothing left after one refresh")
        self.assertAlmostEqual(self.raw(self.group, key="median"), 55000.0 + 4001.0)

    def test_a_backend_correction_updates_next_years_growth(self):
        """Head office corrects last year's figures in the backend: the
        growth KPI of this year's entry compares with the corrected revenue
        (a portal save did so already; the backend correction did not)."""
        q1_next = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2000", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2000-01-01", "date_end": "2000-03-31"}).id})
        self.save(self.dealers[0], self.full_values(revenue_new=REVENUES[0]),
                  period=q1_next)
        entry = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[0].id), ("period_id", "=", self.q1.id)])
        entry.value_ids.filtered(lambda v: v.input_id.code == "rev_new").write(
            {"value": 2 * REVENUES[0]})
        growth = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[0].id),
            ("period_id", "=", q1_next.id)]).kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["growth"])
        # this year 14,000 against last year's corrected 24,000
        self.assertAlmostEqual(growth.value, (14000.0 / 24000.0 - 1) * 100)
        self.refresh()
        self.assertAlmostEqual(
            self.raw(self.group, code="growth", key="median", period=q1_next),
            (14000.0 / 24000.0 - 1) * 100)

    def test_growth_kpis_of_the_next_year_are_marked_too(self):
        q1_next = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2000", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2000-01-01", "date_end": "2000-03-31"}).id})
        self.assertEqual(q1_next.previous_id, self.q1)
        self.refresh()
        self.save(self.dealers[0], self.full_values(revenue_new=1.0))
        self.assertTrue(self.marks(q1_next))


class TestGroupEdges(StalenessCase):

    @edge("group_created")
    def test_new_explicit_group_of_six_is_shown_without_pressing_refresh(self):
        """The issue's example: head office creates a group of 6 dealers."""
        group = self.env["prm.benchmark.group"].create({
            "name": "T six", "kind": "explicit",
            "explicit_partner_ids": [(6, 0, self.dealers[:6].ids)]})
        self.assertEqual(self.shown(group)["withheld"], "group_too_small",
                         "nothing computed yet ...")
        self.assert_refreshes(group)   # ... and the view says so until then
        shown = self.shown(group)
        self.assertIsNone(shown["withheld"])
        self.assertEqual(shown["count"], 6)
        self.assertFalse(self.stale(self.group), "other groups stay current")

    @edge("group_members")
    def test_replacing_a_member_changes_the_median_shown(self):
        group = self.env["prm.benchmark.group"].create({
            "name": "T six", "kind": "explicit",
            "explicit_partner_ids": [(6, 0, self.dealers[:6].ids)]})
        self.refresh()
        old = self.shown(group)["median"]
        group.write({"explicit_partner_ids": [(3, self.dealers[0].id),
                                              (4, self.dealers[6].id)]})
        self.assertIn((group.id, "group_members"), self.marks())
        self.assertEqual(self.shown(group)["median"], old)
        self.assert_refreshes(group)
        totals = [r + 4000.0 for r in REVENUES[1:]]
        self.assertAlmostEqual(self.raw(group, key="median"),
                               statistics.median(totals))
        # One firm out, one in: two releases would give away the difference
        # of their values (time differencing), so the dealers still see the
        # statistics released before, flagged as held back.
        self.assertEqual(self.shown(group)["median"], old)
        self.assertTrue(self.engine._freshness(self.q1, group)["held_back"])

    @edge("group_rules")
    def test_rule_change_moves_members_and_statistics(self):
        group = self.env["prm.benchmark.group"].create({
            "name": "T rule", "kind": "rule",
            "territory_ids": [(6, 0, self.territory.ids)]})
        self.refresh()
        self.assertEqual(self.raw(group), 7)
        group.write({"size_class": "large"})   # nobody has 50+ employees
        self.assertIn((group.id, "group_rules"), self.marks())
        self.assert_refreshes(group)
        self.assertEqual(self.raw(group), 0)
        group.write({"size_class": False})
        self.assert_refreshes(group)
        self.assertEqual(self.raw(group), 7)
        group.write({"active": False})
        self.assert_refreshes(group)
        self.assertEqual(self.raw(group), 0)
        group.write({"active": True})
        self.assert_refreshes(group)
        self.assertEqual(self.raw(group), 7)

    @edge("group_deleted")
    def test_deleted_group_takes_its_statistics_and_marks(self):
        group = self.env["prm.benchmark.group"].create({
            "name": "T gone", "kind": "explicit",
            "explicit_partner_ids": [(6, 0, self.dealers.ids)]})
        group_id = group.id
        group.unlink()
        self.assertNotIn(group_id, {g for g, _r in self.marks()})
        self.refresh()
        self.env.cr.execute("SELECT count(*) FROM prm_benchmark_stat "
                            "WHERE group_id = %s", [group_id])
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    @edge("anonymity_group")
    def test_group_k_change_marks_the_group(self):
        self.group.min_group_size = 8
        self.assertIn((self.group.id, "anonymity_group"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.shown(self.group)["withheld"], "group_too_small")

    @edge("anonymity_global")
    def test_network_anonymity_parameter_marks_everything(self):
        self.env["ir.config_parameter"].set_param(
            "prm_benchmark.min_data_age_days", "90")
        self.assertIn((None, "anonymity_global"), self.marks())
        self.assertIn((None, "anonymity_global"), self.marks(self.q_prev_year))
        self.assert_refreshes(self.group)
        self.env["ir.config_parameter"].set_param("web.base.url.freeze", "1")
        self.assertEqual(self.marks(), set(), "other parameters do not matter")


class TestDealerEdges(StalenessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.other_territory = env["prm.territory"].create(
            {"name": "T elsewhere", "code": "t-elsewhere"})
        cls.tier = env["prm.tier"].create({"name": "T gold", "code": "t-gold"})
        cls.region = env["res.country.state"].search([], limit=1)
        cls.tag = env["res.partner.category"].create({"name": "T tag"})
        Group = env["prm.benchmark.group"]
        cls.by_territory = Group.create({
            "name": "T territory", "territory_ids": [(6, 0, cls.territory.ids)]})
        cls.by_size = Group.create({
            "name": "T medium", "size_class": "medium",
            "territory_ids": [(6, 0, cls.territory.ids)]})
        cls.by_tier = Group.create({"name": "T tier",
                                    "tier_ids": [(6, 0, cls.tier.ids)]})
        cls.by_region = Group.create({"name": "T region",
                                      "state_ids": [(6, 0, cls.region.ids)]})
        cls.by_tag = Group.create({"name": "T tag",
                                   "category_ids": [(6, 0, cls.tag.ids)]})
        cls.engine._refresh_stale()

    @edge("dealer_attributes")
    def test_dealer_changes_move_it_between_rule_groups(self):
        dealer = self.dealers[0]
        cases = [
            ("territory", {"prm_territory_id": self.other_territory.id},
             self.by_territory, -1),
            ("size", {"prm_employee_count": 60}, self.by_size, -1),
            ("tier", {"prm_tier_id": self.tier.id}, self.by_tier, +1),
            ("region", {"state_id": self.region.id}, self.by_region, +1),
            ("tags", {"category_id": [(6, 0, self.tag.ids)]}, self.by_tag, +1),
            ("status", {"prm_state": "suspended"}, self.by_territory, -1),
            ("dealer flag", {"prm_is_dealer": False}, self.by_territory, -1),
            ("archived", {"active": False}, self.by_territory, -1),
            ("explicit member archived", {"active": False}, self.group, -1),
        ]
        for label, vals, group, delta in cases:
            with self.subTest(label):
                savepoint = "t_dealer_%d" % id(label)
                self.env.cr.execute("SAVEPOINT %s" % savepoint)
                count = self.raw(group)
                dealer.write(vals)
                self.assertEqual(dealer in self.members(group), delta > 0)
                self.assertIn((group.id, "dealer_attributes"), self.marks())
                self.assert_refreshes(group)
                self.assertEqual(self.raw(group), count + delta)
                self.env.cr.execute("ROLLBACK TO SAVEPOINT %s" % savepoint)
                self.env.clear()

    @edge("dealer_created")
    def test_new_dealer_joins_its_rule_groups(self):
        dealer = self.env["res.partner"].create({
            "name": "T new", "is_company": True, "prm_is_dealer": True,
            "prm_state": "active", "prm_territory_id": self.territory.id})
        self.assertIn(dealer, self.members(self.by_territory))
        self.assertIn((self.by_territory.id, "dealer_created"), self.marks())
        self.assert_refreshes(self.by_territory)

    @edge("dealer_deleted")
    def test_deleted_dealer_leaves_the_statistics(self):
        self.assertEqual(self.raw(self.group), 7)
        self.dealers[6].unlink()
        self.assertIn((self.group.id, "dealer_deleted"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group), 6)

    @edge("territory_tree")
    def test_moved_area_moves_its_dealers(self):
        area = self.env["prm.territory"].create(
            {"name": "T area", "code": "t-area"})
        self.dealers[0].prm_territory_id = area
        self.refresh()
        self.assertEqual(self.raw(self.by_territory), 6)
        area.parent_id = self.territory
        self.assertIn(self.dealers[0], self.members(self.by_territory))
        self.assertIn((self.by_territory.id, "territory_tree"), self.marks())
        self.assert_refreshes(self.by_territory)
        self.assertEqual(self.raw(self.by_territory), 7)


class TestEntryAndKpiEdges(StalenessCase):

    def entry(self, dealer):
        return self.env["prm.benchmark.entry"].search(
            [("partner_id", "=", dealer.id), ("period_id", "=", self.q1.id)])

    @edge("entry_state")
    def test_sent_back_and_submitted_again(self):
        entry = self.entry(self.dealers[6])
        entry.action_mark_checked()
        self.assertEqual(self.marks(), set(), "checked still counts: no change")
        entry.review_comment = "Please check the stock."
        entry.action_send_back()
        self.assertIn((self.group.id, "entry_state"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group), 6)
        self.save(self.dealers[6], self.full_values(revenue_new=150000.0))
        self.assertIn((self.group.id, "entry_state"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group), 7)

    @edge("entry_values")
    def test_correction_in_a_closed_period(self):
        self.q1.action_close()
        self.assertEqual(self.marks(), set())
        value = self.entry(self.dealers[6]).value_ids.filtered(
            lambda v: v.input_id.code == "rev_new")
        value.value = 1000000.0   # head office corrects a typo
        own = self.entry(self.dealers[6]).kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["rev_total"])
        self.assertEqual(own.value, 1004000.0, "own KPI at once")
        self.assertIn((self.group.id, "entry_values"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group, key="max_value"), 1004000.0)

    @edge("entry_deleted")
    def test_deleted_entry(self):
        self.entry(self.dealers[6]).unlink()
        self.assertIn((self.group.id, "entry_deleted"), self.marks())
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group), 6)

    @edge("kpi_definition")
    def test_formula_and_activation(self):
        kpi = self.kpi["rev_total"]
        kpi.formula = "(%s) * 2" % kpi.formula
        self.assertIn((None, "kpi_definition"), self.marks())
        self.assertIn((None, "kpi_definition"), self.marks(self.q_prev_year))
        self.assert_refreshes(self.group)
        self.assertAlmostEqual(self.raw(self.group, key="median"),
                               2 * (55000.0 + 4000.0))
        self.kpi["warranty_share"].active = False
        self.assertIn((None, "kpi_definition"), self.marks())
        self.assert_refreshes(self.group)

    def test_formula_change_recomputes_last_year_before_next_years_growth(self):
        """After a formula change, next year's growth compares with last
        year's recomputed value, whichever period a refresher takes first."""
        q1_next = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2000", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2000-01-01", "date_end": "2000-03-31"}).id})
        self.save(self.dealers[0], self.full_values(revenue_new=20000.0),
                  period=q1_next)
        self.refresh()
        kpi = self.kpi["rev_total"]
        kpi.formula = "(%s) + 1000" % kpi.formula
        self.assertEqual(self.engine._refresh_stale([q1_next.id]), [],
                         "waits for last year's KPI values")
        self.refresh()
        growth = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[0].id),
            ("period_id", "=", q1_next.id)]).kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["growth"])
        # this year 24,000 + 1,000 against last year's 14,000 + 1,000
        self.assertAlmostEqual(growth.value, (25000.0 / 15000.0 - 1) * 100)

    @edge("period_history")
    def test_a_period_of_the_year_before_added_later_feeds_growth(self):
        """The previous-year period created after this year's: this year's
        growth KPIs compare with it once it is there, and not after it is
        gone."""
        q1_next = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2000", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2000-01-01", "date_end": "2000-03-31"}).id})
        self.save(self.dealers[0], self.full_values(revenue_new=20000.0),
                  period=q1_next)
        range_2000 = q1_next.date_range_id
        q1_next.write({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2001", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2001-01-01", "date_end": "2001-03-31"}).id})
        self.assertFalse(q1_next.previous_id, "no period of 2000 any more")
        self.assertIn((None, "period_history"), self.marks(q1_next))
        self.refresh()
        entry = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[0].id), ("period_id", "=", q1_next.id)])
        growth = entry.kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["growth"])
        self.assertFalse(growth, "nothing to compare with")
        q2000 = self.q1.copy({"date_range_id": range_2000.id})
        self.save(self.dealers[0], self.full_values(revenue_new=10000.0),
                  period=q2000)
        self.assertEqual(q1_next.previous_id, q2000)
        self.assertIn((None, "period_history"), self.marks(q1_next))
        self.refresh()
        growth = entry.kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["growth"])
        self.assertAlmostEqual(growth.value, (24000.0 / 14000.0 - 1) * 100)

    @edge("import")
    def test_import_marks_its_period(self):
        # the import wizard's one line (its own tests run the whole import)
        self.engine._mark_stale("import", periods=self.q1)
        self.assertIn((None, "import"), self.marks())
        self.assert_refreshes(self.group)


class TestMap(StalenessCase):

    def test_every_edge_has_a_test(self):
        self.assertEqual(set(staleness.EDGES), TESTED_EDGES)

    def test_network_export_freshness_covers_every_group(self):
        no_group = self.env["prm.benchmark.group"]
        self.assertFalse(self.engine._freshness(self.q1, no_group)["stale"])
        self.group.min_group_size = 6   # marks this group only
        self.assertTrue(self.engine._freshness(self.q1, no_group)["stale"])
        self.refresh()
        fresh = self.engine._freshness(self.q1, no_group)
        self.assertFalse(fresh["stale"])
        self.assertTrue(fresh["as_of"])


class TestHandMadeStatistics(StalenessCase):

    def test_a_statistic_without_contributors_does_not_stop_the_refresh(self):
        """The administrator can create a statistic by hand (the XML-RPC
        access matrix does: count 5, no contributors). The release of the
        statistics failed on it with a TypeError, the refresher restarted
        every 5 s, and no statistics of the database were refreshed any
        more."""
        empty = self.env["prm.benchmark.group"].create(
            {"name": "Hand-made", "kind": "explicit"})
        kpi = self.kpi["rev_total"]
        self.env["prm.benchmark.stat"].create({
            "period_id": self.q1.id, "group_id": empty.id, "kpi_id": kpi.id,
            "count": 5})
        self.engine._release_statistics((self.q1.id,))
        self.assertFalse(self.engine._published_statistics(
            self.q1, empty, kpi)[kpi.id].get("count"),
            "nothing of the hand-made row is shown")
        self.save(self.dealers[6], self.full_values(revenue_new=170000.0))
        self.assert_refreshes(self.group)
        self.assertEqual(self.raw(self.group), 7)
