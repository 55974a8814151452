"""Authenticator app (TOTP) and recovery codes over real HTTP (issue 21).

Codes are computed here with pyotp from the key the enrolment page shows,
as the user's phone would. Each user is fresh, so tests do not share used
time steps.
"""
import re
import time
import uuid
import xmlrpc.client

import odoo
import pyotp
import pytest
import requests

from .odoo_server import csrf_token
from .test_2fa import (events, jsonrpc, new_code_user, refused_over_xmlrpc,
                       signed_in, start_login, submit_code, user_field)

PASSWORD = "Pw-Totp-2026!"


class App:
    """The authenticator app on the user's phone: a new time step per code."""

    def __init__(self, key):
        self.totp = pyotp.TOTP(key)
        self.last = None

    def code(self):
        step = int(time.time()) // 30
        if self.last is not None and self.last + 1 > step + 1:
            time.sleep((self.last * 30) - time.time() + 0.5)
            step = int(time.time()) // 30
        step = step if self.last is None else max(self.last + 1, step)
        self.last = step
        return self.totp.at(step * 30)

    def used_code(self):
        return self.totp.at(self.last * 30)


def post(server, session, path, page, **data):
    return session.post(server.url + path,
                        data=dict(data, csrf_token=csrf_token(page.text)))


def shown_key(page_text):
    key = re.search(r'class="o_prm_totp_key">([A-Z2-7 ]+)<', page_text)
    assert key, "no key on the page"
    return key.group(1).replace(" ", "")


def shown_codes(page_text):
    block = page_text[page_text.index("o_prm_recovery_codes"):]
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", block)[:10]


