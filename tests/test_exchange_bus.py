"""Dealer exchange live over Odoo's longpolling bus (issue 23).

A real server: the session's threaded server serves ``/longpolling/poll``
itself (Odoo's threaded dispatcher); ``prefork_node`` is a second Odoo
process on the same database in workers mode, with its gevent longpolling
process, for the path of ``make run-cluster`` (a message posted on one node
reaches a poll on the other through PostgreSQL's NOTIFY) and for a
longpolling route that is not proxied.
"""
import json
import threading
import time
import uuid

import pytest
import requests
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot, severe_console_errors
from .odoo_server import OdooServer
from .test_exchange import NETWORK, SOUTH, channel_id, partner_of, thread_text
from .test_portal_browser import browser_login

KIND = "prm.exchange"


def longpoll(url, session, channel, last=0, channels=(), peek=False, **options):
    """One ``/longpolling/poll`` as the page makes it (``prm_exchange``),
    plus hand-made ``channels``; the JSON-RPC answer."""
    options = dict(options, prm_exchange=[channel])
    if peek:
        options["peek"] = True
    response = session.post(url + "/longpolling/poll", json={
        "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "channels": list(channels), "last": last, "options": options}},
        timeout=90)
    return response.json()


def hand_made_names(db, channel):
    """Channel names a client may try: the tuple's JSON, its parts, core's
    Discuss channel of the exchange."""
    dump = lambda value: json.dumps(value, separators=(",", ":"))  # noqa: E731
    return [dump([db, KIND, channel]), dump([db, "mail.channel", channel]),
            KIND, "%s:%s" % (KIND, channel), str(channel), db]


def about(notifications, channel):
    """The notifications that concern exchange channel ``channel``."""
    found = []
    for notification in notifications:
        bus_channel = notification.get("channel")
        message = notification.get("message")
        if isinstance(message, dict) and message.get("channel_id") == channel or \
                isinstance(bus_channel, list) and bus_channel[-1:] == [channel] or \
                isinstance(message, dict) and message.get("res_id") == channel:
            found.append(notification)
    return found


def head_office_post(server, channel, text):
    return server.execute("prm.manager", None, "mail.channel", "message_post",
                          [channel], body="<p>%s</p>" % text, message_type="comment",
                          subtype="mail.mt_comment")


def newest_bus_id(server):
    # admin (uid 1) reads bus.bus, which nobody else may
    found = server.execute("admin", None, "bus.bus", "search", [], limit=1,
                           order="id desc")
    return found[0] if found else 0


def outsiders(server):
    """Sessions that must hear nothing of the network exchange."""
    return {
        "anonymous": requests.Session(),
        "half_signed_in": server.web_login("director33", "demo",
                                           second_factor=False),
        "bookkeeper": server.web_login("bookkeeper01", "demo"),
    }


def test_member_hears_a_signal_and_nobody_else_does(odoo_server):
    """Peek polls (answered at once) right after a post by head office."""
    db = odoo_server.db
    network = channel_id(odoo_server, NETWORK)
    south = channel_id(odoo_server, SOUTH)
    posted = head_office_post(odoo_server, network, "Signal %s" % uuid.uuid4().hex)
    south_posted = head_office_post(odoo_server, south, "Süd %s" % uuid.uuid4().hex)

    member = odoo_server.web_login("director11", "demo")
    answer = longpoll(odoo_server.url, member, network, peek=True)["result"]
    signals = [n["message"] for n in about(answer["notifications"], network)]
    assert {"prm_exchange": "message", "channel_id": network,
            "message_id": posted} in signals
    # a signal, never content (new messages name one id, withdrawals of
    # messages hidden by earlier tests a list of ids)
    assert all(set(signal) == ({"prm_exchange", "channel_id", "message_id"}
                               if signal["prm_exchange"] == "message" else
                               {"prm_exchange", "channel_id", "message_ids"})
               for signal in signals), signals
    assert [db, KIND, network] in answer["channels"]
    # not core's Discuss channel of the exchange (full messages, e-mails)
    assert [db, "mail.channel", network] not in answer["channels"]

    # director01 (region Nord) asks for the south channel, by the page's
    # option and by hand-made names: nothing
    other_region = odoo_server.web_login("director01", "demo")
    answer = longpoll(odoo_server.url, other_region, south, peek=True,
                      channels=hand_made_names(db, south))["result"]
    assert not about(answer["notifications"], south)
    assert [db, KIND, south] not in answer["channels"]
    assert south_posted  # the south channel did have a fresh signal

    for name, session in outsiders(odoo_server).items():
        answer = longpoll(odoo_server.url, session, network, peek=True,
                          channels=hand_made_names(db, network))["result"]
        assert not about(answer["notifications"], network), name
        assert not any(isinstance(c, list) and c[1:2] in ([KIND], ["mail.channel"])
                       for c in answer["channels"]), name
        # nor through the page's own route
        response = session.get("%s/my/exchange/%d/messages" % (
            odoo_server.url, network), params={"after": posted - 1},
            allow_redirects=False)
        assert response.status_code in (302, 303, 403), name

    # a dealer's poll answers no presence of other partners (core does)
    answer = longpoll(odoo_server.url, member, network,
                      bus_presence_partner_ids=[partner_of(odoo_server, "director02")])
    assert about(answer["result"], network)
    assert not [n for n in answer["result"] if n["channel"][-1:] == ["bus.presence"]]


def test_removed_member_and_outsiders_hear_nothing_in_a_waiting_poll(odoo_server):
    """Real long polls, waiting when the message is posted; one member is
    removed while their poll waits."""
    db = odoo_server.db
    network = channel_id(odoo_server, NETWORK)
    removed_partner = partner_of(odoo_server, "director34")
    sessions = dict(outsiders(odoo_server),
                    member=odoo_server.web_login("director32", "demo"),
                    removed=odoo_server.web_login("director34", "demo"),
                    other_region=odoo_server.web_login("director01", "demo"))
    south = channel_id(odoo_server, SOUTH)
    last = newest_bus_id(odoo_server)
    answers = {}

    def listen(name):
        target = south if name == "other_region" else network
        answers[name] = longpoll(odoo_server.url, sessions[name], target, last=last,
                                 channels=hand_made_names(db, target))
    threads = [threading.Thread(target=listen, args=(name,)) for name in sessions]
    for thread in threads:
        thread.start()
    time.sleep(3)  # every poll is waiting
    odoo_server.execute("admin", None, "mail.channel", "write", [network], {
        "channel_partner_ids": [(3, removed_partner)]})
    try:
        posted = head_office_post(odoo_server, network, "Warten %s" % uuid.uuid4().hex)
        head_office_post(odoo_server, south, "Süd %s" % uuid.uuid4().hex)
        for thread in threads:
            thread.join(80)
    finally:
        odoo_server.execute("admin", None, "mail.channel", "write", [network], {
            "channel_partner_ids": [(4, removed_partner)]})
    assert [n["message"]["message_id"] for n in about(
        answers["member"]["result"], network)] == [posted]
    for name in ("anonymous", "half_signed_in", "bookkeeper", "removed"):
        assert not about(answers[name]["result"], network), name
    assert not about(answers["other_region"]["result"], south)


def test_page_hears_head_office_without_reload(browser, odoo_server):
    """(a) A message posted in the backend reaches the open page over the
    bus; hiding it withdraws it live. No polling of the page's route."""
    network = channel_id(odoo_server, NETWORK)
    browser_login(browser, odoo_server, "director12")
    browser.get("%s/my/exchange/%d" % (odoo_server.url, network))
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "var s = document.querySelector('.o_prm_exchange_live');"
        "return s && s.getAttribute('data-live') === '1';"))
    assert "Neue Nachrichten erscheinen hier" in browser.find_element_by_css_selector(
        ".o_prm_exchange_live").text
    browser.execute_script("window.__prmSamePage = 1;")
    time.sleep(7)  # longer than the old 5-second poll
    fetches = "return performance.getEntriesByType('resource').filter(" \
        "e => e.name.indexOf('/messages') >= 0).length;"
    assert browser.execute_script(fetches) == 0  # idle: the long poll only
    text = "Live von der Zentrale %s" % uuid.uuid4().hex[:10]
    posted = head_office_post(odoo_server, network, text)
    WebDriverWait(browser, 20).until(lambda d: text in thread_text(d))
    assert browser.execute_script("return window.__prmSamePage") == 1
    assert browser.execute_script(fetches) == 1  # fetched once, on the signal
    odoo_server.execute("prm.manager", None, "mail.message", "action_prm_hide",
                        [posted])
    WebDriverWait(browser, 20).until(lambda d: text not in thread_text(d))
    assert browser.execute_script("return window.__prmSamePage") == 1
    screenshot(browser, "portal-exchange-live")
    assert not severe_console_errors(browser)


