"""Redirect parameters of every installed route stay on this site (issue 14.3).

One guard (prm_2fa_sms/lib/redirects.py, applied by ``ir.http`` to every
request) keeps a local path or a URL of this very origin and drops the rest.
The sign-in tests of the same rule are in test_csrf_and_leaks.py.
"""
import re
from urllib.parse import urlsplit

import pytest

from .odoo_server import csrf_token
from .test_csrf_and_leaks import OFFSITE, assert_stays_here
from .test_leads import new_lead

DIRECTOR = "director17"
# Core routes (web, portal) that send a signed-in browser to ``redirect``.
SIGNED_IN_ROUTES = ["/web/dbredirect", "/web", "/", "/web/login"]


def hidden_redirect(html):
    match = re.search(r'name="redirect"\s+value="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def director(odoo_server):
    return odoo_server.web_login(DIRECTOR, "demo")


@pytest.mark.parametrize("target", OFFSITE)
def test_dbredirect_stays_here_for_anyone(odoo_server, target):
    # The example: 303 to https://evil.example/ for an anonymous GET.
    response = odoo_server.session().get(
        odoo_server.url + "/web/dbredirect", params={"redirect": target},
        allow_redirects=False)
    assert response.status_code in (301, 302, 303)
    assert_stays_here(odoo_server, response, target)


@pytest.mark.parametrize("path", SIGNED_IN_ROUTES)
@pytest.mark.parametrize("target", OFFSITE)
def test_signed_in_routes_stay_here(odoo_server, director, path, target):
    response = director.get(odoo_server.url + path, params={"redirect": target},
                            allow_redirects=False)
    assert response.status_code < 500
    assert_stays_here(odoo_server, response, target)


@pytest.mark.parametrize("target", ["https://evil.example/phish"] + OFFSITE)
def test_my_details_neither_shows_nor_follows_an_offsite_redirect(
        odoo_server, director, target):
    url = odoo_server.url + "/my/account"
    form = director.get(url, params={"redirect": target})
    assert form.status_code == 200
    assert "evil.example" not in form.text
    assert hidden_redirect(form.text) in (None, "")
    details = odoo_server.execute(
        "admin", None, "res.users", "search_read", [("login", "=", DIRECTOR)],
        fields=["partner_id"])[0]["partner_id"][0]
    partner = odoo_server.execute("admin", None, "res.partner", "read", [details],
                                  ["name", "email", "phone", "street", "city",
                                   "country_id"])[0]
    saved = director.post(url, data={
        "name": partner["name"], "email": partner["email"] or "d17@example.com",
        "phone": partner["phone"] or "+49 441 1", "street": partner["street"] or "x",
        "city": partner["city"] or "Oldenburg",
        "country_id": partner["country_id"][0], "redirect": target,
        "csrf_token": csrf_token(form.text)}, allow_redirects=False)
    assert saved.status_code in (302, 303), saved.text[:500]
    assert_stays_here(odoo_server, saved, target)


def test_my_details_keeps_a_same_site_redirect(odoo_server, director):
    target = odoo_server.url + "/my/leads"
    form = director.get(odoo_server.url + "/my/account", params={"redirect": target})
    assert hidden_redirect(form.text) == "/my/leads"


def test_deep_link_survives_password_and_code(odoo_server):
    """Logged out, open a lead; after password and SMS code, there it is."""
    lead = new_lead(odoo_server, DIRECTOR)
    session = odoo_server.session()
    login_page = session.get(odoo_server.url + "/my/leads/%d" % lead)
    assert urlsplit(login_page.url).path == "/web/login"
    # Odoo asks for the absolute URL; the form carries its local path.
    assert hidden_redirect(login_page.text) == "/my/leads/%d" % lead
    code_page = session.post(odoo_server.url + "/web/login", data={
        "login": DIRECTOR, "password": "demo",
        "redirect": hidden_redirect(login_page.text),
        "csrf_token": csrf_token(login_page.text)})
    assert code_page.url.endswith("/web/login/2fa")
    done = session.post(odoo_server.url + "/web/login/2fa", data={
        "code": odoo_server.latest_code(DIRECTOR),
        "csrf_token": csrf_token(code_page.text)})
    assert done.status_code == 200
    assert re.search(r"^(/[a-z]{2}_[A-Z]{2})?/my/leads/%d$" % lead,
                     urlsplit(done.url).path), done.url
