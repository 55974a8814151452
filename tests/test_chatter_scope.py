"""Issue 14, item 5 over real HTTP: chatter tracking no longer leaks to dealers.

tm.nord creates a lead for a first dealer of the region, forwards it,
reassigns it to director01's company and forwards again. director01, signed
in with password and SMS code, asks every JSON-RPC path a browser session has
for that lead's messages; nothing of the first dealer's time comes back: not
the "Lead Created" message's tracking values (first dealer, expected revenue,
salesperson, sales team), not the messages from before.
"""
import uuid

import pytest

REVENUE = 87654


def call(session, server, path, **params):
    body = session.post(server.url + path, json={
        "jsonrpc": "2.0", "method": "call", "params": params}, timeout=60).json()
    return body.get("result"), body.get("error")


def call_kw(session, server, model, method, *args, **kwargs):
    return call(session, server, "/web/dataset/call_kw", model=model,
                method=method, args=list(args), kwargs=kwargs)


@pytest.fixture(scope="module")
def scenario(odoo_server):
    server = odoo_server
    director = server.execute("admin", None, "res.users", "search_read",
                              [("login", "=", "director01")],
                              fields=["commercial_partner_id"])[0]
    second = director["commercial_partner_id"][0]
    tm = server.execute("admin", None, "res.users", "search",
                        [("login", "=", "tm.nord")])[0]
    region = server.execute("admin", None, "prm.territory", "search",
                            [("manager_id", "=", tm)])
    first = server.execute("admin", None, "res.partner", "search_read", [
        ("prm_is_dealer", "=", True), ("id", "!=", second),
        ("prm_territory_id", "child_of", region)], fields=["name"], limit=1)[0]
    marker = uuid.uuid4().hex[:8]
    lead = server.execute("tm.nord", None, "crm.lead", "create", {
        "name": "Chatter %s" % marker, "type": "opportunity",
        "partner_assigned_id": first["id"], "planned_revenue": REVENUE,
        "user_id": tm})
    server.execute("tm.nord", None, "crm.lead", "action_prm_forward", [lead])
    server.execute("tm.nord", None, "crm.lead", "message_post", [lead],
                   body="Offer for the first dealer %s" % marker,
                   subtype="mail.mt_comment", message_type="comment")
    server.execute("tm.nord", None, "crm.lead", "write", [lead],
                   {"partner_assigned_id": second})
    server.execute("tm.nord", None, "crm.lead", "action_prm_forward", [lead])
    server.execute("tm.nord", None, "crm.lead", "message_post", [lead],
                   body="Welcome, second dealer", subtype="mail.mt_comment",
                   message_type="comment")
    messages = server.execute("admin", None, "mail.message", "search_read", [
        ("model", "=", "crm.lead"), ("res_id", "=", lead)],
        fields=["body", "tracking_value_ids"])
    return {"lead": lead, "first": first["name"], "messages": messages,
            "session": server.web_login("director01", "demo"),
            "secrets": (first["name"], str(REVENUE), "first dealer")}


def assert_clean(scenario, answer):
    text = repr(answer)
    for secret in scenario["secrets"]:
        assert secret not in text


def test_head_office_still_reads_the_history(odoo_server, scenario):
    assert any(message["tracking_value_ids"] for message in scenario["messages"])
    fetched = odoo_server.execute("admin", None, "mail.message", "message_fetch",
                                  [("model", "=", "crm.lead"),
                                   ("res_id", "=", scenario["lead"])], limit=50)
    assert str(REVENUE) in repr(fetched) and scenario["first"] in repr(fetched)


def test_message_fetch_of_the_second_dealer(odoo_server, scenario):
    """The issue's example, over /web/dataset/call_kw."""
    fetched, error = call_kw(scenario["session"], odoo_server, "mail.message",
                             "message_fetch", [("model", "=", "crm.lead"),
                                               ("res_id", "=", scenario["lead"])],
                             limit=50)
    assert error is None, error
    assert "Welcome, second dealer" in repr(fetched)
    assert_clean(scenario, fetched)
    assert all(not message["tracking_value_ids"] for message in fetched)


def test_other_rpc_paths_of_the_second_dealer(odoo_server, scenario):
    session, lead = scenario["session"], scenario["lead"]
    domain = [("model", "=", "crm.lead"), ("res_id", "=", lead)]
    found, error = call_kw(session, odoo_server, "mail.message", "search_read",
                           domain, fields=["body", "subject", "subtype_id"])
    assert error is None and len(found) == 1
    assert_clean(scenario, found)
    found, error = call(session, odoo_server, "/web/dataset/search_read",
                        model="mail.message", domain=domain, fields=["body"])
    assert error is None
    assert_clean(scenario, found)
    for message in scenario["messages"]:
        if "second dealer" in (message["body"] or ""):
            continue
        read, error = call_kw(session, odoo_server, "mail.message", "read",
                              [message["id"]], ["body"])
        assert read is None and error, message
        formatted, error = call_kw(session, odoo_server, "mail.message",
                                   "message_format", [message["id"]])
        assert formatted is None and error, message
    tracking = [value for message in scenario["messages"]
                for value in message["tracking_value_ids"]]
    read, error = call_kw(session, odoo_server, "mail.tracking.value",
                          "search_read", [("id", "in", tracking)],
                          fields=["old_value_char", "new_value_char",
                                  "new_value_float"])
    assert read is None and error
    fields, error = call_kw(session, odoo_server, "crm.lead", "read", [lead],
                            ["message_ids", "website_message_ids"])
    assert error is None
    ids = set(fields[0]["message_ids"]) | set(fields[0]["website_message_ids"])
    assert len(ids) == 1


def test_portal_chatter_route_of_the_second_dealer(odoo_server, scenario):
    answer, error = call(scenario["session"], odoo_server, "/mail/chatter_fetch",
                         res_model="crm.lead", res_id=scenario["lead"], limit=50)
    assert error is None, error
    assert_clean(scenario, answer)
