"""Outside review (review11, 2026-12-01) of the partner programme after the
review10 fixes: confirmed findings. Every test here fails on main b0d434a.
"""
import uuid
import xmlrpc.client

import pytest

from .test_benchmark_report import pdf_text
from .test_my_users import PASSWORD, invite, new_company
from .test_zz_review10 import (
    _call_kw, _dealer_with_service_tier, staff_scorecard_html)


def _admin(server, model, method, *args, **kwargs):
    return server.execute("admin", None, model, method, *args, **kwargs)


def _open_proposal(server):
    """A fresh dealer with an open proposal of the evaluation (to the
    lowest tier): (company dict, proposal id)."""
    company = new_company(server, lang="de_DE")
    _admin(server, "prm.tier.proposal", "action_prm_run_evaluation")
    proposals = _admin(server, "prm.tier.proposal", "search", [
        ("partner_id", "=", company["dealer"]), ("state", "=", "proposed")])
    assert len(proposals) == 1
    return company, proposals[0]


# --- 1: a dealer outside the programme still got tier changes ---------------
def test_leaving_the_programme_ends_open_tier_proposals(odoo_server):
    """What: README "Dealers outside the programme": no tier changes. A
    suspended dealer's open proposal stayed open (head office could confirm
    it, the dealer got the tier and the mail) and the run did not cancel
    it. Expected: suspending cancels it; it cannot be confirmed."""
    server = odoo_server
    company, proposal = _open_proposal(server)
    _admin(server, "res.partner", "write", [company["dealer"]],
           {"prm_state": "suspended"})
    state = _admin(server, "prm.tier.proposal", "read", [proposal],
                   ["state"])[0]["state"]
    assert state == "cancelled"
    with pytest.raises(xmlrpc.client.Fault):
        _admin(server, "prm.tier.proposal", "action_confirm", [proposal])
    dealer = _admin(server, "res.partner", "read", [company["dealer"]],
                    ["prm_tier_id"])[0]
    assert not dealer["prm_tier_id"]


def test_queued_tier_line_of_a_dealer_that_left_is_not_mailed(odoo_server):
    """What: a tier-change line waiting for the bookkeeper's digest was
    mailed after the dealer had been suspended. Expected: dropped."""
    server = odoo_server
    company, proposal = _open_proposal(server)
    uid = _admin(server, "res.users", "search", [("login", "=", company["bk"])])
    _admin(server, "res.users", "write", uid, {"prm_notify_tier": "digest"})
    _admin(server, "prm.tier.proposal", "action_confirm", [proposal])
    lines = _admin(server, "prm.mail.digest.line", "search", [
        ("user_id", "in", uid), ("kind", "=", "prm_notify_tier"),
        ("sent", "=", False)])
    assert lines
    _admin(server, "res.partner", "write", [company["dealer"]],
           {"prm_state": "suspended"})
    cron = _admin(server, "ir.model.data", "xmlid_to_res_id",
                  "prm_documents.ir_cron_prm_digest")
    _admin(server, "ir.cron", "method_direct_trigger", [cron])
    assert not _admin(server, "mail.mail", "search", [
        ("email_to", "=", company["bk"])])


# --- 3: the printed scorecard had no styles -------------------------------
def test_report_styles_compile_without_the_website_module(odoo_server):
    """What: every PDF printed without Bootstrap (columns ran into each
    other): core's report styles name a stylesheet of the website module,
    which is not installed, and the bundle failed ("Style error")."""
    page = staff_scorecard_html(odoo_server)
    assert page.status_code == 200
    assert "Style error" not in page.text
    assert "website.snippets.less" not in page.text


