"""Check that a generated bench database has fresh, complete statistics.

Usage: python bench/check_fresh.py --conf ODOO_CONF --db DB

Exits 1 and prints what is wrong when
- a staleness mark is left (``prm_benchmark_stale``): the numbers a
  measurement reads would be refreshed under it;
- a (period, group, KPI) that has counted values of the group's members
  (what the statistics aggregate, ``lib/statistics_sql.py``, counts: active
  groups, entries submitted or checked, non-null KPI values) has no
  statistics row, or one with another count, or a statistics row exists
  where nothing is counted;
- a statistics row has no released row (``prm_benchmark_stat_release``,
  what dealers' views read), or a period with entries has no "as of" stamp.
Exits 0 and prints a one-line summary otherwise. Reads only; plain SQL
(no Odoo registry), so it takes seconds even at N = 50,000.
"""
import argparse
import collections
import configparser
import sys

import psycopg2

# prm_benchmark.models.benchmark_engine.COUNTED_STATES
COUNTED_STATES = ("submitted", "checked")
SHOWN = 20   # lines printed per kind of problem


def connect(conf, db):
    parser = configparser.ConfigParser()
    parser.read(conf)
    options = parser["options"] if parser.has_section("options") else {}

    def option(name):
        value = options.get(name)
        return None if value in (None, "", "False") else value
    return psycopg2.connect(dbname=db, host=option("db_host"),
                            port=option("db_port"), user=option("db_user"),
                            password=option("db_password"))


def fetch(cr, query, params=None):
    cr.execute(query, params)
    return cr.fetchall()


def problems(cr):
    """``[(kind, [lines])]`` of what is stale or missing (empty: all fresh)."""
    periods = dict(fetch(cr, "SELECT id, name FROM prm_benchmark_period"))
    groups = dict(fetch(cr, "SELECT id, name FROM prm_benchmark_group"))
    kpis = dict(fetch(cr, "SELECT id, code FROM prm_benchmark_kpi"))
    result = []

    marks = fetch(cr, """
        SELECT period_id, group_id, kpi_id, reason, recompute_kpis, COUNT(*)
          FROM prm_benchmark_stale
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST, 4""")
    if marks:
        result.append(("staleness marks left", [
            "period %s, group %s, KPI %s: %s%s (%d)" % (
                periods.get(period, period),
                groups.get(group, group) if group else "(all)",
                kpis.get(kpi, kpi) if kpi else "(all)", reason,
                ", recompute KPI values" if recompute else "", count)
            for period, group, kpi, reason, recompute, count in marks]))

    expected = {row[:3]: row[3] for row in fetch(cr, """
        SELECT kv.period_id, gm.group_id, kv.kpi_id, COUNT(*)
          FROM prm_benchmark_kpi_value kv
          JOIN prm_benchmark_entry e
            ON e.id = kv.entry_id AND e.state IN %s
          JOIN prm_benchmark_group_member gm ON gm.partner_id = kv.partner_id
          JOIN prm_benchmark_group g ON g.id = gm.group_id AND g.active
         WHERE kv.value IS NOT NULL
      GROUP BY 1, 2, 3""", [COUNTED_STATES])}
    stored = {row[:3]: row[3] for row in fetch(cr, """
        SELECT period_id, group_id, kpi_id, count FROM prm_benchmark_stat""")}
    released = {row for row in fetch(cr, """
        SELECT period_id, group_id, kpi_id FROM prm_benchmark_stat_release""")}

    def by_group_period(keys, what):
        """One line per (period, group): how many of its KPIs are ``what``."""
        counted = collections.Counter((period, group) for period, group, _k in keys)
        return ["period %s, group %s (id %s): %d KPIs %s" % (
            periods.get(period, period), groups.get(group, group), group,
            count, what)
            for (period, group), count in sorted(counted.items())]

    missing = sorted(set(expected) - set(stored))
    if missing:
        result.append(("statistics missing (counted values, no statistics "
                       "row): %d" % len(missing),
                       by_group_period(missing, "without statistics")))
    miscounted = sorted(key for key in set(expected) & set(stored)
                        if expected[key] != stored[key])
    if miscounted:
        result.append(("statistics stale (count differs from the counted "
                       "values): %d" % len(miscounted), [
                           "period %s, group %s, KPI %s: %s counted, %s stored" % (
                               periods.get(p, p), groups.get(g, g), kpis.get(k, k),
                               expected[(p, g, k)], stored[(p, g, k)])
                           for p, g, k in miscounted]))
    extra = sorted(set(stored) - set(expected))
    if extra:
        result.append(("statistics without counted values: %d" % len(extra),
                       by_group_period(extra, "with statistics of nothing")))
    unreleased = sorted(set(stored) - released)
    if unreleased:
        result.append(("statistics never released: %d" % len(unreleased),
                       by_group_period(unreleased, "not released")))
    unstamped = fetch(cr, """
        SELECT p.name FROM prm_benchmark_period p
         WHERE EXISTS (SELECT 1 FROM prm_benchmark_entry e WHERE e.period_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM prm_benchmark_stat_as_of a
                            WHERE a.period_id = p.id)
      ORDER BY p.date_start""")
    if unstamped:
        result.append(("periods with entries but no statistics stamp", [
            name for name, in unstamped]))
    summary = "%d periods, %d groups with statistics, %d statistics rows" % (
        len({key[0] for key in stored}), len({key[1] for key in stored}),
        len(stored))
    return result, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    connection = connect(args.conf, args.db)
    try:
        with connection.cursor() as cr:
            found, summary = problems(cr)
    finally:
        connection.close()
    if not found:
        print("[bench check_fresh] %s: fresh (%s)" % (args.db, summary))
        return 0
    print("[bench check_fresh] %s: NOT FRESH" % args.db)
    for kind, lines in found:
        print("  %s:" % kind)
        for line in lines[:SHOWN]:
            print("    %s" % line)
        if len(lines) > SHOWN:
            print("    ... and %d more" % (len(lines) - SHOWN))
    return 1


if __name__ == "__main__":
    sys.exit(main())
