"""The statistics aggregate, shared by the engine and ``make bench``.

One statement computes count, mean, quartiles, top-quartile mean, extremes
and the dominance flag for every (period, group, KPI) of the given periods.
Parameters: ``states`` (counted entry states), ``periods`` (tuple of ids),
``share`` (dominance share).
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
               MIN(value) AS vmin, MAX(value) AS vmax, SUM(value) AS total
          FROM v GROUP BY period_id, group_id, kpi_id
    )
    INSERT INTO prm_benchmark_stat
        (period_id, group_id, kpi_id, count, mean, median, q1, q3,
         top_quartile_mean, min_value, max_value, top_group_size,
         has_dominant)
    SELECT s.period_id, s.group_id, s.kpi_id, s.n, s.mean, s.median,
           s.q1, s.q3,
           CASE WHEN k.higher_is_better
                THEN AVG(v.value) FILTER (WHERE v.value >= s.q3)
                ELSE AVG(v.value) FILTER (WHERE v.value <= s.q1) END,
           s.vmin, s.vmax,
           CASE WHEN k.higher_is_better
                THEN COUNT(*) FILTER (WHERE v.value >= s.q3)
                ELSE COUNT(*) FILTER (WHERE v.value <= s.q1) END,
           (s.vmin >= 0 AND s.total > 0 AND s.vmax > %(share)s * s.total)
      FROM s
      JOIN v USING (period_id, group_id, kpi_id)
      JOIN prm_benchmark_kpi k ON k.id = s.kpi_id
  GROUP BY s.period_id, s.group_id, s.kpi_id, s.n, s.mean, s.median,
           s.q1, s.q3, s.vmin, s.vmax, s.total, k.higher_is_better
"""
