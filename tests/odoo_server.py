"""Start and drive a real Odoo server for system tests (no mocks)."""
import os
import re
import socket
import subprocess
import sys
import time
import xmlrpc.client

import requests

ROOT = os.environ.get("PRM_ROOT") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """One Odoo process on free loopback ports against the test database."""

    def __init__(self, db, name="server", extra_args=(), env=None):
        self.db = db
        self.name = name
        self.port = free_port()
        self.longpolling_port = free_port()
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, **(env or {}))
        self.log_path = os.path.join(LOCAL, "log", "test-%s.log" % name)
        self.conf_path = os.path.join(LOCAL, "odoo-test-%s.conf" % name)
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=180):
        subprocess.check_call([
            sys.executable, os.path.join(ROOT, "scripts", "make_config.py"),
            "--db", self.db, "--http-port", str(self.port),
            "--longpolling-port", str(self.longpolling_port),
            "--max-cron-threads", "0",
            "--data-dir", os.path.join(LOCAL, "filestore-test"),
            "--out", self.conf_path], stdout=subprocess.DEVNULL)
        open(self.log_path, "w").close()
        env = dict(self.env)
        env["PATH"] = os.path.join(LOCAL, "node", "node_modules", ".bin") + \
            os.pathsep + env.get("PATH", "")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts", "odoo-bin"),
             "-c", self.conf_path, "-d", self.db, "--logfile", self.log_path]
            + self.extra_args, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited early, see %s" % self.log_path)
            try:
                response = requests.get(self.url + "/web/login", timeout=10)
                if response.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("Odoo did not answer in time, see %s" % self.log_path)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_problems(self):
        """ERROR/CRITICAL lines, and warnings raised by our addons."""
        pattern = re.compile(r" (ERROR|CRITICAL) | WARNING \S+ odoo\.addons\.prm_")
        with open(self.log_path, errors="replace") as handle:
            return [line.rstrip() for line in handle if pattern.search(line)]

    # --- clients -------------------------------------------------------------
    def xmlrpc(self, service):
        return xmlrpc.client.ServerProxy(
            "%s/xmlrpc/2/%s" % (self.url, service), allow_none=True)

    def rpc_login(self, login, password):
        return self.xmlrpc("common").authenticate(self.db, login, password, {})

    def execute(self, login, password, model, method, *args, **kwargs):
        uid = self.rpc_login(login, password)
        if not uid:
            raise PermissionError("login %s refused" % login)
        return self.xmlrpc("object").execute_kw(
            self.db, uid, password, model, method, list(args), kwargs)

    def session(self):
        return requests.Session()

    def web_login(self, login, password, session=None):
        """Log in through the /web/login form like a browser; returns the session.

        The response of the form post is kept in ``session.login_response``.
        """
        session = session or requests.Session()
        page = session.get(self.url + "/web/login", timeout=30)
        token = csrf_token(page.text)
        response = session.post(self.url + "/web/login", data={
            "login": login, "password": password, "csrf_token": token,
            "redirect": "",
        }, timeout=60)
        session.login_response = response
        return session


def csrf_token(html):
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html)
    assert match, "no csrf_token in page"
    return match.group(1)
