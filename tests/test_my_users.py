"""A managing director manages his company's users on /my/users (issue 22).

Every test gets a dealer of its own (``new_company``): two directors and a
bookkeeper who sign in with password and SMS code, so the changes here
touch no demo user another test relies on.
"""
import re
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import (
    clear_session, screenshot, severe_console_errors, use_cookies)
from .odoo_server import csrf_token
from .test_2fa import invitation_link, start_login, user_field
from .test_factor_change import PAUSED, set_changed
from .test_portal_browser import browser_login

PASSWORD = "Pw-Users-2026!"


def group(server, xmlid):
    return server.execute("admin", None, "ir.model.data", "xmlid_to_res_id", xmlid)


def new_company(server, lang="en_US"):
    """A fresh dealer with directors ``d1``, ``d2`` and bookkeeper ``bk``
    (logins; ``d1`` speaks ``lang``); returns a dict with ``dealer`` (id)."""
    marker = uuid.uuid4().hex[:8]
    dealer = server.execute("admin", None, "res.partner", "create", {
        "name": "T Users %s" % marker, "is_company": True,
        "prm_is_dealer": True, "prm_state": "active"})
    company = {"dealer": dealer, "marker": marker}
    for key, role, user_lang in (("d1", "director", lang),
                                 ("d2", "director", "en_US"),
                                 ("bk", "bookkeeper", "en_US")):
        login = "users.%s.%s@dealer.example" % (key, marker)
        partner = server.execute("admin", None, "res.partner", "create", {
            "name": "%s %s" % (key.upper(), marker), "parent_id": dealer,
            "email": login, "lang": user_lang,
            "mobile": "+49 160 %08d" % (uuid.uuid4().int % 10 ** 8)})
        server.execute("admin", None, "res.users", "create", {
            "name": "%s %s" % (key.upper(), marker), "login": login,
            "password": PASSWORD, "partner_id": partner, "lang": user_lang,
            "groups_id": [(6, 0, [group(
                server, "prm_partner_portal.group_prm_portal_" + role)])]})
        company[key] = login
    return company


def signed_in_as(server, login):
    return server.web_login(login, PASSWORD)


def users_page(server, session):
    return session.get(server.url + "/my/users")


def post(server, session, path, **data):
    page = session.get(server.url + "/my/security")   # a page with a form
    data.setdefault("csrf_token", csrf_token(page.text))
    return session.post(server.url + path, data=data, allow_redirects=False)


def invite(server, session, **values):
    data = {"name": "Bea Buchhalterin", "email": "users.bea.%s@dealer.example" %
            uuid.uuid4().hex[:8], "mobile": "0151 %08d" % (
                uuid.uuid4().int % 10 ** 8), "portal_class": "bookkeeper"}
    data.update(values)
    return post(server, session, "/my/users/invite", **data), data


def change(server, session, user_id, **data):
    return post(server, session, "/my/users/%d/change" % user_id, **data)


def state(server, login):
    user = server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)], fields=[
                              "active", "prm_portal_class", "groups_id"],
                          context={"active_test": False})
    return user[0] if user else None


def company_counts(server, company):
    return (server.execute("admin", None, "res.partner", "search_count",
                           [("parent_id", "=", company["dealer"])],
                           context={"active_test": False}),
            server.execute("admin", None, "res.users", "search_count",
                           [("commercial_partner_id", "=", company["dealer"])],
                           context={"active_test": False}),
            len(audit(server, company)))


def audit(server, company):
    """The changes head office sees on the dealer form (as prm.manager)."""
    dealer = server.execute("prm.manager", None, "res.partner", "read",
                            [company["dealer"]], ["prm_user_event_ids"])[0]
    return server.execute("prm.manager", None, "prm.portal.user.event", "read",
                          dealer["prm_user_event_ids"],
                          ["action", "user_id", "author_id", "create_date"])


@pytest.fixture
def company(odoo_server):
    return new_company(odoo_server)


