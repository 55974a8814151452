"""The dealer exchange through Odoo's own routes, RPC and mail gateway.

Issue 14 item 1 (core's public uuid routes and every other core path apply
the exchange's rules or are closed), item 8 (the rate limit holds under
concurrent posts) and issue 17 item 14 (an .xlsx attachment must be a
workbook inside). Each actor below is tried on every path found; the notes
of the branch list them. Each test posts as its own directors (director21
and up): the rate limit counts per user.
"""
import base64
import importlib.util
import os
import re
import threading
import uuid
import xmlrpc.client

import pytest
import requests

from .odoo_server import csrf_token
from .test_2fa import start_login
from .test_exchange import NETWORK, PHISHING, PNG, SOUTH, channel_id, \
    messages_with, partner_of, post

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXE = b"MZ\x90\0" + b"\0" * 200


# --- helpers ---------------------------------------------------------------------
def jsonrpc(server, session, path, params):
    """A JSON-RPC call as the browser makes it; returns the decoded answer."""
    response = session.post(server.url + path, json={
        "jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
        timeout=60)
    return response.json()


def call_kw(server, session, model, method, args, kwargs=None):
    return jsonrpc(server, session, "/web/dataset/call_kw", {
        "model": model, "method": method, "args": args, "kwargs": kwargs or {}})


def channel_uuid(server, channel):
    return server.execute("admin", None, "mail.channel", "read", [channel],
                          ["uuid"])[0]["uuid"]


def any_csrf(server, session):
    for path in ("/my/home", "/web/login/2fa", "/web/login"):
        page = session.get(server.url + path)
        match = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
        if match:
            return match.group(1)
    raise AssertionError("no csrf token for this session")


def membership(server, channel, login):
    return server.execute("prm.manager", None, "mail.channel.partner", "search",
                          [("channel_id", "=", channel),
                           ("partner_id", "=", partner_of(server, login))])


def _office_samples():
    """The addon tests' sample files (one place for both kinds of test)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__))), "addons", "prm_partner_portal", "tests", "office_samples.py")
    spec = importlib.util.spec_from_file_location("office_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OFFICE_SAMPLES = _office_samples()
exchange_workbook = OFFICE_SAMPLES.workbook
zip_of = OFFICE_SAMPLES.zip_of


# --- the actors of issue 14 item 1 ---------------------------------------------------
@pytest.fixture
def actor(request, odoo_server):
    """(kind, session, channel id, login) for one attacker of the exchange."""
    server = odoo_server
    kind = request.param
    if kind == "anonymous":
        yield kind, requests.Session(), channel_id(server, NETWORK), None
    elif kind == "half_signed_in":  # password given, SMS code not yet
        session, page = start_login(server, login="director21")
        assert page.url.endswith("/web/login/2fa")
        yield kind, session, channel_id(server, NETWORK), "director21"
    elif kind == "non_member":  # director01 is a dealer of region Nord
        yield kind, server.web_login("director01", "demo"), \
            channel_id(server, SOUTH), "director01"
    else:
        network = channel_id(server, NETWORK)
        row = membership(server, network, "director39")
        session = server.web_login("director39", "demo")
        server.execute("prm.manager", None, "mail.channel.partner", "write", row,
                       {"prm_muted": True})
        try:
            yield kind, session, network, "director39"
        finally:
            server.execute("prm.manager", None, "mail.channel.partner", "write",
                           row, {"prm_muted": False})


ACTORS = ["anonymous", "half_signed_in", "non_member", "muted_member"]
READERS = ["anonymous", "half_signed_in", "non_member"]  # muted members read


def write_paths(server, session, channel, token):
    """Every way found to store a message in ``channel``; answers ignored."""
    yield "/mail/chat_post", jsonrpc(server, session, "/mail/chat_post", {
        "uuid": channel_uuid(server, channel), "message_content": token})
    yield "message_post", call_kw(server, session, "mail.channel", "message_post",
                                  [[channel]], {"body": token,
                                                "message_type": "comment",
                                                "subtype": "mail.mt_comment"})
    yield "mail.message create", call_kw(
        server, session, "mail.message", "create", [{
            "model": "mail.channel", "res_id": channel, "body": token,
            "message_type": "comment"}])
    yield "/mail/chatter_post", session.post(
        server.url + "/mail/chatter_post", data={
            "res_model": "mail.channel", "res_id": str(channel), "message": token,
            "csrf_token": any_csrf(server, session)},
        headers={"Referer": server.url + "/my/home"}, allow_redirects=False)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_no_path_stores_a_message_for_outsiders_or_muted(odoo_server, actor):
    kind, session, channel, _login = actor
    token = "%s-%s" % (kind, uuid.uuid4().hex)
    for path, _answer in write_paths(odoo_server, session, channel, token):
        assert not messages_with(odoo_server, channel, token), (kind, path)


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_core_uuid_routes_are_closed_for_the_exchange(odoo_server, actor):
    kind, session, channel, _login = actor
    secret = channel_uuid(odoo_server, channel)
    token = "%s-%s" % (kind, uuid.uuid4().hex)
    posted = jsonrpc(odoo_server, session, "/mail/chat_post",
                     {"uuid": secret, "message_content": token})
    assert not posted.get("result")
    assert posted["error"]["code"] == 404
    assert not messages_with(odoo_server, channel, token)
    history = jsonrpc(odoo_server, session, "/mail/chat_history",
                      {"uuid": secret, "limit": 50})
    assert not history.get("result") and history["error"]["code"] == 404


@pytest.fixture
def exchange_marker(odoo_server):
    """A head-office message with a picture in NETWORK and in SOUTH."""
    token = "Zentrale-%s" % uuid.uuid4().hex
    marked = {}
    for name in (NETWORK, SOUTH):
        channel = channel_id(odoo_server, name)
        attachment = odoo_server.execute(
            "prm.manager", None, "ir.attachment", "create", {
                "name": "plan.png", "datas_fname": "plan.png",
                "datas": base64.b64encode(PNG).decode(),
                "res_model": "mail.channel", "res_id": channel})
        odoo_server.execute("prm.manager", None, "mail.channel", "message_post",
                            [channel], body="<p>%s</p>" % token,
                            message_type="comment", subtype="mail.mt_comment",
                            attachment_ids=[attachment])
        marked[channel] = attachment
    return token, marked


@pytest.mark.parametrize("actor", READERS, indirect=True)
def test_no_path_reads_the_exchange_for_outsiders(
        odoo_server, actor, exchange_marker):
    kind, session, channel, _login = actor
    token, attachments = exchange_marker
    server = odoo_server
    answers = {
        "/mail/chat_history": jsonrpc(server, session, "/mail/chat_history", {
            "uuid": channel_uuid(server, channel), "limit": 50}),
        "channel_fetch_message": call_kw(
            server, session, "mail.channel", "channel_fetch_message", [[channel]],
            {"limit": 50}),
        "message_fetch": call_kw(
            server, session, "mail.message", "message_fetch",
            [[("channel_ids", "in", [channel])]], {"limit": 50}),
        "search_read": call_kw(
            server, session, "mail.message", "search_read",
            [[("model", "=", "mail.channel"), ("res_id", "=", channel)]],
            {"fields": ["body"]}),
        "/mail/chatter_fetch": jsonrpc(server, session, "/mail/chatter_fetch", {
            "res_model": "mail.channel", "res_id": channel, "limit": 50}),
        "channel_info": call_kw(server, session, "mail.channel", "channel_info",
                                [[channel]]),
    }
    for path, answer in answers.items():
        assert token not in str(answer), (kind, path)
        assert not answer.get("result"), (kind, path)
    for url in ("/web/content/%d?download=true", "/web/image/%d",
                "/web/content/ir.attachment/%d/datas"):
        response = session.get(server.url + url % attachments[channel])
        assert response.content != PNG, (kind, url)


def test_members_cannot_read_the_uuid(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    secret = channel_uuid(odoo_server, network)
    session = odoo_server.web_login("director40", "demo")
    answers = [
        call_kw(odoo_server, session, "mail.channel", "read", [[network], ["uuid"]]),
        call_kw(odoo_server, session, "mail.channel", "search_read",
                [[("id", "=", network)]], {"fields": ["uuid"]}),
        call_kw(odoo_server, session, "mail.channel", "channel_info", [[network]]),
        call_kw(odoo_server, session, "mail.channel", "export_data",
                [[network], ["uuid"]]),
    ]
    for answer in answers:
        assert secret not in str(answer)
    # the member still reads the channel itself
    name = call_kw(odoo_server, session, "mail.channel", "read",
                   [[network], ["name"]])
    assert name["result"][0]["name"] == NETWORK
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director40", None, "mail.channel", "read", [network],
                            ["uuid"])


def test_exchange_stays_private(odoo_server):
    """A public channel is readable by every visitor (core record rule) and
    broadcast on its public uuid bus channel."""
    network = channel_id(odoo_server, NETWORK)
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.execute("prm.manager", None, "mail.channel", "write",
                            [network], {"public": "public"})
    assert "privat" in error.value.faultString
    assert odoo_server.execute("admin", None, "mail.channel", "read", [network],
                               ["public"])[0]["public"] == "private"
    created = odoo_server.execute("prm.manager", None, "mail.channel", "create", {
        "name": "Austausch %s" % uuid.uuid4().hex[:6], "public": "public",
        "prm_is_exchange": True})
    assert odoo_server.execute("admin", None, "mail.channel", "read", [created],
                               ["public"])[0]["public"] == "private"


def raw_reply(server, channel, token):
    """An e-mail answering the latest message of ``channel`` (Message-Id)."""
    latest = server.execute("admin", None, "mail.message", "search_read",
                            [("model", "=", "mail.channel"),
                             ("res_id", "=", channel),
                             ("message_id", "!=", False)],
                            fields=["message_id"], limit=1, order="id desc")
    return (
        "From: Fremder <fremder@example.com>\r\n"
        "To: austausch@example.com\r\n"
        "Subject: Re: Austausch\r\n"
        "Message-Id: <%s@example.com>\r\n"
        "In-Reply-To: %s\r\nReferences: %s\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n" % (
            uuid.uuid4().hex, latest[0]["message_id"], latest[0]["message_id"],
            token))


def test_mail_gateway_does_not_post_into_the_exchange(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    token = "Mail-%s" % uuid.uuid4().hex
    # as fetchmail does (superuser, no web request)
    odoo_server.execute("admin", None, "mail.thread", "message_process", False,
                        raw_reply(odoo_server, network, token))
    assert not messages_with(odoo_server, network, token)
    # core's unauthenticated SMTP bridge route is closed (it reads the
    # e-mails from a "databases" key beside the JSON-RPC params)
    raw = base64.b64encode(raw_reply(odoo_server, network, token).encode())
    answer = requests.post(odoo_server.url + "/mail/receive", json={
        "jsonrpc": "2.0", "method": "call", "params": {}, "id": 1,
        "databases": {odoo_server.db: raw.decode()}}, timeout=60).json()
    assert answer["error"]["code"] == 404
    assert not messages_with(odoo_server, network, token)


def test_bus_send_is_closed_for_visitors_and_dealers(odoo_server):
    secret = channel_uuid(odoo_server, channel_id(odoo_server, NETWORK))
    for session in (requests.Session(), odoo_server.web_login("director40", "demo")):
        answer = jsonrpc(odoo_server, session, "/longpolling/send", {
            "channel": secret, "message": {"body": "gefälscht"}})
        assert answer["error"]["code"] == 404


# --- issue 14 item 8: the rate limit under concurrency ---------------------------
def test_rate_limit_holds_for_concurrent_posts(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director26", "demo")
    page = session.get("%s/my/exchange/%d" % (odoo_server.url, network))
    token, csrf = uuid.uuid4().hex, csrf_token(page.text)
    start = threading.Barrier(10)
    statuses = []

    def send(index):
        client = requests.Session()
        client.cookies.update(session.cookies)
        start.wait()
        response = client.post(
            "%s/my/exchange/%d/post" % (odoo_server.url, network),
            data={"text": "%s Nummer %d" % (token, index), "csrf_token": csrf},
            allow_redirects=False, timeout=120)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(150)
    assert sorted(statuses) == [303] * 5 + [400] * 5
    assert len(messages_with(odoo_server, network, token)) == 5


def test_rate_limit_counts_every_path(odoo_server):
    """Posts over JSON-RPC and the portal form share one limit."""
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director27", "demo")
    token = uuid.uuid4().hex
    for index in range(3):
        answer = call_kw(odoo_server, session, "mail.channel", "message_post",
                         [[network]], {"body": "%s rpc %d" % (token, index),
                                       "message_type": "comment",
                                       "subtype": "mail.mt_comment"})
        assert answer.get("result"), answer
    for index in range(2):
        assert post(odoo_server, session, network,
                    "%s form %d" % (token, index)).status_code == 303
    refused = call_kw(odoo_server, session, "mail.channel", "message_post",
                      [[network]], {"body": "%s zu viel" % token,
                                    "message_type": "comment",
                                    "subtype": "mail.mt_comment"})
    assert "too fast" in str(refused) or "zu schnell" in str(refused)
    assert len(messages_with(odoo_server, network, token)) == 5


# --- issue 17 item 14: hostile attachments ---------------------------------------
HOSTILE = {
    "zip-with-exe.xlsx": zip_of({"setup.exe": EXE}),
    "workbook-plus-exe.xlsx": zip_of({"xl/media/setup.exe": EXE},
                                     base=exchange_workbook()),
    "macro.xlsx": zip_of({"xl/vbaProject.bin": EXE}, base=exchange_workbook()),
    "exe.pdf": EXE,
    "jpeg.png": b"\xff\xd8\xff\xe0" + b"\0" * 64,
}
HOSTILE_LOGINS = ("director28", "director29", "director30", "director19",
                  "director32")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_attachment_is_refused_in_the_portal(odoo_server, name):
    network = channel_id(odoo_server, NETWORK)
    # one director each (rate limit), of active dealers (members)
    login = HOSTILE_LOGINS[sorted(HOSTILE).index(name)]
    session = odoo_server.web_login(login, "demo")
    token = uuid.uuid4().hex
    refused = post(odoo_server, session, network, token,
                   files={"attachment": (name, HOSTILE[name], XLSX_MIME)})
    assert refused.status_code == 400 and "o_prm_exchange_error" in refused.text
    assert not messages_with(odoo_server, network, token)
    found = odoo_server.execute("admin", None, "ir.attachment", "search",
                                [("datas_fname", "=", name)])
    assert not found


def test_real_workbook_is_accepted_and_downloaded(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director33", "demo")
    token, workbook = uuid.uuid4().hex, exchange_workbook()
    accepted = post(odoo_server, session, network, token,
                    files={"attachment": ("Preise.xlsx", workbook, XLSX_MIME)})
    assert accepted.status_code == 303
    attachment = messages_with(odoo_server, network, token)[0]["attachment_ids"][0]
    download = session.get("%s/web/content/%d?download=true" % (
        odoo_server.url, attachment))
    assert download.content == workbook


def test_hostile_attachment_is_refused_over_rpc(odoo_server):
    """An upload of the dealer's own, linked by message_post over JSON-RPC."""
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director34", "demo")
    token = uuid.uuid4().hex
    upload = call_kw(odoo_server, session, "ir.attachment", "create", [{
        "name": "Preise.xlsx", "datas_fname": "Preise.xlsx",
        "datas": base64.b64encode(HOSTILE["zip-with-exe.xlsx"]).decode()}])
    assert upload.get("result"), upload  # core lets portal users upload
    answer = call_kw(odoo_server, session, "mail.channel", "message_post",
                     [[network]], {"body": token, "message_type": "comment",
                                   "subtype": "mail.mt_comment",
                                   "attachment_ids": [upload["result"]]})
    assert "error" in answer
    assert not messages_with(odoo_server, network, token)


# --- reviewer: HTML, size and names in the exchange ------------------------------
TOO_LARGE = "<b></b>" * 200000 + "x"


def assert_plain(body):
    """Only line breaks and Odoo's paragraph: any other tag came from the author."""
    assert not re.search(r"<(?!br>|/?p>)", body), body
    assert "Bitte hier neu anmelden" in body


def test_dealer_html_is_stored_as_plain_text_on_every_path(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director10", "demo")
    token = uuid.uuid4().hex
    for _path, _answer in write_paths(odoo_server, session, network,
                                      PHISHING % token):
        pass  # /mail/chat_post is closed (404); the others post
    assert post(odoo_server, session, network,
                PHISHING % token).status_code == 303
    stored = messages_with(odoo_server, network, token)
    # message_post and the portal form store (core refuses a dealer's
    # mail.message create, /mail/chatter_post and the uuid route are closed)
    assert len(stored) == 2
    for message in stored:
        assert_plain(message["body"])
        assert "evil.example/phish" in message["body"]  # as text, to see
    subject = call_kw(odoo_server, session, "mail.channel", "message_post",
                      [[network]], {"body": token, "subject": "<b>x</b>" * 100,
                                    "message_type": "comment",
                                    "subtype": "mail.mt_comment"})
    assert "subject" in str(subject) or "Betreff" in str(subject)
    assert len(messages_with(odoo_server, network, token)) == 2


def test_dealer_body_size_is_limited_on_every_path(odoo_server):
    network = channel_id(odoo_server, NETWORK)
    session = odoo_server.web_login("director36", "demo")
    token = uuid.uuid4().hex
    for _path, _answer in write_paths(odoo_server, session, network,
                                      TOO_LARGE + token):
        pass
    refused = call_kw(odoo_server, session, "mail.channel", "message_post",
                      [[network]], {"body": TOO_LARGE + token,
                                    "message_type": "comment",
                                    "subtype": "mail.mt_comment"})
    assert "too large" in str(refused) or "zu groß" in str(refused)
    assert not messages_with(odoo_server, network, token)
    # the visible length counts the text, not the markup
    long_text = "<b>x</b>" * 4001 + token
    answer = call_kw(odoo_server, session, "mail.channel", "message_post",
                     [[network]], {"body": long_text, "message_type": "comment",
                                   "subtype": "mail.mt_comment"})
    assert "too long" in str(answer) or "zu lang" in str(answer)
    assert not messages_with(odoo_server, network, token)


def test_head_office_html_loads_nothing_from_elsewhere(odoo_server):
    network = channel_id(odoo_server, SOUTH)  # keeps the styles out of NETWORK
    token = uuid.uuid4().hex
    odoo_server.execute("prm.manager", None, "mail.channel", "message_post",
                        [network], body=PHISHING % token, message_type="comment",
                        subtype="mail.mt_comment")
    body = messages_with(odoo_server, network, token)[0]["body"]
    assert "evil.example/pixel" not in body and "onerror" not in body
    assert 'rel="nofollow noopener noreferrer"' in body
    assert "<p" in body  # head office keeps its formatting
