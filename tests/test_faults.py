"""Faults and concurrency: simultaneous saves, closing races, PostgreSQL
restarts, a failing SMS provider and killed workers.

Races are made deterministic with row locks held from a separate psycopg2
connection: the requests queue behind the lock (seen in pg_stat_activity),
then the lock is released and PostgreSQL lets them through in arrival order.
"""
import concurrent.futures
import datetime
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import psutil
import psycopg2
import pytest
import pytz
import requests

from .odoo_server import LOCAL, OdooServer, csrf_token, free_port
from .test_2fa import (  # noqa: F401 (fixtures)
    USER, events, limits, provider, start_login, submit_code)
from .test_benchmark_entry import entry_values, form_fields, open_period

# Dealers no other test module uses, so their figures are ours to change.
RACE_DEALER = "30"
# No entry in the open period in the demo data: the test deletes only the
# one its previous run created.
FIRST_SAVE_DEALER = "29"
CLOSE_DEALER = "32"
RESTART_DEALER = "33"
KILL_DEALER = "34"
# Guards against a hanging test, never an expectation about speed.
PATIENCE = 120


# --- PostgreSQL helpers ---------------------------------------------------------
def pg_bindir():
    for version in sorted(os.listdir("/usr/lib/postgresql"), reverse=True):
        path = os.path.join("/usr/lib/postgresql", version, "bin")
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    raise RuntimeError("no PostgreSQL binaries")


def shared_cluster_port():
    with open(os.path.join(LOCAL, "pg.port")) as handle:
        return int(handle.read().strip())


def connect(db, port=None, host=None):
    """A superuser connection beside Odoo, to hold locks and look at data."""
    return psycopg2.connect(dbname=db, user="postgres",
                            host=host or os.path.join(LOCAL, "pgsock"),
                            port=port or shared_cluster_port())


def lock_waiters(conn, db):
    with conn.cursor() as cr:
        cr.execute("""SELECT count(*) FROM pg_stat_activity
                       WHERE datname = %s AND wait_event_type = 'Lock'""", [db])
        return cr.fetchone()[0]


def wait_until(condition, what):
    deadline = time.time() + PATIENCE
    while not condition():
        if time.time() > deadline:
            raise AssertionError("gave up waiting: %s" % what)
        time.sleep(0.2)


class RowLock:
    """``SELECT ... FOR UPDATE`` on one row, held until ``release()``."""

    def __init__(self, db, table, row_id, port=None, host=None):
        self.db = db
        self.conn = connect(db, port, host)
        self.watch = connect(db, port, host)
        self.watch.autocommit = True
        try:
            with self.conn.cursor() as cr:
                cr.execute("SELECT id FROM %s WHERE id = %%s FOR UPDATE" % table,
                           [row_id])
                assert cr.fetchone(), "no row %s in %s" % (row_id, table)
        except BaseException:
            self.close()
            raise

    def also_lock_table(self, table):
        """Make every request reading ``table`` wait as well."""
        with self.conn.cursor() as cr:
            cr.execute("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE" % table)

    def wait_for_waiters(self, count):
        wait_until(lambda: lock_waiters(self.watch, self.db) >= count,
                   "%d requests waiting for the lock" % count)

    def release(self):
        if not self.conn.closed:
            self.conn.rollback()

    def close(self):
        for conn in (self.conn, self.watch):
            if not conn.closed:
                conn.close()


# --- figures entry helpers ------------------------------------------------------
def entry_url(server, period_id):
    return server.url + "/my/benchmark/entry/%d" % period_id


def prepared_post(server, session, period_id, change):
    """The form as loaded now, with ``change`` typed in; post it later."""
    page = session.get(entry_url(server, period_id))
    assert page.status_code == 200
    fields, version = form_fields(page.text)
    fields.update(change)
    data = dict(fields, version=version, action="save",
                csrf_token=csrf_token(page.text))
    return version, data


def post(server, session, period_id, data):
    return session.post(entry_url(server, period_id), data=data, timeout=PATIENCE)


def entry_row(server, login, period_id):
    dealer = entry_values(server, login, period_id)[1]
    rows = server.execute("admin", None, "prm.benchmark.entry", "search_read",
                          [("partner_id", "=", dealer), ("period_id", "=", period_id)],
                          fields=["version"])
    return rows[0] if rows else None


