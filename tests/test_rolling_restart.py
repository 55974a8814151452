"""Rolling restarts without a failed request (issue 23).

nginx counted a stopped node as failed for ``fail_timeout`` (10 s) after it
was started again: ``start-node 1`` then ``stop-node 2`` answered 502 ("no
live upstreams") until the window ended. Now ``stop-node`` drains a node
(marked ``down``, nginx reloaded, its requests answered) before stopping it,
and ``start-node`` takes it back with a reload once it answers (fresh nginx
workers keep no failure count); ``rolling-restart`` does both for every node
in turn. The cluster is the test cluster of ``tests/test_cluster.py``.
"""
import threading
import time
import uuid

import requests

from .test_cluster import (  # noqa: F401 (fixtures)
    cluster, cluster_logs_stay_clean, served_by)

USERS = ("director25", "director26", "director27")
# Between two requests of one user: steady, light traffic (2 shared cores).
THINK = 0.1


class Traffic:
    """Signed-in portal users clicking through nginx until ``stop()``.

    Each user's step: ``/my/home`` (GET) and ``get_session_info`` (a
    JSON-RPC POST, which nginx never resends to another node). A failure is
    any answer but 200 or a connection error; a lost session is a sign-in
    page or a session without the user. Every request opens a new
    connection: closing idle keep-alive connections on a reload is nginx's
    normal behaviour and browsers retry on a fresh connection.
    """

    def __init__(self, cluster, logins):  # noqa: F811
        self.url = cluster.url
        self.sessions = {login: cluster.balancer.web_login(login, "demo")
                         for login in logins}
        for session in self.sessions.values():
            session.headers["Connection"] = "close"
        self.failures, self.lost, self.requests = [], [], 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._user, args=item, daemon=True)
                         for item in self.sessions.items()]

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(120)

    def _user(self, login, session):
        while not self._stop.is_set():
            self._step(login, session)
            time.sleep(THINK)

    def _step(self, login, session):
        try:
            home = session.get(self.url + "/my/home", timeout=60,
                               allow_redirects=False)
            info = session.post(self.url + "/web/session/get_session_info",
                                json={"jsonrpc": "2.0", "method": "call",
                                      "params": {}}, timeout=60)
        except requests.RequestException as error:
            self.failures.append("%s: %r" % (login, error))
            return
        self.requests += 2
        for response in (home, info):
            if response.status_code != 200:
                self.failures.append("%s: %s %d" % (
                    login, response.request.path_url, response.status_code))
        if home.is_redirect or (info.status_code == 200 and (
                info.json().get("result") or {}).get("username") != login):
            self.lost.append("%s: %s" % (login, home.headers.get("Location")))

    def assert_clean(self, at_least):
        assert not self.failures, "failed requests:\n" + "\n".join(self.failures[:20])
        assert not self.lost, "lost sessions:\n" + "\n".join(self.lost[:20])
        assert self.requests >= at_least, self.requests


def run_ok(cluster, *args):  # noqa: F811
    result = cluster.run(*args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def balancer_answers(cluster, session, count=20):  # noqa: F811
    """``count`` pages through nginx right now: their status codes."""
    return [session.get(cluster.url + "/my/home", timeout=60).status_code
            for _request in range(count)]


def test_restarted_node_is_taken_back_at_once(cluster):  # noqa: F811
    """The issue's sequence: ``stop-node 1``, ``start-node 1`` (returns once
    the node answers and nginx sends it requests again: no 10-s wait), at
    once ``stop-node 2``: every page is served, none answers 502 "no live
    upstreams"."""
    session = cluster.balancer.web_login(USERS[0], "demo")
    run_ok(cluster, "stop-node", "1")
    assert set(balancer_answers(cluster, session, 6)) == {200}  # node 2
    run_ok(cluster, "start-node", "1")
    marker = "taken-back-%s" % uuid.uuid4().hex
    for _request in range(6):
        assert session.get(cluster.url + "/web/login?m=" + marker,
                           timeout=60).status_code == 200
    assert served_by(cluster, 1, marker) and served_by(cluster, 2, marker), \
        "round robin over both nodes right after start-node"
    run_ok(cluster, "stop-node", "2")
    try:
        assert set(balancer_answers(cluster, session)) == {200}
    finally:
        run_ok(cluster, "start-node", "2")
    assert cluster.run("status").returncode == 0


def test_rolling_restart_under_steady_traffic(cluster):  # noqa: F811
    """Every node drained, stopped, updated (-u) and started in turn while
    three signed-in users click: 0 failed requests, 0 lost sessions."""
    traffic = Traffic(cluster, USERS).start()
    try:
        time.sleep(2)
        result = run_ok(cluster, "rolling-restart", "-u", "prm_2fa_sms")
        assert "rolling restart done" in result.stderr
        time.sleep(2)
    finally:
        traffic.stop()
    traffic.assert_clean(at_least=50)
    assert cluster.run("status").returncode == 0
    # both nodes serve again
    session = traffic.sessions[USERS[0]]
    for node in cluster.nodes:
        assert session.get(node.url + "/my/home", timeout=60).status_code == 200
