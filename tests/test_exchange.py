"""Dealer exchange (Discuss channels in the portal) over HTTP, XML-RPC, Chromium.

Each test posts as its own director: the rate limit counts per user.
"""
import re
import time
import uuid
import xmlrpc.client

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot, severe_console_errors
from .odoo_server import csrf_token
from .test_portal_browser import browser_login

NETWORK = "Händler-Austausch"
SOUTH = "Händler-Austausch Süd"  # director01/02 are dealers of region Nord
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
# what the reviewer posted as a director (%s: a marker to find the message)
PHISHING = ('<p style="color:red;font-size:30px">ZENTRALE: Ihr Zugang läuft ab %s</p>'
            '<a href="https://evil.example/phish">Bitte hier neu anmelden</a>'
            '<img src="https://evil.example/pixel.png?who=viewer">'
            '<img src=x onerror="window.__pwned=1">')


def channel_id(server, name):
    return server.execute("admin", None, "mail.channel", "search",
                          [("name", "=", name), ("prm_is_exchange", "=", True)])[0]


def partner_of(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["partner_id"])[0]["partner_id"][0]


def messages_with(server, channel, token, login="admin"):
    return server.execute(login, None, "mail.message", "search_read",
                          [("model", "=", "mail.channel"), ("res_id", "=", channel),
                           ("body", "ilike", token)],
                          fields=["author_id", "body", "attachment_ids",
                                  "prm_hidden"])


def post(server, session, channel, text, files=None):
    page = session.get("%s/my/exchange/%d" % (server.url, channel))
    return session.post("%s/my/exchange/%d/post" % (server.url, channel),
                        data={"text": text, "csrf_token": csrf_token(page.text)},
                        files=files, allow_redirects=False)


def poll(server, session, channel, after=0, seen=None):
    params = {"after": after}
    if seen:
        params["seen"] = "1"
    return session.get("%s/my/exchange/%d/messages" % (server.url, channel),
                       params=params)


def home_unread(server, session):
    home = session.get(server.url + "/my/home").text
    return int(re.search(
        r'o_prm_home_exchange" data-unread="(\d+)"', home).group(1))


def test_director_sees_own_channels_with_unread_counters(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    page = session.get(odoo_server.url + "/my/exchange")
    assert page.status_code == 200
    listed = dict(re.findall(
        r'data-channel-id="(\d+)" data-unread="(\d+)"', page.text))
    network = channel_id(odoo_server, NETWORK)
    nord = channel_id(odoo_server, "Händler-Austausch Nord")
    assert set(listed) == {str(network), str(nord)}
    assert SOUTH not in page.text
    assert int(listed[str(network)]) >= 1  # demo: the latest messages are unread
    assert home_unread(odoo_server, session) >= 1


def test_channel_of_another_region_is_not_revealed(odoo_server):
    south = channel_id(odoo_server, SOUTH)
    session = odoo_server.web_login("director01", "demo")
    base = "%s/my/exchange/%d" % (odoo_server.url, south)
    assert session.get(base).status_code == 404
    assert session.get(base + "/messages", params={"after": 0}).status_code == 404
    assert session.get(odoo_server.url + "/my/exchange/999999").status_code == 404
    token = uuid.uuid4().hex
    network_page = session.get(
        "%s/my/exchange/%d" % (odoo_server.url, channel_id(odoo_server, NETWORK)))
    refused = session.post(base + "/post", data={
        "text": token, "csrf_token": csrf_token(network_page.text)},
        allow_redirects=False)
    assert refused.status_code == 404
    assert not messages_with(odoo_server, south, token)
    # XML-RPC: the channel, its messages and its memberships stay closed
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.execute("director01", None, "mail.channel", "read", [south],
                            ["name"])
    assert "mail.channel" in error.value.faultString  # (text in German)
    assert odoo_server.execute("director01", None, "mail.channel", "search",
                               [("id", "=", south)]) == []
    assert odoo_server.execute(
        "director01", None, "mail.message", "search_read",
        [("model", "=", "mail.channel"), ("res_id", "=", south)],
        fields=["body"]) == []
    south_message = odoo_server.execute(
        "admin", None, "mail.message", "search",
        [("model", "=", "mail.channel"), ("res_id", "=", south)], limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "mail.message", "read",
                            south_message, ["body"])
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "mail.channel.partner", "create", {
            "channel_id": south, "partner_id": partner_of(odoo_server, "director01")})
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "mail.channel", "message_post",
                            [south], body=token, message_type="comment",
                            subtype="mail.mt_comment")
    assert not messages_with(odoo_server, south, token)