def enrol(server, login, password=PASSWORD):
    """Sign in with SMS, set up the authenticator on /my/security.

    Returns (signed-in session, App, recovery codes).
    """
    session = server.web_login(login, password)
    assert signed_in(server, session)
    page = session.get(server.url + "/my/security")
    assert page.status_code == 200 and "o_prm_totp_start" in page.text
    page = post(server, session, "/my/security/totp/start", page)
    assert 'src="data:image/svg+xml;base64,' in page.text, "QR code shown"
    app = App(shown_key(page.text))
    done = post(server, session, "/my/security/totp/confirm", page, code=app.code())
    assert "o_prm_totp_active" in done.text, done.text[-2000:]
    codes = shown_codes(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return session, app, codes


def totp_user(server):
    login = new_code_user(server, password=PASSWORD)
    session, app, codes = enrol(server, login)
    session.get(server.url + "/web/session/logout")
    return login, app, codes


def outbox_count(server, login):
    return server.execute("admin", None, "prm.sms.outbox", "search_count",
                          [("user_id.login", "=", login)])


def test_enrol_on_my_security_and_sign_in_with_the_app(odoo_server):
    login, app, _codes = totp_user(odoo_server)
    assert events(odoo_server, login, "totp_enrolled") == 1
    sms_before = outbox_count(odoo_server, login)
    session, page = start_login(odoo_server, login, PASSWORD)
    assert page.url.endswith("/web/login/2fa")
    assert "o_prm_2fa_totp_hint" in page.text, "the authenticator is the default"
    assert outbox_count(odoo_server, login) == sms_before, "no SMS unless chosen"
    assert not signed_in(odoo_server, session)
    done = submit_code(odoo_server, session, page, app.code())
    assert done.url.endswith("/my") and signed_in(odoo_server, session)
    # The same code (time step) never signs in twice.
    other, page = start_login(odoo_server, login, PASSWORD)
    response = submit_code(odoo_server, other, page, app.used_code())
    assert not signed_in(odoo_server, other), "a used code signed in again"
    assert "bereits verwendet" in response.text or "already used" in response.text
    assert events(odoo_server, login, "failure") >= 1


def test_sms_is_sent_only_when_chosen(odoo_server):
    login, _app, _codes = totp_user(odoo_server)
    sms_before = outbox_count(odoo_server, login)
    session, page = start_login(odoo_server, login, PASSWORD)
    assert "o_prm_2fa_use_sms" in page.text
    page = post(odoo_server, session, "/web/login/2fa/method", page, method="sms")
    assert outbox_count(odoo_server, login) == sms_before + 1
    assert "o_prm_2fa_use_totp" in page.text
    done = submit_code(odoo_server, session, page, odoo_server.latest_code(login))
    assert done.url.endswith("/my") and signed_in(odoo_server, session)


def test_recovery_codes_work_once_each_audited_and_mailed(odoo_server):
    login, _app, codes = totp_user(odoo_server)
    odoo_server.execute("admin", None, "res.users", "write",
                        [user_field(odoo_server, login, "id")], {"lang": "de_DE"})
    session, page = start_login(odoo_server, login, PASSWORD)
    assert "o_prm_2fa_recovery" in page.text
    done = post(odoo_server, session, "/web/login/2fa", page,
                recovery_code=codes[3].upper())
    assert done.url.endswith("/my") and signed_in(odoo_server, session)
    assert events(odoo_server, login, "recovery_used") == 1
    mails = odoo_server.execute("admin", None, "mail.mail", "search_read",
                                [("email_to", "=", login)],
                                fields=["subject", "body_html"], order="id desc",
                                limit=1)
    # in the user's language, with the count left
    assert mails and "Wiederherstellungscode" in mails[0]["subject"]
    assert "9" in mails[0]["body_html"]
    for code in (codes[3], "zzzzz-zzzzz"):
        other, page = start_login(odoo_server, login, PASSWORD)
        refused = post(odoo_server, other, "/web/login/2fa", page, recovery_code=code)
        assert not signed_in(odoo_server, other), code
        assert "Wiederherstellungscode ist falsch" in refused.text or \
            "recovery code is wrong" in refused.text
    assert events(odoo_server, login, "recovery_used") == 1
    other, page = start_login(odoo_server, login, PASSWORD)
    done = post(odoo_server, other, "/web/login/2fa", page, recovery_code=codes[4])
    assert signed_in(odoo_server, other), "another code still works"


def test_password_alone_opens_nothing_for_an_authenticator_user(odoo_server):
    login, _app, _codes = totp_user(odoo_server)
    uid = user_field(odoo_server, login, "id")
    db = odoo_server.db
    assert not odoo_server.xmlrpc("common").authenticate(db, login, PASSWORD, {})
    assert not odoo_server.xmlrpc("common").login(db, login, PASSWORD)
    assert refused_over_xmlrpc(odoo_server, uid, PASSWORD, tries=2)
    for service, method, args in (
            ("common", "login", (db, login, PASSWORD)),
            ("common", "authenticate", (db, login, PASSWORD, {})),
            ("object", "execute_kw", (db, uid, PASSWORD, "res.users", "read",
                                      [[uid], ["name"]]))):
        result, error = jsonrpc(odoo_server, service, method, *args)
        assert error or not result, (service, method, result)
    body = requests.post(odoo_server.url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "db": db, "login": login, "password": PASSWORD}}).json()
    assert "error" in body or not body["result"].get("uid")
    # The half-signed-in session (password given, no code) opens nothing.
    session, page = start_login(odoo_server, login, PASSWORD)
    for path in ("/web", "/my", "/my/home", "/my/security"):
        response = session.get(odoo_server.url + path, allow_redirects=False)
        assert response.status_code in (302, 303), path
        assert "/web/login" in response.headers["Location"], path
    for path in ("/web/dataset/call_kw", "/web/dataset/search_read"):
        rpc = session.post(odoo_server.url + path, json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": "res.users", "method": "search_read", "args": [[]],
                "kwargs": {"fields": ["name"], "limit": 1},
                "fields": ["name"], "limit": 1}}).json()
        assert "error" in rpc and "result" not in rpc, path
    # The set-up routes of the sign-in do not help either.
    post(odoo_server, session, "/web/login/2fa/enrol", page, code="123456")
    post(odoo_server, session, "/my/security/totp/remove", page, code="123456")
    assert not signed_in(odoo_server, session)
    assert odoo_server.execute("admin", None, "res.users", "read", [uid],
                               ["prm_totp_enrolled"])[0]["prm_totp_enrolled"]


