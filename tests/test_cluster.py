"""Scale-out: two Odoo nodes in workers mode behind nginx (scripts/cluster.sh).

The nodes share the test database and data_dir (sessions, filestore). The
tests run in file order on one cluster: the cron race first, while both cron
workers are idle, and the node failover last.
"""
import datetime
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
import requests
from requests.adapters import HTTPAdapter

from .odoo_server import LOCAL, ROOT, OdooServer, free_port
from .test_benchmark_analysis import rpc
from .test_benchmark_entry import form_fields, open_period, post_entry

CLUSTER_SH = os.path.join(ROOT, "scripts", "cluster.sh")
LOG_PROBLEM = re.compile(r" (ERROR|CRITICAL) | WARNING \S+ odoo\.addons\.prm_")
DIRECTOR = "director24"  # in comparison groups, used by no other test


class Endpoint(OdooServer):
    """The test database reached at another base URL (nginx or one node)."""

    def __init__(self, db, url):
        super().__init__(db, name="cluster")
        self._url = url

    @property
    def url(self):
        return self._url


class SourceAddressAdapter(HTTPAdapter):
    """Connect from another loopback address, so the client is not nginx."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def port_pair_free(port):
    for candidate in (port, port + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                return False
    return True


def free_port_pair():
    """A free HTTP port whose next port (longpolling) is free as well."""
    while True:
        port = free_port()
        if port < 65535 and port_pair_free(port):
            return port


class Cluster:
    def __init__(self, db):
        self.db = db
        self.name = "test-%s" % db
        # Every port distinct: a node's HTTP port and the next one, nginx's
        # (cluster.sh refuses overlapping ones).
        taken = set()
        self.http_ports = []
        while len(self.http_ports) < 2:
            port = free_port_pair()
            if not {port, port + 1} & taken:
                self.http_ports.append(port)
                taken |= {port, port + 1}
        self.port = free_port()
        while self.port in taken:
            self.port = free_port()
        self.env = dict(
            os.environ, PRM_CLUSTER_DB=db, PRM_CLUSTER_NAME=self.name,
            PRM_CLUSTER_NODES="2", PRM_CLUSTER_PORT=str(self.port),
            PRM_CLUSTER_NODE_PORTS=",".join(map(str, self.http_ports)),
            PRM_CLUSTER_WORKERS="2", PRM_CLUSTER_CRON_THREADS="1",
            PRM_CLUSTER_DATA_DIR=os.path.join(LOCAL, "filestore-test"),
            PRM_CLUSTER_PREPARE_DB="0",
            # The losing node's "already busy" line is a debug message.
            PRM_CLUSTER_LOG_HANDLER="odoo.addons.base.ir.ir_cron:DEBUG")
        self.url = "http://127.0.0.1:%d" % self.port
        self.balancer = Endpoint(db, self.url)
        self.nodes = [Endpoint(db, "http://127.0.0.1:%d" % port)
                      for port in self.http_ports]
        self.logs = [os.path.join(LOCAL, "log", "cluster-%s-node%d.log" % (
            self.name, node)) for node in (1, 2)]

    def run(self, *args):
        return subprocess.run([CLUSTER_SH] + list(args), env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)

    def start(self):
        result = self.run("start")
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.strip() == self.url

    def stop(self):
        self.run("stop")

    def log_lines(self, node):
        with open(self.logs[node - 1], errors="replace") as handle:
            return handle.read().splitlines()

    def log_problems(self):
        return [line for node in (1, 2) for line in self.log_lines(node)
                if LOG_PROBLEM.search(line)]


@pytest.fixture(scope="module")
def cluster(odoo_server, request):
    cluster = Cluster(odoo_server.db)
    # Registered before the start: a half-started cluster is stopped too.
    request.addfinalizer(cluster.stop)
    cluster.start()
    return cluster


@pytest.fixture(autouse=True)
def cluster_logs_stay_clean(request):
    if "cluster" not in request.fixturenames:
        yield
        return
    cluster = request.getfixturevalue("cluster")
    before = len(cluster.log_problems())
    yield
    problems = cluster.log_problems()[before:]
    assert not problems, "node logs have errors:\n" + "\n".join(problems[:20])


def served_by(cluster, node, marker):
    return sum(marker in line for line in cluster.log_lines(node))


# --- scheduled actions (first: before a cron worker polls on its own) ---------

def cron_worker_pid(cluster, node):
    """The node's current cron worker (the master respawns dead ones)."""
    deadline = time.time() + 30
    while True:
        pids = re.findall(r"Worker WorkerCron \((\d+)\) alive",
                          "\n".join(cluster.log_lines(node)))
        if pids or time.time() > deadline:
            break
        time.sleep(0.5)
    assert pids, "node %d has no cron worker" % node
    os.kill(int(pids[-1]), 0)
    return int(pids[-1])


