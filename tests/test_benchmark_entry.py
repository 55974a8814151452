"""The figures entry form over real HTTP and in Chromium (German numbers)."""
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot, severe_console_errors
from .odoo_server import csrf_token
from .test_portal_browser import browser_login


def open_period(server):
    return server.execute("admin", None, "prm.benchmark.period", "search_read",
                          [("state", "=", "open")], fields=["name"],
                          order="date_start desc", limit=1)[0]


def entry_values(server, login, period_id):
    dealer = server.execute("admin", None, "res.users", "search_read",
                            [("login", "=", login)],
                            fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]
    values = server.execute("admin", None, "prm.benchmark.value", "search_read",
                            [("partner_id", "=", dealer),
                             ("period_id", "=", period_id)],
                            fields=["input_id", "value"])
    return {v["input_id"][1]: v["value"] for v in values}, dealer


def form_fields(html):
    fields = dict(re.findall(
        r'<input type="text"[^>]*name="(value_\w+)"[^>]*value="([^"]*)"', html))
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return fields, version


def test_bookkeeper_enters_german_numbers_in_chromium(browser, odoo_server):
    period = open_period(odoo_server)
    user = odoo_server.execute("admin", None, "res.users", "search",
                               [("login", "=", "bookkeeper04")])
    odoo_server.execute("admin", None, "res.users", "write", user, {"lang": "de_DE"})
    browser_login(browser, odoo_server, "bookkeeper04")
    browser.set_window_size(375, 900)
    browser.get(odoo_server.url + "/my/benchmark/entry/%d" % period["id"])
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.ID, "value_rev_new")))

    def typed(code, text):
        field = browser.find_element(By.ID, "value_%s" % code)
        field.clear()
        field.send_keys(text)

    typed("rev_new", "1.234.567,89")
    typed("rev_used", "12abc")
    browser.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_field_error")))
    errors = browser.find_elements(By.CSS_SELECTOR, ".has-error .o_prm_field_error")
    assert len(errors) == 1 and "12abc" in errors[0].text
    assert browser.find_element(By.ID, "value_rev_new").get_attribute(
        "value") == "1.234.567,89", "typed values are kept"
    assert browser.find_element(By.ID, "value_rev_used").get_attribute(
        "value") == "12abc"
    screenshot(browser, "benchmark-entry-error-375")
    typed("rev_used", "250.000")
    browser.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_saved")))
    assert browser.find_element(By.ID, "value_rev_new").get_attribute(
        "value") == "1.234.567,89"
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")
    screenshot(browser, "benchmark-entry-saved-375")
    stored, _dealer = entry_values(odoo_server, "bookkeeper04", period["id"])
    assert stored["Revenue new machines"] == pytest.approx(1234567.89)
    assert stored["Revenue used machines"] == 250000.0
    assert not severe_console_errors(browser, allowed_status=(400,))


def post_entry(server, session, period_id, fields, version, action="save"):
    data = dict(fields, version=version, action=action)
    page = session.get(server.url + "/my/benchmark/entry/%d" % period_id)
    data["csrf_token"] = csrf_token(page.text)
    return session.post(server.url + "/my/benchmark/entry/%d" % period_id,
                        data=data)


def test_invalid_input_saves_nothing(odoo_server):
    period = open_period(odoo_server)
    session = odoo_server.web_login("director07", "demo")
    page = session.get(odoo_server.url + "/my/benchmark/entry/%d" % period["id"])
    fields, version = form_fields(page.text)
    before, _dealer = entry_values(odoo_server, "director07", period["id"])
    fields.update(value_rev_new="999", value_employees="-3")
    response = post_entry(odoo_server, session, period["id"], fields, version)
    assert response.status_code == 400
    assert "o_prm_field_error" in response.text
    after, _dealer = entry_values(odoo_server, "director07", period["id"])
    assert after == before


def test_concurrent_edit_is_refused_and_input_kept(odoo_server):
    period = open_period(odoo_server)
    director = odoo_server.web_login("director09", "demo")
    bookkeeper = odoo_server.web_login("bookkeeper09", "demo")
    url = odoo_server.url + "/my/benchmark/entry/%d" % period["id"]
    fields_d, version_d = form_fields(director.get(url).text)
    fields_b, version_b = form_fields(bookkeeper.get(url).text)
    assert version_d == version_b
    fields_b["value_rev_other"] = "1111"
    first = post_entry(odoo_server, bookkeeper, period["id"], fields_b, version_b)
    assert first.status_code == 200 and "o_prm_saved" in first.text
    fields_d["value_rev_other"] = "2222"
    second = post_entry(odoo_server, director, period["id"], fields_d, version_d)
    assert second.status_code == 409
    assert "o_prm_message" in second.text
    assert 'value="2222"' in second.text, "the second user's input is kept"
    stored, _dealer = entry_values(odoo_server, "director09", period["id"])
    assert stored["Other revenue"] == 1111.0