def ensure_entry(server, login, period_id):
    """The dealer's entry in the period (saved once from the portal if none)."""
    if not entry_row(server, login, period_id):
        session = server.web_login(login, "demo")
        _version, data = prepared_post(server, session, period_id,
                                       {"value_rev_other": "1"})
        assert "o_prm_saved" in post(server, session, period_id, data).text
    return entry_row(server, login, period_id)


def user_name(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)], fields=["name"])[0]["name"]


def message(response):
    found = re.search(r'o_prm_message[^>]*>([^<]*)<', response.text)
    return found.group(1) if found else ""


def saved(response):
    return response.status_code == 200 and "o_prm_saved" in response.text


def refused(response, typed):
    return (response.status_code == 409 and "o_prm_message" in response.text
            and 'value="%s"' % typed in response.text)


@pytest.fixture
def pool():
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    yield executor
    executor.shutdown(wait=True)


def race(pool, lock, *calls):
    """Start ``calls`` one by one, each queued behind ``lock``; release it.

    Returns the results in call order. PostgreSQL grants the row to the
    waiters in the order they queued.
    """
    try:
        futures = []
        for number, (function, args) in enumerate(calls, 1):
            futures.append(pool.submit(function, *args))
            lock.wait_for_waiters(number)
        lock.release()
        return [future.result() for future in futures]
    finally:
        lock.close()


def winner_and_loser(first, second, typed_first, typed_second):
    """(typed value that won, typed value refused, refused response)."""
    assert [saved(first), saved(second)].count(True) == 1, (
        first.status_code, second.status_code)
    if saved(first):
        return typed_first, typed_second, second
    return typed_second, typed_first, first


# --- 1. two users of one dealer save at the same time ---------------------------
def both_users_type(server, dealer, period, typed):
    """Director and bookkeeper of ``dealer`` load the form, type ``typed``.

    Returns their logins, their posts (for ``race``) and the form versions.
    """
    logins, posts, versions = ("director" + dealer, "bookkeeper" + dealer), [], []
    for login, value in zip(logins, typed):
        session = server.web_login(login, "demo")
        version, data = prepared_post(server, session, period,
                                      {"value_rev_other": value})
        posts.append((post, (server, session, period, data)))
        versions.append(version)
    return logins, posts, versions


def saved_at_local_time(server, entry_id, logins):
    """Time of the last save as the dealer's users read it (their zone,
    without seconds)."""
    stored = server.execute("admin", None, "prm.benchmark.entry", "read", [entry_id],
                            ["last_saved_on"])[0]["last_saved_on"]
    zones = {user["tz"] for user in server.execute(
        "admin", None, "res.users", "search_read", [("login", "in", logins)],
        fields=["tz"])}
    assert len(zones) == 1 and zones != {False}, zones
    saved_on = pytz.utc.localize(
        datetime.datetime.strptime(stored, "%Y-%m-%d %H:%M:%S"))
    return saved_on.astimezone(pytz.timezone(zones.pop())).strftime("%H:%M")


def test_simultaneous_saves_one_wins_the_other_keeps_input(odoo_server, pool):
    period = open_period(odoo_server)["id"]
    before = ensure_entry(odoo_server, "director" + RACE_DEALER, period)
    logins, posts, versions = both_users_type(odoo_server, RACE_DEALER, period,
                                              ("3001", "3002"))
    assert versions == [str(before["version"])] * 2
    # Both saves pass the period check and queue on the entry row.
    lock = RowLock(odoo_server.db, "prm_benchmark_entry", before["id"])
    first, second = race(pool, lock, *posts)
    winner, loser_typed, loser = winner_and_loser(first, second, "3001", "3002")
    assert refused(loser, loser_typed), "the loser is told, input kept"
    winner_login = logins[0] if winner == "3001" else logins[1]
    assert user_name(odoo_server, winner_login) in message(loser), \
        "the message says who saved meanwhile"
    assert saved_at_local_time(odoo_server, before["id"], logins) in \
        message(loser), "and when, in the reader's time zone"
    stored, _dealer = entry_values(odoo_server, logins[0], period)
    assert stored["Other revenue"] == float(winner)
    assert entry_row(odoo_server, logins[0], period)["version"] == \
        before["version"] + 1


