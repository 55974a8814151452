"""Issue 17.1 over real HTTP: the form shows the stored value exactly, and a
save that changes another field neither rewrites nor audits it."""
from .test_benchmark_entry import entry_values, form_fields, open_period, post_entry

LOGIN = "bookkeeper27"


def entry_messages(server, dealer, period_id):
    entries = server.execute("admin", None, "prm.benchmark.entry", "search",
                             [("partner_id", "=", dealer),
                              ("period_id", "=", period_id)])
    return [m["body"] for m in server.execute(
        "admin", None, "mail.message", "search_read",
        [("model", "=", "prm.benchmark.entry"), ("res_id", "in", entries),
         ("body", "!=", False)],
        fields=["body"], order="id desc")]


def test_untouched_field_keeps_its_exact_value_and_no_audit_line(odoo_server):
    period = open_period(odoo_server)
    user = odoo_server.execute("admin", None, "res.users", "search",
                               [("login", "=", LOGIN)])
    odoo_server.execute("admin", None, "res.users", "write", user,
                        {"lang": "de_DE"})
    _stored, dealer = entry_values(odoo_server, LOGIN, period["id"])
    # A fresh entry, also when the test runs again on the same database.
    odoo_server.execute("admin", None, "prm.benchmark.entry", "unlink",
                        odoo_server.execute(
                            "admin", None, "prm.benchmark.entry", "search",
                            [("partner_id", "=", dealer),
                             ("period_id", "=", period["id"])]))
    session = odoo_server.web_login(LOGIN, "demo")
    url = odoo_server.url + "/my/benchmark/entry/%d" % period["id"]
    fields, version = form_fields(session.get(url).text)
    fields.update(value_employees="25,875", value_rev_other="1.000,5")
    response = post_entry(odoo_server, session, period["id"], fields, version)
    assert response.status_code == 200 and "o_prm_saved" in response.text
    stored, dealer = entry_values(odoo_server, LOGIN, period["id"])
    assert stored["Employees (full-time equivalents)"] == 25.875
    # The form shows exactly what is stored, in German.
    fields, version = form_fields(session.get(url).text)
    assert fields["value_employees"] == "25,875"
    assert fields["value_rev_other"] == "1.000,5"
    before = entry_messages(odoo_server, dealer, period["id"])
    assert "25,875" in before[0], before[0]
    # Only another field is changed: the employees are not rewritten.
    fields["value_rev_other"] = "2.000"
    response = post_entry(odoo_server, session, period["id"], fields, version)
    assert response.status_code == 200 and "o_prm_saved" in response.text
    stored, dealer = entry_values(odoo_server, LOGIN, period["id"])
    assert stored["Employees (full-time equivalents)"] == 25.875
    assert stored["Other revenue"] == 2000.0
    after = entry_messages(odoo_server, dealer, period["id"])
    assert len(after) == len(before) + 1
    assert "1.000,5 → 2.000" in after[0], after[0]
    assert "Employees" not in after[0] and "Mitarbeiter" not in after[0]


def test_backend_figures_show_stored_decimals_in_read_only_cells(
        browser, odoo_server):
    """Issue 17/1 in the backend: the entry form's figures list showed a
    stored 25.875 as "25,88" in its read-only cells (Odoo 11 list cells
    ignore the view's digits), only the edited cell had 6 decimals."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from .conftest import screenshot
    from .test_portal_browser import browser_login

    [figure] = odoo_server.execute(
        "admin", None, "prm.benchmark.value", "search_read",
        [("value", ">", 1000)], fields=["value", "entry_id"], limit=1)
    odoo_server.execute("admin", None, "prm.benchmark.value", "write",
                        [figure["id"]], {"value": 1234.5678})
    try:
        browser_login(browser, odoo_server, "prm.manager")
        browser.get(odoo_server.url + "/web#id=%d&model=prm.benchmark.entry"
                    "&view_type=form" % figure["entry_id"][0])
        try:
            WebDriverWait(browser, 90).until(EC.presence_of_element_located(
                (By.CSS_SELECTOR, ".o_form_view .o_data_row")))
        finally:
            screenshot(browser, "backend-entry-figures")
        cells = [cell.text for cell in browser.find_elements(
            By.CSS_SELECTOR, ".o_form_view .o_data_row td")]
        assert "1.234,5678" in cells or "1,234.5678" in cells, cells
        assert not [text for text in cells if text.endswith(",567800")]
    finally:
        odoo_server.execute("admin", None, "prm.benchmark.value", "write",
                            [figure["id"]], {"value": figure["value"]})
