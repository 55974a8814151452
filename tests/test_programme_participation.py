"""A dealer outside the partner programme over real HTTP (issue 22, review8
finding 6).

Two fresh dealers with a managing director each (``new_company``): one
"active", one head office has set to "terminated". The terminated dealer's
director is refused every programme feature - documents and news by URL
and by attachment id (404, not listed), a new deal registration (403,
nothing saved), the user self-service (400 with the translated reason,
nothing changed) - and keeps his own history (/my/deals, /my/users read
only). The active dealer's director is the control: the same requests
succeed.
"""
import base64
import datetime
import uuid

import pytest
from selenium.webdriver.common.by import By

from .conftest import clear_session, severe_console_errors
from .odoo_server import csrf_token
from .test_deals import customer_form
from .test_my_users import PASSWORD, invite, new_company, post
from .test_portal_browser import browser_login

OUTSIDE = "does not take part in the partner programme"


@pytest.fixture(scope="module")
def world(odoo_server):
    """``{"active": company, "terminated": company, "doc", "att", "news",
    "marker"}``: a document (with its attachment) and a news item addressed
    to all dealers."""
    server = odoo_server
    marker = uuid.uuid4().hex[:10]
    companies = {state: new_company(server) for state in ("active", "terminated")}
    doc = server.execute("admin", None, "prm.document", "create", {
        "name": "Alle Händler %s" % marker, "category": "bulletin",
        "file": base64.b64encode(marker.encode()).decode(),
        "file_name": "%s.txt" % marker})
    news = server.execute("admin", None, "prm.news", "create", {
        "name": "Neuigkeit %s" % marker, "body": "<p>Body %s</p>" % marker})
    for model, item in (("prm.document", doc), ("prm.news", news)):
        server.execute("admin", None, model, "action_publish", [item])
    att = server.execute("admin", None, "ir.attachment", "search", [
        ("res_model", "=", "prm.document"), ("res_id", "=", doc),
        ("res_field", "=", "file")])[0]
    server.execute("admin", None, "res.partner", "write",
                   [companies["terminated"]["dealer"]], {"prm_state": "terminated"})
    for company in companies.values():
        company["session"] = server.web_login(company["d1"], PASSWORD)
    return dict(companies, doc=doc, att=att, news=news, marker=marker)


STATES = ["active", "terminated"]


@pytest.mark.parametrize("state", STATES)
def test_document_by_url_and_attachment_id(odoo_server, world, state):
    session, secret = world[state]["session"], world["marker"].encode()
    for path in ("/my/documents/%d/download" % world["doc"],
                 "/web/content/%d" % world["att"],
                 "/web/content/%d/x.txt" % world["att"],
                 "/web/content/prm.document/%d/file" % world["doc"]):
        response = session.get(odoo_server.url + path)
        if state == "active":
            assert response.status_code == 200 and secret in response.content, path
        else:
            assert secret not in response.content, path
            assert response.status_code in (403, 404), (path, response.status_code)
            if path.startswith("/my/"):
                assert response.status_code == 404, path
    listing = session.get(odoo_server.url + "/my/documents")
    assert listing.status_code == 200
    assert (world["marker"] in listing.text) == (state == "active")


@pytest.mark.parametrize("state", STATES)
def test_news(odoo_server, world, state):
    session = world[state]["session"]
    detail = session.get(odoo_server.url + "/my/news/%d" % world["news"])
    listing = session.get(odoo_server.url + "/my/news")
    assert listing.status_code == 200
    if state == "active":
        assert detail.status_code == 200 and world["marker"] in detail.text
        assert world["marker"] in listing.text
    else:
        assert detail.status_code == 404
        assert world["marker"] not in detail.text + listing.text


def _registrations(server, world, state, name):
    return server.execute("admin", None, "prm.deal.registration", "search_count", [
        ("dealer_id", "=", world[state]["dealer"]), ("customer_name", "=", name)])


