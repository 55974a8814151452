"""SMS second factor over real HTTP, with a local fake SMS provider."""
import importlib.util
import json
import os
import time
import xmlrpc.client

import pytest
import requests

from .odoo_server import ROOT, csrf_token

_spec = importlib.util.spec_from_file_location(
    "fake_sms_provider",
    os.path.join(ROOT, "addons", "prm_2fa_sms", "tests", "fake_sms_provider.py"))
fake_sms_provider = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake_sms_provider)

USER = "director05"


@pytest.fixture
def provider(odoo_server):
    """The server sends codes through a fake HTTP provider on 127.0.0.1."""
    with fake_sms_provider.FakeSmsProvider(slow_seconds=3.0) as fake:
        previous = odoo_server.set_2fa_params(
            provider="http", http_url=fake.url, http_format="json",
            http_token="test-token", http_timeout="1")
        reset(odoo_server, USER)
        yield fake
        odoo_server.set_2fa_params(**previous)
        reset(odoo_server, USER)


@pytest.fixture
def limits(odoo_server):
    """Set 2FA limits for one test and restore them afterwards."""
    saved = {}

    def apply(**values):
        saved.update({k: v for k, v in odoo_server.set_2fa_params(**values).items()
                      if k not in saved})
    yield apply
    if saved:
        odoo_server.set_2fa_params(**saved)


def reset(server, login):
    uid = server.execute("admin", None, "res.users", "search",
                         [("login", "=", login)])
    server.execute("admin", None, "res.users", "action_prm_2fa_reset", uid)


def start_login(server, login=USER, password="demo", session=None):
    """Password step only; returns (session, code page response)."""
    session = session or requests.Session()
    page = session.get(server.url + "/web/login")
    response = session.post(server.url + "/web/login", data={
        "login": login, "password": password, "csrf_token": csrf_token(page.text),
        "redirect": ""})
    return session, response


def submit_code(server, session, page, code, trust=False):
    data = {"code": code, "csrf_token": csrf_token(page.text)}
    if trust:
        data["trust_device"] = "1"
    return session.post(server.url + "/web/login/2fa", data=data)


def signed_in(server, session):
    # German users are redirected to /de_DE/my/home first (http_routing).
    response = session.get(server.url + "/my/home")
    return response.status_code == 200 and "/web/login" not in response.url


def events(server, login, event):
    return server.execute("admin", None, "prm.2fa.event", "search_count",
                          [("user_id.login", "=", login), ("event", "=", event)])


def test_login_with_code_from_http_provider(odoo_server, provider):
    session, page = start_login(odoo_server)
    assert page.url.endswith("/web/login/2fa")
    assert not signed_in(odoo_server, session), "password alone signs nobody in"
    message = provider.messages[-1]
    assert message["to"] == "+4915110000010"
    # In the user's language (demo dealers use German), naming the validity.
    assert provider.last_code() in message["text"] and " 5 " in message["text"]
    assert message["headers"].get("Authorization") == "Bearer test-token"
    done = submit_code(odoo_server, session, page, provider.last_code())
    assert done.url.endswith("/my")
    assert signed_in(odoo_server, session)
    assert events(odoo_server, USER, "success") >= 1


def test_wrong_code_is_refused(odoo_server, provider):
    session, page = start_login(odoo_server)
    wrong = "000000" if provider.last_code() != "000000" else "111111"
    response = submit_code(odoo_server, session, page, wrong)
    assert "Der Code ist falsch. Verbleibende Versuche: 4." in response.text
    assert not signed_in(odoo_server, session)


def test_expired_code_is_refused(odoo_server, provider, limits):
    limits(validity_seconds="1")
    session, page = start_login(odoo_server)
    time.sleep(1.5)
    response = submit_code(odoo_server, session, page, provider.last_code())
    assert "Der Code ist abgelaufen" in response.text
    assert not signed_in(odoo_server, session)


def test_code_of_another_login_cannot_be_reused(odoo_server, provider):
    first, page = start_login(odoo_server)
    old_code = provider.last_code()
    assert submit_code(odoo_server, first, page, old_code).url.endswith("/my")
    second, page = start_login(odoo_server)
    if provider.last_code() == old_code:
        pytest.skip("the new random code equals the old one (1 in a million)")
    response = submit_code(odoo_server, second, page, old_code)
    assert "Der Code ist falsch" in response.text
    assert not signed_in(odoo_server, second)


