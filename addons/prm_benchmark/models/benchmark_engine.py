import logging
from array import array

import psycopg2
from psycopg2 import errorcodes
from psycopg2.extras import execute_values

from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape, lru

from ..glue import format_exact
from ..lib import formula as formula_engine
from ..lib import release_history, staleness, statistics_sql
from ..lib.anonymity import (
    NO_OWN_ENTRY, AnonymityPolicy, contribution_differences,
    overlap_differences, withhold_all)
from . import benchmark_refresher as refresher
from .benchmark_entry import MARKS_BY_CALLER

_logger = logging.getLogger(__name__)
COUNTED_STATES = ("submitted", "checked")
MAX_SHARE = 0.25
# Advisory lock key (with the period id) serialising refreshes of a period.
REFRESH_LOCK = 7310
# NOTIFY channel that wakes the refresh worker when marks are committed.
STALE_CHANNEL = refresher.CHANNEL
# Per worker: derived group data, keyed by the statistics stamp (see
# _statistics_stamp); at most about 1 MB per (period, group) at 5000
# dealers (the sorted values), room for every group of the trend periods.
GROUP_DATA_CACHE = lru.LRU(256)


class ConcurrentEditError(UserError):
    """Somebody saved the entry after the form was opened."""


class BenchmarkEngine(models.AbstractModel):
    """KPI computation and group statistics (ORM glue around ``lib``).

    Formulas are evaluated by ``lib.formula``; statistics come from one
    PostgreSQL aggregate (``percentile_cont``) over all groups and KPIs of a
    period; the anonymity filter is ``lib.anonymity``.
    """

    _name = "prm.benchmark.engine"
    _description = "Benchmark engine"

    # --- KPIs --------------------------------------------------------------------
    @api.model
    def _compute_kpis(self, entries):
        """Compute and store the KPI values of ``entries``.

        The figures and last year's KPI values are read in three plain
        queries (they were most of a save's time through the ORM); changed
        KPI values are written through the ORM.
        """
        # sudo: KPI values are derived data; the caller may write the entries.
        entries = entries.sudo()
        if not entries:
            return
        formulas = self.env["prm.benchmark.kpi"].sudo()._parsed_formulas()
        kpis = {kpi.code: kpi
                for kpi in self.env["prm.benchmark.kpi"].sudo().search([])}
        previous = self._previous_entries(entries)
        KpiValue = self.env["prm.benchmark.kpi.value"].sudo()
        cr = self.env.cr
        ids = tuple(set(entries.ids) | {e.id for e in previous.values() if e})
        cr.execute("""
            SELECT v.entry_id, i.code, v.value FROM prm_benchmark_value v
              JOIN prm_benchmark_input i ON i.id = v.input_id
             WHERE v.entry_id IN %s
        """, [ids])
        figures = {}
        for entry_id, code, value in cr.fetchall():
            figures.setdefault(entry_id, {})[code] = value
        cr.execute("""
            SELECT kv.id, kv.entry_id, kv.kpi_id, k.code, kv.value
              FROM prm_benchmark_kpi_value kv
              JOIN prm_benchmark_kpi k ON k.id = kv.kpi_id
             WHERE kv.entry_id IN %s
        """, [ids])
        stored, existing = {}, {}
        for row_id, entry_id, kpi_id, code, value in cr.fetchall():
            stored.setdefault(entry_id, {})[code] = value
            existing[(entry_id, kpi_id)] = (row_id, value)
        for entry in entries:
            values = dict(figures.get(entry.id, {}))
            values["period_days"] = entry.period_id.days
            prev_entry = previous.get(entry.id)
            prev_values = {}
            if prev_entry:
                prev_values = dict(figures.get(prev_entry.id, {}))
                prev_values.update(stored.get(prev_entry.id, {}))
                prev_values["period_days"] = prev_entry.period_id.days
            results = formula_engine.evaluate_all(formulas, values, prev_values)
            for code, value in results.items():
                kpi = kpis.get(code)
                if kpi is None:
                    continue
                row_id, old = existing.get((entry.id, kpi.id), (None, None))
                if value is None:
                    if row_id:
                        KpiValue.browse(row_id).unlink()
                elif row_id:
                    if old != value:
                        KpiValue.browse(row_id).write({"value": value})
                else:
                    KpiValue.create({
                        "entry_id": entry.id, "kpi_id": kpi.id, "value": value,
                        "partner_id": entry.partner_id.id,
                        "period_id": entry.period_id.id,
                    })

    @api.model
    def _previous_entries(self, entries):
        """``{entry_id: entry of the same dealer in the previous-year period}``."""
        pairs = [(e.partner_id.id, e.period_id.previous_id.id) for e in entries
                 if e.period_id.previous_id]
        if not pairs:
            return {}
        # sudo: the same dealers' own entries of last year, for growth KPIs.
        found = self.env["prm.benchmark.entry"].sudo().search([
            ("partner_id", "in", list({p for p, _q in pairs})),
            ("period_id", "in", list({q for _p, q in pairs}))])
        by_key = {(e.partner_id.id, e.period_id.id): e for e in found}
        return {e.id: by_key.get((e.partner_id.id, e.period_id.previous_id.id))
                for e in entries if e.period_id.previous_id}

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
        statistics and releases those the release rule allows
        (``_release_statistics``), clears exactly the marks it read (a mark
        committed after the snapshot stays for the next refresh) and stamps the time the
        statistics are as of (the transaction's start).
        """
        cr = self.env.cr
        period_ids = tuple(sorted(period_ids))
        cr.execute("""
            SELECT id, period_id, recompute_kpis FROM prm_benchmark_stale
             WHERE period_id IN %s
        """, [period_ids])
        seen = cr.fetchall()
        recompute = {period_id for _id, period_id, kpis in seen if kpis}
        if recompute:
            # sudo: derived data of every entry of the period, after a KPI
            # definition changed; nothing is read out.
            self._compute_kpis(self.env["prm.benchmark.entry"].sudo().search(
                [("period_id", "in", sorted(recompute))]))
        params = {"states": COUNTED_STATES, "periods": period_ids,
                  "share": MAX_SHARE}
        cr.execute("DELETE FROM prm_benchmark_stat WHERE period_id IN %s",
                   [period_ids], log_exceptions=False)
        cr.execute(statistics_sql.REFRESH_STATISTICS, params)
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

    # --- staleness -----------------------------------------------------------------
    @api.model
    def _mark_stale(self, change, periods=None, groups=None, partners=None,
                    dealer_group_ids=()):
        """Mark the statistics ``change`` invalidates (``lib.staleness.EDGES``).

        ``periods``: the periods of the change (entry, import); the periods
        whose growth KPIs compare with them are added. ``groups``: the groups
        edited. ``partners``: dealers whose groups are affected (their
        current groups are added to ``dealer_group_ids``, pass the groups of
        before a membership change there). Written in the caller's
        transaction with a NOTIFY that wakes the refresh worker at commit;
        a rollback takes the marks with it. Returns the (period, group) marks.
        """
        cr = self.env.cr
        edge = staleness.EDGES[change]
        facts = {"changed_groups": groups.ids if groups else ()}
        if edge.periods == staleness.ALL_PERIODS:
            cr.execute("SELECT id FROM prm_benchmark_period")
            facts["all_periods"] = [row[0] for row in cr.fetchall()]
        else:
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
        pairs = staleness.marks(change, **facts)
        if pairs:
            execute_values(cr._obj, """
                INSERT INTO prm_benchmark_stale (period_id, group_id, reason,
                                                 recompute_kpis) VALUES %s
            """, [(period_id, group_id, change, edge.recompute_kpis)
                  for period_id, group_id in pairs])
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
        for period_id in sorted(set(period_ids)):
            if wait:
                cr.execute("SELECT pg_advisory_xact_lock(%s, %s), true",
                           [REFRESH_LOCK, period_id])
            else:
                cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                           [REFRESH_LOCK, period_id])
            if not cr.fetchone()[-1]:
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

        cr.execute("""
            SELECT id, period_id, group_id, kpi_id, contributors,
                   contributor_values, visible_contributors, visible_values
              FROM prm_benchmark_stat_release WHERE period_id IN %s
        """, [period_ids])
        released = {tuple(row[1:4]): (row[0], contributions(*row[4:6]),
                                      contributions(*row[6:8]))
                    for row in cr.fetchall()}
        cr.execute("""
            SELECT id, period_id, group_id, kpi_id, contributors,
                   contributor_values
              FROM prm_benchmark_stat WHERE period_id IN %s
        """, [period_ids])
        fresh = {tuple(row[1:4]): (row[0], contributions(*row[4:6]))
                 for row in cr.fetchall()}
        cr.execute("SELECT id, min_group_size FROM prm_benchmark_group")
        ks = {group_id: max(size or 0, 2) for group_id, size in cr.fetchall()}
        drop, take, empty, pending = [], [], [], []
        changed = set()   # (period_id, kpi_id) whose released rows change
        for key in set(released) | set(fresh):
            _period_id, group_id, _kpi_id = key
            old_id, old, old_visible = released.get(key, (None, None, None))
            new_id, current = fresh.get(key, (None, {}))
            k = ks.get(group_id, 2)
            decision = release_history.release_decision(
                old, old_visible, current, k)
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

    @api.model
    def _policy(self, group):
        k = max(group.min_group_size, 2)
        p = group.disclosure_p if group.disclosure_p >= 0 else 10.0
        return AnonymityPolicy(min_group_size=k,
                               min_group_size_extremes=max(10, 2 * k),
                               max_share=MAX_SHARE, p_percent=min(p, 99.0))

    @api.model
    def _published_statistics(self, period, group, kpis, live=False):
        """Anonymity-filtered statistics ``{kpi_id: dict}`` of a group.

        Every output (page, JSON, export) goes through here, so a statistic
        below the threshold cannot leak by any route. ``live``: head office's
        current statistics instead of those released to dealers.
        """
        return self._published_statistics_of_periods(
            period, group, kpis, live=live)[period.id]

    @api.model
    def _raw_statistics_of_periods(self, periods, group):
        """``{(period_id, kpi_id): stats}`` unfiltered, as released to dealers.

        Read from the released statistics (``prm_benchmark_stat_release``,
        the time-differencing rule of ``lib.release_history``), never the
        live ``prm_benchmark_stat``: dealers' views are the release model
        applied to what was released. Head-office data; only for
        ``lib.release``, which decides what of it a dealer gets.
        """
        self.env.cr.execute("""
            SELECT period_id, kpi_id, count, mean, median, q1, q3,
                   top_quartile_mean, min_value, max_value
              FROM prm_benchmark_stat_release
             WHERE period_id IN %s AND group_id = %s
        """, [tuple(periods.ids) or (0,), group.id])
        keys = ("count", "mean", "median", "q1", "q3", "top_quartile_mean",
                "min", "max")
        return {(row[0], row[1]): dict(zip(keys, row[2:]))
                for row in self.env.cr.fetchall()}

    @api.model
    def _counted_period_ids(self, partner, periods):
        """Ids of ``periods`` in which ``partner`` has a counted entry."""
        self.env.cr.execute("""
            SELECT period_id FROM prm_benchmark_entry
             WHERE partner_id = %s AND period_id IN %s AND state IN %s
        """, [partner.id, tuple(periods.ids) or (0,), COUNTED_STATES])
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _published_statistics_of_periods(self, periods, group, kpis,
                                         viewer=None, live=False):
        """``{period_id: {kpi_id: dict}}``: the above for several periods.

        One query on the released statistics (head-office data, read without
        the ORM for speed, as sudo would); only the filtered values leave.
        ``viewer``: the dealer (res.partner) the statistics are shown to;
        "give to get": in a period without the viewer's own counted entry
        everything is withheld (reason ``no_own_entry``). ``live``: read
        the current statistics (``prm_benchmark_stat``, head office only,
        e.g. the network export) instead of the released ones.
        """
        table = "prm_benchmark_stat" if live else "prm_benchmark_stat_release"
        self.env.cr.execute("""
            SELECT period_id, kpi_id, count, mean, median, q1, q3,
                   top_quartile_mean, min_value, max_value, has_dominant,
                   top_group_size
              FROM %s
             WHERE period_id IN %%s AND group_id = %%s
        """ % table, [tuple(periods.ids) or (0,), group.id])
        rows = {(row[0], row[1]): row[2:] for row in self.env.cr.fetchall()}
        policy = self._policy(group)
        gives = self._counted_period_ids(viewer, periods) if viewer else None
        result = {}
        for period in periods:
            result[period.id] = by_kpi = {}
            for kpi in kpis:
                if gives is not None and period.id not in gives:
                    by_kpi[kpi.id] = withhold_all(dict.fromkeys((
                        "count", "mean", "median", "q1", "q3",
                        "top_quartile_mean", "min", "max")), NO_OWN_ENTRY)
                    continue
                (count, mean, median, q1, q3, top_mean, low, high, dominant,
                 top_size) = rows.get((period.id, kpi.id)) or (
                    0, None, None, None, None, None, None, None, False, 0)
                raw = {"count": count or 0, "mean": mean, "median": median,
                       "q1": q1, "q3": q3, "top_quartile_mean": top_mean,
                       "min": low, "max": high}
                by_kpi[kpi.id] = policy.filter_with_facts(
                    raw, raw["count"], bool(dominant), top_size or 0)
        return result

    @api.model
    def _statistics_stamp(self, periods):
        """Changes whenever statistics or memberships of ``periods`` change.

        A release replaces released statistics rows (new ids, from a
        sequence, so a row released later has a higher id), and
        a membership refresh re-inserts member rows: the newest ids identify
        the state, so cached group data keyed on it never goes stale.
        """
        self.env.cr.execute("""
            SELECT (SELECT last_value FROM prm_benchmark_group_member_id_seq),
                   array_agg(ARRAY[period_id, last_id] ORDER BY period_id)
              FROM (SELECT period_id, MAX(id) AS last_id
                      FROM prm_benchmark_stat_release
                     WHERE period_id IN %s GROUP BY period_id) AS latest
        """, [tuple(periods.ids) or (0,)])
        members, stats = self.env.cr.fetchone()
        return (self.env.cr.dbname, members,
                tuple(tuple(pair) for pair in stats or ()))

    @api.model
    def _group_values(self, period, group):
        """``{kpi_id: ascending array of the group's counted values}``.

        Head-office data: only ranks and bucket counts derived from it leave
        the server. Cached per worker and statistics stamp, because every
        page view of every member of a large group needs it.
        """
        key = ("values", period.id, group.id, self._statistics_stamp(period))
        cached = GROUP_DATA_CACHE.get(key)
        if cached is None:
            self.env.cr.execute("""
                SELECT kpi_id, sorted_values FROM prm_benchmark_stat_release
                 WHERE period_id = %s AND group_id = %s
                   AND sorted_values IS NOT NULL
            """, [period.id, group.id])
            cached = {kpi_id: array("d", values)
                      for kpi_id, values in self.env.cr.fetchall()}
            GROUP_DATA_CACHE[key] = cached
        return cached

    @api.model
    def _released_own_values(self, partner, periods, group):
        """``{(period_id, kpi_id): value}``: ``partner``'s value as counted in
        the statistics released for ``group`` (``prm_benchmark_stat_release``).

        A viewer's rank, percentile and histogram bar come from this value,
        never from the current one: while the release rule holds fresher
        statistics back, the viewer's own later saves would otherwise move
        the rank against the released values and let the viewer find other
        firms' values by bisection (outside review of issue 16). Missing
        when the viewer is not among the released contributors.
        """
        if not periods or not partner:
            return {}
        self.env.cr.execute("""
            SELECT period_id, kpi_id,
                   contributor_values[array_position(contributors, %s)]
              FROM prm_benchmark_stat_release
             WHERE period_id IN %s AND group_id = %s AND %s = ANY(contributors)
        """, [partner.id, tuple(periods.ids), group.id, partner.id])
        return {(period_id, kpi_id): value
                for period_id, kpi_id, value in self.env.cr.fetchall()
                if value is not None}

    @api.model
    def _save_entry(self, partner, period, values, version=None, submit=False):
        """Store a dealer's figures as the current user; returns the entry.

        ``values``: ``{input_id: float or None}`` (None clears a figure).
        ``version``: the entry version the form was based on; a newer one in
        the database means somebody else saved meanwhile (ConcurrentEditError,
        nothing is written). Raises UserError for a closed period or a
        submission with required figures missing.
        """
        self._check_may_enter(partner)
        cr = self.env.cr
        # FOR SHARE: saves of different dealers run in parallel, but head
        # office closing the period (an UPDATE of this row) waits for them,
        # and a save after the close sees the new state. Losing such a race
        # is a serialization failure the request retries: not a "bad query"
        # error in the log (here and for the version below).
        cr.execute("SELECT state FROM prm_benchmark_period WHERE id = %s FOR SHARE",
                   [period.id], log_exceptions=False)
        row = cr.fetchone()
        if not row or row[0] != "open":
            raise UserError(_("The period %s is closed; figures can no longer be "
                              "changed.") % period.name)
        # sudo: portal users have read-only access; what they may change is
        # decided here (own company checked above, open period locked above,
        # only figures and the submit step are written).
        Entry = self.env["prm.benchmark.entry"].sudo()
        entry = Entry.search([("partner_id", "=", partner.id),
                              ("period_id", "=", period.id)])
        if entry:
            cr.execute("""
                UPDATE prm_benchmark_entry SET version = version + 1
                 WHERE id = %s AND version = %s RETURNING version
            """, [entry.id, version or 0], log_exceptions=False)
            if not cr.fetchone():
                entry.invalidate_cache()
                raise ConcurrentEditError(_(
                    "%(user)s saved these figures at %(time)s, after you opened "
                    "the form. Your changes were not saved; they are still in "
                    "the form. Please compare and save again.") % {
                    "user": entry._prm_user_label(entry.last_saved_by_id)
                    or _("Somebody"),
                    "time": self._user_datetime(entry.last_saved_on)})
            entry.invalidate_cache(["version"])
        else:
            if version:
                raise ConcurrentEditError(_("The entry was removed meanwhile."))
            entry = self._create_entry(Entry, partner, period)
        changes = self._write_values(entry, values)
        now = fields.Datetime.now()
        entry_vals = {"last_saved_by_id": self.env.uid, "last_saved_on": now}
        counted_before = entry.state in COUNTED_STATES
        if submit:
            missing = entry._missing_required()
            if missing:
                raise UserError(_("Please fill in before submitting: %s")
                                % ", ".join(missing.mapped("name")))
            entry_vals.update({"state": "submitted", "submitted_by_id": self.env.uid,
                               "submitted_on": now})
        elif entry.state == "returned":
            entry_vals["state"] = "draft"
        entry.with_context(**{MARKS_BY_CALLER: True}).write(entry_vals)
        if changes:
            entry.message_post(body=self._changes_html(changes),
                               author_id=self.env.user.partner_id.id,
                               subtype="mail.mt_note")
        # The dealer's own KPIs at once; the group statistics are only marked
        # stale here and refreshed by the worker (one aggregate for many saves).
        self._compute_kpis(entry | self._next_year_entries(entry))
        if counted_before or entry.state in COUNTED_STATES:
            self._entries_changed(
                entry, "entry_values" if counted_before == (
                    entry.state in COUNTED_STATES) else "entry_state")
        self._refresh_target_actuals(entry)
        return entry

    @api.model
    def _entries_changed(self, entries, change):
        """Mark the statistics ``entries`` feed stale (``change``: an entry edge).

        A counted entry also moves its dealer in and out of revenue-band
        groups (trailing revenue of submitted quarters): those memberships
        follow at once, and the groups of before and after are marked.
        """
        partners = entries.mapped("partner_id")
        before = self._dealer_group_ids(partners)
        self.env["prm.benchmark.group"]._refresh_members_of(
            partners, revenue_band_only=True)
        return self._mark_stale(change, periods=entries.mapped("period_id"),
                                partners=partners, dealer_group_ids=before)

    @api.model
    def _user_datetime(self, value):
        """A stored (UTC) datetime in the user's time zone and language."""
        if not value:
            return ""
        local = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(value))
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        if not lang:
            return fields.Datetime.to_string(local)
        return local.strftime("%s %s" % (lang.date_format, lang.time_format))

    @api.model
    def _create_entry(self, Entry, partner, period):
        """The dealer's first entry of the period.

        When two users of the dealer save their first figures at once, the
        second insert waits for the first and then violates entry_unique: a
        concurrent edit like a newer version, not a server error.
        """
        cr = self.env.cr
        # Expected in that race: no "bad query" error in the log.
        cr._default_log_exceptions = False
        try:
            with cr.savepoint():
                return Entry.create({"partner_id": partner.id,
                                     "period_id": period.id})
        except psycopg2.IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            raise ConcurrentEditError(_(
                "Somebody else saved these figures after you opened the form. "
                "Your changes were not saved; they are still in the form. "
                "Please open the form again, compare and save again."))
        finally:
            cr._default_log_exceptions = True

    @api.model
    def _check_may_enter(self, partner):
        """Head office, or a partner user of exactly this dealer."""
        user = self.env.user
        if user._prm_is_head_office():
            return
        if user.commercial_partner_id == partner and (
                user._prm_is_director() or user._prm_is_bookkeeper()):
            return
        raise AccessError(_("You may only enter the figures of your own company."))

    @api.model
    def _write_values(self, entry, values):
        """Apply ``values`` to the entry; returns [(label, old, new)]."""
        # sudo (this block): the caller checked company and open period
        # (_save_entry, import wizard for head office); the figures follow
        # the entry they belong to, input labels are shared configuration.
        Value = self.env["prm.benchmark.value"].sudo().with_context(
            **{MARKS_BY_CALLER: True})
        existing = {v.input_id.id: v for v in entry.sudo().with_context(
            **{MARKS_BY_CALLER: True}).value_ids}
        inputs = self.env["prm.benchmark.input"].sudo().browse(list(values))
        labels = {i.id: i.name for i in inputs}
        changes = []
        for input_id, new in values.items():
            record = existing.get(input_id)
            old = record.value if record else None
            if new is None:
                if record:
                    record.unlink()
                    changes.append((labels[input_id], old, None))
            elif record:
                if old != new:
                    record.value = new
                    changes.append((labels[input_id], old, new))
            else:
                Value.create({"entry_id": entry.id, "input_id": input_id,
                              "value": new})
                changes.append((labels[input_id], None, new))
        return changes

    @api.model
    def _changes_html(self, changes):
        # Exact values in the number format of the message's language (the
        # language its text is written in), never Python's "0.125" / "10.0".
        lines = "".join("<li>%s: %s → %s</li>" % (
            html_escape(label), format_exact(old, self.env),
            format_exact(new, self.env)) for label, old, new in changes)
        return "%s<ul>%s</ul>" % (html_escape(_("Figures changed:")), lines)

    @api.model
    def _next_year_entries(self, entry):
        """Entries whose growth KPIs compare with ``entry``."""
        # sudo: derived KPIs of the same dealer are refreshed, nothing is read
        # out to the user.
        nexts = self.env["prm.benchmark.period"].sudo().search(
            [("previous_id", "=", entry.period_id.id)])
        if not nexts:
            return self.env["prm.benchmark.entry"]
        return self.env["prm.benchmark.entry"].sudo().search(
            [("partner_id", "=", entry.partner_id.id), ("period_id", "in", nexts.ids)])

    @api.model
    def _refresh_target_actuals(self, entry):
        # sudo: targets fed by benchmark figures follow the dealer's entry.
        targets = self.env["prm.target"].sudo().search([
            ("partner_id", "=", entry.partner_id.id),
            ("date_range_id", "=", entry.period_id.date_range_id.id),
            ("metric_id.source", "=", "benchmark")])
        targets._refresh_actuals()