# --- 4: ERROR lines any signed-in user could provoke ----------------------
def test_refused_domains_groupings_and_duplicates_are_no_errors(odoo_server):
    """What: a director's search on a field that cannot be searched, a
    read_group whose groupby is not read or not stored, and head office's
    duplicate criterion (the German message shown) each wrote an ERROR
    line. Expected: the same answers, no ERROR (``server_log_stays_clean``)."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    answer = _call_kw(server, session, "prm.document", "search",
                      [[("download_count", ">", 0)]])
    assert "result" in answer or "error" in answer
    for model, fields, groupby in (
            ("prm.tier.status", ["partner_id"], ["tier_id"]),
            ("prm.tier.status", ["tier_id", "value_revenue_4q"], ["tier_id"]),
            ("prm.document", ["name"], ["category"])):
        answer = _call_kw(server, session, model, "read_group",
                          [[], fields, groupby])
        assert "Traceback" not in str(answer)
    tier = _admin(server, "prm.tier", "search", [("code", "=", "standard")])[0]
    with pytest.raises(xmlrpc.client.Fault):
        _admin(server, "prm.tier.criterion", "create", {
            "tier_id": tier, "criterion": "attainment", "threshold": 50.0})


# --- 5: minimums outside the scale or finer than shown ----------------------
@pytest.mark.parametrize("criterion, threshold, text", [
    ("satisfaction", 7.0, "höchstens 5,0"),
    ("attainment", 97.87, "höchstens eine Nachkommastelle"),
    ("technicians", 1.5, "ganze Zahl"),
    # review12 2: beyond Decimal's 28 digits ("decimal.InvalidOperation")
    ("revenue_4q", 1e30, "höchstens 1.000.000.000.000"),
])
def test_minimums_fit_the_criterions_scale(odoo_server, criterion, threshold,
                                           text):
    """What: a minimum of 7 stars was accepted (about 20 dealers proposed
    for downgrade) and 97.87 % showed as "97,9" with "0,0 %" missing.
    Expected: refused with a German message."""
    server = odoo_server
    tier = _admin(server, "prm.tier", "create", {
        "name": "R11 %s" % uuid.uuid4().hex[:6], "code": uuid.uuid4().hex[:8],
        "sequence": 99})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        _admin(server, "prm.tier.criterion", "create", {
            "tier_id": tier, "criterion": criterion, "threshold": threshold},
            context={"lang": "de_DE"})
    assert text in fault.value.faultString
    _admin(server, "prm.tier", "unlink", [tier])


# --- 6: English field labels inside a German message -----------------------
def test_refusal_names_the_fields_in_the_users_language(odoo_server):
    """What: tm.nord over XML-RPC (no language in the context) changing a
    dealer's tier got "Nur die Zentrale darf Tier von … ändern". Expected:
    the field's German label."""
    server = odoo_server
    dealer = server.execute(
        "tm.nord", None, "res.partner", "search",
        [("prm_is_dealer", "=", True), ("prm_state", "=", "active")],
        limit=1)[0]
    tier = _admin(server, "prm.tier", "search", [("code", "=", "premium")])[0]
    with pytest.raises(xmlrpc.client.Fault) as fault:
        server.execute("tm.nord", None, "res.partner", "write", [dealer],
                       {"prm_tier_id": tier})
    message = fault.value.faultString
    assert "Nur die Zentrale darf" in message and " Tier " not in message


def test_scorecards_of_two_dealers_in_one_pdf(odoo_server):
    """What: ``/report/pdf/prm_staff_home.report_scorecard/<a>,<b>``
    answered a PDF without pages (Debian's wkhtmltopdf takes one input
    document only). Expected: both dealers' scorecards."""
    server = odoo_server
    dealers = server.execute(
        "tm.nord", None, "res.partner", "search_read",
        [("prm_is_dealer", "=", True), ("prm_state", "=", "active")],
        ["name"], limit=2)
    session = server.web_login("tm.nord", "demo")
    response = session.get(
        server.url + "/report/pdf/prm_staff_home.report_scorecard/%d,%d"
        % (dealers[0]["id"], dealers[1]["id"]), timeout=240)
    assert response.status_code == 200
    text = pdf_text(response.content)
    for dealer in dealers:
        assert "Scorecard von %s" % dealer["name"] in text


