"""The statistics refresh worker: a LISTEN-woken thread per server process.

Why not only a cron: Odoo 11 runs crons at most once a minute and a cron
worker sleeps 60 s between polls, so "statistics include a save within
10 s" cannot come from ``ir.cron`` alone; Odoo 11 has neither a post-commit
hook nor a cron trigger. PostgreSQL's NOTIFY is transactional: a save's
``NOTIFY prm_benchmark_stale`` reaches the listeners only when the save
commits (never for a rolled-back save), which is exactly the "after commit"
moment. So every process that marks statistics stale or shows stale ones
(HTTP workers, the cron worker) runs one daemon thread that

1. LISTENs on the channel and scans the marks once (marks committed before
   it listened are not lost);
2. on a notification waits ``COALESCE_SECONDS`` so a burst of saves becomes
   one aggregate, then refreshes every stale period in its own transaction
   under ``pg_try_advisory_xact_lock`` (a period being refreshed by another
   process is skipped: that one clears only the marks it read and its
   listener is woken again for the rest);
3. rescans every ``POLL_SECONDS`` without a notification, for marks left by
   a worker that died mid-refresh (its transaction rolled back, the marks
   stayed).

The minute cron ``_cron_refresh_stale`` is the last safety net (after a
restart before any request). Not started in the gevent (longpolling)
process, during module installation, or in a process that runs no server
(scripts, unit tests in one rolled-back transaction).
"""
import logging
import os
import select
import threading
import time

import psycopg2

import odoo
import odoo.service.db
import odoo.service.server
from odoo import api, SUPERUSER_ID

_logger = logging.getLogger(__name__)

CHANNEL = "prm_benchmark_stale"
APPLICATION_NAME = "prm_benchmark_refresher"
COALESCE_SECONDS = 0.5
POLL_SECONDS = 15.0
MAX_ROUNDS = 50      # refresh rounds per wake-up before listening again

_threads = {}
_threads_lock = threading.Lock()


def ensure_running(env):
    """Start this process's worker for ``env``'s database if none runs.

    Cheap when it runs (a dict lookup); keyed by process id, so a forked
    worker starts its own thread instead of trusting its parent's.
    """
    if odoo.evented or not env.registry.ready:
        return
    if odoo.tools.config.get("prm_benchmark_refresher", "1") in ("0", "False"):
        return
    if not _serving():
        return   # no server runs in this process: a script or a unit test
    key = (os.getpid(), env.cr.dbname)
    with _threads_lock:
        thread = _threads.get(key)
        if thread is not None and thread.is_alive():
            return
        thread = _threads[key] = Refresher(env.cr.dbname)
        thread.start()


def _serving():
    """Whether this process serves HTTP (a prefork worker, or a threaded
    server whose HTTP thread runs; pytest-odoo "starts" a server with
    ``stop=True``, which never serves)."""
    server = odoo.service.server.server
    if isinstance(server, odoo.service.server.ThreadedServer):
        return server.httpd is not None
    return server is not None


class Refresher(threading.Thread):
    """Refreshes the stale statistics of one database (see module doc)."""

    def __init__(self, dbname):
        super().__init__(name="prm_benchmark.refresher.%s" % dbname, daemon=True)
        self.dbname = dbname

    def run(self):
        threading.current_thread().dbname = self.dbname   # for log lines
        while True:
            try:
                self.listen()
            except Exception:  # keep the worker alive whatever happens
                if not odoo.service.db.exp_db_exist(self.dbname):
                    return   # database dropped: nothing left to refresh
                _logger.warning("statistics refresher of %s restarts",
                                self.dbname, exc_info=True)
                time.sleep(5)

    def listen(self):
        with odoo.sql_db.db_connect(self.dbname).cursor() as cr:
            connection = cr._cnx
            # named, so tests and operators can see a refresher listens here
            cr.execute("SET application_name TO %s", [APPLICATION_NAME])
            cr.execute("LISTEN prm_benchmark_stale")   # CHANNEL
            cr.commit()
            try:
                wake = True   # first scan: marks committed before we listened
                while True:
                    if not wake:
                        # a timeout rescans too (marks of a worker that died)
                        select.select([connection], [], [], POLL_SECONDS)
                    time.sleep(COALESCE_SECONDS)
                    connection.poll()
                    del connection.notifies[:]
                    refresh_all(self.dbname)
                    wake = False
            finally:   # the connection goes back to Odoo's pool
                cr.rollback()
                cr.execute("UNLISTEN *; RESET application_name")


def refresh_all(dbname):
    """Refresh stale periods until none is left that this process may take.

    Each period in a transaction of its own (a fresh snapshot after the
    lock, so a refresh never reads data older than the one it replaces).
    Returns the number of periods refreshed.
    """
    registry = odoo.registry(dbname)
    refreshed = 0
    for _round in range(MAX_ROUNDS):
        started = time.monotonic()
        with api.Environment.manage(), registry.cursor() as cr:
            if "prm.benchmark.engine" not in registry:
                return refreshed
            # Newest periods first: they are the ones people look at; but
            # periods whose KPI values are recomputed (a formula changed)
            # oldest first, since next year's growth compares with them.
            cr.execute("""
                SELECT p.id FROM prm_benchmark_period p
                  JOIN (SELECT period_id, bool_or(recompute_kpis) AS kpis
                          FROM prm_benchmark_stale GROUP BY period_id) s
                    ON s.period_id = p.id
              ORDER BY s.kpis DESC, CASE WHEN s.kpis THEN p.date_start END,
                       p.date_start DESC, p.id
            """)
            period_ids = [row[0] for row in cr.fetchall()]
        if not period_ids:
            return refreshed
        progressed = False
        for period_id in period_ids:
            done = refresh_period(registry, period_id)
            refreshed += done
            progressed |= done is not False
        if not progressed:
            return refreshed   # all taken by other processes; they loop on
        # Gather the next burst: saves made during a long refresh have
        # waited long enough already.
        time.sleep(max(0.0, COALESCE_SECONDS - (time.monotonic() - started)))
    return refreshed


def refresh_period(registry, period_id):
    """One period in its own transaction: 1 refreshed, 0 lost a race and
    rolled back (the marks stay; retried), False taken by another process."""
    try:
        with api.Environment.manage(), registry.cursor() as cr:
            # Losing a race to another refresher (rows replaced after our
            # snapshot) is expected: no "bad query" log line.
            cr._default_log_exceptions = False
            env = api.Environment(cr, SUPERUSER_ID, {})
            return 1 if env["prm.benchmark.engine"]._refresh_stale(
                [period_id]) else False
    except psycopg2.extensions.TransactionRollbackError:
        return 0
