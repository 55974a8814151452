"""Time differencing and "give to get" through the ORM.

The reviewer's example: in an open period a dealer polls the analysis
before and after another dealer's submission; count 22 -> 23 and the
quartiles/means move at once, so ``mean_23 * 23 - mean_22 * 22`` is the new
firm's value. Statistics may only be replaced by a release whose
contributions differ by at least k firms (lib.release_history).
"""
from .common import BenchmarkCase

# What the release model (lib.release) gives a dealer; min and max never.
SHOWN = ("count", "median", "q1", "q3", "top_quartile_mean")


class TestTimeDifferencing(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.many = cls.dealers
        for index in range(7, 30):
            cls.many |= Partner.create({
                "name": "T Bench Dealer %d" % index, "is_company": True,
                "prm_is_dealer": True, "prm_state": "active",
                "prm_territory_id": cls.territory.id,
                "prm_employee_count": 10 + index})
        cls.big = cls.env["prm.benchmark.group"].create({
            "name": "T big group", "kind": "explicit", "min_group_size": 5,
            "explicit_partner_ids": [(6, 0, cls.many.ids)]})
        cls.engine = cls.env["prm.benchmark.engine"]
        for index, dealer in enumerate(cls.many[:22]):
            cls.engine._save_entry(dealer, cls.q1, cls.full_values(
                revenue_new=900000.0 + 13781.0 * index), submit=True)
        cls.engine._refresh_stale()

    def view(self, user=None):
        """What the director of dealer 0 gets from /my/benchmark/data."""
        user = user or self.director0
        analysis = self.env["prm.benchmark.analysis"].sudo(user)
        data = analysis._analysis_data(user.commercial_partner_id, self.q1,
                                       self.big)
        row = [k for k in data["kpis"] if k["code"] == "rev_total"][0]
        return data, row

    def submit(self, index, revenue):
        self.save(self.many[index], self.full_values(revenue_new=revenue))
        self.refresh()

    def released_mean(self):
        return self.engine._published_statistics(
            self.q1, self.big, self.kpi["rev_total"])[
            self.kpi["rev_total"].id]

    def test_reviewer_example_one_more_submission_is_held_back(self):
        before_data, before = self.view()
        self.assertEqual(before["stats"]["count"], 22)
        mean_before = self.released_mean()
        self.submit(22, 4321987.0)   # the 23rd firm
        after_data, after = self.view()
        # Fails before the fix: count 23 and every statistic moved.
        self.assertEqual({k: after["stats"][k] for k in SHOWN},
                         {k: before["stats"][k] for k in SHOWN})
        self.assertEqual(self.released_mean(), mean_before)
        self.assertEqual(after["of"], before["of"])   # rank "of N" too
        self.assertEqual(after_data["distribution"],
                         before_data["distribution"])
        self.assertTrue(after_data["freshness"]["held_back"])
        # Head office's raw statistics are current.
        stat = self.env["prm.benchmark.stat"].search([
            ("period_id", "=", self.q1.id), ("group_id", "=", self.big.id),
            ("kpi_id", "=", self.kpi["rev_total"].id)])
        self.assertEqual(stat.count, 23)
        # Three more (four changed firms) still not enough for k = 5 ...
        for index in (23, 24, 25):
            self.submit(index, 1000000.0 + index)
        self.assertEqual(self.view()[1]["stats"]["count"], 22)
        # ... the fifth is: a release over five new firms at once.
        self.submit(26, 1111111.0)
        data, row = self.view()
        self.assertEqual(row["stats"]["count"], 27)
        self.assertFalse(data["freshness"]["held_back"])
        released = self.released_mean()
        difference = released["mean"] * 27 - mean_before["mean"] * 22
        # what the attacker gets is the sum of five firms, not one value
        self.assertAlmostEqual(difference, sum(
            v + 4000.0 for v in (4321987.0, 1000023.0, 1000024.0, 1000025.0,
                                 1111111.0)), places=3)

    def test_own_saves_do_not_move_the_rank_while_held_back(self):
        """Outside review: the rank was computed from the director's current
        value against the released values; saving values around another
        firm's moved the rank and found its value by bisection (the group
        maximum to the cent)."""
        _data, before = self.view()
        shown = ("rank", "of", "percentile")
        for revenue in (99999999.0, 1.0, 2465566.94, 2465566.95):
            self.submit(0, revenue)   # director0's own firm, one changed firm
            data, after = self.view()
            self.assertTrue(data["freshness"]["held_back"])
            # Failed before the fix: rank 1 for the first, last for the second.
            self.assertEqual({key: after[key] for key in shown},
                             {key: before[key] for key in shown})
            self.assertEqual(after["stats"], before["stats"])

    def test_removal_and_correction_count_as_changes(self):
        _data, before = self.view()
        entry = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.many[5].id), ("period_id", "=", self.q1.id)])
        entry.write({"state": "returned"})   # sent back: one firm removed
        self.refresh()
        self.assertEqual(self.view()[1]["stats"], before["stats"])
        # a corrected value of a submitted firm is a changed firm, too
        self.submit(3, 2222222.0)
        self.assertEqual(self.view()[1]["stats"], before["stats"])

    def test_publishing_does_not_release_a_difference_of_fewer_than_k(self):
        """Outside review: the last live release (22 firms) and the final
        one (23) differed by the late firm, whose value the difference gave."""
        _data, before = self.view()
        self.submit(22, 4321987.0)
        self.q1.action_publish()
        data, after = self.view()
        # Failed before the fix: count 23 and every statistic moved.
        self.assertEqual({k: after["stats"][k] for k in SHOWN},
                         {k: before["stats"][k] for k in SHOWN})
        self.assertTrue(data["freshness"]["held_back"])
        held, groups = self.engine._held_back_counts(self.q1)
        self.assertTrue(held and groups)
        notes = self.q1.message_ids.filtered(
            lambda m: "stay at an earlier release" in (m.body or ""))
        self.assertTrue(notes, "head office is told what stays held back")

    def test_published_period_gets_the_final_statistics_of_k_changes(self):
        for index in range(22, 27):   # five late firms: k = 5
            self.submit(index, 1000000.0 + index)
        self.q1.action_publish()
        data, row = self.view()
        self.assertEqual(row["stats"]["count"], 27)
        self.assertFalse(data["freshness"]["held_back"])

    def test_refresh_is_idempotent(self):
        self.submit(22, 4321987.0)
        self.env.cr.execute("SELECT id, pending FROM prm_benchmark_stat_release"
                            " WHERE period_id = %s ORDER BY id", [self.q1.id])
        before = self.env.cr.fetchall()
        self.engine._refresh_statistics(self.q1)
        self.engine._refresh_statistics(self.q1)
        self.env.cr.execute("SELECT id, pending FROM prm_benchmark_stat_release"
                            " WHERE period_id = %s ORDER BY id", [self.q1.id])
        self.assertEqual(self.env.cr.fetchall(), before)

    def test_give_to_get(self):
        """A director whose firm has no counted entry sees no statistics."""
        outsider = self.env["res.users"].create({
            "name": "t_outsider", "login": "t_outsider",
            "partner_id": self.env["res.partner"].create({
                "name": "t_outsider", "parent_id": self.many[29].id}).id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id,
                                  self.env.ref("prm_partner_portal."
                                               "group_prm_portal_director").id])]})
        data, row = self.view(outsider)
        self.assertEqual(row["stats"]["withheld"], "no_own_entry")
        self.assertTrue(all(row["stats"][k] is None for k in SHOWN))
        self.assertIsNone(row["rank"])
        self.assertEqual(data["distribution"], {})
        self.assertTrue(all(v is None for v in row["trend"]["median"]))
        self.assertTrue(data["give_to_get"])
        # German message for German users
        data_de = self.env["prm.benchmark.analysis"].sudo(outsider).with_context(
            lang="de_DE")._analysis_data(self.many[29], self.q1, self.big)
        self.assertIn("eingereicht", data_de["give_to_get"])
        # a draft is not enough ...
        self.save(self.many[29], self.full_values(), submit=False)
        self.assertEqual(self.view(outsider)[1]["stats"]["withheld"],
                         "no_own_entry")
        # ... a submitted entry is
        self.submit(29, 1000.0)
        data, row = self.view(outsider)
        self.assertIsNone(row["stats"]["withheld"])
        self.assertIsNone(data["give_to_get"])

    def test_head_office_network_export_keeps_live_statistics(self):
        """Held back for dealers, current for head office (network export)."""
        self.submit(22, 4321987.0)
        self.assertEqual(self.released_mean()["count"], 22)
        rows = [row for row in self.env["prm.benchmark.export"]._group_rows(
            self.q1, self.kpi["rev_total"]) if row["group"] == self.big.name]
        self.assertEqual([row["count"] for row in rows], [23])
