"""Deal registration (issue 20) through the real server: the portal form,
the conflict check between two dealers, and the approval in the web client
(Chromium)."""
import uuid

from lxml import html
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import clear_session, screenshot, severe_console_errors
from .odoo_server import csrf_token
from .test_partner_portal import dealer_of
from .test_portal_browser import browser_login

MODEL = "prm.deal.registration"


def deal_product(server):
    """A saleable product (created once if the database has none)."""
    found = server.execute("admin", None, "product.product", "search",
                           [("sale_ok", "=", True)], limit=1)
    if found:
        return found[0]
    return server.execute("admin", None, "product.product", "create",
                          {"name": "Mähdrescher T", "sale_ok": True})


def customer_form(server, marker, **changes):
    data = {"customer_name": "Hof Ostermann %s GmbH" % marker,
            "customer_street": "Dorfstraße 7", "customer_zip": "49377",
            "customer_city": "Vechta", "customer_vat": "",
            "expected_volume": "12.500,00", "expected_date": "2030-06-30",
            "product_id_0": str(deal_product(server)), "quantity_0": "2"}
    data.update(changes)
    return data


def post_deal(server, session, data):
    page = session.get(server.url + "/my/deals/new")
    assert page.status_code == 200
    return session.post(server.url + "/my/deals/new",
                        data=dict(data, csrf_token=csrf_token(page.text)),
                        allow_redirects=False)


def register_deal(server, session, data):
    """Register through the portal form; returns the new registration's id."""
    response = post_deal(server, session, data)
    assert response.status_code in (302, 303), response.text[:300]
    return int(response.headers["Location"].split("/my/deals/")[1].split("?")[0])


def new_deal(server, login):
    """A registration of ``login``'s company (fuzz and route matrix)."""
    session = server.web_login(login, "demo")
    return register_deal(server, session, customer_form(
        server, uuid.uuid4().hex[:8]))


def read_deal(server, deal_id, fields=("state", "has_conflict", "lead_id",
                                       "expected_volume", "dealer_id")):
    return server.execute("admin", None, MODEL, "read", [deal_id],
                          list(fields))[0]


def test_german_amount_is_parsed_and_bad_input_refused(odoo_server):
    session = odoo_server.web_login("director03", "demo")
    marker = uuid.uuid4().hex[:8]
    count = odoo_server.execute("admin", None, MODEL, "search_count", [])
    bad = post_deal(odoo_server, session, customer_form(
        odoo_server, marker, expected_volume="12,500.00"))
    assert bad.status_code == 400
    error = html.fromstring(bad.text).xpath(
        "//div[contains(@class, 'o_prm_deal_error')]")[0].text_content()
    assert "Zifferngruppierung" in error or "Tausender" in error, error
    # what was typed is still in the form
    assert "Hof Ostermann %s GmbH" % marker in bad.text
    assert odoo_server.execute("admin", None, MODEL, "search_count", []) == count
    deal_id = register_deal(odoo_server, session, customer_form(odoo_server, marker))
    stored = read_deal(odoo_server, deal_id)
    assert stored["expected_volume"] == 12500.0
    assert stored["state"] == "submitted"
    assert stored["dealer_id"][0] == dealer_of(odoo_server, "director03")
    page = session.get(odoo_server.url + "/my/deals/%d" % deal_id)
    assert "12.500,00" in page.text and "Wartet auf Genehmigung" in page.text