def test_lockout_holds_for_authenticator_and_recovery_guesses(odoo_server):
    from .test_2fa import reset
    login, app, codes = totp_user(odoo_server)
    previous = odoo_server.set_2fa_params(lockout_after_failures="3")
    try:
        session, page = start_login(odoo_server, login, PASSWORD)
        right = app.code()
        wrong = "000000" if right != "000000" else "111111"
        page = submit_code(odoo_server, session, page, wrong)
        page = post(odoo_server, session, "/web/login/2fa", page,
                    recovery_code="zzzzz-zzzzz")
        page = submit_code(odoo_server, session, page, wrong)
        assert "gesperrt" in page.text or "locked until" in page.text
        assert events(odoo_server, login, "lockout") == 1
        session, page = start_login(odoo_server, login, PASSWORD)
        assert 'name="code"' not in page.text
        submit_code(odoo_server, session, page, right)
        post(odoo_server, session, "/web/login/2fa", page, recovery_code=codes[0])
        assert not signed_in(odoo_server, session), "signed in while locked"
    finally:
        odoo_server.set_2fa_params(**previous)
        reset(odoo_server, login)
    session, page = start_login(odoo_server, login, PASSWORD)
    done = submit_code(odoo_server, session, page, app.code())
    assert signed_in(odoo_server, session), done.text[-1500:]


def test_removing_the_app_and_new_recovery_codes_need_a_current_code(odoo_server):
    login = new_code_user(odoo_server, password=PASSWORD)
    session, app, codes = enrol(odoo_server, login)
    page = session.get(odoo_server.url + "/my/security")
    wrong = "000000"
    page = post(odoo_server, session, "/my/security/recovery", page, code=wrong)
    assert "o_prm_security_error" in page.text and not shown_codes_safe(page.text)
    page = post(odoo_server, session, "/my/security/totp/remove", page, code=wrong)
    assert "o_prm_security_error" in page.text
    assert user_field(odoo_server, login, "prm_totp_enrolled")
    # an SMS code confirms as well
    page = post(odoo_server, session, "/my/security/sms-code", page)
    page = post(odoo_server, session, "/my/security/recovery", page,
                code=odoo_server.latest_code(login))
    new_codes = shown_codes(page.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert events(odoo_server, login, "recovery_generated") == 1
    page = post(odoo_server, session, "/my/security/totp/remove", page,
                code=app.code())
    assert "o_prm_security_error" not in page.text, page.text[-2000:]
    assert not user_field(odoo_server, login, "prm_totp_enrolled")
    assert events(odoo_server, login, "totp_removed") == 1


def shown_codes_safe(text):
    return "o_prm_recovery_codes" in text and shown_codes(text)


def test_head_office_resets_the_methods(odoo_server):
    login, _app, codes = totp_user(odoo_server)
    uid = user_field(odoo_server, login, "id")
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "res.users",
                            "action_prm_2fa_reset_methods", [uid])

    def reset(who, **identity):
        wizard = odoo_server.execute(who, None, "prm.2fa.reset.wizard", "create",
                                     dict(identity, user_id=uid))
        odoo_server.execute(who, None, "prm.2fa.reset.wizard", "action_confirm",
                            [wizard])

    with pytest.raises(xmlrpc.client.Fault):
        reset("director01", identity_check="callback")
    with pytest.raises(xmlrpc.client.Fault) as error:
        reset("admin")   # no identity check recorded
    assert "identity" in error.value.faultString or \
        "Identität" in error.value.faultString
    assert user_field(odoo_server, login, "prm_totp_enrolled")
    action = odoo_server.execute("admin", None, "res.users",
                                 "action_prm_2fa_reset_methods", [uid])
    assert action["res_model"] == "prm.2fa.reset.wizard"
    reset("admin", identity_check="in_person", identity_note="ID card seen")
    assert events(odoo_server, login, "methods_reset") == 1
    assert events(odoo_server, login, "identity_checked") == 1
    assert not user_field(odoo_server, login, "prm_totp_enrolled")
    session, page = start_login(odoo_server, login, PASSWORD)
    assert "o_prm_2fa_totp_hint" not in page.text and "o_prm_2fa_recovery" \
        not in page.text, "back to the SMS code"


