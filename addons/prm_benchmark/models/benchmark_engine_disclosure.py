"""What a viewer may receive of the stored statistics (anonymity policy, caches)."""
from odoo import api, models
from odoo.tools import lru

from ..lib import pg_arrays, staleness
from ..lib.anonymity import NO_OWN_ENTRY, AnonymityPolicy, withhold_all
from .benchmark_engine import COUNTED_STATES, GROUP_DATA_CACHE, MAX_SHARE

# Per worker: a viewer's values as counted in the released statistics, per
# (viewer, group) and the stamps of the view's periods (small entries).
OWN_VALUES_CACHE = lru.LRU(4096)


class BenchmarkEngineDisclosure(models.AbstractModel):
    """Released statistics, filtered for a viewer; group data cached per worker."""

    _inherit = "prm.benchmark.engine"

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
        """The stamp of ``periods`` together (``_statistics_stamps``)."""
        return self._stamp_query(periods)[None]

    @api.model
    def _statistics_stamps(self, periods):
        """``{period_id: stamp}``: ``_statistics_stamp(period)`` of each of
        ``periods``, in one query."""
        return self._stamp_query(periods)

    @api.model
    def _stamp_query(self, periods):
        """Changes whenever statistics, memberships or their definitions change.

        A release replaces released statistics rows (new ids, from a
        sequence, so a row released later has a higher id), and
        a membership refresh re-inserts member rows: the newest ids identify
        the state. What the view derives from them also depends on the
        definitions: a group's k and p, a KPI's direction or activation, the
        network-wide anonymity settings; a refresh after such a change may
        release nothing new (the same firms, the same values), so a digest
        of those rows (small tables) is part of the stamp too.
        Ids and sequence values repeat after a restore of the database or a
        failover to a standby that lost the newest commits (a new release
        may then get the id of a lost one): the database's oid and the
        PostgreSQL server's start time are part of the stamp too, so such
        an event empties every cache's use (outside review 14).
        Cached group data keyed on it never goes stale, in any worker.
        Returns ``{period_id: stamp of that period, None: stamp of all}``.
        """
        self.env.cr.execute("""
            SELECT (SELECT last_value FROM prm_benchmark_group_member_id_seq),
                   array_agg(ARRAY[period_id, last_id] ORDER BY period_id),
                   (SELECT md5(string_agg(g::text, ',' ORDER BY g.id))
                      FROM prm_benchmark_group g),
                   (SELECT md5(string_agg(k::text, ',' ORDER BY k.id))
                      FROM prm_benchmark_kpi k),
                   (SELECT md5(string_agg(p.key || '=' || p.value, ','
                                          ORDER BY p.key))
                      FROM ir_config_parameter p WHERE p.key LIKE %s),
                   (SELECT oid FROM pg_database
                     WHERE datname = current_database()),
                   pg_postmaster_start_time()::text
              FROM (SELECT period_id, MAX(id) AS last_id
                      FROM prm_benchmark_stat_release
                     WHERE period_id IN %s GROUP BY period_id) AS latest
        """, [staleness.ANONYMITY_PARAMETER_PREFIX + "%",
              tuple(periods.ids) or (0,)])
        members, stats, groups, kpis, settings, database, started = \
            self.env.cr.fetchone()
        pairs = tuple(tuple(pair) for pair in stats or ())

        def stamp(of_pairs):
            return (self.env.cr.dbname, database, started, members, of_pairs,
                    groups, kpis, settings)

        stamps = {period_id: stamp(tuple(pair for pair in pairs
                                         if pair[0] == period_id))
                  for period_id in periods.ids}
        stamps[None] = stamp(pairs)
        return stamps

    @api.model
    def _group_values(self, period, group, stamp=None):
        """``{kpi_id: ascending array of the group's counted values}``.

        Head-office data: only ranks and bucket counts derived from it leave
        the server. Cached per worker and statistics stamp, because every
        page view of every member of a large group needs it. ``stamp``:
        ``_statistics_stamp(period)`` when the caller has it already.
        """
        key = ("values", period.id, group.id,
               stamp or self._statistics_stamp(period))
        cached = GROUP_DATA_CACHE.get(key)
        if cached is None:
            # Binary (array_send): psycopg2's text parse of thousands of
            # values per KPI was most of a cold view at 5000 dealers.
            self.env.cr.execute("""
                SELECT kpi_id, array_send(sorted_values)
                  FROM prm_benchmark_stat_release
                 WHERE period_id = %s AND group_id = %s
                   AND sorted_values IS NOT NULL
            """, [period.id, group.id])
            cached = {kpi_id: pg_arrays.float8_array(values)
                      for kpi_id, values in self.env.cr.fetchall()}
            GROUP_DATA_CACHE[key] = cached
        return cached

    @api.model
    def _released_own_values(self, partner, periods, group, stamps=None):
        """``{(period_id, kpi_id): value}``: ``partner``'s value as counted in
        the statistics released for ``group`` (``prm_benchmark_stat_release``).

        A viewer's rank, percentile and histogram bar come from this value,
        never from the current one: while the release rule holds fresher
        statistics back, the viewer's own later saves would otherwise move
        the rank against the released values and let the viewer find other
        firms' values by bisection (outside review of issue 16). Missing
        when the viewer is not among the released contributors.

        The query scans the released contributor arrays of the group (it
        grows with the group), so the answer is cached per worker under the
        periods' statistics stamps (``stamps``: ``_statistics_stamps`` of
        ``periods`` when the caller has them): the released rows change only
        with a release, which changes the stamp.
        """
        if not periods or not partner:
            return {}
        stamps = stamps or self._statistics_stamps(periods)
        key = ("own released", partner.id, group.id,
               tuple(stamps[period_id] for period_id in periods.ids))
        cached = OWN_VALUES_CACHE.get(key)
        if cached is not None:
            return cached
        self.env.cr.execute("""
            SELECT period_id, kpi_id,
                   contributor_values[array_position(contributors, %s)]
              FROM prm_benchmark_stat_release
             WHERE period_id IN %s AND group_id = %s AND %s = ANY(contributors)
        """, [partner.id, tuple(periods.ids), group.id, partner.id])
        result = OWN_VALUES_CACHE[key] = {
            (period_id, kpi_id): value
            for period_id, kpi_id, value in self.env.cr.fetchall()
            if value is not None}
        return result
