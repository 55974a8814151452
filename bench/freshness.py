"""make bench: how fast a counted save reaches other directors' statistics.

Used by bench/run.py (``Bench``); the rows of issue 18:

- (8) time from a counted save (its response, i.e. after its commit) until
  the group statistics contain it: a refresh transaction that started at or
  after the save's commit (``prm_benchmark_stat_as_of``, head office's
  numbers) has committed, as seen by a poll of the database every
  DB_POLL_SECONDS. Beside it, for information, the time until another
  director's /my/benchmark/data request, sent after that, answered with
  statistics containing the save and no longer "being updated": it adds the
  page's own response time and the sampling of one director who reloads as
  soon as the last answer came (under a burst's queue, seconds). What that
  director is shown follows the release rule against time differencing
  (issue 16): one firm's save alone is held back until k firms changed, so
  "shown to the other director" cannot be the measure either;
- (9) a deadline burst at the largest N: BURST_SAVES directors each save
  once, spread over BURST_SECONDS; errors, the same latency per save, and
  at the end whether the stored statistics equal a full recomputation.

The counted vs draft save latency are rows (3) and (3b) of bench/run.py.
"""
import datetime
import math
import random
import re
import threading
import time

import requests

BURST_SAVES = 200
BURST_SECONDS = 60
POLL_SECONDS = 0.25
DB_POLL_SECONDS = 0.1
FRESH_TIMEOUT = 120
SINGLE_SAVES = 12
# A save that changes no KPI value changes no statistic and marks nothing
# (lib.staleness): every save of a run must change its figure, also when
# the bench runs again on the same database.
RUN_OFFSET = 1000 * (int(time.time()) % 100000)


def utc_now():
    return datetime.datetime.utcnow()


class Watcher(threading.Thread):
    """A director polling the analysis data while the database is asked how
    fresh the statistics are. Remembers per answer: the client's UTC time of
    the answer, the "as of" of the period's statistics read just before the
    request (head office's numbers), the "as of" of the statistics the
    answer shows (the director's, after the release rule) and whether it
    said "being updated"; and, from a thread of its own, the "as of" read
    every DB_POLL_SECONDS with the client's time."""

    def __init__(self, bench, session, period_id):
        super().__init__(daemon=True)
        self.bench, self.session, self.period_id = bench, session, period_id
        self.seen = []   # (answered, statistics as_of, shown as_of, stale), UTC
        self.db_seen = []   # (read, statistics as_of), UTC
        self.errors = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.db_thread = threading.Thread(target=self.poll_database, daemon=True)

    def start(self):
        super().start()
        self.db_thread.start()

    def join(self, timeout=None):
        super().join(timeout)
        self.db_thread.join(timeout)

    def poll_database(self):
        connection = self.bench.new_connection()   # not the bench's shared one
        try:
            while not self.stop.is_set():
                with connection.cursor() as cr:
                    cr.execute("SELECT as_of FROM prm_benchmark_stat_as_of "
                               "WHERE period_id = %s", [self.period_id])
                    rows = cr.fetchall()
                with self.lock:
                    self.db_seen.append((utc_now(), rows[0][0] if rows else None))
                self.stop.wait(DB_POLL_SECONDS)
        finally:
            connection.close()

    def contained_at(self, committed, timeout=FRESH_TIMEOUT):
        """Client time at which the database first showed statistics that
        contain ``committed`` (a refresh started after it has committed)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for read, as_of in self.db_seen:
                    if as_of is not None and as_of >= committed:
                        return read
            time.sleep(DB_POLL_SECONDS)
        return None

    def run(self):
        url = self.bench.server.url + "/my/benchmark/data"
        while not self.stop.is_set():
            try:
                rows = self.bench.sql(
                    "SELECT as_of FROM prm_benchmark_stat_as_of "
                    "WHERE period_id = %s", [self.period_id])
                response = self.session.post(url, json={
                    "jsonrpc": "2.0", "method": "call",
                    "params": {"period_id": self.period_id}}, timeout=120)
                result = response.json().get("result") or {}
                freshness = result.get("freshness") or {}
                shown = freshness.get("as_of_utc")
                with self.lock:
                    self.seen.append((utc_now(), rows[0][0] if rows else None,
                                      shown and parse_utc(shown),
                                      freshness.get("stale", True)))
            except (requests.RequestException, ValueError) as error:
                self.errors.append(str(error))
            self.stop.wait(POLL_SECONDS)

    def included_at(self, committed, timeout=FRESH_TIMEOUT, settled=True,
                    shown=False):
        """Client time of the first answer after the statistics contained
        ``committed`` (their "as of" is not earlier); with ``settled`` the
        answer must also no longer say "being updated"; with ``shown`` the
        statistics the answer shows must contain it (release rule)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for answered, as_of, shown_as_of, stale in self.seen:
                    as_of = shown_as_of if shown else as_of
                    if as_of is not None and as_of >= committed \
                            and not (settled and stale):
                        return answered
            time.sleep(POLL_SECONDS / 2)
        return None