def test_secret_is_encrypted_and_no_admin_reads_it(odoo_server):
    login, app, _codes = totp_user(odoo_server)
    # an administrator who is not the superuser (no access rule binds that one)
    sysadm = "sysadm.%s" % login[5:15]
    odoo_server.execute("admin", None, "res.users", "create", {
        "name": "Sysadmin", "login": sysadm, "groups_id": [(6, 0, [
            odoo_server.execute("admin", None, "ir.model.data", "xmlid_to_res_id",
                                xmlid) for xmlid in ("base.group_user",
                                                     "base.group_system")])]})
    for who in (sysadm, "prm.manager", login):
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.execute(who, None, "prm.2fa.totp", "search_read", [],
                                fields=["secret_enc"])
    uid = user_field(odoo_server, login, "id")
    with odoo.sql_db.db_connect(odoo_server.db).cursor() as cr:
        cr.execute("SELECT secret_enc FROM prm_2fa_totp WHERE user_id = %s", (uid,))
        stored = cr.fetchone()[0]
        cr.execute("SELECT code_hash FROM prm_2fa_recovery_code WHERE user_id = %s",
                   (uid,))
        hashes = [row[0] for row in cr.fetchall()]
    assert app.totp.secret not in stored and stored.startswith("gAAAA")
    assert len(hashes) == 10 and all(h.startswith("$pbkdf2-sha256$") for h in hashes)


def test_policy_requires_the_app_set_up_right_after_the_password(odoo_server):
    login = new_code_user(odoo_server, password=PASSWORD)
    previous = odoo_server.set_2fa_params(portal_methods="totp")
    try:
        session, page = start_login(odoo_server, login, PASSWORD)
        # first the SMS code of the existing number, then the set-up
        assert 'name="code"' in page.text and "o_prm_2fa_use_totp" not in page.text
        page = submit_code(odoo_server, session, page,
                           odoo_server.latest_code(login))
        assert page.url.endswith("/web/login/2fa") and "o_prm_totp_qr" in page.text
        assert not signed_in(odoo_server, session), "not before the set-up"
        for path in ("/my/home", "/web"):
            response = session.get(odoo_server.url + path, allow_redirects=False)
            assert "/web/login" in response.headers.get("Location", ""), path
        app = App(shown_key(page.text))
        wrong = post(odoo_server, session, "/web/login/2fa/enrol", page,
                     code="000000" if app.totp.now() != "000000" else "111111")
        assert "o_prm_2fa_error" in wrong.text and not signed_in(odoo_server, session)
        done = post(odoo_server, session, "/web/login/2fa/enrol", wrong,
                    code=app.code())
        assert len(shown_codes(done.text)) == 10
        assert signed_in(odoo_server, session)
        # removing is refused while the policy requires the app
        page = session.get(odoo_server.url + "/my/security")
        assert "o_prm_totp_remove" not in page.text
        page = post(odoo_server, session, "/my/security/totp/remove", page,
                    code=app.code())
        assert user_field(odoo_server, login, "prm_totp_enrolled")
    finally:
        odoo_server.set_2fa_params(**previous)


def test_director_enrols_in_chromium_and_signs_in_with_the_app(odoo_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    login = new_code_user(odoo_server, password=PASSWORD)
    url = odoo_server.url
    browser.get(url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]")\
        .click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    browser.find_element(By.NAME, "code").send_keys(odoo_server.latest_code(login))
    browser.find_element(By.CSS_SELECTOR,
                         "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login" not in d.current_url)
    browser.get(url + "/my/home")
    browser.find_element(By.CSS_SELECTOR, "a.o_prm_security_link").click()
    WebDriverWait(browser, 30).until(lambda d: "/my/security" in d.current_url)
    browser.find_element(By.CSS_SELECTOR, "button.o_prm_totp_start").click()
    qr = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "img.o_prm_totp_qr"))
    assert qr[0].get_attribute("src").startswith("data:image/svg+xml")
    assert browser.execute_script(
        "return arguments[0].naturalWidth", qr[0]) > 0, "the QR code renders"
    app = App(browser.find_element(By.CSS_SELECTOR, "code.o_prm_totp_key")
              .text.replace(" ", ""))
    browser.find_element(By.ID, "totp_code").send_keys(app.code())
    browser.find_element(By.CSS_SELECTOR,
                         "form.o_prm_totp_confirm button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_totp_active"))
    assert len(browser.find_elements(
        By.CSS_SELECTOR, ".o_prm_recovery_codes li code")) == 10
    browser.get(url + "/web/session/logout")
    browser.get(url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]")\
        .click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, ".o_prm_2fa_totp_hint")
    browser.find_element(By.NAME, "code").send_keys(app.code())
    browser.find_element(By.CSS_SELECTOR,
                         "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login" not in d.current_url)
    browser.get(url + "/my/security")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_totp_active"))
    assert "/web/login" not in browser.current_url


