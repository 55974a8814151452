"""Start and drive a real Odoo server for system tests (no mocks)."""
import os
import re
import shutil
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
    """One Odoo process on free loopback ports (the one launcher of the
    system tests and of ``make bench``).

    ``workers``: prefork workers (None: threaded); ``data_dir``: the
    filestore folder (default the tests'); ``conf_path``/``log_path``:
    default under .local named by ``db`` and ``name``; ``extra_args``: more
    odoo-bin arguments.
    """

    def __init__(self, db, name="server", extra_args=(), env=None, workers=None,
                 data_dir=None, conf_path=None, log_path=None):
        self.db = db
        self.name = name
        self.port = free_port()
        self.longpolling_port = free_port()
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, **(env or {}))
        self.workers = workers
        self.data_dir = data_dir or os.path.join(LOCAL, "filestore-test")
        self.log_path = log_path or os.path.join(
            LOCAL, "log", "test-%s-%s.log" % (db, name))
        self.conf_path = conf_path or os.path.join(
            LOCAL, "odoo-test-%s-%s.conf" % (db, name))
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=180, first_poll_delay=0.0):
        subprocess.check_call([
            sys.executable, os.path.join(ROOT, "scripts", "make_config.py"),
            "--db", self.db, "--http-port", str(self.port),
            "--longpolling-port", str(self.longpolling_port),
            "--max-cron-threads", "0", "--data-dir", self.data_dir,
            "--out", self.conf_path]
            + (["--workers", str(self.workers)] if self.workers else []),
            stdout=subprocess.DEVNULL, env=self.env)
        open(self.log_path, "w").close()
        env = dict(self.env)
        env["PATH"] = os.path.join(LOCAL, "node", "node_modules", ".bin") + \
            os.pathsep + env.get("PATH", "")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts", "odoo-bin"),
             "-c", self.conf_path, "-d", self.db, "--logfile", self.log_path]
            + self.extra_args, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        time.sleep(first_poll_delay)
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
    # Every user must sign in with an SMS code, so XML-RPC uses API keys: the
    # administrator's is issued by scripts/test.sh, the others through it.
    def xmlrpc(self, service):
        return xmlrpc.client.ServerProxy(
            "%s/xmlrpc/2/%s" % (self.url, service), allow_none=True)

    _api_keys = {}

    def admin_key(self):
        with open(os.path.join(LOCAL, "test-apikey-%s" % self.db)) as handle:
            return handle.read().strip()

    def api_key(self, login):
        if login == "admin":
            return self.admin_key()
        if login not in self._api_keys:
            admin = self.admin_key()
            users = self.call("admin", admin, "res.users", "search",
                              [("login", "=", login)])
            assert users, "no user %s" % login
            wizard = self.call("admin", admin, "prm.2fa.api.key.wizard", "create",
                               {"user_id": users[0], "name": "tests"})
            action = self.call("admin", admin, "prm.2fa.api.key.wizard",
                               "action_issue", [wizard])
            # the key is shown once, in the context of the action (never stored)
            self._api_keys[login] = self.call(
                "admin", admin, "prm.2fa.api.key.wizard", "read", [wizard],
                ["key"], context=action["context"])[0]["key"]
        return self._api_keys[login]

    def rpc_login(self, login, password):
        return self.xmlrpc("common").authenticate(self.db, login, password, {})

    def call(self, login, secret, model, method, *args, **kwargs):
        """XML-RPC ``execute_kw`` with exactly the given secret."""
        uid = self.rpc_login(login, secret)
        if not uid:
            raise PermissionError("login %s refused" % login)
        return self.xmlrpc("object").execute_kw(
            self.db, uid, secret, model, method, list(args), kwargs)

    def execute(self, login, _password, model, method, *args, **kwargs):
        """XML-RPC as ``login``, authenticated with that user's API key."""
        return self.call(login, self.api_key(login), model, method, *args, **kwargs)

    def session(self):
        return requests.Session()

    def set_2fa_params(self, **values):
        """Set ``prm_2fa_sms.*`` parameters; returns the previous values."""
        previous = {}
        for key, value in values.items():
            name = "prm_2fa_sms.%s" % key
            previous[key] = self.execute("admin", None, "ir.config_parameter",
                                         "get_param", name) or False
            self.execute("admin", None, "ir.config_parameter", "set_param", name,
                         value if value is not False else False)
        return previous

    def latest_code(self, login):
        """The code of the latest SMS to ``login`` in the development outbox."""
        messages = self.execute("admin", None, "prm.sms.outbox", "search_read",
                                [("user_id.login", "=", login)], fields=["body"],
                                limit=1, order="id desc")
        assert messages, "no SMS for %s in the outbox" % login
        return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)

    def web_login(self, login, password, session=None, second_factor=True,
                  trust_device=False):
        """Log in through /web/login like a browser, SMS code included.

        The last response is kept in ``session.login_response``.
        """
        session = session or requests.Session()
        page = session.get(self.url + "/web/login", timeout=30)
        response = session.post(self.url + "/web/login", data={
            "login": login, "password": password,
            "csrf_token": csrf_token(page.text), "redirect": "",
        }, timeout=60)
        session.login_response = response
        if second_factor and response.url.endswith("/web/login/2fa") and \
                'name="code"' in response.text:
            data = {"code": self.latest_code(login),
                    "csrf_token": csrf_token(response.text)}
            if trust_device:
                data["trust_device"] = "1"
            session.login_response = session.post(
                self.url + "/web/login/2fa", data=data, timeout=60)
        return session


def drop_database(db):
    """Drop ``db`` and its test filestore (not odoo.service.db.exp_drop: the
    database manager is off, list_db)."""
    import odoo

    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
    odoo.sql_db.close_db(db)
    shutil.rmtree(os.path.join(LOCAL, "filestore-test", "filestore", db),
                  ignore_errors=True)


def install_fresh(db, modules, name):
    """A fresh database ``db`` with ``modules`` (comma-separated) and their
    dependencies, demo data on as in the test database. Returns the (not yet
    started) ``OdooServer`` for it, the installed ``prm*`` modules (sorted)
    and the path of the install log."""
    import odoo

    drop_database(db)
    server = OdooServer(db, name=name)
    subprocess.check_call([
        sys.executable, os.path.join(ROOT, "scripts", "make_config.py"),
        "--db", db, "--http-port", "0", "--max-cron-threads", "0",
        "--data-dir", os.path.join(LOCAL, "filestore-test"),
        "--out", server.conf_path], stdout=subprocess.DEVNULL)
    log = os.path.join(LOCAL, "log", "test-%s-install.log" % db)
    subprocess.check_call([
        sys.executable, os.path.join(ROOT, "scripts", "odoo-bin"),
        "-c", server.conf_path, "-d", db, "-i", modules,
        "--stop-after-init", "--logfile", log], stdout=subprocess.DEVNULL)
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'"
                   " AND name LIKE 'prm%%' ORDER BY name")
        installed = [name for name, in cr.fetchall()]
    return server, installed, log


def csrf_token(html):
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html)
    assert match, "no csrf_token in page"
    return match.group(1)
