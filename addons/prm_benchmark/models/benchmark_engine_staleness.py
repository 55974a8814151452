"""Staleness of the statistics: marks, the refresh of stale periods, freshness."""

from psycopg2.extras import execute_values

from odoo import api, models

from ..lib import staleness
from . import benchmark_refresher as refresher
from .benchmark_engine import REFRESH_LOCK


class BenchmarkEngineStaleness(models.AbstractModel):
    """Which statistics a change invalidates, and how fresh a view is."""

    _inherit = "prm.benchmark.engine"

    # --- staleness -----------------------------------------------------------------
    @api.model
    def _mark_stale(self, change, periods=None, groups=None, partners=None,
                    dealer_group_ids=(), moved_group_ids=(), changed_kpis=None):
        """Mark the statistics ``change`` invalidates (``lib.staleness.EDGES``).

        ``periods``: the periods of the change (entry, import); the periods
        whose growth KPIs compare with them are added. ``groups``: the groups
        edited. ``partners``: dealers whose groups are affected (their
        current groups are added to ``dealer_group_ids``, pass the groups of
        before a membership change there, and the groups the dealers joined
        or left in ``moved_group_ids``). ``changed_kpis``: ``{period_id: KPI
        ids whose values changed}`` (``_compute_kpis``) for the edges that
        name KPIs. Written in the caller's
        transaction with a NOTIFY that wakes the refresh worker at commit;
        a rollback takes the marks with it. Returns the (period, group, KPI)
        marks.
        """
        cr = self.env.cr
        edge = staleness.EDGES[change]
        facts = {"changed_groups": groups.ids if groups else ()}
        if edge.periods == staleness.ALL_PERIODS or moved_group_ids:
            cr.execute("SELECT id FROM prm_benchmark_period")
            facts["all_periods"] = [row[0] for row in cr.fetchall()]
        if edge.periods == staleness.CHANGE_PERIODS:
            ids = tuple(periods.ids) if periods else ()
            if ids:
                cr.execute("SELECT id FROM prm_benchmark_period "
                           "WHERE previous_id IN %s", [ids])
                ids += tuple(row[0] for row in cr.fetchall())
            facts["change_periods"] = ids
        if edge.groups == staleness.DEALER_GROUPS:
            dealer_groups = set(dealer_group_ids)
            dealer_groups.update(self._dealer_group_ids(partners))
            facts["dealer_groups"] = dealer_groups
            facts["moved_groups"] = set(moved_group_ids)
        pairs = staleness.marks(change, changed_kpis=changed_kpis, **facts)
        if pairs:
            execute_values(cr._obj, """
                INSERT INTO prm_benchmark_stale (period_id, group_id, kpi_id,
                                                 reason, recompute_kpis) VALUES %s
            """, [(period_id, group_id, kpi_id, change, edge.recompute_kpis)
                  for period_id, group_id, kpi_id in pairs])
            cr.execute("NOTIFY prm_benchmark_stale")   # STALE_CHANNEL
            refresher.ensure_running(self.env)
        return pairs

    @api.model
    def _dealer_group_ids(self, partners):
        """Ids of the groups ``partners`` belong to now."""
        if not partners:
            return set()
        self.env.cr.execute("SELECT DISTINCT group_id FROM prm_benchmark_group_member"
                            " WHERE partner_id IN %s", [tuple(partners.ids)])
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _refresh_stale(self, period_ids=None, wait=False):
        """Refresh the stale periods (all, or ``period_ids``) in this transaction.

        A period another transaction is refreshing is skipped unless
        ``wait`` (that refresh clears only the marks it read; the worker
        comes back for the rest). Returns the ids of the periods refreshed.
        """
        cr = self.env.cr
        if period_ids is None:
            cr.execute("SELECT DISTINCT period_id FROM prm_benchmark_stale")
            period_ids = [row[0] for row in cr.fetchall()]
        done = []
        # Oldest first: a period whose KPI values are recomputed is done
        # before next year's, whose growth KPIs compare with it.
        cr.execute("SELECT id FROM prm_benchmark_period WHERE id IN %s "
                   "ORDER BY date_start, id", [tuple(set(period_ids)) or (0,)])
        for (period_id,) in cr.fetchall():
            if wait:
                cr.execute("SELECT pg_advisory_xact_lock(%s, %s), true",
                           [REFRESH_LOCK, period_id])
            else:
                cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                           [REFRESH_LOCK, period_id])
            if not cr.fetchone()[-1]:
                continue
            # Last year's KPI values are still to be recomputed (by another
            # process now, or later in this loop): their growth KPIs would
            # compare with old values. Taken in a later round.
            cr.execute("""
                SELECT 1 FROM prm_benchmark_period p
                  JOIN prm_benchmark_stale own ON own.period_id = p.id
                                              AND own.recompute_kpis
                  JOIN prm_benchmark_stale last ON last.period_id = p.previous_id
                                               AND last.recompute_kpis
                 WHERE p.id = %s LIMIT 1
            """, [period_id])
            if cr.fetchone():
                continue
            cr.execute("SELECT 1 FROM prm_benchmark_stale WHERE period_id = %s "
                       "LIMIT 1", [period_id])
            if cr.fetchone():
                self._recompute_period_statistics([period_id])
                done.append(period_id)
        return done

    @api.model
    def _freshness(self, periods, group):
        """How current the statistics of ``group`` over ``periods`` are.

        ``group``: a comparison group, or an empty recordset for all groups
        (the head office's network export).

        ``periods``: the periods a view shows, the first being the view's own
        period. Returns ``{"stale": bool, "as_of": text in the user's time
        zone and date format or "", "as_of_utc": "YYYY-MM-DD HH:MM:SS[.ffffff]"
        or None, "held_back": bool}``: the numbers contain every change
        committed before as_of; "stale" means a later change is not in them
        yet; "held_back" that fresher statistics exist but are published only
        once enough further firms have submitted (``lib.release_history``).
        """
        cr = self.env.cr
        ids = tuple(periods.ids) or (0,)
        cr.execute("""
            SELECT period_id, %s FROM prm_benchmark_stale
             WHERE period_id IN %s AND (group_id IS NULL OR group_id = %s OR %s)
        """, [group.id or None, ids, group.id or 0, not group])
        stale = staleness.is_stale(cr.fetchall(), periods.ids, group.id or None)
        as_of = None
        held_back = False
        if periods:
            # Statistics held back by the release rule (release_history) are
            # as of their release: the earliest of them is the view's "as of".
            cr.execute("""
                SELECT LEAST((SELECT as_of FROM prm_benchmark_stat_as_of
                               WHERE period_id = %s), MIN(released_at)),
                       COUNT(*) > 0
                  FROM prm_benchmark_stat_release
                 WHERE period_id = %s AND pending AND (group_id = %s OR %s)
            """, [periods[0].id, periods[0].id, group.id or 0, not group])
            row = cr.fetchone()
            as_of = row[0] and str(row[0])   # Odoo's cursor gives text
            held_back = bool(row[1])
        if stale:
            refresher.ensure_running(self.env)
        return {"stale": stale, "held_back": held_back,
                "as_of": self._user_datetime(as_of and as_of[:19]),
                "as_of_utc": as_of or None}

    @api.model
    def _cron_refresh_stale(self):
        """Every minute: the safety net behind the worker (see refresher).

        Each period in a new transaction of its own, like the worker: the
        cron's transaction began before it took the job, and a refresh on
        that older snapshot could lose a race to the worker.
        """
        refresher.ensure_running(self.env)
        return refresher.refresh_all(self.env.cr.dbname)
