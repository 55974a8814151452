"""Seeded scale generator for ``make bench``: a dealer network of N dealers.

Usage: python bench/generate.py --conf ODOO_CONF --db DB --dealers N

Starts from a database with the three addons and ``prm_demo`` (head office,
territories, comparison groups, the 40 demo dealers) and grows it to N
active dealers with portal users, 12 quarterly benchmark periods of figures,
KPI values and statistics, targets and forwarded leads. Dealers, figures and
users come from the same seeded generators as the demo (``prm_demo``'s
``lib/demo_network.py``, ``lib/demo_figures.py``), KPIs from the product's
formula engine. Rows are bulk inserted (COPY / multi-row INSERT cloned from a
demo row, so every NOT NULL column gets the demo's value); the ORM is used
only for the few configuration records and the statistics refresh. The
KPIs computed here consume the staleness marks that asked for them (the
install's "KPI definition changed"), and the periods are marked as an
import marks them: the refresh only aggregates the statistics of every
group and period (``bench/check_fresh.py`` checks the result).
Idempotent: a database already generated for N is left alone.
"""
import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time

from psycopg2.extras import execute_values

GENERATOR_VERSION = "1"
PERIOD_COUNT = 12
SEED = 2026
MISSING_EVERY = 6   # in the open period every 6th dealer has not entered yet
DRAFT_EVERY = 5     # ... and every 5th has only a draft
EXTRA_GROUPS = [    # region groups and the other tiers, as a head office would
    ("Region %s", "territory"),
    ("Tier %s", "tier"),
]


def log(message, *args):
    sys.stderr.write("[bench generate] %s\n" % (message % args))
    sys.stderr.flush()


def next_ids(cr, table, count):
    cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)",
               ["%s_id_seq" % table, count])
    return [row[0] for row in cr.fetchall()]


def clone_rows(cr, table, template_id, rows):
    """Insert ``rows`` (dicts incl. ``id``); other columns from the template."""
    cr.execute('SELECT * FROM "%s" WHERE id = %%s' % table, [template_id])
    columns = [column[0] for column in cr.description]
    template = dict(zip(columns, cr.fetchone()))
    now = datetime.datetime.utcnow()
    template.update(create_date=now, write_date=now)
    execute_values(
        cr, 'INSERT INTO "%s" (%s) VALUES %%s' % (
            table, ", ".join('"%s"' % column for column in columns)),
        [tuple(row.get(column, template[column]) for column in columns)
         for row in rows], page_size=2000)


def copy_rows(cr, table, columns, rows=None, csv_file=None):
    """COPY plain rows (tuples) into ``table``; the id comes from its default.

    ``csv_file``: instead of ``rows``, a file of CSV lines (rows written by
    ``csv_writer``), for loads too large for memory (N = 50,000).
    Foreign keys and secondary indexes are dropped for the load and built
    again afterwards: one validating pass instead of a trigger per row.
    """
    cr.execute("""
        SELECT 'ALTER TABLE "' || %(table)s || '" ADD CONSTRAINT "' || conname
               || '" ' || pg_get_constraintdef(oid), conname
          FROM pg_constraint WHERE conrelid = %(table)s::regclass AND contype = 'f'
    """, {"table": table})
    constraints = cr.fetchall()
    cr.execute("""
        SELECT indexdef, indexname FROM pg_indexes i
         WHERE tablename = %s AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
    """, [table])
    indexes = cr.fetchall()
    for _definition, name in constraints:
        cr.execute('ALTER TABLE "%s" DROP CONSTRAINT "%s"' % (table, name))
    for _definition, name in indexes:
        cr.execute('DROP INDEX "%s"' % name)
    if csv_file is None:
        csv_file = io.StringIO()
        write = csv_writer(csv_file)
        for row in rows:
            write(row)
    csv_file.seek(0)
    cr.copy_expert('COPY "%s" (%s) FROM STDIN WITH (FORMAT csv)' % (
        table, ", ".join(columns)), csv_file)
    for definition, _name in indexes + constraints:
        cr.execute(definition)


