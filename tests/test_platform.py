"""The platform: server up, production-safe configuration, portal login."""
import configparser
import os

from .odoo_server import LOCAL, ROOT


def test_login_page_is_served(odoo_server):
    response = odoo_server.session().get(odoo_server.url + "/web/login")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text


def test_database_manager_is_unreachable(odoo_server):
    session = odoo_server.session()
    for path in ("/web/database/manager", "/web/database/selector"):
        response = session.get(odoo_server.url + path)
        assert response.status_code == 404, path
    response = session.post(odoo_server.url + "/web/database/drop", data={
        "master_pwd": "admin", "name": odoo_server.db})
    assert response.status_code == 404
    response = session.post(odoo_server.url + "/web/database/list", json={
        "jsonrpc": "2.0", "method": "call", "params": {}})
    assert "error" in response.json() or response.status_code == 404


def test_generated_config_is_production_safe(odoo_server):
    config = configparser.ConfigParser()
    config.read(odoo_server.conf_path)
    options = config["options"]
    assert options["list_db"] == "False"
    assert len(options["admin_passwd"]) >= 32
    assert options["admin_passwd"] != "admin"
    template = open(os.path.join(ROOT, "config", "odoo.conf.template")).read()
    assert options["admin_passwd"] not in template
    secret = os.path.join(LOCAL, "secrets", "admin_passwd")
    assert oct(os.stat(secret).st_mode & 0o777) == "0o600"


def test_demo_director_logs_in_to_the_portal(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    home = session.get(odoo_server.url + "/my/home")
    assert home.status_code == 200
    assert "o_prm_home" in home.text
    assert "/my/targets" in home.text


def test_wrong_password_is_refused(odoo_server):
    session = odoo_server.web_login("director01", "not-the-password")
    assert "Falsche Anmeldedaten/falsches Passwort" in session.login_response.text
    home = session.get(odoo_server.url + "/my/home", allow_redirects=False)
    assert home.status_code in (302, 303)


def test_pages_carry_security_headers(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    for path in ("/web/login", "/my/home", "/my/targets"):
        response = session.get(odoo_server.url + path)
        assert response.status_code == 200, path
        assert response.headers.get("X-Frame-Options") in ("SAMEORIGIN", "DENY")
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
    cookie = [c for c in session.cookies if c.name == "session_id"][0]
    assert cookie.has_nonstandard_attr("HttpOnly")