def test_brute_force_hits_the_lockout(odoo_server, provider, limits):
    limits(max_attempts="3", lockout_after_failures="5")
    session, page = start_login(odoo_server)
    right = provider.last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(3):
        page = submit_code(odoo_server, session, page, wrong)
    assert "Zu viele falsche Codes. Fordern Sie einen neuen an." in page.text
    response = submit_code(odoo_server, session, page, wrong)
    assert ("Es ist kein gültiger Code vorhanden" in response.text
            or "Zu viele" in response.text)
    page = session.post(odoo_server.url + "/web/login/2fa/resend",
                        data={"csrf_token": csrf_token(page.text)})
    right = provider.last_code()
    for _attempt in range(2):
        page = submit_code(odoo_server, session, page, wrong)
    assert "gesperrt" in page.text
    assert "Die Zentrale wurde informiert" in page.text
    response = submit_code(odoo_server, session, page, right)
    assert not signed_in(odoo_server, session), "right code refused while locked"
    assert events(odoo_server, USER, "lockout") >= 1
    notices = odoo_server.execute("admin", None, "mail.message", "search_count",
                                  [("subject", "=", "Zwei-Faktor-Sperre")])
    assert notices >= 1
    reset(odoo_server, USER)
    session, page = start_login(odoo_server)
    done = submit_code(odoo_server, session, page, provider.last_code())
    assert done.url.endswith("/my"), "admin reset unlocks"


def test_resend_cooldown(odoo_server, provider, limits):
    limits(resend_cooldown_seconds="30")
    session, page = start_login(odoo_server)
    sent = len(provider.messages)
    response = session.post(odoo_server.url + "/web/login/2fa/resend",
                            data={"csrf_token": csrf_token(page.text)})
    assert "Bitte warten Sie" in response.text and "Sekunden" in response.text
    assert len(provider.messages) == sent
    done = submit_code(odoo_server, session, response, provider.last_code())
    assert done.url.endswith("/my"), "the first code still works"


@pytest.mark.expected_log(r"WARNING .*prm_2fa_service: SMS code for user \d+ not sent")
@pytest.mark.parametrize("mode", ["down", "error500", "reject", "slow"])
def test_provider_failure_is_reported_and_not_counted(odoo_server, provider, mode):
    provider.mode = mode
    failures_before = events(odoo_server, USER, "failure")
    session, page = start_login(odoo_server)
    assert ("Der Code konnte nicht gesendet werden. "
            "Bitte versuchen Sie es gleich noch einmal.") in page.text
    assert 'name="code"' not in page.text
    assert events(odoo_server, USER, "send_failed") >= 1
    assert events(odoo_server, USER, "failure") == failures_before
    provider.mode = "ok"
    page = session.post(odoo_server.url + "/web/login/2fa/resend",
                        data={"csrf_token": csrf_token(page.text)})
    done = submit_code(odoo_server, session, page, provider.last_code())
    assert done.url.endswith("/my"), "sign-in recovers when the provider is back"


def test_json_rpc_authenticate_is_refused(odoo_server):
    session = requests.Session()
    response = session.post(odoo_server.url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "db": odoo_server.db, "login": USER, "password": "demo"}})
    body = response.json()
    assert "error" in body or not body["result"].get("uid")
    info = session.post(odoo_server.url + "/web/session/get_session_info", json={
        "jsonrpc": "2.0", "method": "call", "params": {}}).json()
    assert "error" in info or not info["result"].get("uid")
    assert not signed_in(odoo_server, session)


def test_xmlrpc_with_password_is_refused(odoo_server):
    common = odoo_server.xmlrpc("common")
    assert not common.authenticate(odoo_server.db, USER, "demo", {})
    assert not common.login(odoo_server.db, "admin", "admin")
    uid = odoo_server.execute("admin", None, "res.users", "search",
                              [("login", "=", USER)])[0]
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.xmlrpc("object").execute_kw(
            odoo_server.db, uid, "demo", "res.partner", "search", [[]])
    assert events(odoo_server, USER, "refused") >= 1


def test_api_key_works_for_xmlrpc_only(odoo_server):
    key = odoo_server.api_key(USER)
    uid = odoo_server.xmlrpc("common").authenticate(odoo_server.db, USER, key, {})
    assert uid
    session, response = start_login(odoo_server, password=key)
    assert "Falsche Anmeldedaten/falsches Passwort" in response.text
    assert not signed_in(odoo_server, session)


def test_half_logged_in_session_opens_nothing(odoo_server):
    session, page = start_login(odoo_server)
    assert page.url.endswith("/web/login/2fa")
    for path in ("/web", "/my", "/my/home", "/my/targets"):
        response = session.get(odoo_server.url + path, allow_redirects=False)
        assert response.status_code in (302, 303), path
        assert "/web/login" in response.headers["Location"], path
    rpc = session.post(odoo_server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "res.partner", "method": "search_read", "args": [[]],
            "kwargs": {"fields": ["name"], "limit": 1}}}).json()
    assert "error" in rpc
    assert "result" not in rpc