def test_invitation_refuses_another_users_e_mail_in_any_case(odoo_server):
    """What (review note): README "/my/users": a duplicate e-mail/login in
    any letter case is refused; a director could invite a user with
    director02's e-mail address in other letters (logins of the demo are
    no addresses). Expected: 400, nobody created. An address with LIKE's
    wildcards ("_") is matched exactly, not as a pattern."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    email = server.execute("admin", None, "res.users", "search_read", [
        ("login", "=", "director02")], ["email"])[0]["email"]
    before = server.execute("admin", None, "res.users", "search_count", [])
    response, data = invite(server, session, email=email.upper())
    assert response.status_code == 400
    assert server.execute("admin", None, "res.users", "search_count",
                          []) == before
    # "x_y@…" exists; "xzy@…" is another address
    marker = uuid.uuid4().hex[:6]
    first, _data = invite(server, session, email="r11_%s@dealer.example" % marker)
    assert first.status_code in (200, 302, 303), first.status_code
    second, _data = invite(server, session, email="r11x%s@dealer.example" % marker)
    assert second.status_code in (200, 302, 303), second.text[:300]


def test_every_way_of_reading_a_document_file_is_a_download(odoo_server):
    """What (review12 7): head office sees who downloaded a document and a
    document is unread until downloaded; ``/web/content/<attachment id>``
    gave the file without a download row. Expected: the portal route,
    /web/content by attachment and by record, and an RPC read of the file
    each record one download of the user."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    marker = uuid.uuid4().hex[:8]
    document = _admin(server, "prm.document", "create", {
        "name": "R12 Preisliste %s" % marker, "category": "price_list",
        "file": "UjEyLUNPTlRFTlQ=", "file_name": "r12.txt"})
    _admin(server, "prm.document", "action_publish", [document])
    attachment = _admin(server, "ir.attachment", "search", [
        ("res_model", "=", "prm.document"), ("res_id", "=", document),
        ("res_field", "=", "file")])[0]
    session = server.web_login(company["d1"], PASSWORD)
    uid = _admin(server, "res.users", "search", [("login", "=", company["d1"])])[0]

    def downloads():
        return _admin(server, "prm.document.download", "search_count", [
            ("document_id", "=", document), ("user_id", "=", uid)])
    for count, path in enumerate((
            "/my/documents/%d/download" % document,
            "/web/content/%d?download=true" % attachment,
            "/web/content/prm.document/%d/file" % document), start=1):
        response = session.get(server.url + path)
        assert response.status_code == 200 and b"R12-CONTENT" in \
            response.content, path
        assert downloads() == count, path
    answer = _call_kw(server, session, "prm.document", "read",
                      [[document], ["file"]])
    assert answer.get("result"), answer
    assert downloads() == 4


def test_access_refusal_names_the_groups_in_the_users_language(odoo_server):
    """What (review12 6): core's refusal lists the groups that may do it;
    a German territory manager read "Partner Relationship Management/PRM
    manager (head office)". Expected: the German group name."""
    server = odoo_server
    criterion = _admin(server, "prm.tier.criterion", "search", [], limit=1)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        server.execute("tm.nord", None, "prm.tier.criterion", "write",
                       criterion, {"threshold": 1.0})
    message = fault.value.faultString
    assert "PRM-Manager (Zentrale)" in message, message
    assert "PRM manager (head office)" not in message


def test_malformed_rpc_arguments_are_no_server_errors(odoo_server):
    """What (review12 1): a signed-in user's malformed arguments wrote an
    ERROR line with a traceback: unknown field or leaf in a domain, a value
    Odoo cannot convert, a bad limit, an unknown groupby function, a wrong
    selection value, report id 0. Expected: the error answer, no ERROR
    (``server_log_stays_clean``), no traceback for the caller."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    uid = _admin(server, "res.users", "search", [("login", "=", company["d1"])])
    for model, method, args, kwargs in (
            ("prm.tier.status", "search", [[("nope", "=", 1)]], {}),
            ("prm.tier.status", "search", [["garbage"]], {}),
            ("prm.tier.status", "search_read",
             [[("value_revenue_4q", ">", "abc")]], {}),
            ("prm.tier.status", "search_read", [[]], {"limit": "x"}),
            ("prm.tier.status", "read_group",
             [[], ["value_revenue_4q:sum", "evaluated_on"],
              ["evaluated_on:nope"]], {}),
            ("res.users", "write", [uid, {"tz": "Mars"}], {}),
            ("ir.actions.report", "render_qweb_pdf", [[0], [1]], {})):
        answer = _call_kw(server, session, model, method, args, kwargs)
        assert "error" in answer and "Traceback" not in str(answer), (
            model, method, answer)


def test_tier_changed_with_the_status_is_in_the_history(odoo_server):
    """What (review12 3): head office changing status and tier in one save
    (the dealer form sends both) left no tier history row. Expected: one
    row."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    tier = _admin(server, "prm.tier", "search", [("code", "=", "standard")])[0]
    _admin(server, "res.partner", "write", [company["dealer"]],
           {"prm_state": "active", "prm_tier_id": tier})
    rows = _admin(server, "prm.tier.history", "search_read", [
        ("partner_id", "=", company["dealer"])], ["to_tier_id"])
    assert [row["to_tier_id"][0] for row in rows] == [tier]