def test_simultaneous_first_saves_create_one_entry(odoo_server, pool):
    """Nobody saved yet: both create the entry at once, one is refused."""
    period = open_period(odoo_server)["id"]
    existing = entry_row(odoo_server, "director" + FIRST_SAVE_DEALER, period)
    if existing:
        odoo_server.execute("admin", None, "prm.benchmark.entry", "unlink",
                            [existing["id"]])
    logins, posts, _versions = both_users_type(
        odoo_server, FIRST_SAVE_DEALER, period, ("3101", "3102"))
    # Holding the period row makes both wait before looking for the entry.
    lock = RowLock(odoo_server.db, "prm_benchmark_period", period)
    first, second = race(pool, lock, *posts)
    winner, loser_typed, loser = winner_and_loser(first, second, "3101", "3102")
    assert refused(loser, loser_typed), "the loser is told, input kept"
    stored, _dealer = entry_values(odoo_server, logins[0], period)
    assert stored["Other revenue"] == float(winner)
    assert entry_row(odoo_server, logins[0], period)["version"] == 1


def directors_with_counted_entries(server, period_id, count=2):
    """``count`` director logins whose firm's entry in the period is counted
    (submitted or checked), none of the dealers other fault tests use."""
    dealers = [row["partner_id"][0] for row in server.execute(
        "admin", None, "prm.benchmark.entry", "search_read",
        [("period_id", "=", period_id), ("state", "in", ["submitted", "checked"])],
        fields=["partner_id"])]
    reserved = {"director" + dealer for dealer in (
        FIRST_SAVE_DEALER, CLOSE_DEALER, RESTART_DEALER, KILL_DEALER)}
    logins = sorted(row["login"] for row in server.execute(
        "admin", None, "res.users", "search_read",
        [("partner_id.commercial_partner_id", "in", dealers),
         ("login", "=like", "director%")], fields=["login"])
        if row["login"] not in reserved)
    assert len(logins) >= count, "demo data: counted entries in the open period"
    return logins[:count]


def test_two_dealers_save_submitted_figures_at_once(odoo_server, pool):
    """Both count in the statistics (marked stale by each save): both succeed."""
    period = open_period(odoo_server)["id"]
    posts = []
    for login in directors_with_counted_entries(odoo_server, period):
        dealer = login[len("director"):]
        entry = ensure_entry(odoo_server, login, period)
        assert odoo_server.execute("admin", None, "prm.benchmark.entry", "read",
                                   [entry["id"]], ["state"])[0]["state"] in (
            "submitted", "checked"), "demo data: counted in the statistics"
        session = odoo_server.web_login(login, "demo")
        typed = "%s%03d" % (dealer, entry["version"] % 1000)
        posts.append((post, (odoo_server, session, period, prepared_post(
            odoo_server, session, period, {"value_rev_other": typed})[1])))
    lock = RowLock(odoo_server.db, "prm_benchmark_period", period)
    responses = race(pool, lock, *posts)
    assert [saved(response) for response in responses] == [True, True], \
        [response.status_code for response in responses]


# --- 2. head office closes the period while a dealer saves ----------------------
def period_name(server, period_id):
    return server.execute("admin", None, "prm.benchmark.period", "read",
                          [period_id], ["name"])[0]["name"]


def close_period(server, period_id):
    return server.execute("prm.manager", None, "prm.benchmark.period",
                          "action_close", [period_id])


@pytest.fixture
def period_reopened(odoo_server):
    period = open_period(odoo_server)["id"]
    yield period
    odoo_server.execute("admin", None, "prm.benchmark.period", "action_reopen",
                        [period])


