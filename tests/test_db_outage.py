"""A short PostgreSQL outage (restart, failover) keeps every session.

Issue 23: during the outage Odoo 11 answered 404 and logged the session out
(``Root.dispatch`` drops the session's database when the registry check
fails), so every user active then had to sign in again with a new SMS code.
Now every request answers 503 with a translated "briefly unavailable" page
(JSON requests a JSON-RPC error) and the same session works as soon as the
database is back, without restarting Odoo (``addons/prm_db_outage``, loaded
through ``server_wide_modules``).

The outage is real: the private PostgreSQL cluster of the fault tests (a copy
of the test database, ``tests/test_faults.py``) is stopped and started under
a prefork server with its longpolling process.
"""
import pytest
import requests

from .odoo_server import csrf_token
from .test_faults import (  # noqa: F401 (fixtures)
    PATIENCE, prefork_log_clean, prefork_server, private_cluster, wait_until)

DIRECTOR = "director37"
PENDING = "director38"  # stops between password and SMS code
GERMAN = ("Das Portal ist kurz nicht erreichbar (Wartung der Datenbank). Bitte "
          "versuchen Sie es gleich noch einmal; Sie bleiben angemeldet.")
ENGLISH = ("The portal is briefly unavailable (database maintenance). Please "
           "retry in a moment; you stay signed in.")
#: The one line per outage and process the module writes (an operator's cue),
#: and what Odoo itself logs at ERROR when the longpolling process's bus
#: listener loses its connection (it retries by itself).
OUTAGE_LOG = (r"WARNING \S+ odoo\.addons\.prm_db_outage\.http_glue: database "
              r"unreachable|ERROR \S+ odoo\.addons\.bus\.models\.bus: Bus\.loop error")


def rpc(session, url, **params):
    return session.post(url, json={"jsonrpc": "2.0", "method": "call", "id": 7,
                                   "params": params}, timeout=PATIENCE)


def password_step(server, login):
    """A browser that gave the password and now sees the SMS code page."""
    session = requests.Session()
    page = session.get(server.url + "/web/login", timeout=PATIENCE)
    code_page = session.post(server.url + "/web/login", data={
        "login": login, "password": "demo", "csrf_token": csrf_token(page.text),
        "redirect": ""}, timeout=PATIENCE)
    assert code_page.url.endswith("/web/login/2fa") and 'name="code"' in \
        code_page.text
    return session, code_page


def assert_refused_page(response, text):
    assert response.status_code == 503, (response.status_code, response.url)
    assert text in response.text and response.headers["Retry-After"]
    assert not response.history, "answered where asked, not redirected"


def assert_refused_json(response, text):
    assert response.status_code == 503, response.status_code
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"]["data"]["message"] == text


@pytest.mark.faults
@pytest.mark.expected_log(OUTAGE_LOG)
def test_database_outage_answers_503_and_keeps_the_sessions(
        prefork_server, private_cluster, prefork_log_clean):  # noqa: F811
    server = prefork_server
    session = server.web_login(DIRECTOR, "demo")
    cookie = session.cookies.get("session_id")
    assert session.get(server.url + "/my/home").status_code == 200
    pending, code_page = password_step(server, PENDING)
    code = server.latest_code(PENDING)  # read now: XML-RPC needs the database
    longpolling = "http://127.0.0.1:%d" % server.longpolling_port
    private_cluster.stop()
    try:
        # The director's session is German; a visitor's browser asks English.
        for _request in range(4):  # both workers
            assert_refused_page(session.get(server.url + "/my/home"), GERMAN)
        assert_refused_page(session.get(server.url + "/my/benchmark"), GERMAN)
        for path in ("/web/session/get_session_info", "/web/webclient/version_info",
                     "/my/benchmark/data"):
            assert_refused_json(rpc(session, server.url + path), GERMAN)
        assert_refused_json(rpc(session, longpolling + "/longpolling/poll",
                                channels=[], last=0), GERMAN)
        visitor = requests.get(server.url + "/web/login", timeout=PATIENCE,
                               headers={"Accept-Language": "en-US,en;q=0.8"})
        assert_refused_page(visitor, ENGLISH)
        assert_refused_page(pending.get(server.url + "/web/login/2fa"), GERMAN)
    finally:
        private_cluster.start()
    # Back without a restart of Odoo: the same cookies, no new sign-in.
    home = session.get(server.url + "/my/home")
    assert home.status_code == 200 and "/web/login" not in home.url
    assert session.cookies.get("session_id") == cookie
    info = rpc(session, server.url + "/web/session/get_session_info").json()
    assert info["result"]["username"] == DIRECTOR
    done = pending.post(server.url + "/web/login/2fa", data={
        "code": code, "csrf_token": csrf_token(code_page.text)}, timeout=PATIENCE)
    assert done.url.endswith("/my"), "the pending sign-in goes on with its code"
