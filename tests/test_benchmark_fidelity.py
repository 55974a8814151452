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