def test_user_without_mobile_cannot_finish_login(odoo_server):
    login = "nomobile.%d@dealer.example" % int(time.time() * 1000)
    dealer = odoo_server.execute("admin", None, "res.partner", "search",
                                 [("prm_is_dealer", "=", True)], limit=1)[0]
    partner = odoo_server.execute("admin", None, "res.partner", "create",
                                  {"name": "Ohne Handy", "parent_id": dealer})
    odoo_server.execute("admin", None, "res.users", "create", {
        "name": "Ohne Handy", "login": login, "password": "Pw-12345!",
        "partner_id": partner,
        "groups_id": [(6, 0, [odoo_server.execute(
            "admin", None, "ir.model.data", "xmlid_to_res_id",
            "prm_partner_portal.group_prm_portal_director")])]})
    session, page = start_login(odoo_server, login=login, password="Pw-12345!")
    assert "keine bestätigte Mobilfunknummer" in page.text
    assert "wenden Sie sich an die Zentrale" in page.text
    assert 'name="code"' not in page.text
    assert not signed_in(odoo_server, session)


def test_trusted_device_skips_the_code_until_revoked(odoo_server, provider):
    session, page = start_login(odoo_server)
    done = submit_code(odoo_server, session, page, provider.last_code(), trust=True)
    cookie = [c for c in session.cookies if c.name == "prm_2fa_device"]
    assert cookie and cookie[0].has_nonstandard_attr("HttpOnly")
    session.get(odoo_server.url + "/web/session/logout")
    assert not signed_in(odoo_server, session)
    sent = len(provider.messages)
    _session, response = start_login(odoo_server, session=session)
    assert response.url.endswith("/my"), "trusted device: no code needed"
    assert len(provider.messages) == sent
    uid = odoo_server.execute("admin", None, "res.users", "search",
                              [("login", "=", USER)])
    odoo_server.execute("admin", None, "res.users",
                        "action_prm_2fa_revoke_devices", uid)
    session.get(odoo_server.url + "/web/session/logout")
    _session, response = start_login(odoo_server, session=session)
    assert response.url.endswith("/web/login/2fa"), "revoked: code needed again"
    assert done.status_code == 200


def test_audit_and_outbox_are_admin_only(odoo_server):
    assert odoo_server.execute("admin", None, "prm.2fa.event", "search_count", [])
    for login in ("director01", "prm.manager", "tm.nord"):
        for model in ("prm.2fa.event", "prm.sms.outbox", "prm.2fa.challenge"):
            with pytest.raises(xmlrpc.client.Fault):
                odoo_server.execute(login, None, model, "search_read", [],
                                    fields=["id"])


def test_invalid_mobile_is_rejected_on_save(odoo_server):
    partner = odoo_server.execute("admin", None, "res.partner", "create",
                                  {"name": "Mobil Test"})
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.execute("admin", None, "res.partner", "write", [partner],
                            {"mobile": "12345"})
    assert "is not a valid phone number" in error.value.faultString
    odoo_server.execute("admin", None, "res.partner", "write", [partner],
                        {"mobile": "0171 2345678", "country_id": odoo_server.execute(
                            "admin", None, "ir.model.data", "xmlid_to_res_id",
                            "base.de")})
    stored = odoo_server.execute("admin", None, "res.partner", "read", [partner],
                                 ["mobile"])[0]["mobile"]
    assert stored == "+491712345678"


def test_codes_never_appear_in_the_log(odoo_server, provider):
    session, page = start_login(odoo_server)
    code = provider.last_code()
    submit_code(odoo_server, session, page, code)
    with open(odoo_server.log_path) as handle:
        log = handle.read()
    assert code not in log
    assert "+4915110000010" not in log
    assert json.dumps(code) not in log


def test_mobile_change_is_audited_and_the_user_informed(odoo_server):
    user = odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director06")],
                               fields=["partner_id", "email"])[0]
    before = events(odoo_server, "director06", "mobile_changed")
    odoo_server.execute("admin", None, "res.partner", "write",
                        [user["partner_id"][0]], {"mobile": "+49 151 22223333"})
    assert events(odoo_server, "director06", "mobile_changed") == before + 1
    mails = odoo_server.execute("admin", None, "mail.mail", "search_read",
                                [("email_to", "=", user["email"])],
                                fields=["body_html"], order="id desc", limit=1)
    assert mails and "33" in mails[0]["body_html"]
    assert "22223333" not in mails[0]["body_html"], "the number is masked"