def test_bookkeeper_is_refused(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("bookkeeper01", "demo")
    for path in ("/my/exchange", "/my/exchange/%d" % network,
                 "/my/exchange/%d/messages" % network):
        response = session.get(odoo_server.url + path)
        assert response.status_code == 403, path
    assert "o_prm_access_denied" in session.get(
        odoo_server.url + "/my/exchange").text
    home = session.get(odoo_server.url + "/my/home")
    assert home.status_code == 200 and "/my/exchange" not in home.text
    # a page of the bookkeeper's with a form, for a valid CSRF token
    security = session.get(odoo_server.url + "/my/security")
    refused = session.post(
        "%s/my/exchange/%d/post" % (odoo_server.url, network),
        data={"text": "x", "csrf_token": csrf_token(security.text)},
        allow_redirects=False)
    assert refused.status_code == 403


def test_messages_flow_between_portal_and_backend(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director02", "demo")
    token = "Portal-%s" % uuid.uuid4().hex
    response = post(odoo_server, session, network,
                    "Gebrauchtpreise %s\nzweite Zeile" % token)
    assert response.status_code == 303
    found = messages_with(odoo_server, network, token, login="prm.manager")
    assert len(found) == 1
    assert found[0]["author_id"][0] == partner_of(odoo_server, "director02")
    assert "<br>" in found[0]["body"]
    page = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    last = int(re.search(r'data-last-id="(\d+)"', page.text).group(1))
    assert poll(odoo_server, session, network, after=last).json() == {
        "messages": [], "last_id": last}

    token = "Zentrale-%s" % uuid.uuid4().hex
    posted = odoo_server.execute(
        "prm.manager", None, "mail.channel", "message_post", [network],
        body="<p>Hinweis der Zentrale %s</p>" % token, message_type="comment",
        subtype="mail.mt_comment")
    news = poll(odoo_server, session, network, after=last).json()
    assert [m["id"] for m in news["messages"]] == [posted]
    assert token in news["messages"][0]["html"]
    assert "Claudia Zentral" in news["messages"][0]["html"]
    assert news["last_id"] == posted
    page = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    assert token in page.text and 'data-last-id="%d"' % posted in page.text


def test_html_and_script_are_shown_as_text(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director03", "demo")
    token = uuid.uuid4().hex
    payload = '<script>alert("%s")</script><img src=x onerror=alert(1)><b>fett</b>' % (
        token)
    assert post(odoo_server, session, network, payload).status_code == 303
    page = session.get("%s/my/exchange/%d" % (odoo_server.url, network)).text
    assert '&lt;script&gt;alert("%s")&lt;/script&gt;' % token in page
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;fett&lt;/b&gt;" in page
    assert '<script>alert("%s")' % token not in page
    assert "<img src" not in page.split('o_prm_exchange_thread')[1]
    stored = messages_with(odoo_server, network, token)[0]["body"]
    assert "<script" not in stored and "&lt;script&gt;" in stored


def test_rate_limit_refuses_the_sixth_message_in_a_minute(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director04", "demo")
    token = uuid.uuid4().hex
    for index in range(5):
        assert post(odoo_server, session, network,
                    "%s Nummer %d" % (token, index)).status_code == 303
    refused = post(odoo_server, session, network, "%s zu viel" % token)
    assert refused.status_code == 400
    assert "o_prm_exchange_error" in refused.text
    assert "%s zu viel" % token in refused.text  # the text is kept in the form
    assert len(messages_with(odoo_server, network, token)) == 5


def test_too_long_text_and_bad_attachment_are_refused(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director05", "demo")
    token = uuid.uuid4().hex
    too_long = post(odoo_server, session, network, token + "x" * 4000)
    assert too_long.status_code == 400 and "o_prm_exchange_error" in too_long.text
    bad = post(odoo_server, session, network, token + " exe",
               files={"attachment": ("tool.exe", b"MZ\x90\0", "application/pdf")})
    assert bad.status_code == 400 and "o_prm_exchange_error" in bad.text
    assert not messages_with(odoo_server, network, token)
    good = post(odoo_server, session, network, token + " Foto",
                files={"attachment": ("maschine.png", PNG, "image/png")})
    assert good.status_code == 303
    attachment = messages_with(odoo_server, network, token)[0]["attachment_ids"][0]
    download = session.get("%s/web/content/%d?download=true" % (
        odoo_server.url, attachment))
    assert download.status_code == 200 and download.content == PNG
    outsider = odoo_server.web_login("bookkeeper05", "demo")
    assert outsider.get("%s/web/content/%d?download=true" % (
        odoo_server.url, attachment)).content != PNG


def test_muted_member_reads_but_cannot_post(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    membership = odoo_server.execute(
        "prm.manager", None, "mail.channel.partner", "search",
        [("channel_id", "=", network),
         ("partner_id", "=", partner_of(odoo_server, "director06"))])
    with pytest.raises(xmlrpc.client.Fault):  # a territory manager cannot mute
        odoo_server.execute("tm.nord", None, "mail.channel.partner", "write",
                            membership, {"prm_muted": True})
    session = odoo_server.web_login("director06", "demo")
    form = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    odoo_server.execute("prm.manager", None, "mail.channel.partner", "write",
                        membership, {"prm_muted": True})
    try:
        page = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
        assert page.status_code == 200
        assert "o_prm_exchange_muted" in page.text
        assert "o_prm_exchange_form" not in page.text
        token = uuid.uuid4().hex
        refused = session.post(
            "%s/my/exchange/%d/post" % (odoo_server.url, network),
            data={"text": token, "csrf_token": csrf_token(form.text)},
            allow_redirects=False)
        assert refused.status_code == 400 and "o_prm_exchange_error" in refused.text
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.execute("director06", None, "mail.channel", "message_post",
                                [network], body=token, message_type="comment",
                                subtype="mail.mt_comment")
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.execute("director06", None, "mail.channel.partner", "write",
                                membership, {"prm_muted": False})
        assert not messages_with(odoo_server, network, token)
    finally:
        odoo_server.execute("prm.manager", None, "mail.channel.partner", "write",
                            membership, {"prm_muted": False})


def test_hidden_message_disappears_from_the_portal(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    token = uuid.uuid4().hex
    message = odoo_server.execute(
        "prm.manager", None, "mail.channel", "message_post", [network],
        body="Versehentlich gepostet %s" % token, message_type="comment",
        subtype="mail.mt_comment")
    session = odoo_server.web_login("director07", "demo")
    url = "%s/my/exchange/%d" % (odoo_server.url, network)
    assert token in session.get(url).text
    odoo_server.execute("prm.manager", None, "mail.message", "action_prm_hide",
                        [message])
    assert token not in session.get(url).text
    assert token not in poll(odoo_server, session, network, after=message - 1).text
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director07", None, "mail.message", "read", [message],
                            ["body"])
    assert messages_with(odoo_server, network, token, "prm.manager")[0]["prm_hidden"]


def test_reading_lowers_the_unread_counter(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director08", "demo")
    before = home_unread(odoo_server, session)
    assert before >= 1
    session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    after_network = home_unread(odoo_server, session)
    assert after_network < before
    for channel in re.findall(r'data-channel-id="(\d+)"', session.get(
            odoo_server.url + "/my/exchange").text):
        session.get("%s/my/exchange/%s" % (odoo_server.url, channel))
    assert home_unread(odoo_server, session) == 0
    posted = odoo_server.execute(
        "prm.manager", None, "mail.channel", "message_post", [network],
        body="Neu %s" % uuid.uuid4().hex, message_type="comment",
        subtype="mail.mt_comment")
    assert home_unread(odoo_server, session) == 1
    poll(odoo_server, session, network, after=posted - 1)  # without seen=1
    assert home_unread(odoo_server, session) == 1
    poll(odoo_server, session, network, after=posted - 1, seen=True)
    assert home_unread(odoo_server, session) == 0


def test_history_is_paged_with_older_link(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director09", "demo")
    url = "%s/my/exchange/%d" % (odoo_server.url, network)
    page = session.get(url).text
    shown = re.findall(r'data-message-id="(\d+)"', page)
    assert len(shown) == 30 and shown == sorted(shown, key=int)
    pages, before = [page], re.search(r'\?before=(\d+)"', page).group(1)
    assert before == shown[0]
    while before:  # follow "older messages" to the beginning
        older_page = session.get(url, params={"before": before}).text
        older_ids = re.findall(r'data-message-id="(\d+)"', older_page)
        assert older_ids and max(map(int, older_ids)) < int(before)
        assert 0 < len(older_ids) <= 30 and "o_prm_exchange_newest" in older_page
        pages.append(older_page)
        link = re.search(r'\?before=(\d+)"', older_page)
        before = link and link.group(1)
    assert "Ab heute gibt es diesen Kanal" in pages[-1]


def thread_text(driver):
    return driver.execute_script(
        "var thread = document.querySelector('.o_prm_exchange_thread');"
        "return thread ? thread.innerText : '';")


@pytest.mark.parametrize("width", [375, 1280])
def test_director_chats_in_chromium(browser, odoo_server, width):
    network = channel_id(odoo_server, NETWORK)
    login = {375: "director14", 1280: "director16"}[width]  # rate limit per user
    browser.set_window_size(width, 900)
    browser_login(browser, odoo_server, login)
    browser.get(odoo_server.url + "/my/exchange")
    link = WebDriverWait(browser, 30).until(EC.element_to_be_clickable(
        (By.CSS_SELECTOR, '.o_prm_exchange_channel[data-channel-id="%d"]' % network)))
    link.click()
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_exchange_thread")))
    token = uuid.uuid4().hex[:10]
    browser.find_element(By.ID, "o_prm_exchange_text").send_keys(
        "Hat jemand Kapazität frei? %s" % token)
    browser.find_element(By.CSS_SELECTOR, ".o_prm_exchange_send").click()
    # the form posts and the page reloads: read the thread by script, so a
    # node of the page being replaced never goes stale under us
    WebDriverWait(browser, 30).until(lambda d: token in thread_text(d))
    assert token in browser.execute_script(
        "var own = document.querySelectorAll('.o_prm_exchange_message.o_prm_own');"
        "return own.length ? own[own.length - 1].innerText : '';")

    answer = "Antwort der Zentrale %s" % uuid.uuid4().hex[:10]
    started = time.time()
    odoo_server.execute("prm.manager", None, "mail.channel", "message_post",
                        [network], body=answer, message_type="comment",
                        subtype="mail.mt_comment")
    WebDriverWait(browser, 20).until(lambda d: answer in thread_text(d))
    assert time.time() - started < 15  # arrived by polling, without reload
    assert browser.execute_script(
        "return document.querySelectorAll('.o_prm_exchange_message').length") == 31
    page_width = browser.execute_script(
        "return document.documentElement.scrollWidth")
    assert page_width <= browser.execute_script("return window.innerWidth")
    screenshot(browser, "portal-exchange-%s-%d" % (login, width))
    assert not severe_console_errors(browser)


def rpc_post(server, session, channel, body):
    response = session.post(server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "model": "mail.channel", "method": "message_post",
            "args": [[channel]], "kwargs": {"body": body, "message_type": "comment",
                                            "subtype": "mail.mt_comment"}}})
    return response.json()


# injected content: images, styled elements, links to elsewhere in the thread
INJECTED = """
return Array.from(document.querySelectorAll(
        '.o_prm_exchange_thread img, .o_prm_exchange_thread [style],'
        + '.o_prm_exchange_thread a[href*="evil"], .o_prm_exchange_thread script'))
    .map(e => e.outerHTML.slice(0, 200));
"""


def test_dealer_html_renders_as_text_for_other_members(browser, odoo_server):
    """Reviewer: a director's HTML over RPC was shown raw to every member."""
    from .test_hostile_input import assert_inert

    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director17", "demo")
    token = uuid.uuid4().hex
    assert "result" in rpc_post(odoo_server, session, network, PHISHING % token)
    hostile_name = "<img src=x onerror=window.__pwned=1>%s.png" % token[:6]
    assert post(odoo_server, session, network, "Anhang %s" % token, files={
        "attachment": (hostile_name, PNG, "image/png")}).status_code == 303
    browser_login(browser, odoo_server, "director18")
    text = assert_inert(browser, "%s/my/exchange/%d" % (odoo_server.url, network),
                        wait_for_text="Anhang %s" % token)
    assert not browser.execute_script(INJECTED)
    assert "ZENTRALE: Ihr Zugang läuft ab %s" % token in text
    assert "https://evil.example/phish" in text  # visible, not a link
    assert hostile_name in text
    # a message arriving by polling (exchange.js) renders the same way
    later = uuid.uuid4().hex
    assert "result" in rpc_post(odoo_server, session, network, PHISHING % later)
    WebDriverWait(browser, 30).until(lambda d: later in thread_text(d))
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert not browser.execute_script(INJECTED)
    assert not severe_console_errors(browser)