def parse_utc(text):
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` (the view's ``as_of_utc``)."""
    return datetime.datetime.strptime(
        text if "." in text else text + ".0", "%Y-%m-%d %H:%M:%S.%f")


def counted_directors(bench, count):
    """Directors of dealers with a submitted entry in the open period."""
    return bench.directors(count, "submitted")


def save_once(bench, session, value):
    """One counted save through the portal form; (ok, answer time utc).
    ``value`` + RUN_OFFSET is written: a figure this run has not saved."""
    value += RUN_OFFSET
    url = bench.server.url + "/my/benchmark/entry"
    form = session.get(url, timeout=120).text
    data = dict(re.findall(r'name="(value_[a-z_]+)"[^>]*?value="([^"]*)"', form))
    data.update({"csrf_token": csrf(form), "action": "save",
                 "version": re.search(r'name="version" value="(\d+)"',
                                      form).group(1)})
    data["value_rev_other"] = str(value)
    response = session.post(url, data=data, allow_redirects=False, timeout=300)
    return response.status_code in (302, 303), utc_now()


def csrf(html):
    return re.search(r'name="csrf_token"\s+value="([^"]+)"', html).group(1)


def latencies(watcher, commits, settled=True, shown=False,
              timeout=FRESH_TIMEOUT, page=True):
    """Seconds per commit until the page showed it (``page``) or until the
    database's statistics contained it; inf when never within ``timeout``."""
    result = []
    for committed in commits:
        seen = watcher.included_at(committed, timeout, settled, shown) if page \
            else watcher.contained_at(committed, timeout)
        result.append((seen - committed).total_seconds() if seen else math.inf)
    return result


def open_period(bench):
    return bench.sql("SELECT id FROM prm_benchmark_period WHERE state = 'open' "
                     "ORDER BY date_start DESC LIMIT 1")[0][0]


def measure_save_to_statistics(bench, summary):
    """(8): SINGLE_SAVES saves, one at a time, each watched by another director."""
    saver, reader = counted_directors(bench, 2)
    period_id = open_period(bench)
    watcher = Watcher(bench, bench.login(reader), period_id)
    session = bench.login(saver)
    watcher.start()
    samples, page = [], []
    try:
        for repetition in range(SINGLE_SAVES):
            ok, committed = save_once(bench, session, 2000 + repetition)
            assert ok, "save refused"
            page += latencies(watcher, [committed])
            samples += latencies(watcher, [committed], page=False)
            time.sleep(1.0)
    finally:
        watcher.stop.set()
        watcher.join()
    bench.results["save_to_statistics"] = dict(
        summary(samples[2:]), timeouts=sum(1 for s in samples if s == math.inf),
        page=summary(page[2:]))


def measure_burst(bench, summary, aggregate, saves=BURST_SAVES,
                  seconds=BURST_SECONDS):
    """(9): ``saves`` directors save once each within ``seconds``.

    ``aggregate``: (statistics SQL, counted states, dominance share) for the
    full recomputation the end state is compared with.
    """
    logins = counted_directors(bench, saves + 1)
    reader, logins = logins[0], logins[1:]
    period_id = open_period(bench)
    sessions = [bench.login(login) for login in logins]
    watcher = Watcher(bench, bench.login(reader), period_id)
    watcher.start()
    rng = random.Random(18)
    offsets = sorted(rng.uniform(0, seconds) for _session in sessions)
    commits, errors, save_times = [], [], []
    lock = threading.Lock()
    started = time.time()

    def dealer(index, session, offset):
        time.sleep(max(0.0, started + offset - time.time()))
        begin = time.perf_counter()
        try:
            ok, committed = save_once(bench, session, 3000 + index)
        except (requests.RequestException, AttributeError) as error:
            ok, committed = False, str(error)
        with lock:
            save_times.append(time.perf_counter() - begin)
            if ok:
                commits.append(committed)
            else:
                errors.append(str(committed))

    threads = [threading.Thread(target=dealer, args=(index, session, offset))
               for index, (session, offset) in enumerate(zip(sessions, offsets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.time() - started
    # While saves keep coming, every answer honestly says "being updated"
    # (a later save is not in it yet): what counts is that the statistics
    # contain the save; and, for information, when the statistics the
    # director is shown do (the release rule holds the last < k changes of
    # a group back until more firms change: those never arrive here).
    samples = latencies(watcher, commits, page=False)
    page = latencies(watcher, commits, settled=False, timeout=1)
    shown = latencies(watcher, commits, settled=False, shown=True, timeout=1)
    watcher.stop.set()
    watcher.join()
    bench.results["burst"] = dict(
        summary(samples), saves=len(sessions), seconds=round(duration, 1),
        page=summary(page),
        shown=dict(summary(shown),
                   never=sum(1 for s in shown if s == math.inf)),
        watcher_errors=len(watcher.errors),
        errors=len(errors), error_samples=errors[:5],
        save_median=summary(save_times)["median"],
        save_p95=summary(save_times)["p95"],
        timeouts=sum(1 for s in samples if s == math.inf),
        equal_to_full_recomputation=wait_fresh_and_compare(
            bench, period_id, aggregate))


def wait_fresh_and_compare(bench, period_id, aggregate, timeout=FRESH_TIMEOUT):
    """Wait until no mark is left, then compare with a full recomputation."""
    query, states, share = aggregate
    deadline = time.time() + timeout
    while bench.sql("SELECT 1 FROM prm_benchmark_stale WHERE period_id = %s "
                    "LIMIT 1", [period_id]):
        if time.time() > deadline:
            return False
        time.sleep(0.5)
    stored = stat_rows(bench.pg, period_id)
    connection = bench.pg
    connection.autocommit = False
    try:
        with connection.cursor() as cr:
            cr.execute("DELETE FROM prm_benchmark_stat WHERE period_id = %s",
                       [period_id])
            cr.execute(query, {"states": states, "periods": (period_id,),
                               "share": share})
        recomputed = stat_rows(connection, period_id)
    finally:
        connection.rollback()
        connection.autocommit = True
    return same_rows(stored, recomputed)


def stat_rows(connection, period_id):
    with connection.cursor() as cr:
        cr.execute("""
            SELECT group_id, kpi_id, count, mean, median, q1, q3, top_quartile_mean,
                   min_value, max_value, top_group_size, has_dominant, sorted_values
              FROM prm_benchmark_stat WHERE period_id = %s
          ORDER BY group_id, kpi_id""", [period_id])
        return cr.fetchall()


def same_rows(first, second):
    """Equal up to float summation order (AVG over another scan order)."""
    if len(first) != len(second):
        return False
    for row_a, row_b in zip(first, second):
        for a, b in zip(row_a, row_b):
            if isinstance(a, float) and isinstance(b, float):
                if abs(a - b) > 1e-9 * max(1.0, abs(b)):
                    return False
            elif a != b:
                return False
    return True