def csv_writer(handle):
    """A function writing one row (tuple, None as empty) as CSV to ``handle``."""
    writer = csv.writer(handle)

    def write(row):
        writer.writerow(["" if value is None else value for value in row])
    return write


class Generator:
    def __init__(self, env, dealer_count, seed=SEED):
        self.env = env
        self.cr = env.cr
        self.dealer_count = dealer_count
        self.seed = seed
        self.today = datetime.date.today()

    # --- structure -------------------------------------------------------------
    def quarter_ranges(self):
        """The 12 finished quarters (oldest first) as date ranges, created if new."""
        from odoo.addons.prm_demo.lib import demo_network

        quarter = self.env.ref("prm_partner_portal.date_range_type_quarter")
        DateRange = self.env["date.range"]
        result = []
        for spec in demo_network.quarters(self.today, PERIOD_COUNT):
            if not spec["finished"]:
                continue
            existing = DateRange.search([("type_id", "=", quarter.id),
                                         ("date_start", "=", spec["date_start"])])
            result.append(existing or DateRange.create({
                "name": spec["name"], "type_id": quarter.id,
                "date_start": spec["date_start"], "date_end": spec["date_end"],
                "company_id": False}))
        return result

    def periods(self):
        Period = self.env["prm.benchmark.period"]
        periods = Period
        ranges = self.quarter_ranges()
        for index, date_range in enumerate(ranges):
            latest = index == len(ranges) - 1
            period = Period.search([("date_range_id", "=", date_range.id)])
            if not period:
                period = Period.create({
                    "date_range_id": date_range.id, "kind": "quarter",
                    "state": "open" if latest else "published"})
            periods |= period
        # Older periods were added: every period's previous-year link again.
        all_periods = Period.search([])
        self.env.add_todo(Period._fields["previous_id"], all_periods)
        all_periods.recompute()
        return periods.sorted("date_start")

    def network(self):
        from odoo.addons.prm_demo.lib import demo_network
        # Some generated dealers are prospects or suspended: generate enough
        # to reach N active ones.
        return demo_network.generate(
            seed=self.seed, dealer_count=int(self.dealer_count * 1.2) + 50,
            today=self.today, quarter_count=PERIOD_COUNT)

    def add_dealers(self, network):
        """Dealers beyond the demo's, with a director and a bookkeeper each."""
        cr = self.cr
        Partner = self.env["res.partner"]
        demo = Partner.search([("prm_is_dealer", "=", True)])
        new_specs = [spec for spec in network["dealers"][len(demo):]
                     if spec["prm_state"] == "active"]
        active = Partner.search_count([("prm_is_dealer", "=", True),
                                       ("prm_state", "=", "active")])
        new_specs = new_specs[:max(0, self.dealer_count - active)]
        if not new_specs:
            return
        log("adding %d dealers with portal users", len(new_specs))
        template_dealer = self.env.ref("prm_demo.demo_dealer01")
        director = self.env["res.users"].search([("login", "=", "director01")])
        bookkeeper = self.env["res.users"].search([("login", "=", "bookkeeper01")])
        states = {s.code: s.id for s in self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.de").id)])}
        tiers = {t.code: t.id for t in self.env["prm.tier"].search([])}
        territories = {t.code: t.id for t in self.env["prm.territory"].search([])}
        dealer_ids = next_ids(cr, "res_partner", len(new_specs))
        clone_rows(cr, "res_partner", template_dealer.id, [{
            "id": dealer_id, "name": spec["name"], "display_name": spec["name"],
            "commercial_partner_id": dealer_id,
            "commercial_company_name": spec["name"], "ref": spec["ref"],
            "city": spec["city"], "state_id": states.get(spec["state_code"]),
            "email": spec["email"], "phone": spec["phone"],
            "prm_state": spec["prm_state"], "prm_tier_id": tiers[spec["tier"]],
            "prm_territory_id": territories[spec["territory"]],
            "prm_partner_since": spec["partner_since"],
            "prm_employee_count": spec["employees"],
            "prm_floor_space": spec["floor_space"],
        } for dealer_id, spec in zip(dealer_ids, new_specs)])
        log("%d dealers added; their contacts and users", len(dealer_ids))
        users = [(dealer_id, spec, user)
                 for dealer_id, spec in zip(dealer_ids, new_specs)
                 for user in spec["users"]]
        contact_ids = next_ids(cr, "res_partner", len(users))
        user_ids = next_ids(cr, "res_users", len(users))
        clone_rows(cr, "res_partner", director.partner_id.id, [{
            "id": contact_id, "name": user["name"], "parent_id": dealer_id,
            "commercial_partner_id": dealer_id,
            "commercial_company_name": spec["name"],
            "display_name": "%s, %s" % (spec["name"], user["name"]),
            "email": "%s@demo.example" % user["login"], "mobile": user["mobile"],
        } for contact_id, (dealer_id, spec, user) in zip(contact_ids, users)])
        templates = {"director": director, "bookkeeper": bookkeeper}
        for role, template in templates.items():
            rows = [{"id": user_id, "login": user["login"], "partner_id": contact_id}
                    for user_id, contact_id, (_d, _s, user)
                    in zip(user_ids, contact_ids, users) if user["role"] == role]
            clone_rows(cr, "res_users", template.id, rows)
            cr.execute("""
                INSERT INTO res_groups_users_rel (gid, uid)
                SELECT r.gid, u FROM res_groups_users_rel r, unnest(%s::int[]) u
                 WHERE r.uid = %s
            """, [[row["id"] for row in rows], template.id])
            cr.execute("""
                INSERT INTO res_company_users_rel (cid, user_id)
                SELECT r.cid, u FROM res_company_users_rel r, unnest(%s::int[]) u
                 WHERE r.user_id = %s
            """, [[row["id"] for row in rows], template.id])
        log("%d portal users added; size classes, targets, leads", len(users))
        # The ORM's rule, in chunks: one recompute of 50,000 dealers reads
        # all their fields at once (minutes, a GiB of memory).
        for start in range(0, len(dealer_ids), 2000):
            dealers = Partner.browse(dealer_ids[start:start + 2000])
            self.env.add_todo(Partner._fields["prm_size_class"], dealers)
            dealers.recompute()
            Partner.invalidate_cache()
        self.add_targets(network, dict(zip(dealer_ids, new_specs)))
        self.add_leads(dict(zip(dealer_ids, new_specs)))

    def add_targets(self, network, specs):
        from odoo.addons.prm_partner_portal.lib import targets as target_logic

        quarter = self.env.ref("prm_partner_portal.date_range_type_quarter")
        ranges = {r.name: r for r in self.env["date.range"].search(
            [("type_id", "=", quarter.id)])}
        for spec in network["periods"]:
            if spec["name"] not in ranges:
                ranges[spec["name"]] = self.env["date.range"].create({
                    "name": spec["name"], "type_id": quarter.id,
                    "date_start": spec["date_start"], "date_end": spec["date_end"],
                    "company_id": False})
        # Plain values, not records, in the loop (1.8 million targets at
        # N = 50,000).
        metrics = {m.code: (m.id, m.sequence)
                   for m in self.env["prm.target.metric"].search([])}
        ranges = {name: (r.id, r.date_start, r.date_end)
                  for name, r in ranges.items()}
        territory = self.territories(specs)
        rows = []
        for dealer_id, spec in specs.items():
            for target in spec["targets"]:
                range_id, start, end = ranges[target["period"]]
                metric_id, sequence = metrics[target["metric"]]
                rows.append((
                    dealer_id, territory[dealer_id], range_id, start, end,
                    metric_id, sequence, target["target"], target["actual"],
                    target_logic.attainment_percent(target["target"],
                                                    target["actual"])))
        copy_rows(self.cr, "prm_target", [
            "partner_id", "territory_id", "date_range_id", "date_start", "date_end",
            "metric_id", "metric_sequence", "target_value", "actual_value",
            "attainment"], rows)

    def add_leads(self, specs):
        Lead = self.env["crm.lead"]
        template = Lead.search([("partner_assigned_id", "!=", False)], limit=1)
        touchpoints = {t.code: t.id for t in self.env["prm.touchpoint"].search([])}
        territory = self.territories(specs)
        now = datetime.datetime.utcnow()
        rows = []
        for dealer_id, spec in specs.items():
            for lead in spec["leads"]:
                forwarded = now - datetime.timedelta(days=lead["days_ago"])
                answered = lead["response_hours"] is not None
                rows.append({
                    "name": lead["name"], "partner_assigned_id": dealer_id,
                    "prm_territory_id": territory[dealer_id],
                    "prm_touchpoint_id": touchpoints[lead["touchpoint"]],
                    "planned_revenue": lead["revenue"],
                    "prm_forwarded_date": forwarded,
                    "prm_dealer_state": "accepted" if answered else "pending",
                    "prm_first_reaction": "contacted" if answered else None,
                    "prm_first_response_date": forwarded + datetime.timedelta(
                        hours=lead["response_hours"]) if answered else None,
                    "prm_response_hours": lead["response_hours"],
                })
        for row, lead_id in zip(rows, next_ids(self.cr, "crm_lead", len(rows))):
            row["id"] = lead_id
        clone_rows(self.cr, "crm_lead", template.id, rows)

    def territories(self, dealer_ids):
        """``{dealer id: territory id or None}`` in one query."""
        self.cr.execute("SELECT id, prm_territory_id FROM res_partner "
                        "WHERE id IN %s", [tuple(dealer_ids) or (0,)])
        return dict(self.cr.fetchall())

    def add_groups(self):
        Group = self.env["prm.benchmark.group"]
        if Group.search_count([("name", "like", "Region %")]):
            return
        for region in self.env["prm.territory"].search([("parent_id", "=", False)]):
            Group.create({"name": "Region %s" % region.name, "kind": "rule",
                          "territory_ids": [(6, 0, [region.id])]})
        for tier in self.env["prm.tier"].search([]):
            if not Group.search_count([("tier_ids", "in", tier.ids)]):
                Group.create({"name": "Tier %s" % tier.name, "kind": "rule",
                              "tier_ids": [(6, 0, [tier.id])]})

    # --- figures ---------------------------------------------------------------
    def figures(self, periods):
        """Entries, values and KPI values for every active dealer and period."""
        cr = self.cr
        log("replacing all benchmark figures")
        cr.execute("DELETE FROM mail_message WHERE model = 'prm.benchmark.entry'")
        cr.execute("DELETE FROM prm_benchmark_stat")
        cr.execute("DELETE FROM prm_benchmark_kpi_value")
        cr.execute("DELETE FROM prm_benchmark_value")
        cr.execute("DELETE FROM prm_benchmark_entry")
        dealers = self.env["res.partner"].search(
            [("prm_is_dealer", "=", True), ("prm_state", "=", "active")], order="id")
        cr.execute("""
            SELECT u.partner_id, p.parent_id FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE p.parent_id IN %s AND u.login LIKE 'director%%'
        """, [tuple(dealers.ids)])
        director_of = {parent: partner for partner, parent in cr.fetchall()}
        cr.execute("SELECT partner_id, id FROM res_users WHERE partner_id IN %s",
                   [tuple(director_of.values()) or (0,)])
        user_of_partner = dict(cr.fetchall())
        inputs = {i.code: (i.id, i.sequence)
                  for i in self.env["prm.benchmark.input"].search([])}
        kpis = {k.code: (k.id, k.sequence)
                for k in self.env["prm.benchmark.kpi"].search([])}
        formulas = self.env["prm.benchmark.kpi"]._parsed_formulas()
        # one query, not a read of every field of N dealers
        cr.execute("""
            SELECT id, prm_employee_count, prm_floor_space, prm_territory_id
              FROM res_partner WHERE id IN %s
        """, [tuple(dealers.ids) or (0,)])
        facts = {row[0]: row[1:] for row in cr.fetchall()}
        specs = [{"key": dealer_id, "employees": facts[dealer_id][0] or 5,
                  "floor_space": facts[dealer_id][1] or 500.0}
                 for dealer_id in dealers.ids]
        territory_of = {dealer_id: facts[dealer_id][2] for dealer_id in dealers.ids}
        now = datetime.datetime.utcnow()
        template = self.template_entry()
        # Entries period by period (one clone per period keeps memory flat
        # at N = 50,000); figures and KPIs dealer by dealer below.
        entries = {}   # (dealer_id, period_id) -> (entry_id, state)
        by_start = {p.date_start: p for p in periods}
        previous = {}
        for period in periods:
            latest = period == periods[-1]
            rows = []
            for position, dealer_id in enumerate(dealers.ids):
                if latest and position % MISSING_EVERY == 0:
                    continue
                state = "draft" if latest and position % DRAFT_EVERY == 1 \
                    else "submitted"
                user_id = user_of_partner.get(director_of.get(dealer_id), 1)
                rows.append({
                    "partner_id": dealer_id, "period_id": period.id,
                    "period_start": period.date_start,
                    "territory_id": territory_of[dealer_id],
                    "state": state, "version": 1,
                    "submitted_by_id": user_id if state == "submitted" else None,
                    "submitted_on": now if state == "submitted" else None,
                    "last_saved_by_id": user_id, "last_saved_on": now,
                    "review_comment": None, "message_last_post": None})
            for row, entry_id in zip(rows, next_ids(
                    cr, "prm_benchmark_entry", len(rows))):
                row["id"] = entry_id
                entries[(row["partner_id"], period.id)] = (entry_id, row["state"])
            clone_rows(cr, "prm_benchmark_entry", template, rows)
            previous[period.id] = by_start.get(
                period.previous_id.date_start) if period.previous_id else None
        cr.execute("DELETE FROM prm_benchmark_entry WHERE id = %s", [template])
        log("%d entries; computing KPIs", len(entries))
        counts = self.write_figures(
            specs, periods, previous, entries, territory_of, inputs, kpis,
            formulas, now)
        log("%d values, %d KPI values", *counts)
        self.consume_kpi_marks(periods)

    def consume_kpi_marks(self, periods):
        """The KPI values of every entry of ``periods`` were just computed
        with the product's formula engine: the marks asking the refresh to
        recompute them (``recompute_kpis``: the addons' install or update
        marks every period "KPI definition changed") are done, and would
        make it recompute every entry again through the ORM (hours and GBs
        at N = 50,000). What they also said, that the statistics of every
        group are stale, is what an import of the periods' figures says:
        those marks take their place (``lib.staleness`` edge "import": every
        group, every KPI of the periods and of the periods after them).
        """
        cr = self.cr
        cr.execute("DELETE FROM prm_benchmark_stale "
                   "WHERE recompute_kpis AND period_id IN %s",
                   [tuple(periods.ids)])
        log("%d KPI recompute marks consumed", cr.rowcount)
        self.env["prm.benchmark.engine"]._mark_stale("import", periods=periods)

    def write_figures(self, specs, periods, previous, entries, territory_of,
                      inputs, kpis, formulas, now):
        """Values and KPI values of every entry, COPYed from temporary CSV
        files (memory flat in N); returns the two row counts."""
        from odoo.addons.prm_demo.lib import demo_figures
        from odoo.addons.prm_benchmark.lib import formula as formula_engine

        quarters = [{"name": p.name, "season": (fields_date(p.date_start).month - 1)
                     // 3 + 1} for p in periods]
        days = {p.id: p.days for p in periods}
        stamp = (1, now, 1, now)
        counts = [0, 0]
        # as prm.benchmark.engine._compute_kpis: the order once for all
        order = formula_engine.evaluation_order(formulas)
        with tempfile.TemporaryFile("w+", newline="") as value_file, \
                tempfile.TemporaryFile("w+", newline="") as kpi_file:
            write_value, write_kpi = csv_writer(value_file), csv_writer(kpi_file)
            started = time.time()
            for index, spec in enumerate(specs):
                if index and index % 5000 == 0:
                    log("figures of %d of %d dealers (%.0f dealers/s)", index,
                        len(specs), index / (time.time() - started))
                figures = dict(demo_figures.dealer_figures(
                    spec, quarters, seed=self.seed))
                known = {}
                for period in periods:   # oldest first: growth needs last year
                    entry = entries.get((spec["key"], period.id))
                    if entry is None:
                        continue
                    entry_id, state = entry
                    values = {code: value for code, value
                              in figures[period.name].items() if code in inputs}
                    current = dict(values, period_days=days[period.id])
                    prev_period = previous[period.id]
                    prev_values = known.get(prev_period.id) if prev_period else None
                    results = formula_engine.evaluate_all(
                        formulas, current, prev_values or {}, order=order)
                    known[period.id] = dict(current, **results)
                    for code, value in values.items():
                        input_id, sequence = inputs[code]
                        write_value((entry_id, input_id, sequence, spec["key"],
                                     period.id, value) + stamp)
                        counts[0] += 1
                    for code, value in results.items():
                        if value is None or code not in kpis:
                            continue
                        kpi_id, sequence = kpis[code]
                        write_kpi((entry_id, kpi_id, sequence, spec["key"],
                                   period.id, period.date_start,
                                   territory_of[spec["key"]], state, value)
                                  + stamp)
                        counts[1] += 1
            stamp_columns = ["create_uid", "create_date", "write_uid", "write_date"]
            copy_rows(self.cr, "prm_benchmark_value", [
                "entry_id", "input_id", "input_sequence", "partner_id",
                "period_id", "value"] + stamp_columns, csv_file=value_file)
            copy_rows(self.cr, "prm_benchmark_kpi_value", [
                "entry_id", "kpi_id", "kpi_sequence", "partner_id", "period_id",
                "period_start", "territory_id", "entry_state", "value"]
                + stamp_columns, csv_file=kpi_file)
        return counts

    def template_entry(self):
        """A throw-away entry row whose columns the generated entries copy."""
        self.cr.execute("""
            INSERT INTO prm_benchmark_entry (partner_id, period_id, state, version,
                                             create_uid, write_uid)
            SELECT (SELECT MIN(id) FROM res_partner), MIN(id), 'draft', 1, 1, 1
              FROM prm_benchmark_period RETURNING id
        """)
        return self.cr.fetchone()[0]

    def run(self):
        started = time.time()
        Param = self.env["ir.config_parameter"]
        stamp = "%s:%s:%s" % (GENERATOR_VERSION, self.dealer_count, self.seed)
        if Param.get_param("prm_bench.generated") == stamp:
            log("database already generated for %d dealers", self.dealer_count)
            return
        random.seed(self.seed)
        periods = self.periods()
        self.add_dealers(self.network())
        self.add_groups()
        self.figures(periods)
        log("comparison groups and statistics")
        self.env["prm.benchmark.group"]._refresh_members()
        self.env["prm.benchmark.engine"]._refresh_statistics(periods)
        Param.set_param("prm_bench.generated", stamp)
        # make bench reports it next to the database size
        Param.set_param("prm_bench.build_seconds", "%.0f" % (time.time() - started))
        log("done in %.0f s", time.time() - started)


def fields_date(value):
    return datetime.datetime.strptime(value, "%Y-%m-%d").date() \
        if isinstance(value, str) else value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--dealers", type=int, required=True)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {
            "tracking_disable": True, "mail_create_nosubscribe": True,
            "active_test": True})
        Generator(env, args.dealers).run()
        cr.execute("ANALYZE")


if __name__ == "__main__":
    main()
