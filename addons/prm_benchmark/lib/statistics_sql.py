"""The statistics aggregate, shared by the engine and ``make bench``.

One statement computes count, mean, quartiles, top-quartile mean, extremes
and the dominance flag for every (period, group, KPI) of the given periods.
Parameters: ``states`` (counted entry states), ``periods`` (tuple of ids),
``share`` (dominance share). The group's values are kept sorted with the
statistic (``sorted_values``, head office data) for ranks and histograms.
"""

REFRESH_STATISTICS = """
    WITH v AS (
        SELECT kv.period_id, gm.group_id, kv.kpi_id, kv.value
          FROM prm_benchmark_kpi_value kv
          JOIN prm_benchmark_entry e
            ON e.id = kv.entry_id AND e.state IN %(states)s
          JOIN prm_benchmark_group_member gm
            ON gm.partner_id = kv.partner_id
          JOIN prm_benchmark_group g ON g.id = gm.group_id AND g.active
         WHERE kv.period_id IN %(periods)s AND kv.value IS NOT NULL
    ), s AS (
        SELECT period_id, group_id, kpi_id, COUNT(*) AS n,
               AVG(value) AS mean,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median,
               percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS q1,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS q3,
               MIN(value) AS vmin, MAX(value) AS vmax, SUM(value) AS total,
               array_agg(value ORDER BY value) AS sorted_values
          FROM v GROUP BY period_id, group_id, kpi_id
    ), top AS (
        SELECT s.period_id, s.group_id, s.kpi_id,
               CASE WHEN k.higher_is_better
                    THEN AVG(v.value) FILTER (WHERE v.value >= s.q3)
                    ELSE AVG(v.value) FILTER (WHERE v.value <= s.q1) END AS mean,
               CASE WHEN k.higher_is_better
                    THEN COUNT(*) FILTER (WHERE v.value >= s.q3)
                    ELSE COUNT(*) FILTER (WHERE v.value <= s.q1) END AS size
          FROM s
          JOIN v USING (period_id, group_id, kpi_id)
          JOIN prm_benchmark_kpi k ON k.id = s.kpi_id
      GROUP BY s.period_id, s.group_id, s.kpi_id, s.q1, s.q3, k.higher_is_better
    )
    INSERT INTO prm_benchmark_stat
        (period_id, group_id, kpi_id, count, mean, median, q1, q3,
         top_quartile_mean, min_value, max_value, top_group_size,
         has_dominant, sorted_values)
    SELECT s.period_id, s.group_id, s.kpi_id, s.n, s.mean, s.median,
           s.q1, s.q3, top.mean, s.vmin, s.vmax, top.size,
           (s.vmin >= 0 AND s.total > 0 AND s.vmax > %(share)s * s.total),
           s.sorted_values
      FROM s JOIN top USING (period_id, group_id, kpi_id)
"""

# Per period and KPI: how many contributing dealers belong to exactly which
# combination of active groups (input of anonymity.contribution_differences).
CONTRIBUTION_MASKS = """
    WITH m AS (
        SELECT gm.partner_id, array_agg(gm.group_id ORDER BY gm.group_id) AS groups
          FROM prm_benchmark_group_member gm
          JOIN prm_benchmark_group g ON g.id = gm.group_id AND g.active
      GROUP BY gm.partner_id
    )
    SELECT kv.period_id, kv.kpi_id, m.groups, COUNT(*)
      FROM prm_benchmark_kpi_value kv
      JOIN prm_benchmark_entry e ON e.id = kv.entry_id AND e.state IN %(states)s
      JOIN m ON m.partner_id = kv.partner_id
     WHERE kv.period_id IN %(periods)s AND kv.value IS NOT NULL
  GROUP BY kv.period_id, kv.kpi_id, m.groups
"""