def test_closed_period_cannot_be_changed(odoo_server):
    closed = odoo_server.execute("admin", None, "prm.benchmark.period", "search_read",
                                 [("state", "!=", "open")], fields=["name"],
                                 order="date_start desc", limit=1)[0]
    session = odoo_server.web_login("director02", "demo")
    page = session.get(odoo_server.url + "/my/benchmark/entry/%d" % closed["id"])
    assert page.status_code == 200 and "o_prm_readonly" in page.text
    fields, version = form_fields(page.text)
    before, _dealer = entry_values(odoo_server, "director02", closed["id"])
    fields["value_rev_new"] = "1"
    response = post_entry(odoo_server, session, closed["id"], fields, version)
    assert response.status_code == 409
    after, _dealer = entry_values(odoo_server, "director02", closed["id"])
    assert after == before and before


def test_no_access_to_another_dealers_entry(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    other_period = odoo_server.execute(
        "admin", None, "prm.benchmark.entry", "search_read",
        [("partner_id.name", "!=", False)], fields=["id", "partner_id"], limit=200)
    own = entry_values(odoo_server, "director01", 0)[1]
    foreign = [e for e in other_period if e["partner_id"][0] != own][0]
    import xmlrpc.client
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "prm.benchmark.entry", "read",
                            [foreign["id"]], ["state"])
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("director01", None, "prm.benchmark.value", "create",
                            {"entry_id": foreign["id"], "input_id": 1, "value": 1})
    response = session.get(odoo_server.url + "/my/benchmark/entry/999999")
    assert response.status_code == 404


def test_internal_user_gets_a_clear_refusal(odoo_server):
    session = odoo_server.web_login("tm.nord", "demo")
    response = session.get(odoo_server.url + "/my/benchmark/entry")
    assert response.status_code == 403


def test_entry_saved_by_head_office_shows_head_office(odoo_server):
    """Reviewer: after head office saved (or imported) a dealer's figures,
    the dealer's page /my/benchmark/entry/<period> gave a 500 (the portal user
    may not read the internal user who saved last)."""
    period = open_period(odoo_server)
    _values, dealer = entry_values(odoo_server, "director08", period["id"])
    entry = odoo_server.execute(
        "admin", None, "prm.benchmark.entry", "search",
        [("partner_id", "=", dealer), ("period_id", "=", period["id"])])
    if not entry:
        entry = [odoo_server.execute(
            "admin", None, "prm.benchmark.entry", "create",
            {"partner_id": dealer, "period_id": period["id"]})]
    manager = odoo_server.execute("admin", None, "res.users", "search_read",
                                  [("login", "=", "prm.manager")],
                                  fields=["name"])[0]
    odoo_server.execute("admin", None, "prm.benchmark.entry", "write", entry, {
        "last_saved_by_id": manager["id"], "last_saved_on": "2026-11-02 09:30:00"})
    session = odoo_server.web_login("director08", "demo")
    page = session.get(odoo_server.url + "/my/benchmark/entry/%d" % period["id"])
    assert page.status_code == 200
    saved_by = re.search(r'class="o_prm_last_saved_by">([^<]*)<', page.text)
    assert saved_by and saved_by.group(1) in ("Zentrale", "Head office")
    assert manager["name"] not in page.text


def test_field_missing_from_the_post_stays_unchanged(odoo_server):
    """Reviewer: a POST without some value_* fields cleared those values;
    only a field posted empty clears its value."""
    period = open_period(odoo_server)
    session = odoo_server.web_login("director10", "demo")
    page = session.get(odoo_server.url + "/my/benchmark/entry/%d" % period["id"])
    fields, version = form_fields(page.text)
    fields["value_rev_new"] = "4.321"
    fields["value_rev_other"] = "777"
    first = post_entry(odoo_server, session, period["id"], fields, version)
    assert first.status_code == 200
    before, _dealer = entry_values(odoo_server, "director10", period["id"])
    assert before["Other revenue"] == 777.0
    fields, version = form_fields(first.text)
    posted = {"value_rev_new": "5.000", "value_rev_other": ""}
    second = post_entry(odoo_server, session, period["id"], posted, version)
    assert second.status_code == 200
    after, _dealer = entry_values(odoo_server, "director10", period["id"])
    assert "Other revenue" not in after, "posted empty: cleared"
    assert after["Revenue new machines"] == 5000.0
    untouched = {label: value for label, value in before.items()
                 if label not in ("Other revenue", "Revenue new machines")}
    assert len(untouched) > 3
    assert {label: after.get(label) for label in untouched} == untouched
