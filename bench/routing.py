"""make bench (issue 20): route new leads at N dealers, time per lead.

``measure(bench)`` runs this file as a subprocess against the bench
database: Odoo in-process (no HTTP; a lead from the web form, the mail
gateway, an import or the API all reach the same ``crm.lead.create``),
creates ``--leads`` leads with a touchpoint, each routed by the routing
rules and forwarded with its deadlines in business hours, times every
create and rolls everything back, so the bench database stays as built.

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
LEADS = 10000


def percentile(ordered, share):
    if not ordered:
        return None
    index = min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))
    return ordered[index]


def route_leads(conf, db, leads, seed=20):
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
        timings, routed = [], 0
        started = time.perf_counter()
        for index in range(leads):
            values = {"name": "Bench inquiry %d" % index, "type": "lead",
                      "zip": rng.choice(zips), "prm_touchpoint_id": touchpoint.id}
            before = time.perf_counter()
            lead = Lead.create(values)
            timings.append(time.perf_counter() - before)
            routed += bool(lead.partner_assigned_id)
            if index % 500 == 499:
                Lead.invalidate_cache()   # keep the cache small, as across requests
        seconds = time.perf_counter() - started
        cr.rollback()
    timings.sort()
    return {"leads": leads, "dealers": dealers, "routed": routed,
            "seconds": seconds, "per_lead_ms": 1000.0 * seconds / leads,
            "median_ms": 1000.0 * percentile(timings, 0.5),
            "p95_ms": 1000.0 * percentile(timings, 0.95)}


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
        "--db", bench.db, "--leads", str(leads)])
    result = json.loads(output.decode().strip().splitlines()[-1])
    bench.results["routing"] = result
    return result


def report_rows():
    """Rows for bench/run.py's table (one cell per network size)."""
    return [
        ("(13) route a new lead (rules, dealer choice, deadlines), ms per lead "
         "over %d leads" % LEADS,
         lambda r: "%.1f" % r["routing"]["per_lead_ms"] if "routing" in r else "–"),
        ("(13) same, median / p95 ms",
         lambda r: "%.1f / %.1f" % (r["routing"]["median_ms"],
                                    r["routing"]["p95_ms"])
         if "routing" in r else "–"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--leads", type=int, default=LEADS)
    args = parser.parse_args()
    print(json.dumps(route_leads(args.conf, args.db, args.leads)))


if __name__ == "__main__":
    main()
