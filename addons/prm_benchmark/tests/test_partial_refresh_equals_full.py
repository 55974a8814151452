"""sequences after which the partial refresh (or the KPI values it
aggregates) differs from a recomputation from scratch."""
from .test_staleness import REVENUES, StalenessCase


def stat_rows(cr, period):
    """``{(group_id, kpi_id): stored statistic row}`` of ``period``."""
    cr.execute("""
        SELECT group_id, kpi_id, count, mean, median, q1, q3,
               top_quartile_mean, min_value, max_value, top_group_size,
               has_dominant, sorted_values, contributors, contributor_values
          FROM prm_benchmark_stat WHERE period_id = %s
    """, [period.id])
    return {(row[0], row[1]): row[2:] for row in cr.fetchall()}


class TestPartialEqualsFull(StalenessCase):

    def stat_rows(self, period):
        return stat_rows(self.env.cr, period)

    def assert_partial_equals_full(self, period):
        self.refresh()
        partial = self.stat_rows(period)
        self.engine._refresh_statistics(period)
        full = self.stat_rows(period)
        self.assertEqual(sorted(set(full) ^ set(partial)), [],
                         "pairs present in only one of partial/full")
        for pair, row in full.items():
            self.assertEqual(partial[pair], row, pair)

    def assert_kpis_current(self, *periods):
        """Recomputing the KPI values from scratch (oldest period first)
        changes nothing."""
        Entry = self.env["prm.benchmark.entry"]
        for period in periods:
            changed = self.engine._compute_kpis(
                Entry.search([("period_id", "=", period.id)]))
            self.assertEqual(changed[period.id], set(),
                             "stale KPI values in %s" % period.name)

    def next_year(self):
        q1_next = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/2000", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "2000-01-01", "date_end": "2000-03-31"}).id})
        self.assertEqual(q1_next.previous_id, self.q1)
        for dealer, revenue in zip(self.dealers, REVENUES):
            self.save(dealer, self.full_values(revenue_new=2 * revenue),
                      period=q1_next)
        self.refresh()
        return q1_next

    def test_save_recomputes_next_years_growth_from_the_new_rev_total(self):
        """growth = rev_total / prev(rev_total): the save computes this year's
        and next year's entry in one _compute_kpis call, whose prev values
        were read before this year's rev_total was rewritten."""
        q1_next = self.next_year()
        self.save(self.dealers[0], self.full_values(revenue_new=500000.0))
        entry = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[0].id),
            ("period_id", "=", q1_next.id)])
        growth = entry.kpi_value_ids.filtered(
            lambda kv: kv.kpi_id == self.kpi["growth"]).value
        expected = ((2 * REVENUES[0] + 4000.0) / (500000.0 + 4000.0) - 1) * 100
        self.assertAlmostEqual(growth, expected)

    def test_backend_correction_recomputes_next_years_growth(self):
        """Head office corrects a figure in the backend (prm.benchmark.value
        write): next year's growth KPI of the dealer must follow."""
        q1_next = self.next_year()
        value = self.env["prm.benchmark.value"].search([
            ("entry_id.partner_id", "=", self.dealers[0].id),
            ("entry_id.period_id", "=", self.q1.id),
            ("input_id", "=", self.inputs["rev_new"].id)])
        value.write({"value": 500000.0})
        self.refresh()
        self.assert_kpis_current(self.q1, q1_next)
        self.assert_partial_equals_full(q1_next)

    def test_revenue_band_move_marks_the_groups_other_periods(self):
        """Membership is not per period: a save that moves the dealer into a
        revenue band changes the band's statistics of every period the
        dealer has counted figures in, not only the saved one."""
        self.q_prev_year.state = "open"
        for dealer, revenue in zip(self.dealers, REVENUES):
            self.save(dealer, self.full_values(revenue_new=revenue),
                      period=self.q_prev_year)
        band = self.env["prm.benchmark.group"].create({
            "name": "T band", "kind": "rule", "revenue_min": 200000.0,
            "territory_ids": [(6, 0, self.territory.ids)]})
        self.refresh()
        self.save(self.dealers[0], self.full_values(revenue_new=300000.0))
        self.assertIn(self.dealers[0], band.member_ids.mapped("partner_id"))
        self.assert_partial_equals_full(self.q_prev_year)

    def test_formula_change_recomputes_growth_after_the_previous_year(self):
        """A KPI formula change recomputes the KPI values period by period in
        period id order; a previous-year period created later (an older year
        added afterwards, e.g. history imported) is recomputed after the
        year whose growth KPIs read it."""
        p1997 = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/1997", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "1997-01-01", "date_end": "1997-03-31"}).id})
        # previous_id does not follow a period added later (see the test
        # below): recompute it as an edit of the period would
        self.q_prev_year.write({"kind": "quarter"})
        self.q_prev_year.state = "open"
        for dealer, revenue in zip(self.dealers, REVENUES):
            self.save(dealer, self.full_values(revenue_new=revenue),
                      period=p1997)
            self.save(dealer, self.full_values(revenue_new=3 * revenue),
                      period=self.q_prev_year)
        self.assertEqual(self.q_prev_year.previous_id, p1997)
        self.refresh()
        self.assert_kpis_current(p1997, self.q_prev_year)
        self.kpi["rev_total"].formula = "rev_new + rev_used + rev_workshop"
        self.refresh()
        self.assert_kpis_current(p1997, self.q_prev_year)

    def test_an_older_period_added_later_becomes_the_previous_year(self):
        """previous_id is stored and depends on the period's own dates only:
        the period of the year before, created afterwards, never becomes
        the previous year of the existing one, so its growth KPIs stay
        empty (and no statistic is marked)."""
        p1997 = self.q1.copy({"date_range_id": self.env["date.range"].create({
            "name": "T Q1/1997", "type_id": self.q1.date_range_id.type_id.id,
            "date_start": "1997-01-01", "date_end": "1997-03-31"}).id})
        self.assertEqual(self.q_prev_year.previous_id, p1997)

    def test_tagging_dealers_from_the_tag_moves_them_into_tag_groups(self):
        """A tag rule group: head office adds dealers to the tag from the tag
        form (res.partner.category.partner_ids, the inverse side): no
        res.partner.write runs, so no membership moves and nothing is marked
        until the nightly cron."""
        tag = self.env["res.partner.category"].create({"name": "T tag"})
        group = self.env["prm.benchmark.group"].create({
            "name": "T tag group", "kind": "rule",
            "category_ids": [(6, 0, tag.ids)]})
        self.refresh()
        tag.write({"partner_ids": [(6, 0, self.dealers.ids)]})
        self.assertEqual(group.member_ids.mapped("partner_id"), self.dealers)
        self.assert_partial_equals_full(self.q1)
