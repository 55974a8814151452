"""Documents and news over real HTTP (issue 22): a dealer never gets a file
not addressed to him — not by the portal URL, not by the attachment id over
/web/content, /web/image, /web/binary, /web/dataset or XML-RPC — and not
after the validity ended. Each path is asked with a document of another
dealer and with an expired document of the own dealer; the own current
document is the control that the path works at all.
"""
import base64
import datetime
import uuid

import pytest

DIRECTOR = "director01"
FOREIGN = "director02"


def dealer_of(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]


def dealer_tag(server, dealer, name):
    tag = server.execute("admin", None, "res.partner.category", "create",
                         {"name": name})
    server.execute("admin", None, "res.partner", "write", [dealer],
                   {"category_id": [(4, tag)]})
    return tag


def published(server, model, login, marker, **extra):
    """A published document/news item addressed to ``login``'s dealer only
    (by a tag of its own); returns its id. ``extra`` overrides values."""
    tag = dealer_tag(server, dealer_of(server, login), "Docs %s" % marker)
    values = {"name": "%s %s" % (model, marker), "category_ids": [(6, 0, [tag])]}
    if model == "prm.document":
        values.update(file=base64.b64encode(marker.encode()).decode(),
                      file_name="%s.txt" % marker, category="bulletin")
    else:
        values.update(body="<p>Body %s</p>" % marker)
    values.update(extra)
    item = server.execute("admin", None, model, "create", values)
    server.execute("admin", None, model, "action_publish", [item])
    return item


def file_attachment(server, document):
    return server.execute("admin", None, "ir.attachment", "search", [
        ("res_model", "=", "prm.document"), ("res_id", "=", document),
        ("res_field", "=", "file")])[0]


def route_ids(server):
    """Own and foreign documents and news of director01 (route matrix, fuzz)."""
    marker = uuid.uuid4().hex[:8]
    return {
        "odoc": published(server, "prm.document", DIRECTOR, "o" + marker),
        "fdoc": published(server, "prm.document", FOREIGN, "f" + marker),
        "onews": published(server, "prm.news", DIRECTOR, "o" + marker),
        "fnews": published(server, "prm.news", FOREIGN, "f" + marker),
    }


@pytest.fixture(scope="module")
def scenario(odoo_server):
    server = odoo_server
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    docs = {}
    for name, login, extra in (("own", DIRECTOR, {}), ("foreign", FOREIGN, {}),
                               ("expired", DIRECTOR, {"date_to": yesterday})):
        marker = "%s-%s" % (name, uuid.uuid4().hex[:10])
        document = published(server, "prm.document", login, marker, **extra)
        docs[name] = {"id": document, "marker": marker,
                      "attachment": file_attachment(server, document)}
    # core skips its check for "public" attachments: flag the foreign one
    server.execute("admin", None, "ir.attachment", "write",
                   [docs["foreign"]["attachment"]], {"public": True})
    return {"docs": docs, "session": server.web_login(DIRECTOR, "demo")}


def call(session, server, path, **params):
    body = session.post(server.url + path, json={
        "jsonrpc": "2.0", "method": "call", "params": params}, timeout=60).json()
    return body.get("result"), body.get("error")


def http_paths(doc):
    att, rid = doc["attachment"], doc["id"]
    return [
        "/my/documents/%d/download" % rid,
        "/web/content/%d" % att,
        "/web/content/%d/x.txt" % att,
        "/web/content?model=ir.attachment&id=%d&download=true" % att,
        "/web/content?id=%d&field=datas" % att,
        "/web/content/prm.document/%d/file" % rid,
        "/web/content?model=prm.document&id=%d&field=file" % rid,
        "/web/image/%d" % att,
        "/web/image/ir.attachment/%d/datas" % att,
        "/web/image/prm.document/%d/file" % rid,
        "/web/binary/image?model=prm.document&id=%d&field=file" % rid,
        "/web/binary/image?model=ir.attachment&id=%d&field=datas" % att,
    ]


@pytest.mark.parametrize("name", ["own", "foreign", "expired"])
def test_file_urls(odoo_server, scenario, name):
    doc = scenario["docs"][name]
    secret = doc["marker"].encode()
    for path in http_paths(doc):
        response = scenario["session"].get(odoo_server.url + path, timeout=60)
        if name != "own":
            assert secret not in response.content, path
        elif "/image" not in path:  # images may answer a placeholder
            assert response.status_code == 200 and secret in response.content, path
        if name != "own" and path.startswith("/my/"):
            assert response.status_code == 404


@pytest.mark.parametrize("name", ["foreign", "expired"])
def test_rpc_paths_of_the_attachment(odoo_server, scenario, name):
    doc = scenario["docs"][name]
    session, att = scenario["session"], doc["attachment"]
    for model, record, field in (("ir.attachment", att, "datas"),
                                 ("prm.document", doc["id"], "file")):
        result, error = call(session, odoo_server, "/web/dataset/call_kw",
                             model=model, method="read", args=[[record], [field]],
                             kwargs={})
        assert result is None and error, (model, result)
        result, error = call(session, odoo_server, "/web/dataset/call_kw",
                             model=model, method="search_read",
                             args=[[("id", "=", record)], [field]], kwargs={})
        assert not result, (model, result)
        result, error = call(session, odoo_server, "/web/dataset/search_read",
                             model=model, domain=[("id", "=", record)],
                             fields=[field])
        assert not (result or {}).get("records"), (model, result)
    # XML-RPC with the director's API key
    import xmlrpc.client
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute(DIRECTOR, None, "ir.attachment", "read", [att],
                            ["datas"])
    assert not odoo_server.execute(DIRECTOR, None, "ir.attachment", "search",
                                   [("res_model", "=", "prm.document"),
                                    ("res_id", "=", doc["id"])])
    assert not odoo_server.execute(DIRECTOR, None, "prm.document", "search",
                                   [("id", "=", doc["id"])])