def new_internal_user(server):
    """A fresh head office employee (internal user) with an SMS number."""
    login = "staff.%s@hq.example" % uuid.uuid4().hex[:10]
    partner = server.execute("admin", None, "res.partner", "create", {
        "name": "Staff %s" % login[6:12], "email": login,
        "mobile": "+49 160 %08d" % (uuid.uuid4().int % 10 ** 8)})
    server.execute("admin", None, "res.users", "create", {
        "name": "Staff %s" % login[6:12], "login": login, "password": PASSWORD,
        "partner_id": partner, "groups_id": [(6, 0, [server.execute(
            "admin", None, "ir.model.data", "xmlid_to_res_id", "base.group_user")])]})
    return login


def browser_login(server, browser, login, code=None):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]")\
        .click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    browser.find_element(By.NAME, "code").send_keys(
        code() if code else server.latest_code(login))
    browser.find_element(By.CSS_SELECTOR,
                         "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login" not in d.current_url)


def test_staff_sets_up_the_app_in_the_backend_preferences(odoo_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    login = new_internal_user(odoo_server)
    browser_login(odoo_server, browser, login)
    wait = WebDriverWait(browser, 120)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".o_user_menu"))
    browser.find_element(By.CSS_SELECTOR, ".o_user_menu > a").click()
    wait.until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".o_user_menu a[data-menu=settings]"))[0].click()
    wait.until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".modal button.o_prm_totp_enrol"))[0].click()
    qr = wait.until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".modal img.o_prm_totp_qr"))
    assert qr[0].get_attribute("src").startswith("data:image/svg+xml")
    key = browser.find_element(By.CSS_SELECTOR, ".modal [name=manual_key]").text
    app = App(key.replace(" ", ""))
    browser.find_element(By.CSS_SELECTOR, ".modal input[name=code]")\
        .send_keys(app.code())
    browser.find_element(By.CSS_SELECTOR,
                         ".modal button[name=action_confirm]").click()
    codes = wait.until(lambda d: [
        e for e in d.find_elements(By.CSS_SELECTOR, ".modal [name=recovery_codes]")
        if e.text.strip()])
    assert len(codes[0].text.split()) == 10
    assert user_field(odoo_server, login, "prm_totp_enrolled")
    assert events(odoo_server, login, "totp_enrolled") == 1
    # and the next sign-in asks for the app
    browser.get(odoo_server.url + "/web/session/logout")
    browser_login(odoo_server, browser, login, code=app.code)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".o_user_menu"))


def test_policy_set_up_without_a_number_happens_before_the_session_is_signed_in(
        odoo_server):
    """No number, no app, the app required: the password leads to the set-up
    (trust on first use: this user could not sign in before at all)."""
    login = new_code_user(odoo_server, password=PASSWORD)
    partner = user_field(odoo_server, login, "partner_id")[0]
    odoo_server.execute("admin", None, "res.partner", "write", [partner],
                        {"mobile": False})
    previous = odoo_server.set_2fa_params(portal_methods="totp")
    try:
        sms_before = outbox_count(odoo_server, login)
        session, page = start_login(odoo_server, login, PASSWORD)
        assert "o_prm_totp_qr" in page.text and 'name="code"' in page.text
        assert not signed_in(odoo_server, session)
        # the code form of the code page does not finish this sign-in
        refused = submit_code(odoo_server, session, page, "123456")
        assert "o_prm_totp_qr" in refused.text and not signed_in(odoo_server, session)
        app = App(shown_key(page.text))
        done = post(odoo_server, session, "/web/login/2fa/enrol", refused,
                    code=app.code())
        assert len(shown_codes(done.text)) == 10 and signed_in(odoo_server, session)
        assert outbox_count(odoo_server, login) == sms_before
    finally:
        odoo_server.set_2fa_params(**previous)