def test_director_lists_only_own_company_users(odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    page = users_page(odoo_server, session)
    assert page.status_code == 200
    shown = {int(i) for i in re.findall(r'data-user-id="(\d+)"', page.text)}
    assert shown == {user_field(odoo_server, company[key], "id")
                     for key in ("d1", "d2", "bk")}
    assert 'href="/my/users"' in session.get(odoo_server.url + "/my/home").text


def test_invite_deactivate_reactivate_reclass_audited(odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    response, data = invite(odoo_server, session)
    assert response.status_code in (302, 303), response.text[:500]
    new = state(odoo_server, data["email"])
    assert new["active"] and new["prm_portal_class"] == "bookkeeper"
    assert user_field(odoo_server, data["email"], "commercial_partner_id")[0] == \
        company["dealer"]
    assert invitation_link(odoo_server, data["email"])
    for values, expected in (({"active": "0"}, (False, "bookkeeper")),
                             ({"active": "1"}, (True, "bookkeeper")),
                             ({"portal_class": "director"}, (True, "director"))):
        response = change(odoo_server, session, new["id"], **values)
        assert response.status_code in (302, 303), response.text[:500]
        after = state(odoo_server, data["email"])
        assert (after["active"], after["prm_portal_class"]) == expected
    events = audit(odoo_server, company)
    assert [e["action"] for e in events] == [
        "class_changed", "reactivated", "deactivated", "invited"]
    assert {e["author_id"][0] for e in events} == {
        user_field(odoo_server, company["d1"], "id")}


@pytest.mark.expected_log(
    r"WARNING .*odoo\.http: (CSRF validation failed|No CSRF validation)")
def test_posts_need_the_csrf_token(odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    before = company_counts(odoo_server, company)
    response, _data = invite(odoo_server, session, csrf_token="x")
    assert response.status_code == 400
    bk = user_field(odoo_server, company["bk"], "id")
    assert change(odoo_server, session, bk, active="0",
                  csrf_token="").status_code == 400
    assert company_counts(odoo_server, company) == before
    assert state(odoo_server, company["bk"])["active"]


def test_other_companies_and_internal_users_are_not_found(odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    others = [user_field(odoo_server, login, "id")
              for login in ("director01", "bookkeeper01", "prm.manager", "admin")]
    for user_id in others + [987654321]:
        before = state(odoo_server, "director01")
        for data in ({"active": "0"}, {"portal_class": "bookkeeper"}):
            response = change(odoo_server, session, user_id, **data)
            assert response.status_code == 404, (user_id, data)
        assert state(odoo_server, "director01") == before
    # ids and groups in the body are ignored: the invitee is a bookkeeper of
    # the own company, nothing else
    response, data = invite(
        odoo_server, session, user_id=str(others[0]), groups_id="1",
        dealer_id=str(user_field(odoo_server, "director01",
                                 "commercial_partner_id")[0]))
    assert response.status_code in (302, 303)
    new = state(odoo_server, data["email"])
    assert set(new["groups_id"]) <= {
        group(odoo_server, "base.group_portal"),
        group(odoo_server, "prm_partner_portal.group_prm_portal_bookkeeper")}
    assert user_field(odoo_server, data["email"], "commercial_partner_id")[0] == \
        company["dealer"]


def test_bookkeeper_is_refused(odoo_server, company):
    session = signed_in_as(odoo_server, company["bk"])
    page = users_page(odoo_server, session)
    assert page.status_code == 403 and "o_prm_access_denied" in page.text
    before = company_counts(odoo_server, company)
    page_token = csrf_token(session.get(odoo_server.url + "/my/security").text)
    d2 = user_field(odoo_server, company["d2"], "id")
    for path, data in (("/my/users/invite", {"name": "X", "email": "x@y.example",
                                             "mobile": "0151 1234567"}),
                       ("/my/users/%d/change" % d2, {"active": "0"})):
        response = session.post(odoo_server.url + path, data=dict(
            data, csrf_token=page_token), allow_redirects=False)
        assert response.status_code in (403, 404)
    assert company_counts(odoo_server, company) == before
    assert 'href="/my/users"' not in session.get(odoo_server.url + "/my/home").text


def test_half_signed_in_is_sent_to_the_login(odoo_server, company):
    session, page = start_login(odoo_server, login=company["d1"],
                                password=PASSWORD)
    assert page.url.endswith("/web/login/2fa")
    response = session.get(odoo_server.url + "/my/users", allow_redirects=False)
    assert response.status_code in (302, 303)
    assert "/web/login" in response.headers["Location"]
    response = session.post(odoo_server.url + "/my/users/invite", data={
        "csrf_token": csrf_token(page.text), "name": "X",
        "email": "half@users.example", "mobile": "0151 1234567"},
        allow_redirects=False)
    assert response.status_code in (302, 303)
    assert not state(odoo_server, "half@users.example")


def test_bad_input_gets_a_german_message_and_stores_nothing(odoo_server):
    company = new_company(odoo_server, lang="de_DE")
    session = signed_in_as(odoo_server, company["d1"])
    before = company_counts(odoo_server, company)
    cases = [
        ({"email": company["bk"].upper()}, "existiert bereits"),
        ({"email": "director01@x.example", "mobile": "0151 abc"}, "Ziffern"),
        ({"mobile": "12"}, "keine gültige"),
        ({"email": "kein-at"}, "gültige E-Mail"),
        ({"name": " "}, "Namen"),
    ]
    for values, german in cases:
        response, _data = invite(odoo_server, session, **values)
        assert response.status_code == 400, values
        assert german in response.text, (values, response.text[:3000])
        assert "Traceback" not in response.text
    assert company_counts(odoo_server, company) == before
    odoo_server.execute("admin", None, "res.partner", "write",
                        [company["dealer"]], {"prm_user_limit": 3})
    response, data = invite(odoo_server, session)
    assert response.status_code == 400 and "höchstens 3" in response.text
    assert not state(odoo_server, data["email"])
    assert company_counts(odoo_server, company) == before


def test_no_self_service_on_the_own_account_and_one_director_remains(
        odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    me = user_field(odoo_server, company["d1"], "id")
    for data in ({"active": "0"}, {"portal_class": "bookkeeper"}):
        response = change(odoo_server, session, me, **data)
        assert response.status_code == 400
        assert "your own account" in response.text
    assert state(odoo_server, company["d1"])["prm_portal_class"] == "director"
    d2 = user_field(odoo_server, company["d2"], "id")
    assert change(odoo_server, session, d2, portal_class="bookkeeper") \
        .status_code in (302, 303)
    # no role but the two portal classes
    assert change(odoo_server, session, d2, portal_class="manager") \
        .status_code == 400
    assert state(odoo_server, company["d2"])["prm_portal_class"] == "bookkeeper"


def test_head_office_lock(odoo_server, company):
    odoo_server.execute("prm.manager", None, "res.partner", "write",
                        [company["dealer"]], {"prm_user_selfservice_locked": True})
    session = signed_in_as(odoo_server, company["d1"])
    page = users_page(odoo_server, session)
    assert "o_prm_users_locked" in page.text and "o_prm_users_invite" not in page.text
    before = company_counts(odoo_server, company)
    response, _data = invite(odoo_server, session)
    assert response.status_code == 400 and "locked" in response.text
    bk = user_field(odoo_server, company["bk"], "id")
    assert change(odoo_server, session, bk, active="0").status_code == 400
    assert company_counts(odoo_server, company) == before
    assert state(odoo_server, company["bk"])["active"]
    # a director cannot lift the lock himself
    with pytest.raises(Exception):
        odoo_server.call(company["d1"], PASSWORD, "res.partner", "write",
                         [company["dealer"]],
                         {"prm_user_selfservice_locked": False})


def test_user_management_waits_for_the_cooling_off(odoo_server, company):
    session = signed_in_as(odoo_server, company["d1"])
    set_changed(odoo_server, company["d1"], 0)
    before = company_counts(odoo_server, company)
    response, _data = invite(odoo_server, session)
    assert response.status_code == 403
    assert any(word in response.text for word in PAUSED)
    bk = user_field(odoo_server, company["bk"], "id")
    assert change(odoo_server, session, bk, active="0").status_code == 403
    assert company_counts(odoo_server, company) == before
    set_changed(odoo_server, company["d1"], 25)
    assert change(odoo_server, session, bk, active="0").status_code in (302, 303)


def test_deactivated_user_is_signed_out_at_once(odoo_server, company):
    director = signed_in_as(odoo_server, company["d1"])
    bookkeeper = signed_in_as(odoo_server, company["bk"])
    assert bookkeeper.get(odoo_server.url + "/my/home").status_code == 200
    bk = user_field(odoo_server, company["bk"], "id")
    assert change(odoo_server, director, bk, active="0").status_code in (302, 303)
    response = bookkeeper.get(odoo_server.url + "/my/home")
    assert "/web/login" in response.url


# --- cases of tests/test_csrf_and_leaks.py --------------------------------------

def case_users_invite(server):
    company = new_company(server)
    session = signed_in_as(server, company["d1"])
    return session, "/my/users/invite", {
        "name": "Csrf", "email": "users.csrf.%s@dealer.example" % company["marker"],
        "mobile": "0151 %08d" % (uuid.uuid4().int % 10 ** 8),
        "portal_class": "bookkeeper"}, lambda: company_counts(server, company)


def case_users_change(server):
    company = new_company(server)
    session = signed_in_as(server, company["d1"])
    bk = user_field(server, company["bk"], "id")
    return session, "/my/users/%d/change" % bk, {"active": "0"}, \
        lambda: state(server, company["bk"])


# --- the persona flow in Chromium -------------------------------------------------

def test_director_invites_a_bookkeeper_who_signs_in_until_deactivated(
        odoo_server, browser, company):
    browser_login(browser, odoo_server, company["d1"], PASSWORD)
    browser.get(odoo_server.url + "/my/users")
    login = "users.bea.%s@dealer.example" % uuid.uuid4().hex[:8]
    form = browser.find_element(By.CSS_SELECTOR, "form.o_prm_users_invite")
    form.find_element(By.NAME, "name").send_keys("Bea Buchhalterin")
    form.find_element(By.NAME, "email").send_keys(login)
    form.find_element(By.NAME, "mobile").send_keys("0151 2345 %04d" % (
        uuid.uuid4().int % 10 ** 4))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_users_saved"))
    assert login in browser.find_element(
        By.CSS_SELECTOR, ".o_prm_users_table").text
    screenshot(browser, "my-users-director")
    assert not severe_console_errors(browser)
    # the invitee, in the same Chromium: the invitation mail's link
    director_cookies = browser.get_cookies()
    clear_session(browser)
    browser.get(invitation_link(odoo_server, login))
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.NAME, "confirm_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    browser.find_element(By.NAME, "code").send_keys(odoo_server.latest_code(login))
    browser.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login" not in d.current_url)
    browser.get(odoo_server.url + "/my/home")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_home"))
    invitee_cookies = browser.get_cookies()
    # the director deactivates him in his own session (his cookies back)
    use_cookies(browser, director_cookies, odoo_server.url)
    browser.get(odoo_server.url + "/my/users")
    user_id = user_field(odoo_server, login, "id")
    row = browser.find_element(
        By.CSS_SELECTOR, 'tr[data-user-id="%d"]' % user_id)
    row.find_element(By.CSS_SELECTOR, "form.o_prm_user_active button").click()
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_users_saved"))
    assert not state(odoo_server, login)["active"]
    # the bookkeeper's session has ended
    use_cookies(browser, invitee_cookies, odoo_server.url)
    browser.get(odoo_server.url + "/my/home")
    WebDriverWait(browser, 30).until(lambda d: "/web/login" in d.current_url)
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_home")