def test_no_tier_card_outside_the_programme(odoo_server):
    """What (review12 5): a suspended dealer's director still saw the tier
    card with the next tier and what is missing, from a status the runs no
    longer update. Expected: no card (as a prospect without a run)."""
    server = odoo_server
    company = _dealer_with_service_tier(server)
    session = server.web_login(company["d1"], PASSWORD)
    assert "o_prm_tier_card" in session.get(server.url + "/my/home").text
    _admin(server, "res.partner", "write", [company["dealer"]],
           {"prm_state": "suspended"})
    assert "o_prm_tier_card" not in session.get(server.url + "/my/home").text


# --- review13 (third outside review) ----------------------------------------
def test_more_malformed_arguments_are_no_server_errors(odoo_server):
    """What (review13 1): a dict as a domain value, a domain of one "|",
    export_data of an unknown field (through our export_data override)
    still wrote ERROR lines. Expected: error answers, no ERROR line."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    for method, args in (("search", [[["name", "=", {"a": 1}]]]),
                         ("search", [["|"]]),
                         ("export_data", [[1], ["nope"]])):
        answer = _call_kw(server, session, "prm.document", method, args)
        assert "Traceback" not in str(answer), (method, answer)


def test_report_of_record_zero_is_not_found(odoo_server):
    """What (review13 2): /report/pdf/<report>/0 answered 500 with an ERROR
    (a blank PDF refused). Expected: 404, like /report/html/<report>/0."""
    server = odoo_server
    session = server.web_login("director03", "demo")
    for report in ("prm_staff_home.report_scorecard",
                   "prm_benchmark.report_participant"):
        response = session.get(server.url + "/report/pdf/%s/0" % report,
                               timeout=120)
        assert response.status_code == 404, (report, response.status_code)


def test_sizes_and_head_requests_are_no_downloads(odoo_server):
    """What (review13 3): a read of the file with ``bin_size`` (what
    listings ask) and HEAD requests counted as downloads. Expected: only
    deliveries of the content count."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    document = _admin(server, "prm.document", "create", {
        "name": "R13 %s" % uuid.uuid4().hex[:8], "category": "price_list",
        "file": "UjEzLUNPTlRFTlQ=", "file_name": "r13.txt"})
    _admin(server, "prm.document", "action_publish", [document])
    session = server.web_login(company["d1"], PASSWORD)
    answer = _call_kw(server, session, "prm.document", "read",
                      [[document], ["file"]],
                      {"context": {"bin_size": True}})
    assert answer.get("result"), answer
    session.head(server.url + "/my/documents/%d/download" % document)
    session.head(server.url + "/web/content?model=prm.document&id=%d"
                 "&field=file" % document)
    assert _admin(server, "prm.document.download", "search_count", [
        ("document_id", "=", document)]) == 0
    session.get(server.url + "/my/documents/%d/download" % document)
    assert _admin(server, "prm.document.download", "search_count", [
        ("document_id", "=", document)]) == 1


def test_negative_minimum_refused_in_german_over_json_rpc(odoo_server):
    """What (review13 5): the SQL check's message reached a German caller
    of /web/dataset/call_kw in English. Expected: German."""
    server = odoo_server
    session = server.web_login("admin", "admin")
    criterion = _admin(server, "prm.tier.criterion", "search", [], limit=1)
    answer = _call_kw(server, session, "prm.tier.criterion", "write",
                      [criterion, {"threshold": -1}],
                      {"context": {"lang": "de_DE"}})
    assert "Ein Mindestwert darf nicht negativ sein." in str(answer), answer
