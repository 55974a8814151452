"""make bench: measure the portal on the generated networks (see scripts/bench.sh).

For each network size a multi-process Odoo (``--workers``) serves the bench
database; this process is the HTTP client. Prints a table, writes the raw
results as JSON into ``.local/bench/`` and checks the ratio targets of the
product (exit status 0 even when a target is missed: the table says so).
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time

import psycopg2
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")
PY = sys.executable
COUNTED_STATES = ("submitted", "checked")
MAX_SHARE = 0.25
LOAD_USERS = 20
LOAD_SECONDS = 60
THINK_SECONDS = (2.0, 6.0)   # a person reads a chart before the next click
NODES_SECONDS = 30
# (5): the export streams, so what it adds to its worker stays small at any N
EXPORT_GROWTH_MIB = 32.0
NODE_WORKERS = 2


def load_module(relative_path, name):
    """A pure module of the addons, without importing Odoo."""
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(ROOT, "addons", relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


statistics_sql = load_module("prm_benchmark/lib/statistics_sql.py", "stat_sql")
freshness = load_module("../bench/freshness.py", "bench_freshness")
exchange = load_module("../bench/exchange.py", "bench_exchange")
reports = load_module("../bench/reports.py", "bench_reports")
routing = load_module("../bench/routing.py", "bench_routing")
odoo_server = load_module("../tests/odoo_server.py", "odoo_server")
quantiles = load_module("prm_partner_portal/lib/quantiles.py", "quantiles")


def summary(samples):
    ordered = sorted(samples)
    return {"n": len(ordered),
            "median": quantiles.percentile_cont(ordered, 0.5),
            "p95": quantiles.percentile_cont(ordered, 0.95),
            "max": ordered[-1] if ordered else None}


def pg_connect(db):
    with open(os.path.join(LOCAL, "pg.port")) as handle:
        port = handle.read().strip()
    connection = psycopg2.connect(host=os.path.join(LOCAL, "pgsock"), port=port,
                                  user="postgres", dbname=db)
    connection.autocommit = True
    return connection


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    try:
        output = subprocess.check_output(["pgrep", "-P", str(pid)])
    except subprocess.CalledProcessError:
        return []
    return [int(line) for line in output.split()]


class Server(odoo_server.OdooServer):
    """Odoo in multi-process mode for the bench (the tests' launcher)."""

    def __init__(self, db, workers):
        super().__init__(
            db, name="bench", workers=workers,
            data_dir=os.path.join(LOCAL, "filestore-bench"),
            conf_path=os.path.join(LOCAL, "bench", "odoo-%s-run.conf" % db),
            log_path=os.path.join(LOCAL, "log", "bench-server-%s.log" % db),
            extra_args=["--log-level", "warn"])

    def worker_pids(self):
        return children(self.process.pid)


def free_port_pair():
    """A free port whose next port is free too (a node's longpolling port is
    its HTTP port + 1)."""
    import socket

    while True:
        port = odoo_server.free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


class Cluster:
    """1 or 2 nodes behind nginx via scripts/cluster.sh (issue: scale-out)."""

    def __init__(self, db, nodes):
        self.env = dict(
            os.environ, PRM_CLUSTER_DB=db, PRM_CLUSTER_NAME="bench",
            PRM_CLUSTER_NODES=str(nodes), PRM_CLUSTER_PORT=str(odoo_server.free_port()),
            PRM_CLUSTER_NODE_PORTS=",".join(
                str(free_port_pair()) for _node in range(nodes)),
            PRM_CLUSTER_WORKERS=str(NODE_WORKERS), PRM_CLUSTER_CRON_THREADS="0",
            PRM_CLUSTER_DATA_DIR=os.path.join(LOCAL, "filestore-bench"),
            PRM_CLUSTER_PREPARE_DB="0")
        self.script = os.path.join(ROOT, "scripts", "cluster.sh")

    def start(self):
        return subprocess.check_output([self.script, "start"], env=self.env,
                                       universal_newlines=True).strip()

    def stop(self):
        subprocess.call([self.script, "stop"], env=self.env,
                        stdout=subprocess.DEVNULL)


class Bench:
    def __init__(self, size, workers):
        self.size = size
        self.db = "prm_bench_%d" % size
        self.pg = pg_connect(self.db)
        self.server = Server(self.db, workers)
        self.results = {"dealers": size}

    def new_connection(self):
        """A connection of its own (autocommit), for another thread."""
        return pg_connect(self.db)

    def sql(self, query, params=None):
        with self.pg.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None

    def prepare(self):
        """No resend cooldown or hourly cap: the bench signs in very often."""
        for key, value in (("resend_cooldown_seconds", "0"),
                           ("max_sends_per_hour", "1000000"),
                           ("lockout_after_failures", "1000000")):
            self.sql("""
                INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """, ["prm_2fa_sms.%s" % key, value])
        self.sql("UPDATE res_users SET prm_2fa_failures = 0, "
                 "prm_2fa_locked_until = NULL")

    def login(self, login, url=None):
        url = url or self.server.url
        session = requests.Session()
        page = session.get(url + "/web/login", timeout=60)
        response = session.post(url + "/web/login", data={
            "login": login, "password": "demo", "redirect": "",
            "csrf_token": csrf(page.text)}, timeout=60)
        body = self.sql("""
            SELECT o.body FROM prm_sms_outbox o JOIN res_users u ON u.id = o.user_id
             WHERE u.login = %s ORDER BY o.id DESC LIMIT 1""", [login])[0][0]
        code = re.search(r"\b(\d{6})\b", body).group(1)
        response = session.post(url + "/web/login/2fa", data={
            "code": code, "csrf_token": csrf(response.text)}, timeout=60)
        assert "/web/login" not in response.url, "login of %s failed" % login
        return session

    def directors(self, count, state="submitted"):
        """Directors of dealers with an entry in ``state`` in the open period."""
        return [row[0] for row in self.sql("""
            SELECT u.login FROM res_users u
              JOIN res_partner c ON c.id = u.partner_id
              JOIN prm_benchmark_entry e ON e.partner_id = c.parent_id
              JOIN prm_benchmark_period p ON p.id = e.period_id AND p.state = 'open'
             WHERE u.login LIKE 'director%%' AND e.state = %s
          ORDER BY u.id LIMIT %s""", [state, count])]

    def timed(self, function, repetitions, warmup=3):
        for _index in range(warmup):
            function()
        samples = []
        for _index in range(repetitions):
            started = time.perf_counter()
            function()
            samples.append(time.perf_counter() - started)
        return samples

    # --- the measurements ------------------------------------------------------
    def measure_login(self):
        logins = self.directors(12)
        samples = []
        for login in logins:
            started = time.perf_counter()
            self.login(login)
            samples.append(time.perf_counter() - started)
        self.results["login"] = summary(samples[2:])

    def measure_pages(self, session):
        def analysis():
            response = session.get(self.server.url + "/my/benchmark", timeout=120)
            assert response.status_code == 200, response.status_code

        def home():
            assert session.get(self.server.url + "/my/home", timeout=120).ok

        # Each worker's first view reads and checks the group data of the
        # 8 trend periods (cached per worker): one request per worker at
        # the same time (a busy worker accepts no second one), timed apart
        # as (1c); the samples below are warm views.
        first = []

        def first_view():
            started = time.perf_counter()
            analysis()
            first.append(time.perf_counter() - started)

        threads = [threading.Thread(target=first_view)
                   for _worker in range(self.server.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.results["analysis_first_view"] = summary(first)
        analysis_samples, home_samples = [], []
        for _round in range(3):   # interleaved, so both see the same machine load
            analysis_samples += self.timed(analysis, 10)
            home_samples += self.timed(home, 10)
        self.results["analysis_page"] = summary(analysis_samples)
        self.results["my_home"] = summary(home_samples)
        size = len(session.get(self.server.url + "/my/benchmark").content)
        self.results["analysis_page"]["bytes"] = size

    def measure_save(self, session, key="save_entry"):
        """Saving figures; for a submitted entry including KPIs and statistics."""
        url = self.server.url + "/my/benchmark/entry"
        samples = []
        for repetition in range(15):
            form = session.get(url, timeout=120).text
            data = dict(re.findall(
                r'name="(value_[a-z_]+)"[^>]*?value="([^"]*)"', form))
            data.update({"csrf_token": csrf(form), "action": "save",
                         "version": re.search(
                             r'name="version" value="(\d+)"', form).group(1)})
            # One figure changes, as in a real correction.
            data["value_rev_other"] = str(1000 + repetition)
            started = time.perf_counter()
            response = session.post(url, data=data, allow_redirects=False,
                                    timeout=300)
            samples.append(time.perf_counter() - started)
            assert response.status_code in (302, 303), response.status_code
        self.results[key] = summary(samples[2:])

    def measure_bare_aggregate(self):
        period = self.sql("SELECT id FROM prm_benchmark_period "
                          "WHERE state = 'open'")[0][0]
        samples = []
        connection = pg_connect(self.db)
        connection.autocommit = False
        for _repetition in range(15):
            with connection.cursor() as cr:
                cr.execute("DELETE FROM prm_benchmark_stat WHERE period_id = %s",
                           [period])
                started = time.perf_counter()
                cr.execute(statistics_sql.REFRESH_STATISTICS, {
                    "states": COUNTED_STATES, "periods": (period,),
                    "share": MAX_SHARE})
                samples.append(time.perf_counter() - started)
            connection.rollback()
        connection.close()
        self.results["bare_aggregate"] = summary(samples[2:])

    def measure_export(self):
        session = self.login("prm.manager")
        period = self.sql("SELECT id FROM prm_benchmark_period "
                          "WHERE state = 'open'")[0][0]
        url = "%s/prm_benchmark/export/network/%d" % (self.server.url, period)
        times, peaks, growths = [], [], []
        for _repetition in range(3):
            before = {pid: rss_kib(pid) for pid in self.server.worker_pids()}
            peak = {}
            done = threading.Event()

            def sample():
                while not done.is_set():
                    for pid in self.server.worker_pids():
                        peak[pid] = max(peak.get(pid, 0), rss_kib(pid))
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            started = time.perf_counter()
            response = session.get(url, stream=True, timeout=600)
            size = sum(len(chunk) for chunk in response.iter_content(65536))
            times.append(time.perf_counter() - started)
            done.set()
            sampler.join()
            assert response.ok and size > 0
            worker = max(peak, key=lambda pid: peak[pid] - before.get(pid, 0))
            peaks.append(peak[worker] / 1024.0)
            growths.append((peak[worker] - before.get(worker, peak[worker])) / 1024.0)
        self.results["network_export"] = dict(
            summary(times), peak_rss_mib=max(peaks), rss_growth_mib=max(growths),
            bytes=size)

    def measure_load(self):
        """LOAD_USERS directors browse the analysis for LOAD_SECONDS."""
        self.results["load"] = self.browse(self.server.url, LOAD_SECONDS,
                                           THINK_SECONDS)

    def browse(self, url, seconds, think):
        """Directors signed in at ``url`` browse the analysis concurrently."""
        sessions = [self.login(login, url)
                    for login in self.directors(LOAD_USERS)]
        periods = [row[0] for row in self.sql(
            "SELECT id FROM prm_benchmark_period ORDER BY date_start DESC LIMIT 8")]
        latencies, errors = [], []
        lock = threading.Lock()
        deadline = time.time() + seconds

        def user(index, session):
            rng = random.Random(index)
            if think:
                # Users with think time arrive independently: each starts
                # somewhere in its first think interval, not all 20 in the
                # same millisecond (that burst queued 20 requests on 4
                # workers and was most of the p95).
                time.sleep(rng.uniform(0, think[1]))
            while time.time() < deadline:
                started = time.perf_counter()
                try:
                    if rng.random() < 0.5:
                        response = session.get(url + "/my/benchmark", timeout=120)
                        ok = response.status_code == 200
                    else:   # a view change: another period
                        response = session.post(
                            url + "/my/benchmark/data",
                            json={"jsonrpc": "2.0", "method": "call", "params": {
                                "period_id": rng.choice(periods)}}, timeout=120)
                        ok = response.ok and "error" not in response.json()
                except requests.RequestException as error:
                    ok, response = False, error
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(str(getattr(response, "status_code", response)))
                if think:
                    time.sleep(rng.uniform(*think))

        threads = [threading.Thread(target=user, args=(index, session))
                   for index, session in enumerate(sessions)]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.time() - started
        return dict(summary(latencies), users=len(sessions),
                    seconds=round(duration, 1),
                    requests_per_second=len(latencies) / duration,
                    errors=len(errors), error_samples=errors[:5])

    def measure_nodes(self):
        """Throughput through nginx with 1 and with 2 nodes (no think time)."""
        result = {}
        for nodes in (1, 2):
            cluster = Cluster(self.db, nodes)
            try:
                url = cluster.start()
                result["nodes_%d" % nodes] = self.browse(url, NODES_SECONDS, None)
                if nodes == 2:
                    # issue 23: the exchange over the bus, across the nodes
                    result["exchange"] = exchange.measure(
                        self, url, ["http://127.0.0.1:%s" % port for port in
                                    cluster.env["PRM_CLUSTER_NODE_PORTS"].split(",")],
                        summary)
            finally:
                cluster.stop()
        result["ratio"] = result["nodes_2"]["requests_per_second"] / max(
            result["nodes_1"]["requests_per_second"], 1e-9)
        self.results["cluster"] = result

    def measure_database(self):
        """Size of the network's database and the generator's build time."""
        size = self.sql("SELECT pg_database_size(current_database())")[0][0]
        seconds = self.sql("SELECT value FROM ir_config_parameter "
                           "WHERE key = 'prm_bench.build_seconds'")
        self.results["database"] = {
            "size_mib": size / 1024.0 / 1024.0,
            "build_seconds": float(seconds[0][0]) if seconds else None}

    def run(self, nodes=False, burst=False):
        self.measure_database()
        self.prepare()
        self.server.start()
        try:
            # The export first, on workers that hold no cached group data
            # yet: (5) compares the export's memory, not the caches that
            # the other measurements fill (they grow with N by design).
            self.measure_export()
            reports.measure(self, summary)   # (11), (12): the PDF reports
            session = self.login(self.directors(1)[0])
            self.measure_login()
            self.measure_pages(session)
            self.measure_save(session)
            # A draft is not counted: the same save without statistics.
            self.measure_save(self.login(self.directors(1, "draft")[0]),
                              key="save_draft")
            # issue 18: a counted save until other directors' statistics
            # contain it; the deadline burst at the largest size
            freshness.measure_save_to_statistics(self, summary)
            if burst:
                freshness.measure_burst(self, summary, (
                    statistics_sql.REFRESH_STATISTICS, COUNTED_STATES, MAX_SHARE))
            self.measure_bare_aggregate()
            self.measure_load()
        finally:
            self.server.stop()
        routing.measure(self)   # (13) issue 20: in-process, rolled back
        try:
            if nodes:
                self.measure_nodes()
        finally:
            self.pg.close()
        return self.results


def csrf(html):
    return re.search(r'name="csrf_token"\s+value="([^"]+)"', html).group(1)


def machine():
    with open("/proc/meminfo") as handle:
        memory = int(handle.readline().split()[1]) / 1024.0 / 1024.0
    return {"cores": os.cpu_count(), "memory_gib": round(memory, 1),
            "python": platform.python_version(), "kernel": platform.release(),
            "load_average_at_start": os.getloadavg()}


def ms(seconds):
    return "%.0f" % (seconds * 1000.0)


def report(results, workers):
    sizes = [r["dealers"] for r in results]
    rows = [
        ("(1) analysis page, median ms", lambda r: ms(r["analysis_page"]["median"])),
        ("(1) analysis page, p95 ms", lambda r: ms(r["analysis_page"]["p95"])),
        ("(1c) first view of each worker (all workers at once), median / "
         "max ms", lambda r: "%s / %s" % (
             ms(r["analysis_first_view"]["median"]),
             ms(r["analysis_first_view"]["max"]))
         if "analysis_first_view" in r else "–"),
        ("(2) /my/home, median ms", lambda r: ms(r["my_home"]["median"])),
        ("(3) save entry, median ms", lambda r: ms(r["save_entry"]["median"])),
        ("(3b) save draft (no statistics), median ms",
         lambda r: ms(r["save_draft"]["median"])),
        ("(4) bare aggregate, median ms", lambda r: ms(r["bare_aggregate"]["median"])),
        ("(8) counted save until the group statistics contain it, "
         "median ms", lambda r: ms(r["save_to_statistics"]["median"])),
        ("(8) same, p95 ms", lambda r: ms(r["save_to_statistics"]["p95"])),
        ("(8) until another director's page answers with them, median / p95 ms",
         lambda r: "%s / %s" % (ms(r["save_to_statistics"]["page"]["median"]),
                                ms(r["save_to_statistics"]["page"]["p95"]))),
        ("(5) network export, median s",
         lambda r: "%.1f" % r["network_export"]["median"]),
        ("(5) export peak RSS MiB (worker, warm caches included)",
         lambda r: "%.0f" % r["network_export"]["peak_rss_mib"]),
        ("(5) export's RSS growth MiB (peak - before)",
         lambda r: "%.1f" % r["network_export"]["rss_growth_mib"]),
        ("(6) %d users: requests/s" % LOAD_USERS,
         lambda r: "%.1f" % r["load"]["requests_per_second"]),
        ("(6) p95 ms", lambda r: ms(r["load"]["p95"])),
        ("(6) errors", lambda r: str(r["load"]["errors"])),
        ("(7) login with SMS code, median ms", lambda r: ms(r["login"]["median"])),
        ("database size MiB", lambda r: "%.0f" % r["database"]["size_mib"]),
        ("database build (generator) s", lambda r: "–" if r["database"][
            "build_seconds"] is None else "%.0f" % r["database"]["build_seconds"]),
    ] + reports.report_rows() + routing.report_rows()
    burst_rows = [
        ("(9) deadline burst: saves / seconds",
         lambda b: "%d / %.0f" % (b["saves"], b["seconds"])),
        ("(9) errors", lambda b: str(b["errors"])),
        ("(9) save, median / p95 ms",
         lambda b: "%s / %s" % (ms(b["save_median"]), ms(b["save_p95"]))),
        ("(9) save until the group statistics contain it, median / p95 ms",
         lambda b: "%s / %s" % (ms(b["median"]), ms(b["p95"]))),
        ("(9) until another director's page answers with them, median / p95 ms",
         lambda b: "%s / %s" % (ms(b["page"]["median"]), ms(b["page"]["p95"]))),
        ("(9) statistics equal a full recomputation at the end",
         lambda b: "yes" if b["equal_to_full_recomputation"] else "NO"),
    ]
    clustered = [r for r in results if "cluster" in r]
    lines = ["| measurement (workers=%d) | %s |" % (
        workers, " | ".join("N = %d" % n for n in sizes)),
        "|---|%s|" % "|".join("---:" for _n in sizes)]
    for label, cell in rows:
        lines.append("| %s | %s |" % (label, " | ".join(cell(r) for r in results)))
    for r in results:
        if "burst" in r:
            lines += ["", "Deadline burst at N = %d (issue 18):" % r["dealers"], "",
                      "| measurement | value |", "|---|---:|"]
            lines += ["| %s | %s |" % (label, cell(r["burst"]))
                      for label, cell in burst_rows]
    for r in clustered:
        cluster = r["cluster"]
        lines += ["", "Through nginx, N = %d, %d users without think time, %d s, "
                  "%d workers per node:" % (r["dealers"], LOAD_USERS, NODES_SECONDS,
                                            NODE_WORKERS),
                  "", "| nodes | requests/s | p95 ms | errors |",
                  "|---|---:|---:|---:|"]
        for nodes in (1, 2):
            load = cluster["nodes_%d" % nodes]
            lines.append("| %d | %.1f | %s | %d |" % (
                nodes, load["requests_per_second"], ms(load["p95"]), load["errors"]))
        lines.append("| 2 / 1 | %.2f | | |" % cluster["ratio"])
        if "exchange" in cluster:
            lines += ["", "Dealer exchange over the bus, 2 nodes through nginx "
                      "(issue 23):", "", "| measurement | value |", "|---|---:|"]
            lines += exchange.report_rows(cluster["exchange"])
    by_size = {r["dealers"]: r for r in results}
    lines += ["", "| target | ratio | limit | |", "|---|---:|---:|---|"]
    for label, ratio, limit in targets(by_size):
        lines.append("| %s | %.2f | %.1f | %s |" % (
            label, ratio, limit, "met" if ratio <= limit else "MISSED"))
    return "\n".join(lines)


def targets(by_size):
    small, large = by_size.get(min(by_size)), by_size.get(max(by_size))
    result = []
    if small is not large:
        result.append(("(1) N=%d / (1) N=%d" % (large["dealers"], small["dealers"]),
                       large["analysis_page"]["median"]
                       / small["analysis_page"]["median"], 1.5))
    # issue 23: the analysis at the cost of Odoo's own portal page, and a
    # short tail, at every size
    for size in sorted(by_size):
        measured = by_size[size]["analysis_page"]
        result.append(("(1) / (2) at N=%d" % size, measured["median"]
                       / by_size[size]["my_home"]["median"], 1.2))
        result.append(("(1) p95 / (1) median at N=%d" % size,
                       measured["p95"] / measured["median"], 2.0))
    # Issue 18's targets at its size, N = 5,000, when measured (else the
    # largest); larger sizes have their rows in the table.
    reference = by_size.get(5000, large)
    # (3) may cost at most the save itself (3b) plus three bare aggregates.
    result.append(("((3) - (3b)) / (4) at N=%d" % reference["dealers"],
                   (reference["save_entry"]["median"]
                    - reference["save_draft"]["median"])
                   / max(reference["bare_aggregate"]["median"], 1e-9), 3.0))
    # issue 18: a counted save no dearer than 1.3 draft saves; statistics
    # contain a save within 10 s (p95), also during the deadline burst.
    result.append(("(3) / (3b) at N=%d" % reference["dealers"],
                   reference["save_entry"]["median"]
                   / max(reference["save_draft"]["median"], 1e-9), 1.3))
    result.append(("(8) p95 s at N=%d" % reference["dealers"],
                   reference["save_to_statistics"]["p95"], 10.0))
    for r in by_size.values():
        if "burst" in r:
            result.append(("(9) p95 s at N=%d" % r["dealers"],
                           r["burst"]["p95"], 10.0))
            result.append(("(9) errors + unequal statistics at N=%d"
                           % r["dealers"], r["burst"]["errors"] + (
                               0 if r["burst"]["equal_to_full_recomputation"]
                               else 1), 0.0))
    # Export memory flat: what the export adds to its worker's RSS (the
    # workers start with the group caches the master warmed, which grow
    # with N by design, so the absolute peak is not the export's), at every
    # size at most EXPORT_GROWTH_MIB.
    for size in sorted(by_size):
        result.append(("(5) export's RSS growth MiB at N=%d" % size,
                       by_size[size]["network_export"]["rss_growth_mib"],
                       EXPORT_GROWTH_MIB))
    # issue 23: 20 users with think time, 0 errors and p95 at most twice
    # the single user's p95, at every size
    for size in sorted(by_size):
        measured = by_size[size]
        result.append(("(6) p95 / (1) p95 at N=%d" % size,
                       measured["load"]["p95"] / measured["analysis_page"]["p95"],
                       2.0))
        result.append(("(6) errors at N=%d" % size, measured["load"]["errors"], 0.0))
    for r in by_size.values():
        live = r.get("cluster", {}).get("exchange")
        if live:
            result.append(("(10) idle requests per open exchange page per minute "
                           "besides the long poll",
                           live["idle_other_requests_per_minute"], 1.0))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, required=True)
    parser.add_argument("--workers", type=int,
                        default=int(os.environ.get("PRM_BENCH_WORKERS", "4")))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = datetime.datetime.utcnow()
    results = []
    for size in args.sizes:
        sys.stderr.write("[bench] measuring N = %d\n" % size)
        # 1 vs 2 nodes once, on the middle size.
        nodes = size == args.sizes[len(args.sizes) // 2]
        # The deadline burst (issue 18) at N = 5,000, its size, when that
        # is measured, else at the largest size.
        burst_size = 5000 if 5000 in args.sizes else max(args.sizes)
        results.append(Bench(size, args.workers).run(
            nodes=nodes, burst=size == burst_size))
    document = {"started": started.isoformat() + "Z", "machine": machine(),
                "workers": args.workers, "results": results}
    path = os.path.join(args.out, "results-%s.json" % started.strftime(
        "%Y%m%d-%H%M%S"))
    with open(path, "w") as handle:
        json.dump(document, handle, indent=2)
    print(report(results, args.workers))
    print("\nraw results: %s" % os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