@pytest.mark.parametrize("first", ["save", "close"])
def test_closing_while_a_dealer_saves(odoo_server, pool, period_reopened, first):
    """Whoever reaches the period first wins; the other waits or is refused."""
    period = period_reopened
    login = "director" + CLOSE_DEALER
    before_row = ensure_entry(odoo_server, login, period)
    before, _dealer = entry_values(odoo_server, login, period)
    session = odoo_server.web_login(login, "demo")
    typed = "32%03d" % (before_row["version"] % 1000)
    _v, data = prepared_post(odoo_server, session, period,
                             {"value_rev_other": typed})
    save, close = ((post, (odoo_server, session, period, data)),
                   (close_period, (odoo_server, period)))
    lock = RowLock(odoo_server.db, "prm_benchmark_period", period)
    if first == "save":
        response, closed = race(pool, lock, save, close)
    else:
        closed, response = race(pool, lock, close, save)
    assert closed is True
    state = odoo_server.execute("admin", None, "prm.benchmark.period", "read",
                                [period], ["state"])[0]["state"]
    assert state == "closed"
    after, _dealer = entry_values(odoo_server, login, period)
    version = entry_row(odoo_server, login, period)["version"]
    if first == "save":
        assert saved(response), response.status_code
        assert after["Other revenue"] == float(typed)
        assert version == before_row["version"] + 1
    else:
        assert refused(response, typed), response.status_code
        assert period_name(odoo_server, period) in message(response), \
            "told the period is closed"
        assert after == before and version == before_row["version"]