@pytest.fixture
def counting_cron(cluster):
    """A due scheduled action that records each run as an ir.logging row.

    It holds its row lock for 5 s (pg_sleep), so the other node's cron
    worker, woken at the same moment, meets the lock.
    """
    admin = cluster.balancer
    name = "prm cluster test %s" % uuid.uuid4().hex
    model = admin.execute("admin", None, "ir.model", "search",
                          [("model", "=", "ir.logging")])[0]
    due = (datetime.datetime.utcnow() - datetime.timedelta(minutes=1)).strftime(
        "%Y-%m-%d %H:%M:%S")
    cron = admin.execute("admin", None, "ir.cron", "create", {
        "name": name, "model_id": model, "state": "code", "priority": 0,
        "interval_number": 1, "interval_type": "days", "numbercall": -1,
        "doall": False, "nextcall": due,
        "code": "env['ir.logging'].create({'name': %r, 'type': 'server', "
                "'dbname': env.cr.dbname, 'level': 'INFO', 'message': 'run', "
                "'path': 'test_cluster', 'func': 'cron', 'line': '1'})\n"
                "env.cr.execute('SELECT pg_sleep(5)')" % name})
    yield name
    admin.execute("admin", None, "ir.cron", "unlink", [cron])
    runs = admin.execute("admin", None, "ir.logging", "search",
                         [("name", "=", name)])
    admin.execute("admin", None, "ir.logging", "unlink", runs)


def test_scheduled_action_runs_exactly_once_across_nodes(cluster, counting_cron):
    name = counting_cron
    # Cron workers poll every 60-69 s. Any handled signal ends that sleep:
    # SIGQUIT only makes Odoo log the worker's stack (tools.misc.dumpstacks).
    # Both workers wake at the same moment and race for the job.
    for pid in [cron_worker_pid(cluster, node) for node in (1, 2)]:
        os.kill(pid, signal.SIGQUIT)
    started = "Starting job `%s`" % name
    skipped = re.compile(r"already busy executing job `%s`|Job `%s` already executed"
                         % (re.escape(name), re.escape(name)))
    deadline = time.time() + 90
    while time.time() < deadline:
        starts = [served_by(cluster, node, started) for node in (1, 2)]
        skips = [sum(bool(skipped.search(line)) for line in cluster.log_lines(node))
                 for node in (1, 2)]
        job = cluster.balancer.execute("admin", None, "ir.cron", "search_read",
                                       [("name", "=", name)], fields=["nextcall"])
        done = job[0]["nextcall"] > datetime.datetime.utcnow().strftime(
            "%Y-%m-%d %H:%M:%S")
        if done and sum(starts) + sum(skips) >= 2:
            break
        time.sleep(1)
    runs = cluster.balancer.execute("admin", None, "ir.logging", "search_count",
                                    [("name", "=", name)])
    assert runs == 1
    assert sorted(starts) == [0, 1], starts
    assert sum(starts) + sum(skips) == 2, "both nodes tried the job: %s %s" % (
        starts, skips)


def test_status_lists_two_nodes_and_nginx(cluster):
    status = cluster.run("status")
    assert status.returncode == 0, status.stdout + status.stderr
    lines = status.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["node1", "running"], ["node2", "running"], ["nginx", "running"]]


def test_nginx_listens_on_loopback_and_writes_below_local_only(cluster):
    with open(os.path.join(LOCAL, "cluster", cluster.name, "nginx.conf")) as handle:
        conf = handle.read()
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path)\s+(\S+?)"
                       r"(?:\s+\w+)?;", conf, re.M)
    assert len(paths) == 8, paths
    assert all(path.startswith(LOCAL + os.sep) for path in paths), paths
    assert re.findall(r"^\s*listen\s+(\S+);", conf, re.M) == [
        "127.0.0.1:%d" % cluster.port]
    assert sorted(re.findall(r"^\s*server\s+([\d.]+):\d+", conf, re.M)) == \
        ["127.0.0.1"] * 4


def test_requests_are_shared_round_robin_between_the_nodes(cluster):
    marker = "probe=%s" % uuid.uuid4().hex
    for _request in range(4):
        page = requests.get(cluster.url + "/web/login?" + marker, timeout=30)
        assert page.status_code == 200
    assert served_by(cluster, 1, marker) == 2
    assert served_by(cluster, 2, marker) == 2


