"""prm_2fa_sms installs alone on a fresh Odoo 11 database and signs in by SMS.

The addon depends on core modules only (base_setup, mail, portal): no PRM
model, group or demo user. A fresh database gets prm_2fa_sms and nothing of
ours; the administrator then signs in through /web/login with the code the
server sent to a local fake SMS provider.
"""
import os

import odoo
import pytest
import requests

from .odoo_server import csrf_token, drop_database, install_fresh
from .test_2fa import fake_sms_provider

DB = "%s_2fa_alone" % os.environ.get("PRM_TEST_DB", "prm_test")


@pytest.fixture(scope="module")
def installed_alone():
    """A fresh database with prm_2fa_sms (and its core dependencies) only."""
    server, installed, log = install_fresh(DB, "prm_2fa_sms", "2fa-alone")
    yield server, installed, log
    server.stop()
    drop_database(DB)


def set_params(values):
    with odoo.sql_db.db_connect(DB).cursor() as cr:
        for key, value in values.items():
            cr.execute("DELETE FROM ir_config_parameter WHERE key = %s",
                       ("prm_2fa_sms.%s" % key,))
            cr.execute("INSERT INTO ir_config_parameter (key, value)"
                       " VALUES (%s, %s)", ("prm_2fa_sms.%s" % key, value))


def test_installs_alone_and_signs_in_with_the_sms_code(installed_alone):
    server, installed, log = installed_alone
    assert installed == ["prm_2fa_sms"]
    with open(log, errors="replace") as handle:
        problems = [line for line in handle if " ERROR " in line
                    or " CRITICAL " in line]
    assert not problems, "install log has errors:\n" + "".join(problems[:20])
    with fake_sms_provider.FakeSmsProvider() as provider:
        set_params({"provider": "http", "http_url": provider.url,
                    "http_format": "json", "http_token": "alone"})
        server.start()
        session = requests.Session()
        page = session.get(server.url + "/web/login", timeout=30)
        page = session.post(server.url + "/web/login", data={
            "login": "admin", "password": "admin", "redirect": "",
            "csrf_token": csrf_token(page.text)}, timeout=60)
        assert page.url.endswith("/web/login/2fa"), page.url
        # the password alone opens nothing
        assert "/web/login" in session.get(server.url + "/web", timeout=30).url
        assert provider.messages[-1]["to"] == "+4915199990000"
        done = session.post(server.url + "/web/login/2fa", data={
            "code": provider.last_code(), "csrf_token": csrf_token(page.text)},
            timeout=60)
        assert done.status_code == 200
        home = session.get(server.url + "/web", timeout=30)
        assert home.status_code == 200 and "/web/login" not in home.url
    assert not server.log_problems(), "\n".join(server.log_problems()[:20])