# --- a private PostgreSQL cluster and a prefork server on it --------------------
class PrivateCluster:
    """A throw-away cluster under .local/, holding a copy of the test database.

    Restarting it cannot disturb the shared cluster other engineers use.
    """

    def __init__(self, db):
        self.db = db
        self.bindir = pg_bindir()
        self.base = tempfile.mkdtemp(prefix="faults-pg-", dir=LOCAL)
        self.data = os.path.join(self.base, "data")
        self.sock = os.path.join(self.base, "sock")
        self.log = os.path.join(self.base, "postgresql.log")
        self.port = free_port()
        self.started = False

    def _as_postgres(self, *cmd):
        # initdb and postgres refuse to run as root
        prefix = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run(prefix + [os.path.join(self.bindir, cmd[0])] + list(cmd[1:]),
                       check=True, stdout=subprocess.DEVNULL)

    def _pg_ctl(self, action, *options):
        self._as_postgres("pg_ctl", "-D", self.data, "-l", self.log, "-w",
                          "-t", str(PATIENCE), *options, action)

    def create(self):
        os.mkdir(self.sock)
        if os.getuid() == 0:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.sock, "postgres")
        self._as_postgres("initdb", "-D", self.data, "-U", "postgres",
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.started = True  # stop it in remove() even if start fails half-way
        self.start()
        self.psql("postgres", "CREATE ROLE odoo LOGIN CREATEDB")
        self.psql("postgres", 'CREATE DATABASE "%s" OWNER odoo' % self.db)
        dump = subprocess.Popen(
            [os.path.join(self.bindir, "pg_dump"), "-Fc", "--no-owner",
             "-h", os.path.join(LOCAL, "pgsock"), "-p", str(shared_cluster_port()),
             "-U", "postgres", self.db], stdout=subprocess.PIPE)
        subprocess.run([os.path.join(self.bindir, "pg_restore"), "--no-owner",
                        "--role=odoo", "-h", self.sock, "-p", str(self.port),
                        "-U", "postgres", "-d", self.db],
                       stdin=dump.stdout, check=True)
        dump.stdout.close()
        assert dump.wait() == 0, "pg_dump of the test database failed"
        return self

    def psql(self, db, sql):
        subprocess.run([os.path.join(self.bindir, "psql"), "-qtA", "-h", self.sock,
                        "-p", str(self.port), "-U", "postgres", "-d", db, "-c", sql],
                       check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self._pg_ctl("start", "-o", "-p %d -k %s -c listen_addresses=127.0.0.1 "
                     "-c fsync=off" % (self.port, self.sock))

    def stop(self):
        """Stop it like a restart or failover does (clients disconnected)."""
        self._pg_ctl("stop", "-m", "fast")

    def restart(self):
        self._pg_ctl("restart", "-m", "fast")

    def remove(self):
        try:
            if self.started:
                self._pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass  # not running (any more)
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def private_cluster(odoo_server):
    """Depends on the main server: its start set the 2FA limits being copied."""
    cluster = PrivateCluster(odoo_server.db)
    try:
        yield cluster.create()
    finally:
        cluster.remove()


def workers(server):
    """Pids of the HTTP worker processes (they share the listening socket)."""
    result = []
    for child in psutil.Process(server.process.pid).children():
        try:
            if any(c.laddr.port == server.port
                   for c in child.connections(kind="tcp")):
                result.append(child.pid)
        except psutil.NoSuchProcess:
            pass
    return result


def busy_workers(server):
    """Workers holding an open HTTP connection, i.e. serving a request."""
    result = []
    for pid in workers(server):
        try:
            if any(c.laddr.port == server.port and c.status == "ESTABLISHED"
                   for c in psutil.Process(pid).connections(kind="tcp")):
                result.append(pid)
        except psutil.NoSuchProcess:
            pass
    return result


@pytest.fixture(scope="module")
def prefork_server(private_cluster):
    server = OdooServer(private_cluster.db, name="faults-prefork",
                        extra_args=["--workers=2"],
                        env={"PRM_PG_PORT_OVERRIDE": str(private_cluster.port)})
    server._api_keys = {}  # keys issued here exist only in the private copy
    children = []
    try:
        server.start()
        children = psutil.Process(server.process.pid).children(recursive=True)
        wait_until(lambda: len(workers(server)) == 2, "two HTTP workers")
        yield server
    finally:
        if server.process:
            children += psutil.Process(server.process.pid).children(recursive=True) \
                if server.process.poll() is None else []
        server.stop()
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass


@pytest.fixture
def prefork_log_clean(prefork_server, request):
    """The prefork server's log gains no problems but the expected ones."""
    expected = [mark.args[0] for mark in request.node.iter_markers("expected_log")]
    before = len(prefork_server.log_problems())
    yield
    problems = [line for line in prefork_server.log_problems()[before:]
                if not any(re.search(pattern, line) for pattern in expected)]
    assert not problems, "server log has errors:\n" + "\n".join(problems[:20])


class PendingSave:
    """A dealer's form, loaded and changed, whose save will be interrupted.

    The save is held at the first figure it writes (a row lock from
    outside), i.e. after it raised the entry version: the interruption
    hits a half-done transaction.
    """

    def __init__(self, server, cluster, dealer):
        self.server, self.cluster = server, cluster
        self.period = open_period(server)["id"]
        self.login = "director" + dealer
        self.entry = ensure_entry(server, self.login, self.period)
        self.before = entry_values(server, self.login, self.period)[0]
        self.session = server.web_login(self.login, "demo")
        # differs from the stored figure: that was typed at an older version
        self.typed = "%s%03d" % (dealer, self.entry["version"] % 1000)
        self.data = prepared_post(server, self.session, self.period, {
            "value_rev_other": self.typed, "value_rev_new": self.typed})[1]

    def url(self):
        return entry_url(self.server, self.period)

    def lock_figure(self):
        figure = self.server.execute(
            "admin", None, "prm.benchmark.value", "search",
            [("entry_id", "=", self.entry["id"]), ("input_id.code", "=", "rev_other")])
        return RowLock(self.cluster.db, "prm_benchmark_value", figure[0],
                       port=self.cluster.port, host=self.cluster.sock)

    def start(self, pool):
        return pool.submit(post, self.server, self.session, self.period, self.data)

    def assert_nothing_written(self):
        after = entry_values(self.server, self.login, self.period)[0]
        assert after == self.before, "all figures still the old ones"
        assert entry_row(self.server, self.login, self.period)["version"] == \
            self.entry["version"], "version not raised"

    def assert_saves_again(self):
        data = prepared_post(self.server, self.session, self.period,
                             {"value_rev_other": self.typed})[1]
        assert saved(post(self.server, self.session, self.period, data))


# --- 3. PostgreSQL restarts under a running server ------------------------------
@pytest.mark.faults
@pytest.mark.expected_log(r"ERROR \S+ (odoo\.sql_db: bad query|werkzeug: Error on "
                          r"request|odoo\.http: Exception during JSON request)")
def test_postgres_restart_fails_in_flight_request_cleanly_then_recovers(
        prefork_server, private_cluster, prefork_log_clean, pool):
    server = prefork_server
    pending = PendingSave(server, private_cluster, RESTART_DEALER)
    for _request in range(4):  # every worker has pooled connections now
        assert pending.session.get(pending.url()).status_code == 200
    lock = pending.lock_figure()
    try:
        in_flight = pending.start(pool)
        lock.wait_for_waiters(1)
        # and a JSON request of the analysis page, waiting for the statistics
        lock.also_lock_table("prm_benchmark_stat_release")
        json_in_flight = pool.submit(
            pending.session.post, server.url + "/my/benchmark/data",
            json={"jsonrpc": "2.0", "method": "call", "params": {}},
            timeout=PATIENCE)
        lock.wait_for_waiters(2)
        private_cluster.restart()
        response, json_response = in_flight.result(), json_in_flight.result()
    finally:
        lock.close()
    assert response.status_code == 500 and "Internal Server Error" in \
        response.text, "an error page, not a dropped connection"
    assert json_response.status_code == 200 and \
        json_response.json()["error"]["message"], "a JSON-RPC error"
    # The next requests, whichever worker and pooled connection they get.
    for _request in range(6):
        page = pending.session.get(pending.url())
        assert page.status_code == 200 and 'name="version"' in page.text
        assert server.execute("admin", None, "res.users", "search_count", []) > 0
    pending.assert_nothing_written()
    pending.assert_saves_again()


# --- 4b. the prefork master warms the benchmark caches (issue 23) ---------------
@pytest.mark.faults
def test_the_prefork_master_warms_the_benchmark_caches_before_forking(
        prefork_server):
    """The master fills the group caches of the default view once, before it
    forks: every worker starts with them instead of paying each group's
    first view (``make bench`` row 1c). Logged by the master's pid."""
    with open(prefork_server.log_path, errors="replace") as handle:
        found = re.findall(r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.prm_benchmark"
                           r"\.models\.benchmark_analysis: benchmark caches "
                           r"warmed for (\d+) groups", handle.read(), re.M)
    assert found, "no warm-up in the log"
    assert {int(pid) for pid, _groups in found} == {prefork_server.process.pid}
    assert all(int(groups) >= 1 for _pid, groups in found)


# --- 5. a worker is killed in the middle of a save ------------------------------
@pytest.mark.faults
def test_killed_worker_leaves_no_half_written_entry(
        prefork_server, private_cluster, prefork_log_clean, pool):
    server = prefork_server
    pending = PendingSave(server, private_cluster, KILL_DEALER)
    wait_until(lambda: not busy_workers(server), "idle workers")
    lock = pending.lock_figure()
    try:
        in_flight = pending.start(pool)
        lock.wait_for_waiters(1)
        busy = busy_workers(server)
        assert len(busy) == 1, busy
        os.kill(busy[0], signal.SIGKILL)
        with pytest.raises(requests.ConnectionError):
            in_flight.result()
        lock.release()
        # The killed worker's database session ends and rolls back.
        wait_until(lambda: lock_waiters(lock.watch, lock.db) == 0, "no waiter")
    finally:
        lock.close()
    pending.assert_nothing_written()
    wait_until(lambda: len(workers(server)) == 2 and busy[0] not in workers(server),
               "the master replaced the killed worker")
    assert pending.session.get(pending.url()).status_code == 200
    pending.assert_saves_again()


# --- 4. the SMS provider is slow or down ----------------------------------------
@pytest.mark.expected_log(r"WARNING .*prm_2fa_service: SMS code for user \d+ not sent")
def test_sms_provider_outage_never_locks_the_user_out(
        odoo_server, provider, limits):  # noqa: F811 (fixtures of test_2fa)
    """More failed sends than every limit allows; afterwards a plain login works."""
    limits(lockout_after_failures="2", max_sends_per_hour="2", max_attempts="2",
           resend_cooldown_seconds="0")
    failures, lockouts = (events(odoo_server, USER, "failure"),
                          events(odoo_server, USER, "lockout"))
    for mode in ("down", "slow", "error500", "down", "reject"):
        provider.mode = mode
        _session, page = start_login(odoo_server)
        assert ("Der Code konnte nicht gesendet werden. "
                "Bitte versuchen Sie es gleich noch einmal.") in page.text, mode
    # The slow answer arrives after the server gave up: let it land first, so
    # the next code read from the provider is the one the server sent.
    wait_until(lambda: any(m["mode"] == "slow" for m in provider.messages),
               "the late delivery of the slow provider")
    assert events(odoo_server, USER, "failure") == failures
    assert events(odoo_server, USER, "lockout") == lockouts
    provider.mode = "ok"
    session, page = start_login(odoo_server)
    done = submit_code(odoo_server, session, page, provider.last_code())
    assert done.url.endswith("/my"), "same user, no admin action"
