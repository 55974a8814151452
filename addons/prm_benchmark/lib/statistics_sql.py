"""The statistics aggregate, shared by the engine and ``make bench``.

One statement computes count, mean, quartiles, top-quartile mean, extremes
and the dominance flag for every (period, group, KPI) of the given periods.
Parameters: ``states`` (counted entry states), ``periods`` (tuple of ids),
``share`` (dominance share). The group's values are kept sorted with the
statistic (``sorted_values``, head office data) for ranks and histograms,
and the dealers counted with their values (``contributors``,
``contributor_values``, in the same order, for the release rule
of ``lib.release_history``). ``refresh_statistics_into(table)`` writes into
another table of the same columns (the engine's fresh, not yet released
statistics).

One pass over the values: the three quartiles come from one ordered-set
aggregate (``percentile_cont`` over an array of fractions: the same
interpolation as three separate calls); the sums (mean, total, top-quartile
mean) are taken over the group's sorted values, so no second scan of the
joined values is needed (half the time at 5,000 dealers), and a sum is
always added up in the same (ascending) order: the same values give the
same statistics to the last bit, whichever plan or subset of groups the
refresh computes (a differing last bit would count as changed statistics
for the release rule).
"""

REFRESH_STATISTICS_INTO = """
    WITH s AS (
        SELECT kv.period_id, gm.group_id, kv.kpi_id, COUNT(*) AS n,
               percentile_cont(ARRAY[0.25, 0.5, 0.75])
                   WITHIN GROUP (ORDER BY kv.value) AS quartiles,
               MIN(kv.value) AS vmin, MAX(kv.value) AS vmax,
               array_agg(kv.value ORDER BY kv.value) AS sorted_values,
               array_agg(kv.partner_id ORDER BY kv.partner_id) AS contributors,
               array_agg(kv.value ORDER BY kv.partner_id) AS contributor_values
          FROM prm_benchmark_kpi_value kv
          JOIN prm_benchmark_entry e
            ON e.id = kv.entry_id AND e.state IN %(states)s
          JOIN prm_benchmark_group_member gm
            ON gm.partner_id = kv.partner_id
          JOIN prm_benchmark_group g ON g.id = gm.group_id AND g.active
          {pairs}
         WHERE kv.period_id IN %(periods)s AND kv.value IS NOT NULL
      GROUP BY kv.period_id, gm.group_id, kv.kpi_id
    )
    INSERT INTO {table}
        (period_id, group_id, kpi_id, count, mean, median, q1, q3,
         top_quartile_mean, min_value, max_value, top_group_size,
         has_dominant, sorted_values, contributors, contributor_values)
    SELECT s.period_id, s.group_id, s.kpi_id, s.n, sums.mean, s.quartiles[2],
           s.quartiles[1], s.quartiles[3], sums.top_mean, s.vmin, s.vmax,
           sums.top_size,
           (s.vmin >= 0 AND sums.total > 0 AND s.vmax > %(share)s * sums.total),
           s.sorted_values, s.contributors, s.contributor_values
      FROM s
      JOIN prm_benchmark_kpi k ON k.id = s.kpi_id
     CROSS JOIN LATERAL (
        SELECT AVG(x) AS mean, SUM(x) AS total,
               AVG(x) FILTER (WHERE top) AS top_mean,
               COUNT(*) FILTER (WHERE top) AS top_size
          FROM unnest(s.sorted_values) AS x,
               LATERAL (SELECT CASE WHEN k.higher_is_better
                                    THEN x >= s.quartiles[3]
                                    ELSE x <= s.quartiles[1] END) AS t(top)
        ) AS sums
"""


# Only some (group, KPI) pairs: parameters ``pair_groups`` and ``pair_kpis``,
# two integer lists of the same length (``lib.staleness.recompute_scope``).
PAIRS_JOIN = """
          JOIN unnest(%(pair_groups)s::integer[], %(pair_kpis)s::integer[])
            AS pair(group_id, kpi_id)
            ON pair.group_id = gm.group_id AND pair.kpi_id = kv.kpi_id"""


def refresh_statistics_into(table, pairs=False):
    """REFRESH_STATISTICS writing into ``table`` (a trusted identifier);
    with ``pairs`` only for the (group, KPI) pairs given (``PAIRS_JOIN``)."""
    return REFRESH_STATISTICS_INTO.replace("{table}", table).replace(
        "{pairs}", PAIRS_JOIN if pairs else "")


REFRESH_STATISTICS = refresh_statistics_into("prm_benchmark_stat")
REFRESH_STATISTICS_OF_PAIRS = refresh_statistics_into(
    "prm_benchmark_stat", pairs=True)

# Per period and KPI: how many dealers counted in the *released* statistics
# (see lib.release_history) belong to exactly which combination of groups
# (input of anonymity.contribution_differences): what a viewer can compare.
RELEASED_CONTRIBUTION_MASKS = """
    WITH c AS (
        SELECT s.period_id, s.kpi_id, d.partner_id,
               array_agg(s.group_id ORDER BY s.group_id) AS groups
          FROM prm_benchmark_stat_release s, unnest(s.contributors) AS d(partner_id)
         WHERE s.period_id IN %(periods)s
           AND (%(all_kpis)s OR s.kpi_id IN %(kpis)s)
      GROUP BY s.period_id, s.kpi_id, d.partner_id
    )
    SELECT period_id, kpi_id, groups, COUNT(*) FROM c
  GROUP BY period_id, kpi_id, groups
"""

# Per (period, KPI) and firm: the groups whose top group (the firms averaged
# in the top-quartile mean: at or above the upper quartile, at or below the
# lower one where lower is better) holds the firm, counted per combination
# of groups, of the released statistics (``lib.anonymity.overlap_differences``).
RELEASED_TOP_GROUP_MASKS = """
    WITH t AS (
        SELECT s.period_id, s.kpi_id, c.partner_id,
               array_agg(s.group_id ORDER BY s.group_id) AS groups
          FROM prm_benchmark_stat_release s
          JOIN prm_benchmark_kpi k ON k.id = s.kpi_id
         CROSS JOIN LATERAL unnest(s.contributors, s.contributor_values)
               AS c(partner_id, value)
         WHERE s.period_id IN %(periods)s
           AND (%(all_kpis)s OR s.kpi_id IN %(kpis)s)
           AND s.top_quartile_mean IS NOT NULL AND c.value IS NOT NULL
           AND CASE WHEN k.higher_is_better THEN c.value >= s.q3
                    ELSE c.value <= s.q1 END
      GROUP BY s.period_id, s.kpi_id, c.partner_id
    )
    SELECT period_id, kpi_id, groups, COUNT(*) FROM t
  GROUP BY period_id, kpi_id, groups
"""
