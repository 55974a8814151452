"""make bench (issue 20): route new leads at N dealers, time per lead.

``measure(bench)`` runs this file as a subprocess against the bench
database: Odoo in-process (no HTTP), rolled back at the end so the bench
database stays as built. Two paths, each lead routed by the routing rules
and forwarded with its deadlines in business hours and the dealer's mail:

- an import of ``--leads`` leads through ``crm.lead.load`` in chunks of
  ``--chunk`` rows (what base_import does): the chunk's new leads are
  routed as one batch (one read of the dealers, one calendar plan);
- ``--single`` leads created one by one (web form, mail gateway, API all
  reach ``crm.lead.create``, which routes the lead at once).

Time per lead and SQL queries per lead (the cursor's query count) for each.

If the database has no active routing rule, the bench's own rules are
created inside the same (rolled back) transaction: the demo's shape, a
postcode-region rule (2 digits, weighted) and a network-wide round robin.

Run alone: ``.local/venv/bin/python bench/routing.py --conf C --db D``.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")
# imported (crm.lead.load, routed per chunk) and created one by one (web
# form, API; routed in create); PRM_BENCH_LEADS / PRM_BENCH_SINGLE_LEADS
# shorten a run (each size routes them: 10,000 leads are ~30 min on 2 cores)
LEADS = int(os.environ.get("PRM_BENCH_LEADS", "10000"))
SINGLE = int(os.environ.get("PRM_BENCH_SINGLE_LEADS", "200"))
CHUNK = 500       # import rows per load() call


def percentile(ordered, share):
    if not ordered:
        return None
    index = min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))
    return ordered[index]


def _summary(prefix, timings, leads, seconds, queries):
    timings = sorted(timings)
    return {prefix + "leads": leads, prefix + "seconds": seconds,
            prefix + "per_lead_ms": 1000.0 * seconds / max(leads, 1),
            prefix + "median_ms": 1000.0 * percentile(timings, 0.5),
            prefix + "p95_ms": 1000.0 * percentile(timings, 0.95),
            prefix + "queries_per_lead": queries / float(max(leads, 1))}


def route_leads(conf, db, leads, seed=20, single=SINGLE, chunk=CHUNK):
    """Route ``leads`` leads imported in chunks of ``chunk`` rows
    (``crm.lead.load``: each chunk routed as one batch) and ``single``
    leads created one by one (web form, mail gateway, API: each routed in
    its ``create``). Result: per-lead mean (whole run / leads), median and
    p95 (import: of the chunks' time per lead; single: of each create) and
    SQL queries per lead, for both paths; all rolled back."""
    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level", "warn"])
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {
            "tracking_disable": True, "mail_notrack": True,
            "mail_create_nolog": True})
        Rule = env["prm.routing.rule"]
        if not Rule.search_count([]):
            Rule.create({"name": "Bench: postcode region", "sequence": 1,
                         "zip_digits": 2, "method": "weighted"})
            Rule.create({"name": "Bench: network", "sequence": 2})
        touchpoint = env["prm.touchpoint"].search([], limit=1)
        cr.execute("SELECT zip FROM res_partner WHERE prm_is_dealer AND active "
                   "AND zip IS NOT NULL ORDER BY id")
        zips = [row[0] for row in cr.fetchall()] or ["80331"]
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE prm_is_dealer AND "
                   "active AND prm_state = 'active'")
        dealers = cr.fetchone()[0]
        rng = random.Random(seed)
        Lead = env["crm.lead"]
        result = {"leads": leads, "dealers": dealers}

        # import: rows as base_import passes them to load()
        timings, routed = [], 0
        queries = cr.sql_log_count
        started = time.perf_counter()
        for first in range(0, leads, chunk):
            rows = [["Bench inquiry %d" % index, "lead", rng.choice(zips),
                     str(touchpoint.id)]
                    for index in range(first, min(leads, first + chunk))]
            before = time.perf_counter()
            loaded = Lead.load(["name", "type", "zip", "prm_touchpoint_id/.id"],
                               rows)
            timings.append((time.perf_counter() - before) / len(rows))
            if not loaded["ids"]:
                raise RuntimeError("bench import failed: %s" % loaded["messages"])
            routed += len(Lead.browse(loaded["ids"]).filtered(
                "partner_assigned_id"))
            Lead.invalidate_cache()   # keep the cache small
        result.update(_summary("", timings, leads, time.perf_counter() - started,
                               cr.sql_log_count - queries))
        result["routed"] = routed

        # one by one: each lead routed in its create
        timings, routed = [], 0
        queries = cr.sql_log_count
        started = time.perf_counter()
        for index in range(single):
            values = {"name": "Bench web inquiry %d" % index, "type": "lead",
                      "zip": rng.choice(zips), "prm_touchpoint_id": touchpoint.id}
            before = time.perf_counter()
            lead = Lead.create(values)
            timings.append(time.perf_counter() - before)
            routed += bool(lead.partner_assigned_id)
            if index % 100 == 99:
                Lead.invalidate_cache()   # keep the cache small, as across requests
        result.update(_summary("single_", timings, single,
                               time.perf_counter() - started,
                               cr.sql_log_count - queries))
        result["single_routed"] = routed
        cr.rollback()
    return result


def measure(bench, leads=LEADS):
    """Route ``leads`` leads in ``bench.db`` (subprocess); result dict."""
    conf = os.path.join(LOCAL, "bench", "odoo-%s-routing.conf" % bench.db)
    subprocess.check_call([
        sys.executable, os.path.join(ROOT, "scripts", "make_config.py"),
        "--db", bench.db, "--out", conf, "--http-port", "0",
        "--max-cron-threads", "0",
        "--data-dir", os.path.join(LOCAL, "filestore-bench")],
        stdout=subprocess.DEVNULL)
    output = subprocess.check_output([
        sys.executable, os.path.abspath(__file__), "--conf", conf,
        "--db", bench.db, "--leads", str(leads), "--single", str(SINGLE)])
    result = json.loads(output.decode().strip().splitlines()[-1])
    bench.results["routing"] = result
    return result


def report_rows():
    """Rows for bench/run.py's table (one cell per network size)."""
    def cell(fmt, *keys):
        return lambda r: fmt % tuple(r["routing"][key] for key in keys) \
            if "routing" in r and keys[0] in r["routing"] else "–"
    return [
        ("(13) route a new lead (rules, dealer choice, deadlines), ms per lead "
         "over %d imported leads (chunks of %d)" % (LEADS, CHUNK),
         cell("%.1f", "per_lead_ms")),
        ("(13) same, median / p95 ms per lead of a chunk; SQL queries per lead",
         cell("%.1f / %.1f; %.0f", "median_ms", "p95_ms", "queries_per_lead")),
        ("(13) one lead created alone (web form, API): mean / median / p95 "
         "ms over %d; SQL queries per lead" % SINGLE,
         cell("%.1f / %.1f / %.1f; %.0f", "single_per_lead_ms",
              "single_median_ms", "single_p95_ms", "single_queries_per_lead")),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--leads", type=int, default=LEADS)
    parser.add_argument("--single", type=int, default=SINGLE)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    args = parser.parse_args()
    print(json.dumps(route_leads(args.conf, args.db, args.leads,
                                 single=args.single, chunk=args.chunk)))


if __name__ == "__main__":
    main()
