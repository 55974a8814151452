"""Partner programme in Chromium: head office evaluates the tiers and
confirms a proposal in the backend; the dealer's managing director sees the
new tier and the distance to the next one on /my/home (German)."""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import clear_session, screenshot, severe_console_errors
from .test_portal_browser import browser_login

#: demo dealer20 (8 employees, 107 % attainment, 1 certified technician):
#: a service partner the demo's criteria raise to standard
DEALER_XMLID = "prm_demo.demo_dealer20"
DIRECTOR = "director20"
GERMAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+ €$")


def admin(server, model, method, *args, **kwargs):
    return server.execute("admin", None, model, method, *args, **kwargs)


def by_class(node, name):
    return node.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), "
                      "' %s ')]" % name)


def tier_names(server):
    return {tier["code"]: tier["name"] for tier in admin(
        server, "prm.tier", "search_read", [], fields=["code", "name"],
        context={"lang": "de_DE"})}


def test_head_office_confirms_upgrade_and_director_sees_new_tier(
        browser, odoo_server):
    dealer = admin(odoo_server, "ir.model.data", "xmlid_to_res_id", DEALER_XMLID)
    service = admin(odoo_server, "ir.model.data", "xmlid_to_res_id",
                    "prm_partner_portal.tier_service")
    admin(odoo_server, "res.partner", "write", [dealer], {"prm_tier_id": service})
    names = tier_names(odoo_server)
    dealer_name = admin(odoo_server, "res.partner", "read", [dealer],
                        ["name"])[0]["name"]
    action = admin(odoo_server, "ir.model.data", "xmlid_to_res_id",
                   "prm_programme.action_server_prm_tier_evaluate")
    try:
        browser_login(browser, odoo_server, "prm.manager")
        browser.get(odoo_server.url + "/web#action=%d" % action)
        row = WebDriverWait(browser, 90).until(EC.presence_of_element_located((
            By.XPATH, "//tr[contains(@class, 'o_data_row')]"
                      "[td[normalize-space()='%s']]" % dealer_name)))
        screenshot(browser, "backend-tier-proposals-manager")
        assert names["standard"] in row.text
        row.click()
        WebDriverWait(browser, 30).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, ".o_form_view button.o_prm_tier_confirm"))).click()
        WebDriverWait(browser, 30).until(EC.invisibility_of_element_located(
            (By.CSS_SELECTOR, ".o_form_view button.o_prm_tier_confirm")))
        screenshot(browser, "backend-tier-proposal-confirmed")
        assert not severe_console_errors(browser)
        assert admin(odoo_server, "res.partner", "read", [dealer],
                     ["prm_tier_id"])[0]["prm_tier_id"][0] != service
        history = admin(odoo_server, "prm.tier.history", "search_read",
                        [("partner_id", "=", dealer)],
                        fields=["from_tier_id", "to_tier_id", "changed_by_id"],
                        limit=1)[0]
        assert history["from_tier_id"][0] == service
        assert history["changed_by_id"][1] == "Claudia Zentral"

        clear_session(browser)
        browser_login(browser, odoo_server, DIRECTOR)
        browser.get(odoo_server.url + "/my/home")
        card = WebDriverWait(browser, 30).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_prm_tier_card")))
        screenshot(browser, "portal-tier-card-director20")
        assert card.find_element(By.CSS_SELECTOR, ".o_prm_tier_name").text == \
            names["standard"]
        assert names["premium"] in card.find_element(
            By.CSS_SELECTOR, ".o_prm_tier_next").text
        rows = {row.get_attribute("data-criterion"): row for row in
                card.find_elements(By.CSS_SELECTOR, ".o_prm_tier_criteria tbody tr")}
        assert {"revenue_4q", "technicians"} <= set(rows)
        revenue = rows["revenue_4q"]
        assert GERMAN_THOUSANDS.match(
            revenue.find_element(By.CSS_SELECTOR, ".o_prm_tier_threshold").text)
        assert GERMAN_THOUSANDS.match(
            revenue.find_element(By.CSS_SELECTOR, ".o_prm_tier_gap").text)
        assert "Umsatz" in revenue.text  # the criteria in German
        assert not severe_console_errors(browser)
    finally:
        admin(odoo_server, "res.partner", "write", [dealer], {"prm_tier_id": service})


def test_director_sees_grace_warning_and_no_other_dealers_figures(odoo_server):
    """A confirmed downgrade from premium (6 months' grace): the director
    keeps the tier and reads the warning with the German date; the card
    shows his own figures only."""
    from lxml import html

    dealer = admin(odoo_server, "res.users", "search_read",
                   [("login", "=", "director07")],
                   fields=["commercial_partner_id"])[0]["commercial_partner_id"][0]
    ref = {code: admin(odoo_server, "ir.model.data", "xmlid_to_res_id",
                       "prm_partner_portal.tier_%s" % code)
           for code in ("premium", "standard")}
    names = tier_names(odoo_server)
    admin(odoo_server, "res.partner", "write", [dealer],
          {"prm_tier_id": ref["premium"]})
    proposal = None
    try:
        admin(odoo_server, "prm.tier.proposal", "action_prm_run_evaluation")
        proposal = admin(odoo_server, "prm.tier.proposal", "search_read", [
            ("partner_id", "=", dealer), ("state", "=", "proposed")],
            fields=["direction", "to_tier_id"])[0]
        assert proposal["direction"] == "down"
        admin(odoo_server, "prm.tier.proposal", "action_confirm", [proposal["id"]])
        until = admin(odoo_server, "prm.tier.proposal", "read", [proposal["id"]],
                      ["state", "grace_until"])[0]
        assert until["state"] == "grace"
        session = odoo_server.web_login("director07", "demo")
        page = html.fromstring(session.get(odoo_server.url + "/my/home").text)
        card = by_class(page, "o_prm_tier_card")[0]
        assert by_class(card, "o_prm_tier_name")[0].text_content().strip() == \
            names["premium"]
        warning = by_class(card, "o_prm_tier_grace")[0].text_content()
        year, month, day = until["grace_until"].split("-")
        assert "%s.%s.%s" % (day, month, year) in warning
        assert names["standard"] in warning
        assert by_class(card, "o_prm_tier_top")  # premium: no next tier
        # the director's status row is his own; another dealer's is refused
        own = odoo_server.execute("director07", None, "prm.tier.status",
                                  "search_read", [], fields=["partner_id"])
        assert [row["partner_id"][0] for row in own] == [dealer]
    finally:
        if proposal:
            admin(odoo_server, "prm.tier.proposal", "write", [proposal["id"]],
                  {"state": "cancelled"})
        status = admin(odoo_server, "prm.tier.status", "search",
                       [("partner_id", "=", dealer)])
        admin(odoo_server, "prm.tier.status", "write", status,
              {"grace_until": False, "grace_tier_id": False})
        admin(odoo_server, "res.partner", "write", [dealer],
              {"prm_tier_id": ref["standard"]})