def test_login_with_2fa_through_nginx_forwards_the_client_address(cluster):
    # The client connects from 127.0.0.2; Odoo's peer is nginx (127.0.0.1),
    # so 127.0.0.2 can only come from X-Forwarded-For with proxy_mode on.
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter("127.0.0.2"))
    cluster.balancer.web_login(DIRECTOR, "demo", session=session)
    landed = session.login_response.url
    assert landed.startswith(cluster.url + "/") and "/my" in landed, \
        "signed in, redirected on the balancer's host (X-Forwarded-Host): %s" % landed
    event = cluster.balancer.execute(
        "admin", None, "prm.2fa.event", "search_read",
        [("user_id.login", "=", DIRECTOR), ("event", "=", "success")],
        fields=["ip"], limit=1, order="id desc")[0]
    assert event["ip"] == "127.0.0.2"
    for node in cluster.nodes:
        home = session.get(node.url + "/my/home", timeout=30)
        assert home.status_code == 200 and "/web/login" not in home.url


def test_entry_saved_on_one_node_is_read_through_the_other(cluster):
    period = open_period(cluster.balancer)
    session = cluster.balancer.web_login(DIRECTOR, "demo")
    node1, node2 = cluster.nodes
    before = kpi_own(rpc(session, node2, "/my/benchmark/data",
                         period_id=period["id"]), "rev_total")
    page = session.get(node1.url + "/my/benchmark/entry/%d" % period["id"])
    fields, version = form_fields(page.text)
    rev_new = random.randint(300000, 900000)
    while before == rev_new + 350000:
        rev_new += 1
    fields.update(value_rev_new=str(rev_new), value_rev_used="200000",
                  value_rev_workshop="100000", value_rev_parts="50000",
                  value_rev_other="0")
    saved = post_entry(node1, session, period["id"], fields, version)
    assert saved.status_code == 200 and "o_prm_saved" in saved.text
    assert saved.url.startswith(node1.url)
    data = rpc(session, node2, "/my/benchmark/data", period_id=period["id"])
    assert kpi_own(data, "rev_total") == rev_new + 350000


def kpi_own(data, code):
    assert "error" not in data, data
    return [kpi["own"] for kpi in data["kpis"] if kpi["code"] == code][0]


def test_longpolling_goes_to_the_longpolling_processes(cluster):
    session = cluster.balancer.web_login(DIRECTOR, "demo")
    # HTTP workers answer /longpolling/poll with "bus.Bus unavailable"; only
    # the gevent process on a longpolling port serves it ("peek": no wait).
    for _request in range(2):
        result = rpc(session, cluster.balancer, "/longpolling/poll",
                     channels=[], last=0, options={"peek": True})
        partner = cluster.balancer.execute(
            "admin", None, "res.users", "search_read", [("login", "=", DIRECTOR)],
            fields=["partner_id"])[0]["partner_id"][0]
        assert [cluster.db, "res.partner", partner] in result["channels"]
        assert isinstance(result["notifications"], list)


# --- failover (last: it stops a node) ----------------------------------------

def test_session_survives_when_a_node_stops(cluster):
    session = cluster.balancer.web_login(DIRECTOR, "demo")
    cookie = session.cookies.get("session_id")
    assert cookie
    stopped = cluster.run("stop-node", "1")
    assert stopped.returncode == 0, stopped.stderr
    status = cluster.run("status")
    assert status.returncode == 3
    assert status.stdout.splitlines()[0].split()[:2] == ["node1", "stopped"]
    period = open_period(cluster.balancer)
    for _request in range(3):
        home = session.get(cluster.url + "/my/home", timeout=60)
        assert home.status_code == 200 and "/web/login" not in home.url
        data = rpc(session, cluster.balancer, "/my/benchmark/data",
                   period_id=period["id"])
        assert "error" not in data
    page = session.get(cluster.url + "/my/benchmark/entry/%d" % period["id"])
    fields, version = form_fields(page.text)
    saved = post_entry(cluster.balancer, session, period["id"], fields, version)
    assert saved.status_code == 200 and "o_prm_saved" in saved.text
    assert session.cookies.get("session_id") == cookie


def test_overlapping_ports_are_refused_before_anything_starts():
    """Outside review 14 (F3): node ports 8191,8192 gave node 1's
    longpolling port (HTTP + 1) to node 2's HTTP; the start reported
    success while node 1's long polls went to node 2's workers (404)."""
    port = free_port_pair()
    name = "test-portclash-%s" % uuid.uuid4().hex[:8]
    env = dict(os.environ, PRM_CLUSTER_NAME=name,
               PRM_CLUSTER_PORT=str(free_port()),
               PRM_CLUSTER_NODE_PORTS="%d,%d" % (port, port + 1),
               PRM_CLUSTER_PREPARE_DB="0")
    try:
        result = subprocess.run([CLUSTER_SH, "start"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True, timeout=300)
    finally:
        if os.path.exists(os.path.join(LOCAL, "cluster", name)):
            subprocess.run([CLUSTER_SH, "stop"], env=env, timeout=120)
            shutil.rmtree(os.path.join(LOCAL, "cluster", name))
    assert result.returncode != 0
    assert "port %d is used twice" % (port + 1) in result.stderr
    assert not os.path.exists(os.path.join(LOCAL, "cluster", name))
