"""Refreshes in separate, committed transactions: two at once, and while saving.

Runs on the demo data of the test database with real commits (no server
runs in the pytest process, so no refresher thread interferes); every test
leaves the figures as it found them.
"""
import threading

from psycopg2.extensions import TransactionRollbackError

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TransactionCase

from ..models.benchmark_refresher import APPLICATION_NAME

STAT_COLUMNS = ("group_id, kpi_id, count, mean, median, q1, q3, top_quartile_mean,"
                " min_value, max_value, top_group_size, has_dominant, sorted_values")


class TestRefreshConcurrency(TransactionCase):

    def setUp(self):
        super().setUp()
        self.cursors = []
        self.env.cr.execute("""
            SELECT kv.period_id, kv.id FROM prm_benchmark_kpi_value kv
              JOIN prm_benchmark_entry e ON e.id = kv.entry_id
             WHERE e.state IN ('submitted', 'checked') ORDER BY kv.id LIMIT 1
        """)
        row = self.env.cr.fetchone()
        if not row:
            self.skipTest("the test database has no demo figures")
        self.period_id, self.kv_id = row
        self.env.cr.execute("""
            SELECT 1 FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = %s
        """, [APPLICATION_NAME])
        if self.env.cr.fetchone():
            # its worker would take our marks: these tests need to be the
            # only refreshers (run this file before starting a test server)
            self.skipTest("a server's statistics refresher runs on this database")

    def tearDown(self):
        for cr in self.cursors:
            cr.rollback()
            cr.close()
        self.cursors = []
        # also the next year's period the changes marked (growth KPIs)
        self.committed(lambda engine: engine._refresh_stale())
        super().tearDown()

    def own_cursor(self):
        cr = self.registry.cursor()
        self.cursors.append(cr)
        return cr, api.Environment(cr, SUPERUSER_ID, {})["prm.benchmark.engine"]

    def committed(self, function):
        """Run ``function(engine)`` in a transaction of its own and commit."""
        with api.Environment.manage():
            cr, engine = self.own_cursor()
            result = function(engine)
            cr.commit()
            return result

    def period(self, engine):
        return engine.env["prm.benchmark.period"].browse(self.period_id)

    def marks(self):
        return self.committed(lambda engine: engine.env.cr.execute(
            "SELECT id FROM prm_benchmark_stale WHERE period_id = %s",
            [self.period_id]) or [r[0] for r in engine.env.cr.fetchall()])

    def stats(self, engine):
        engine.env.cr.execute("SELECT %s FROM prm_benchmark_stat WHERE period_id = %%s"
                              " ORDER BY group_id, kpi_id" % STAT_COLUMNS,
                              [self.period_id])
        return engine.env.cr.fetchall()

    def full_recomputation(self):
        """The statistics a full refresh computes now (rolled back)."""
        with api.Environment.manage():
            cr, engine = self.own_cursor()
            engine._refresh_statistics(self.period(engine))
            result = self.stats(engine)
            cr.rollback()
            return result

    def change_figure(self, delta):
        """A counted KPI value changes and marks its period, as a save does."""
        def change(engine):
            engine.env.cr.execute("UPDATE prm_benchmark_kpi_value SET value = "
                                  "value + %s WHERE id = %s", [delta, self.kv_id])
            return engine._mark_stale("import", periods=self.period(engine))
        self.committed(change)

    def test_two_refreshers_at_once(self):
        self.change_figure(0.0)
        with api.Environment.manage():
            cr1, first = self.own_cursor()
            cr2, second = self.own_cursor()
            self.assertEqual(first._refresh_stale([self.period_id]), [self.period_id])
            # the second one does not wait and does not double-count: skipped
            self.assertEqual(second._refresh_stale([self.period_id]), [])
            cr2.commit()
            cr1.commit()
        self.assertEqual(self.marks(), [])
        self.assertEqual(self.committed(self.stats), self.full_recomputation())

    def test_two_refresher_threads_at_once(self):
        self.change_figure(0.0)
        done, barrier = [], threading.Barrier(2)

        def refresher():
            with api.Environment.manage(), self.registry.cursor() as cr:
                engine = api.Environment(cr, SUPERUSER_ID, {})["prm.benchmark.engine"]
                barrier.wait()
                try:
                    done.append(engine._refresh_stale([self.period_id]))
                except TransactionRollbackError:
                    # lost the race after the winner's commit: rolled back,
                    # nothing written (a worker retries such a period)
                    done.append("rolled back")

        threads = [threading.Thread(target=refresher) for _index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(done.count([self.period_id]), 1, done)
        self.assertEqual(len(done), 2)
        self.assertEqual(self.marks(), [])
        self.assertEqual(self.committed(self.stats), self.full_recomputation())

    def test_save_during_a_refresh_is_not_lost(self):
        self.change_figure(0.0)
        try:
            with api.Environment.manage():
                cr, engine = self.own_cursor()
                self.assertEqual(engine._refresh_stale([self.period_id]),
                                 [self.period_id])
                # a save commits while the refresh is still running
                self.change_figure(1.5)
                cr.commit()
            left = self.marks()
            self.assertEqual(len(left), 1, "the save's mark outlives the refresh")
            self.assertNotEqual(self.committed(self.stats), self.full_recomputation())
            self.assertIn(self.period_id, self.committed(
                lambda engine: engine._refresh_stale()))
            self.assertEqual(self.marks(), [])
            self.assertEqual(self.committed(self.stats), self.full_recomputation())
        finally:
            self.change_figure(-1.5)
            self.committed(lambda engine: engine._refresh_stale())

    def test_a_dead_worker_loses_nothing(self):
        self.change_figure(0.0)
        with api.Environment.manage():
            cr, engine = self.own_cursor()
            engine._refresh_stale([self.period_id])
            cr.rollback()   # the worker died before its commit
        self.assertTrue(self.marks(), "the marks stay for the next worker")
        self.assertEqual(self.committed(lambda engine: engine._refresh_stale(
            [self.period_id])), [self.period_id])
        self.assertEqual(self.marks(), [])

    def test_minute_cron_refreshes_what_no_worker_took(self):
        self.change_figure(0.0)
        self.assertTrue(self.marks())
        self.assertGreaterEqual(self.committed(
            lambda engine: engine._cron_refresh_stale()), 1)
        self.assertEqual(self.marks(), [])
        self.assertEqual(self.committed(self.stats), self.full_recomputation())
