"""The dealer exchange for a dealer outside the partner programme, over real
HTTP (issue 22, follow-up of review8 finding 6).

Two fresh dealers (``new_company``) whose managing directors head office
made members of the network exchange; then head office sets one of them to
"terminated". Its director reads nothing of the exchange on any path - the
portal pages, posting (CSRF token given), the long poll, JSON-RPC on
mail.channel and mail.message - and head office cannot add him back. The
active dealer's director is the control: the same requests succeed.
"""
import uuid
import xmlrpc.client

import pytest
from selenium.webdriver.common.by import By

from .conftest import clear_session, severe_console_errors
from .odoo_server import csrf_token
from .test_exchange import NETWORK, channel_id
from .test_exchange_bus import KIND, about, head_office_post, longpoll
from .test_exchange_platform import call_kw
from .test_my_users import PASSWORD, new_company
from .test_portal_browser import browser_login

STATES = ["active", "terminated"]


def partner_of_login(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["partner_id"])[0]["partner_id"][0]


@pytest.fixture(scope="module")
def world(odoo_server):
    """``{"active": company, "terminated": company, "network": id,
    "posted": message id, "marker": str}``; each company with ``partner``
    (its director's partner id) and ``session`` (signed in)."""
    server = odoo_server
    network = channel_id(server, NETWORK)
    companies = {state: new_company(server) for state in STATES}
    for company in companies.values():
        company["partner"] = partner_of_login(server, company["d1"])
    server.execute("prm.manager", None, "mail.channel", "write", [network], {
        "channel_partner_ids": [(4, company["partner"])
                                for company in companies.values()]})
    for company in companies.values():
        company["session"] = server.web_login(company["d1"], PASSWORD)
    # before the change both read the exchange
    for company in companies.values():
        page = company["session"].get("%s/my/exchange/%d" % (server.url, network))
        assert page.status_code == 200
    server.execute("prm.manager", None, "res.partner", "write",
                   [companies["terminated"]["dealer"]], {"prm_state": "terminated"})
    marker = uuid.uuid4().hex[:12]
    posted = head_office_post(server, network, "Nach der Kündigung %s" % marker)
    return dict(companies, network=network, posted=posted, marker=marker)


@pytest.mark.parametrize("state", STATES)
def test_portal_pages(odoo_server, world, state):
    session, network = world[state]["session"], world["network"]
    listing = session.get(odoo_server.url + "/my/exchange")
    assert listing.status_code == 200
    assert (NETWORK in listing.text) == (state == "active")
    page = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    messages = session.get("%s/my/exchange/%d/messages" % (
        odoo_server.url, network), params={"after": world["posted"] - 1})
    if state == "active":
        assert page.status_code == 200 and world["marker"] in page.text
        assert messages.status_code == 200 and world["marker"] in messages.text
    else:
        assert page.status_code == 404 and world["marker"] not in page.text
        assert messages.status_code == 404
        assert world["marker"] not in messages.text


@pytest.mark.parametrize("state", STATES)
def test_posting(odoo_server, world, state):
    session, network = world[state]["session"], world["network"]
    token = csrf_token(session.get(odoo_server.url + "/my/security").text)
    text = "Noch da %s %s" % (state, uuid.uuid4().hex[:10])
    response = session.post("%s/my/exchange/%d/post" % (odoo_server.url, network),
                            data={"text": text, "csrf_token": token},
                            allow_redirects=False)
    stored = odoo_server.execute("admin", None, "mail.message", "search", [
        ("model", "=", "mail.channel"), ("res_id", "=", network),
        ("body", "ilike", text)])
    if state == "active":
        assert response.status_code == 303 and len(stored) == 1
    else:
        assert response.status_code == 404 and not stored
        answer = call_kw(odoo_server, session, "mail.channel", "message_post",
                         [[network]], {"body": text, "message_type": "comment",
                                       "subtype": "mail.mt_comment"})
        assert "error" in answer
        assert not odoo_server.execute("admin", None, "mail.message", "search", [
            ("model", "=", "mail.channel"), ("res_id", "=", network),
            ("body", "ilike", text)])