def test_own_file_over_rpc(odoo_server, scenario):
    doc = scenario["docs"]["own"]
    read = odoo_server.execute(DIRECTOR, None, "ir.attachment", "read",
                               [doc["attachment"]], ["datas"])
    assert base64.b64decode(read[0]["datas"]) == doc["marker"].encode()


def test_listing_and_unread_marker(odoo_server, scenario):
    session, docs = scenario["session"], scenario["docs"]
    page = session.get(odoo_server.url + "/my/documents").text
    assert "prm.document %s" % docs["own"]["marker"] in page
    assert docs["foreign"]["marker"] not in page
    assert docs["expired"]["marker"] not in page


def test_news_pages(odoo_server, scenario):
    session = scenario["session"]
    ids = route_ids(odoo_server)
    listing = session.get(odoo_server.url + "/my/news").text
    assert 'data-id="%d"' % ids["onews"] in listing
    assert 'data-id="%d"' % ids["fnews"] not in listing
    detail = session.get(odoo_server.url + "/my/news/%d" % ids["onews"])
    assert detail.status_code == 200 and "o_prm_news_body" in detail.text
    assert session.get(odoo_server.url + "/my/news/%d" % ids["fnews"]
                       ).status_code == 404
    read = odoo_server.execute("admin", None, "prm.news.read", "search_count",
                               [("news_id", "=", ids["onews"])])
    assert read == 1


def test_download_counts_are_head_office_only(odoo_server, scenario):
    doc = scenario["docs"]["own"]
    session = odoo_server.web_login("bookkeeper01", "demo")
    assert session.get(odoo_server.url + "/my/documents/%d/download" % doc["id"]
                       ).status_code == 200
    counts = odoo_server.execute("prm.manager", None, "prm.document", "read",
                                 [doc["id"]], ["download_count"])
    assert counts[0]["download_count"] >= 1
    result, error = call(scenario["session"], odoo_server, "/web/dataset/call_kw",
                         model="prm.document", method="read",
                         args=[[doc["id"]], ["download_count", "download_ids"]],
                         kwargs={})
    assert result is None and error
    result, error = call(scenario["session"], odoo_server, "/web/dataset/call_kw",
                         model="prm.document.download", method="search_read",
                         args=[[], ["user_id"]], kwargs={})
    assert result is None and error


def test_notification_settings_page(odoo_server):
    from .odoo_server import csrf_token
    session = odoo_server.web_login("bookkeeper01", "demo")
    page = session.get(odoo_server.url + "/my/notifications")
    assert page.status_code == 200
    saved = session.post(odoo_server.url + "/my/notifications", data={
        "csrf_token": csrf_token(page.text), "prm_notify_benchmark": "off",
        "prm_notify_documents": "immediate"})
    assert "o_prm_saved" in saved.text
    values = odoo_server.execute("admin", None, "res.users", "search_read",
                                 [("login", "=", "bookkeeper01")],
                                 fields=["prm_notify_benchmark",
                                         "prm_notify_documents"])
    assert values[0]["prm_notify_benchmark"] == "off"
    refused = session.post(odoo_server.url + "/my/notifications", data={
        "csrf_token": csrf_token(saved.text), "prm_notify_benchmark": "always"})
    assert "o_prm_error" in refused.text
    assert odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "bookkeeper01")],
                               fields=["prm_notify_benchmark"])[0][
        "prm_notify_benchmark"] == "off"
    session.post(odoo_server.url + "/my/notifications", data={
        "csrf_token": csrf_token(refused.text), "prm_notify_benchmark": "immediate",
        "prm_notify_documents": "digest"})


def test_settings_offer_only_the_mails_the_user_receives(odoo_server):
    """A bookkeeper gets no lead mails (bookkeepers read no leads): the
    page does not offer them, and a posted value is not stored; the tier
    changes are offered (bookkeepers see the tier card and get its mail).
    The director is offered every kind."""
    from .odoo_server import csrf_token
    session = odoo_server.web_login("bookkeeper01", "demo")
    page = session.get(odoo_server.url + "/my/notifications")
    assert 'name="prm_notify_leads"' not in page.text
    for kind in ("prm_notify_documents", "prm_notify_benchmark",
                 "prm_notify_tier"):
        assert 'name="%s"' % kind in page.text
    before = odoo_server.execute("admin", None, "res.users", "search_read",
                                 [("login", "=", "bookkeeper01")],
                                 fields=["prm_notify_leads"])[0]
    saved = session.post(odoo_server.url + "/my/notifications", data={
        "csrf_token": csrf_token(page.text), "prm_notify_leads": "off"})
    assert saved.status_code == 200
    assert odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "bookkeeper01")],
                               fields=["prm_notify_leads"])[0] == before
    director = odoo_server.web_login("director01", "demo")
    page = director.get(odoo_server.url + "/my/notifications")
    for kind in ("prm_notify_leads", "prm_notify_documents",
                 "prm_notify_benchmark", "prm_notify_tier"):
        assert 'name="%s"' % kind in page.text
