"""The statistics refresh: aggregate, release rule, group-pair differences."""

from psycopg2.extras import execute_values

from odoo import api, models

from ..lib import release_history, staleness, statistics_sql
from ..lib.anonymity import contribution_differences, overlap_differences
from .benchmark_engine import COUNTED_STATES, MAX_SHARE, REFRESH_LOCK


class BenchmarkEngineStatistics(models.AbstractModel):
    """Recompute, release and compare the stored statistics of periods."""

    _inherit = "prm.benchmark.engine"

    # --- statistics --------------------------------------------------------------
    @api.model
    def _refresh_statistics(self, periods):
        """Recompute the stored statistics of ``periods`` now, in this transaction.

        For head office's buttons, publishing and the demo loader; saves only
        mark their period stale (``_mark_stale``) and a worker refreshes it.
        Serialised per period with an advisory lock, so two refreshes of the
        same period cannot interleave their delete/insert. The second one then
        finds rows deleted after its snapshot: a serialization failure, and
        Odoo retries the request with fresh data (expected, so not logged as
        a "bad query" error).
        """
        if not periods:
            return
        cr = self.env.cr
        for period_id in sorted(periods.ids):
            cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       [REFRESH_LOCK, period_id])
        self._recompute_period_statistics(periods.ids)

    @api.model
    def _recompute_period_statistics(self, period_ids):
        """The refresh itself (caller holds the periods' advisory locks).

        Idempotent: reads the marks visible in this transaction's snapshot,
        recomputes the KPI values when a mark asks for it, computes fresh
        statistics (of the (group, KPI) pairs the marks name, or of the whole
        period: ``lib.staleness.recompute_scope``), releases those the
        release rule allows (``_release_statistics``), clears exactly the
        marks it read (a mark committed after the snapshot stays for the next
        refresh) and stamps the time the statistics are as of (the
        transaction's start).
        """
        cr = self.env.cr
        period_ids = tuple(sorted(period_ids))
        cr.execute("""
            SELECT id, period_id, group_id, kpi_id, recompute_kpis
              FROM prm_benchmark_stale WHERE period_id IN %s
        """, [period_ids])
        seen = cr.fetchall()
        recompute = {period_id for _id, period_id, _g, _k, kpis in seen if kpis}
        if recompute:
            # sudo: derived data of every entry of the period, after a KPI
            # definition changed; nothing is read out.
            entries = self.env["prm.benchmark.entry"].sudo().search(
                [("period_id", "in", sorted(recompute))])
            self._compute_kpis(entries)
            # Revenue bands follow the recomputed revenue; the groups that
            # moved are marked for every period (taken by the next round).
            moved = self.env["prm.benchmark.group"]._refresh_members_of(
                entries.mapped("partner_id"), revenue_band_only=True)
            if moved:
                self._mark_stale("group_rules", groups=moved)
        params = {"states": COUNTED_STATES, "periods": period_ids,
                  "share": MAX_SHARE}
        scopes = self._recompute_scopes(period_ids, seen)
        whole = tuple(p for p in period_ids if scopes[p] is None)
        if whole:
            cr.execute("DELETE FROM prm_benchmark_stat WHERE period_id IN %s",
                       [whole], log_exceptions=False)
            cr.execute(statistics_sql.REFRESH_STATISTICS,
                       dict(params, periods=whole))
        for period_id in period_ids:
            if scopes[period_id] is None:
                continue
            # Only the (group, KPI) statistics the marks name: a save
            # changes a few KPIs of its dealer's groups.
            pairs = {"pair_groups": [g for g, _k in scopes[period_id]],
                     "pair_kpis": [k for _g, k in scopes[period_id]]}
            cr.execute("""
                DELETE FROM prm_benchmark_stat s
                 USING unnest(%(pair_groups)s::integer[],
                              %(pair_kpis)s::integer[]) AS pair(group_id, kpi_id)
                 WHERE s.period_id = %(period)s AND s.group_id = pair.group_id
                   AND s.kpi_id = pair.kpi_id
            """, dict(pairs, period=period_id), log_exceptions=False)
            cr.execute(statistics_sql.REFRESH_STATISTICS_OF_PAIRS,
                       dict(params, periods=(period_id,), **pairs))
        # The raw statistics are head office's; what dealers see is released
        # from them by the rule against time differencing.
        released = self._release_statistics(period_ids)
        self._refresh_conflicts(params, released)
        cleared = [row[0] for row in seen]   # only what this snapshot read
        if cleared:
            cr.execute("DELETE FROM prm_benchmark_stale WHERE id IN %s",
                       [tuple(cleared)], log_exceptions=False)
        execute_values(cr._obj, """
            INSERT INTO prm_benchmark_stat_as_of (period_id, as_of) VALUES %s
            ON CONFLICT (period_id) DO UPDATE SET as_of = EXCLUDED.as_of
        """, [(period_id,) for period_id in period_ids],
            template="(%s, now() AT TIME ZONE 'UTC')")
        self.env["prm.benchmark.stat"].invalidate_cache()

    @api.model
    def _recompute_scopes(self, period_ids, marks):
        """``{period_id: None (everything) or [(group_id, kpi_id)]}`` from the
        marks read (rows ``(id, period_id, group_id, kpi_id, recompute)``),
        by ``lib.staleness.recompute_scope``."""
        cr = self.env.cr
        cr.execute("SELECT id FROM prm_benchmark_group")
        groups = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT id FROM prm_benchmark_kpi")
        kpis = [row[0] for row in cr.fetchall()]
        return {period_id: staleness.recompute_scope(
            [(g, k, r) for _id, p, g, k, r in marks if p == period_id]
            or [(None, None, False)], groups, kpis)
            for period_id in period_ids}

    @api.model
    def _release_statistics(self, period_ids):
        """Publish the fresh statistics the release rule allows (time differencing).

        Per (period, group, KPI) the fresh raw row (``prm_benchmark_stat``,
        head office's) is copied to ``prm_benchmark_stat_release`` (what
        dealers see: page, JSON, export, ranks, histograms) only when
        ``release_history`` says so: its
        contributors differ from those of the last visible release by at
        least the group's k (the threshold of the differencing rule; a
        changed value of a firm counts as a changed firm), also when the
        period is published. Otherwise the released row stays (with the
        time it was released, ``released_at``) and is flagged ``pending``.
        The differencing rule between groups then uses the released
        contributors too (``_refresh_conflicts``).
        Contributors that disappear entirely are released as an empty row
        (count 0, withheld), never just deleted. Runs under the period's
        advisory lock (caller); rerun without changes it changes nothing.
        Returns the ``(period_id, kpi_id)`` whose released rows changed.
        """
        cr = self.env.cr

        def contributions(dealers, values):
            return None if dealers is None else dict(zip(dealers, values or ()))

        # The statistics themselves too: the same contributions can give
        # other statistics after a definition changed (release_decision).
        names = ("count", "mean", "median", "q1", "q3", "top_quartile_mean",
                 "min_value", "max_value", "top_group_size", "has_dominant")
        numbers = {alias: ", ".join("%s.%s" % (alias, name) for name in names)
                   for alias in ("r", "s")}
        # Rows whose contributions and numbers did not change keep their
        # release (release_decision: KEEP, nothing held back). Compared in
        # the database, so only the changed rows' arrays travel to Python: a
        # burst of saves changes the rows of few groups and KPIs.
        cr.execute("""
            SELECT r.id FROM prm_benchmark_stat_release r
              JOIN prm_benchmark_stat s USING (period_id, group_id, kpi_id)
             WHERE r.period_id IN %%s
               AND r.contributors = s.contributors
               AND r.contributor_values = s.contributor_values
               AND (%(r)s) IS NOT DISTINCT FROM (%(s)s)
        """ % numbers, [period_ids])
        unchanged = tuple(row[0] for row in cr.fetchall()) or (0,)
        cr.execute("UPDATE prm_benchmark_stat_release SET pending = false"
                   " WHERE id IN %s AND pending", [unchanged])
        cr.execute("""
            SELECT r.id, r.period_id, r.group_id, r.kpi_id, r.contributors,
                   r.contributor_values, r.visible_contributors,
                   r.visible_values, %(r)s
              FROM prm_benchmark_stat_release r
             WHERE r.period_id IN %%s AND r.id NOT IN %%s
        """ % numbers, [period_ids, unchanged])
        released = {tuple(row[1:4]): (row[0], contributions(*row[4:6]),
                                      contributions(*row[6:8]), row[8:])
                    for row in cr.fetchall()}
        cr.execute("""
            SELECT s.id, s.period_id, s.group_id, s.kpi_id, s.contributors,
                   s.contributor_values, %(s)s
              FROM prm_benchmark_stat s
             WHERE s.period_id IN %%s AND s.contributors IS NOT NULL
               -- without contributors: made by hand, never by the engine,
               -- and never released (it stopped the refresher, too)
               AND NOT EXISTS (
                   SELECT 1 FROM prm_benchmark_stat_release r
                    WHERE r.id IN %%s AND r.period_id = s.period_id
                      AND r.group_id = s.group_id AND r.kpi_id = s.kpi_id)
        """ % numbers, [period_ids, unchanged])
        fresh = {tuple(row[1:4]): (row[0], contributions(*row[4:6]), row[6:])
                 for row in cr.fetchall()}
        cr.execute("SELECT id, min_group_size FROM prm_benchmark_group")
        ks = {group_id: max(size or 0, 2) for group_id, size in cr.fetchall()}
        drop, take, empty, pending = [], [], [], []
        changed = set()   # (period_id, kpi_id) whose released rows change
        for key in set(released) | set(fresh):
            _period_id, group_id, _kpi_id = key
            old_id, old, old_visible, old_numbers = released.get(
                key, (None, None, None, None))
            new_id, current, new_numbers = fresh.get(key, (None, {}, None))
            k = ks.get(group_id, 2)
            decision = release_history.release_decision(
                old, old_visible, current, k, statistics_changed=bool(
                    new_id and old_id and old_numbers != new_numbers))
            if decision == release_history.KEEP:
                pending.append((old_id, old != current))
                continue
            changed.add((key[0], key[2]))
            if old_id:
                drop.append(old_id)
            visible = current if release_history.is_visible(
                len(current), k) else old_visible
            dealers = sorted(visible) if visible is not None else None
            values = [visible[d] for d in dealers] if dealers is not None \
                else None
            if new_id:
                take.append((new_id, dealers, values))
            else:
                empty.append(key + (dealers, values))
        if drop:
            cr.execute("DELETE FROM prm_benchmark_stat_release WHERE id IN %s",
                       [tuple(drop)], log_exceptions=False)
        if take:
            execute_values(cr._obj, """
                INSERT INTO prm_benchmark_stat_release
                    (period_id, group_id, kpi_id, count, mean, median, q1,
                     q3, top_quartile_mean, min_value, max_value,
                     top_group_size, has_dominant, sorted_values, contributors,
                     contributor_values, visible_contributors, visible_values,
                     released_at, pending)
                SELECT s.period_id, s.group_id, s.kpi_id, s.count, s.mean,
                       s.median, s.q1, s.q3, s.top_quartile_mean, s.min_value,
                       s.max_value, s.top_group_size, s.has_dominant,
                       s.sorted_values, s.contributors, s.contributor_values,
                       v.dealers, v.vals, now() AT TIME ZONE 'UTC', false
                  FROM prm_benchmark_stat s
                  JOIN (VALUES %s) AS v(id, dealers, vals) ON v.id = s.id
            """, take, template="(%s, %s::integer[], %s::float8[])")
        if empty:
            execute_values(cr._obj, """
                INSERT INTO prm_benchmark_stat_release (period_id, group_id,
                    kpi_id, count, top_group_size, has_dominant, contributors,
                    contributor_values, visible_contributors, visible_values,
                    released_at, pending) VALUES %s
            """, empty, template="(%s, %s, %s, 0, 0, false, '{}', '{}', "
                                 "%s::integer[], %s::float8[], "
                                 "now() AT TIME ZONE 'UTC', false)")
        if pending:
            execute_values(cr._obj, """
                UPDATE prm_benchmark_stat_release s SET pending = v.pending
                  FROM (VALUES %s) AS v(id, pending)
                 WHERE s.id = v.id AND s.pending IS DISTINCT FROM v.pending
            """, pending)
        return changed

    @api.model
    def _held_back_counts(self, period):
        """``(statistics, groups)`` of ``period`` whose fresh numbers the
        release rule holds back from dealers (ints)."""
        self.env.cr.execute("""
            SELECT COUNT(*), COUNT(DISTINCT group_id)
              FROM prm_benchmark_stat_release
             WHERE period_id = %s AND pending
        """, [period.id])
        return self.env.cr.fetchone()

    @api.model
    def _refresh_conflicts(self, params, released=None):
        """Store which groups' released contributors differ by few dealers.

        Per KPI, computed once per refresh from the contributors of the
        released statistics (what a viewer can compare) per combination of
        groups, so showing a dealer's groups needs no scan of the values.
        Kind "contributors": the contributor sets (``_conflicting_pairs``);
        kind "top": the top groups of the top-quartile means
        (``prm.benchmark.analysis._top_group_conflicts``).
        ``params["periods"]``: tuple of period ids; ``released``: the
        ``(period_id, kpi_id)`` whose released rows changed (only their
        pairs are recomputed; the others' rows stay valid, they are derived
        from the released rows alone), None for all KPIs of the periods.
        """
        cr = self.env.cr
        if released is not None and not released:
            return
        params = dict(params, all_kpis=released is None, kpis=tuple(sorted(
            {kpi_id for _period_id, kpi_id in released or ()})) or (0,))
        cr.execute("""
            DELETE FROM prm_benchmark_conflict
             WHERE period_id IN %(periods)s AND (%(all_kpis)s OR kpi_id IN %(kpis)s)
        """, params, log_exceptions=False)
        rows = []
        for kind, query, differences in (
                ("contributors", statistics_sql.RELEASED_CONTRIBUTION_MASKS,
                 contribution_differences),
                ("top", statistics_sql.RELEASED_TOP_GROUP_MASKS,
                 overlap_differences)):
            cr.execute(query, params)
            masks = {}
            for period_id, kpi_id, groups, count in cr.fetchall():
                masks.setdefault((period_id, kpi_id), {})[tuple(groups)] = count
            rows += [(period_id, kpi_id, first, second, difference, smaller, kind)
                     for (period_id, kpi_id), counts in masks.items()
                     for (first, second), (difference, smaller)
                     in differences(counts).items()]
        if rows:
            execute_values(cr._obj, """
                INSERT INTO prm_benchmark_conflict (period_id, kpi_id, group_a_id,
                    group_b_id, difference, smaller, kind) VALUES %s""", rows)

    @api.model
    def _conflicting_pairs(self, periods, groups, k):
        """Pairs of ``groups`` not to be shown together for threshold ``k``."""
        self.env.cr.execute("""
            SELECT DISTINCT group_a_id, group_b_id FROM prm_benchmark_conflict
             WHERE period_id IN %s AND group_a_id IN %s AND group_b_id IN %s
               AND difference < %s AND %s <= smaller AND kind = 'contributors'
        """, [tuple(periods.ids) or (0,), tuple(groups.ids) or (0,),
              tuple(groups.ids) or (0,), k, k])
        return self.env.cr.fetchall()