def test_second_dealer_registering_the_same_customer_gets_the_conflict(
        odoo_server):
    marker = uuid.uuid4().hex[:8]
    first_session = odoo_server.web_login("director01", "demo")
    second_session = odoo_server.web_login("director02", "demo")
    first_name = odoo_server.execute(
        "admin", None, "res.partner", "read",
        [dealer_of(odoo_server, "director01")], ["name"])[0]["name"]
    vat = "DE%09d" % (int(marker, 16) % 10 ** 9)
    first = register_deal(odoo_server, first_session, customer_form(
        odoo_server, marker, customer_vat=vat))
    second = register_deal(odoo_server, second_session, customer_form(
        odoo_server, marker, customer_vat="",
        customer_name="HOF OSTERMANN %s GmbH & Co. KG" % marker,
        customer_street="Dorfstr. 7"))
    assert not read_deal(odoo_server, first)["has_conflict"]
    assert read_deal(odoo_server, second)["has_conflict"]
    # the approver (tm.nord manages both dealers) sees both, with links
    conflicts = odoo_server.execute(
        "tm.nord", None, "prm.deal.conflict", "search_read",
        [("registration_id", "=", second)], fields=["res_model", "res_id", "name"])
    assert {(c["res_model"], c["res_id"]) for c in conflicts} >= {(MODEL, first)}
    assert any(first_name in c["name"] for c in conflicts)
    assert len(odoo_server.execute("tm.nord", None, MODEL, "search",
                                   [("id", "in", [first, second])])) == 2
    # the second dealer reads "conflicts with an existing registration" only
    page = second_session.get(odoo_server.url + "/my/deals/%d" % second)
    listing = second_session.get(odoo_server.url + "/my/deals")
    assert "Konflikt mit einer bestehenden Registrierung" in page.text
    for text in (page.text, listing.text):
        assert first_name not in text
    assert second_session.get(
        odoo_server.url + "/my/deals/%d" % first).status_code == 404
    data = odoo_server.execute("director02", None, MODEL, "read", [second], [])[0]
    assert "conflict_ids" not in data and first_name not in str(data)
    messages = odoo_server.execute(
        "director02", None, "mail.message", "search_read",
        [("model", "=", MODEL), ("res_id", "in", [first, second])],
        fields=["body", "res_id"])
    assert messages and all(m["res_id"] == second for m in messages)
    assert first_name not in str(messages)
    mails = odoo_server.execute(
        "admin", None, "mail.mail", "search_read",
        [("model", "=", MODEL), ("res_id", "=", second)], fields=["body_html"])
    assert first_name not in str(mails)
    assert not odoo_server.execute("director02", None, MODEL, "search",
                                   [("id", "=", first)])


def test_director_registers_and_territory_manager_approves_in_chromium(
        browser, odoo_server):
    marker = uuid.uuid4().hex[:8]
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/deals/new")
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_deal_form")))
    values = customer_form(odoo_server, marker)
    for name in ("customer_name", "customer_street", "customer_zip",
                 "customer_city", "expected_volume", "quantity_0"):
        browser.find_element(By.NAME, name).send_keys(values[name])
    browser.execute_script(
        "document.getElementsByName('expected_date')[0].value = '2030-06-30';"
        "document.getElementsByName('product_id_0')[0].value = arguments[0];",
        values["product_id_0"])
    browser.find_element(By.CSS_SELECTOR, "button.o_prm_deal_submit").click()
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_deal_created")))
    deal_id = int(browser.find_element(
        By.CSS_SELECTOR, ".o_prm_deal").get_attribute("data-deal-id"))
    assert "Wartet auf Genehmigung" in browser.find_element(
        By.CSS_SELECTOR, ".o_prm_deal_status").text
    assert not severe_console_errors(browser)

    clear_session(browser)
    browser_login(browser, odoo_server, "tm.nord")
    browser.get(odoo_server.url + "/web#model=%s&id=%d&view_type=form" % (
        MODEL, deal_id))
    try:
        WebDriverWait(browser, 90).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, "button.o_prm_deal_decide")))
        browser.find_element(By.CSS_SELECTOR, "button.o_prm_deal_decide").click()
        WebDriverWait(browser, 30).until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, ".modal textarea.o_prm_deal_reason")))
        browser.find_element(By.CSS_SELECTOR, ".modal textarea.o_prm_deal_reason") \
            .send_keys("Kunde passt zum Gebiet")
        browser.find_element(By.CSS_SELECTOR, ".modal button.o_prm_deal_approve") \
            .click()
        WebDriverWait(browser, 30).until(
            lambda d: read_deal(odoo_server, deal_id)["state"] == "approved")
    finally:
        screenshot(browser, "backend-deal-approval-tm-nord")
    assert not severe_console_errors(browser)
    lead_id = read_deal(odoo_server, deal_id)["lead_id"][0]

    clear_session(browser)
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/deals/%d" % deal_id)
    status = browser.find_element(By.CSS_SELECTOR, ".o_prm_deal_status").text
    assert status == "Genehmigt"
    assert "Kunde passt zum Gebiet" in browser.find_element(
        By.CSS_SELECTOR, ".o_prm_deal_reason").text
    assert "genehmigt" in browser.find_element(
        By.CSS_SELECTOR, ".o_prm_deal_history").text
    browser.get(odoo_server.url + "/my/leads")
    assert browser.find_elements(
        By.CSS_SELECTOR, "tr[data-lead-id='%d']" % lead_id)
    screenshot(browser, "portal-deal-approved-director01")
    assert not severe_console_errors(browser)