@pytest.fixture
def blocked_longpolling(browser):
    """The browser cannot reach /longpolling/ (as without the proxy route)."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/longpolling/*"]})
    yield browser
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.execute_cdp_cmd("Network.disable", {})


def test_page_falls_back_to_polling_without_longpolling(blocked_longpolling,
                                                        odoo_server):
    """(c) Longpolling unreachable: messages still arrive, by the fallback
    poll with backoff; once the bus answers again the page is live."""
    browser = blocked_longpolling
    network = channel_id(odoo_server, NETWORK)
    browser_login(browser, odoo_server, "director36")
    browser.get("%s/my/exchange/%d" % (odoo_server.url, network))
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "var s = document.querySelector('.o_prm_exchange_live');"
        "return s && s.getAttribute('data-live') === '0';"))
    assert "Keine Live-Verbindung" in browser.find_element_by_css_selector(
        ".o_prm_exchange_live").text
    text = "Ohne Bus %s" % uuid.uuid4().hex[:10]
    head_office_post(odoo_server, network, text)
    WebDriverWait(browser, 60).until(lambda d: text in thread_text(d))
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    WebDriverWait(browser, 90).until(lambda d: d.execute_script(
        "return document.querySelector('.o_prm_exchange_live')"
        ".getAttribute('data-live') === '1';"))
    text = "Wieder live %s" % uuid.uuid4().hex[:10]
    head_office_post(odoo_server, network, text)
    WebDriverWait(browser, 20).until(lambda d: text in thread_text(d))
    blocked = [entry for entry in severe_console_errors(browser)
               if "ERR_BLOCKED_BY_CLIENT" not in entry.get("message", "")]
    assert not blocked


@pytest.fixture(scope="module")
def prefork_node(odoo_server):
    """A second node: the same database, workers mode (HTTP workers plus
    the gevent longpolling process on its own port), like a node of
    ``make run-cluster``."""
    node = OdooServer(odoo_server.db, name="bus-node2", workers=2)
    node.start()
    yield node
    node.stop()


def test_message_posted_on_one_node_reaches_a_poll_on_the_other(
        odoo_server, prefork_node):
    network = channel_id(odoo_server, NETWORK)
    member = odoo_server.web_login("director11", "demo")  # sessions are shared
    gevent_url = "http://127.0.0.1:%d" % prefork_node.longpolling_port
    last = newest_bus_id(odoo_server)
    answers = []
    listener = threading.Thread(target=lambda: answers.append(
        longpoll(gevent_url, member, network, last=last)))
    listener.start()
    time.sleep(3)
    posted = head_office_post(odoo_server, network, "Knoten %s" % uuid.uuid4().hex)
    listener.join(80)
    assert [n["message"]["message_id"] for n in about(
        answers[0]["result"], network)] == [posted]
    # the HTTP workers have no bus: a clean 404, which the page falls back on
    answer = longpoll(prefork_node.url, member, network, last=last)
    assert answer["error"]["code"] == 404
    # a non-string channel: refused as well, without a server error
    response = member.post(gevent_url + "/longpolling/poll", json={
        "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "channels": [[odoo_server.db, KIND, network]], "last": last,
            "options": {}}}, timeout=30)
    assert response.json()["error"]["code"] == 404
    assert not prefork_node.log_problems()


def test_a_poll_answered_after_a_new_sign_in_keeps_the_new_session(odoo_server):
    """Full-run finding: the exchange page's long poll, sent before the
    director signed in again in the same browser, was answered after the
    sign-in with the old session id's cookie (Odoo sets it on every
    response). The sign-in had given the session a new id and deleted the
    old one: the browser lost the new session, the page stopped and the
    next click asked for the password again."""
    from .test_2fa import signed_in
    network = channel_id(odoo_server, NETWORK)
    browser = odoo_server.web_login("director11", "demo")
    old_sid = browser.cookies.get("session_id")
    last = newest_bus_id(odoo_server)
    answers = []
    listener = threading.Thread(target=lambda: answers.append(
        longpoll(odoo_server.url, browser, network, last=last)))
    listener.start()
    time.sleep(2)
    odoo_server.web_login("director11", "demo", session=browser)
    new_sid = browser.cookies.get("session_id")
    assert new_sid != old_sid, "the sign-in gives a new session id"
    head_office_post(odoo_server, network, "Wieder da %s" % uuid.uuid4().hex)
    listener.join(80)
    assert about(answers[0]["result"], network), "the old poll was answered"
    assert browser.cookies.get("session_id") == new_sid
    assert signed_in(odoo_server, browser)