@pytest.mark.parametrize("state", STATES)
def test_long_poll(odoo_server, world, state):
    session, network = world[state]["session"], world["network"]
    answer = longpoll(odoo_server.url, session, network, peek=True)["result"]
    subscribed = [odoo_server.db, KIND, network] in answer["channels"]
    assert subscribed == (state == "active")
    heard = [n["message"].get("message_id") for n in about(
        answer["notifications"], network)]
    assert (world["posted"] in heard) == (state == "active")


@pytest.mark.parametrize("state", STATES)
def test_json_rpc(odoo_server, world, state):
    session, network = world[state]["session"], world["network"]
    fetched = call_kw(odoo_server, session, "mail.channel",
                      "channel_fetch_message", [[network]], {"limit": 50})
    found = call_kw(odoo_server, session, "mail.message", "search_read", [[
        ("model", "=", "mail.channel"), ("res_id", "=", network)]],
        {"fields": ["body"]})
    channel = call_kw(odoo_server, session, "mail.channel", "search_read",
                      [[("id", "=", network)]], {"fields": ["name"]})
    by_id = call_kw(odoo_server, session, "mail.message", "read",
                    [[world["posted"]], ["body"]])
    if state == "active":
        assert world["marker"] in str(fetched["result"])
        assert world["marker"] in str(found["result"])
        assert channel["result"][0]["name"] == NETWORK
        assert world["marker"] in str(by_id["result"])
    else:
        for answer in (fetched, found, channel, by_id):
            assert world["marker"] not in str(answer)
        assert "error" in fetched and "error" in by_id
        assert found["result"] == [] and channel["result"] == []


def test_memberships_removed_noted_and_not_added_back(odoo_server, world):
    server, network = odoo_server, world["network"]
    terminated, active = world["terminated"], world["active"]
    members = server.execute("admin", None, "mail.channel.partner", "search_read", [
        ("channel_id", "=", network),
        ("partner_id", "in", [terminated["partner"], active["partner"]])],
        fields=["partner_id"])
    assert [row["partner_id"][0] for row in members] == [active["partner"]]
    notes = server.execute("admin", None, "mail.message", "search_read", [
        ("model", "=", "res.partner"), ("res_id", "=", terminated["dealer"]),
        ("body", "ilike", NETWORK)], fields=["body", "author_id"])
    manager = server.execute("admin", None, "res.users", "search_read", [
        ("login", "=", "prm.manager")], fields=["name", "partner_id"])[0]
    assert len(notes) == 1 and manager["name"] in notes[0]["body"]
    assert notes[0]["author_id"][0] == manager["partner_id"][0]
    with pytest.raises(xmlrpc.client.Fault) as refused:
        server.execute("prm.manager", None, "mail.channel", "write", [network], {
            "channel_partner_ids": [(4, terminated["partner"])]})
    assert "Partnerprogramm" in refused.value.faultString or \
        "partner programme" in refused.value.faultString


def test_terminated_director_in_chromium(odoo_server, browser, world):
    """The persona flow: the terminated dealer's director signs in; his home
    page counts no unread exchange message, /my/exchange lists no channel
    and the channel's address he had bookmarked answers "not found"."""
    clear_session(browser)
    company, network = world["terminated"], world["network"]
    browser_login(browser, odoo_server, company["d1"], PASSWORD)
    browser.get(odoo_server.url + "/my/home")
    tile = browser.find_element(By.CSS_SELECTOR, ".o_prm_home_exchange")
    assert tile.get_attribute("data-unread") == "0"
    browser.get(odoo_server.url + "/my/exchange")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_prm_exchange_none")
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_exchange_channel")
    assert not severe_console_errors(browser)
    browser.get("%s/my/exchange/%d" % (odoo_server.url, network))
    assert world["marker"] not in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_exchange_thread")
    # the one console line: the page's own 404
    assert all("/my/exchange/%d - " % network in error["message"] and "404"
               in error["message"] for error in severe_console_errors(browser))
    clear_session(browser)