@pytest.mark.parametrize("state", STATES)
def test_deal_registration(odoo_server, world, state):
    server, session = odoo_server, world[state]["session"]
    form = session.get(server.url + "/my/deals/new")
    history = session.get(server.url + "/my/deals")
    assert history.status_code == 200   # the own history stays readable
    name = "Hof Programm %s" % uuid.uuid4().hex[:8]
    expected = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    data = customer_form(server, "x", customer_name=name, expected_date=expected)
    token = csrf_token(session.get(server.url + "/my/security").text)
    response = session.post(server.url + "/my/deals/new",
                            data=dict(data, csrf_token=token),
                            allow_redirects=False)
    if state == "active":
        assert form.status_code == 200
        assert response.status_code in (302, 303), response.text[:300]
        assert _registrations(server, world, state, name) == 1
        assert 'href="/my/deals/new"' in history.text
    else:
        assert form.status_code == 403 and OUTSIDE in form.text
        assert response.status_code == 403 and OUTSIDE in response.text
        assert _registrations(server, world, state, name) == 0
        assert 'href="/my/deals/new"' not in history.text


def _active_users(server, world, state):
    return server.execute("admin", None, "res.users", "search_count", [
        ("commercial_partner_id", "=", world[state]["dealer"])])


@pytest.mark.parametrize("state", STATES)
def test_users_invite_and_change(odoo_server, world, state):
    server, company = odoo_server, world[state]
    session = company["session"]
    before = _active_users(server, world, state)
    page = session.get(server.url + "/my/users")
    assert page.status_code == 200
    invited, _data = invite(server, session)
    bookkeeper = server.execute("admin", None, "res.users", "search",
                                [("login", "=", company["bk"])])[0]
    changed = post(server, session, "/my/users/%d/change" % bookkeeper,
                   active="0")
    still_active = server.execute("admin", None, "res.users", "search_count",
                                  [("id", "=", bookkeeper)])
    if state == "active":
        assert invited.status_code in (302, 303), invited.text[:300]
        assert changed.status_code in (302, 303), changed.text[:300]
        assert not still_active
        assert _active_users(server, world, state) == before   # +1 -1
        assert "o_prm_users_invite" in page.text
    else:
        for response in (invited, changed):
            assert response.status_code == 400
            assert OUTSIDE in response.text
        assert still_active
        assert _active_users(server, world, state) == before
        assert "o_prm_users_invite" not in page.text
        assert OUTSIDE in page.text
        # head office still can
        server.execute("admin", None, "res.users", "write", [bookkeeper],
                       {"active": False})
        assert not server.execute("admin", None, "res.users", "search_count",
                                  [("id", "=", bookkeeper)])


def test_german_refusal(odoo_server, world):
    """The refusal in the German director's language."""
    server = odoo_server
    german = new_company(server, lang="de_DE")
    server.execute("admin", None, "res.partner", "write", [german["dealer"]],
                   {"prm_state": "suspended"})
    session = server.web_login(german["d1"], PASSWORD)
    form = session.get(server.url + "/my/deals/new")
    assert form.status_code == 403
    assert "nimmt derzeit nicht am Partnerprogramm teil" in form.text
    invited, _data = invite(server, session)
    assert invited.status_code == 400
    assert "nimmt derzeit nicht am Partnerprogramm teil" in invited.text


def test_terminated_director_in_chromium(odoo_server, browser, world):
    """The persona flow: the terminated dealer's director signs in, finds
    his deal history without "Register a deal", the user list without the
    invitation form but with the reason, and no document of the programme."""
    clear_session(browser)
    company = world["terminated"]
    browser_login(browser, odoo_server, company["d1"], PASSWORD)
    browser.get(odoo_server.url + "/my/deals")
    assert not browser.find_elements(By.CSS_SELECTOR, "a.o_prm_deal_new")
    browser.get(odoo_server.url + "/my/users")
    assert OUTSIDE in browser.find_element(
        By.CSS_SELECTOR, ".o_prm_users_outside").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form.o_prm_users_invite")
    browser.get(odoo_server.url + "/my/documents")
    assert world["marker"] not in browser.page_source
    assert not severe_console_errors(browser)
    clear_session(browser)
