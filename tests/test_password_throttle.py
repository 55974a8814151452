"""Password guessing is throttled on every sign-in path (issue 14, review 2).

OCA ``auth_brute_force`` with the changes of
``prm_2fa_sms/models/res_authentication_attempt.py``: a login is refused from
a remote after 10 failures there within the ban window, whatever the channel
(web form, XML-RPC, ``/jsonrpc``); the ban ends with the window; the attempts
are read by administrators only.
"""
import time
import xmlrpc.client

import pytest
import requests

from .odoo_server import csrf_token
from .test_2fa import new_director

LIMIT = 10
WRONG_LOGIN = "(Wrong login/password|Falsche Anmeldedaten)"


def password_director(server):
    """A new director with the password "Sicher-2026"."""
    login = new_director(server, name="Tim Tipper", send_invitation=False)
    uid = server.execute("admin", None, "res.users", "search",
                         [("login", "=", login)])
    server.execute("admin", None, "res.users", "write", uid,
                   {"password": "Sicher-2026"})
    return login


def web_password(server, login, password):
    """The password step of /web/login; True when the code page follows."""
    session = requests.Session()
    page = session.get(server.url + "/web/login")
    response = session.post(server.url + "/web/login", data={
        "login": login, "password": password,
        "csrf_token": csrf_token(page.text), "redirect": ""})
    return response.url.endswith("/web/login/2fa")


@pytest.fixture
def short_ban(odoo_server):
    """Bans of 4 seconds for this test (default: one hour)."""
    odoo_server.execute("admin", None, "ir.config_parameter", "set_param",
                        "prm_2fa_sms.password_ban_seconds", "4")
    yield 4
    odoo_server.execute("admin", None, "ir.config_parameter", "set_param",
                        "prm_2fa_sms.password_ban_seconds", False)


@pytest.mark.expected_log(r"WARNING .*auth_brute_force.*(banned|Authentication failed)")
def test_guessing_a_password_ends_in_a_ban_that_ends(odoo_server, short_ban):
    victim, bystander = password_director(odoo_server), password_director(odoo_server)
    common = odoo_server.xmlrpc("common")
    # Guesses over XML-RPC and the web form count together.
    for guess in range(LIMIT):
        if guess % 2:
            assert not common.authenticate(odoo_server.db, victim, "guess%d" % guess,
                                           {})
        else:
            assert not web_password(odoo_server, victim, "guess%d" % guess)
    assert not web_password(odoo_server, victim, "Sicher-2026"), \
        "the right password after 10 guesses from the same address"
    assert web_password(odoo_server, bystander, "Sicher-2026"), \
        "another login from the same address is not banned"
    time.sleep(short_ban + 1)
    assert web_password(odoo_server, victim, "Sicher-2026"), "the ban ended"


def test_sign_in_attempts_are_read_by_administrators_only(odoo_server):
    admin_rows = odoo_server.execute("admin", None, "res.authentication.attempt",
                                     "search_read", [], fields=["login", "remote"],
                                     limit=5)
    assert admin_rows
    for login in ("director01", "bookkeeper01", "tm.nord", "prm.manager"):
        with pytest.raises(xmlrpc.client.Fault) as error:
            odoo_server.execute(login, None, "res.authentication.attempt",
                                "search_read", [], fields=["login", "remote"])
        assert error.value.faultCode in (3, 4), login
    session = odoo_server.web_login("director01", "demo")
    answer = session.post(odoo_server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "res.authentication.attempt", "method": "search_read",
            "args": [[]], "kwargs": {"fields": ["login"]}}}).json()
    assert "error" in answer and "result" not in answer


def test_no_address_is_sent_to_a_geolocation_service(odoo_server):
    rows = odoo_server.execute("admin", None, "res.authentication.attempt",
                               "search_read", [], fields=["remote_metadata"],
                               limit=1)
    assert rows and not rows[0]["remote_metadata"]
    with open(odoo_server.log_path, errors="replace") as handle:
        assert "ip-api.com" not in handle.read()
