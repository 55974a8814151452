"""Lead routing end to end (real server, Chromium): a new lead from a
touchpoint is routed by head office's rule to the one dealer carrying its
product line; the rule is in the lead's history; the director sees on
/my/leads when the answer is due, in Berlin time, and the time left."""
import datetime
import re
import uuid

import pytest
import pytz
from selenium.webdriver.common.by import By

from .test_partner_portal import dealer_of
from .test_portal_browser import browser_login


@pytest.fixture(scope="module")
def routed_lead(odoo_server):
    server = odoo_server
    marker = uuid.uuid4().hex[:8]
    dealer = dealer_of(server, "director01")
    line = server.execute("admin", None, "prm.product.line", "create",
                          {"name": "T line %s" % marker, "code": "t-%s" % marker})
    server.execute("admin", None, "res.partner", "write", [dealer],
                   {"prm_product_line_ids": [(4, line)]})
    rule = server.execute("admin", None, "prm.routing.rule", "create", {
        "name": "T rule %s" % marker, "sequence": 1, "match_product_line": True})
    touchpoint = server.execute("admin", None, "prm.touchpoint", "search",
                                [("code", "=", "web")])[0]
    lead = server.execute("admin", None, "crm.lead", "create", {
        "name": "T Anfrage %s" % marker, "zip": "49377", "city": "Vechta",
        "prm_touchpoint_id": touchpoint, "prm_product_line_id": line})
    yield {"lead": lead, "dealer": dealer, "rule": rule, "marker": marker}
    server.execute("admin", None, "prm.routing.rule", "write", [rule],
                   {"active": False})


def test_new_lead_is_routed_and_the_rule_is_in_its_history(odoo_server,
                                                           routed_lead):
    lead = odoo_server.execute("admin", None, "crm.lead", "read",
                               [routed_lead["lead"]],
                               ["partner_assigned_id", "prm_routing_rule_id",
                                "prm_dealer_state", "prm_accept_deadline",
                                "message_ids"])[0]
    assert lead["partner_assigned_id"][0] == routed_lead["dealer"]
    assert lead["prm_routing_rule_id"][0] == routed_lead["rule"]
    assert lead["prm_dealer_state"] == "pending" and lead["prm_accept_deadline"]
    bodies = odoo_server.execute("admin", None, "mail.message", "read",
                                 lead["message_ids"], ["body"])
    assert any("T rule %s" % routed_lead["marker"] in m["body"] for m in bodies)


def test_director_sees_the_deadline_in_berlin_time(browser, odoo_server,
                                                   routed_lead):
    deadline = odoo_server.execute("admin", None, "crm.lead", "read",
                                   [routed_lead["lead"]],
                                   ["prm_accept_deadline"])[0]["prm_accept_deadline"]
    berlin = pytz.utc.localize(datetime.datetime.strptime(
        deadline, "%Y-%m-%d %H:%M:%S")).astimezone(pytz.timezone("Europe/Berlin"))
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/leads")
    row = browser.find_element(
        By.CSS_SELECTOR, 'tr[data-lead-id="%d"]' % routed_lead["lead"])
    due = row.find_element(By.CSS_SELECTOR, ".o_prm_lead_due").text
    assert berlin.strftime("%H:%M") in due
    left = row.find_element(By.CSS_SELECTOR, ".o_prm_time_left").text
    assert re.search(r"\d+ h \d\d min", left), left
    browser.get(odoo_server.url + "/my/leads/%d" % routed_lead["lead"])
    assert berlin.strftime("%H:%M") in browser.find_element(
        By.CSS_SELECTOR, "tr.o_prm_lead_due").text
