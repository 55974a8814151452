"""11.0.1.2.0: the overlapping top groups of the top-quartile means are
stored with the statistics (``prm_benchmark_conflict.kind = 'top'``, column
added by ``prm.benchmark.stat.init``); compute them for every period once,
since a refresh recomputes only the KPIs whose released statistics change."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT id FROM prm_benchmark_period")
    periods = tuple(row[0] for row in cr.fetchall())
    if periods:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["prm.benchmark.engine"]._refresh_conflicts({"periods": periods})
