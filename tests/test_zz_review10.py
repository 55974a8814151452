"""Outside review (review10, worktree rev8) of the README sections on the
partner programme, dealers outside it, the scorecard, dealer figures, the
tier card and its trend, the tier-change mail, notification settings,
documents and news, /my/users and the dealer exchange: confirmed findings.

Every test here fails on the reviewed code (branch tier8, 7c6d612); F4-F9
and the label findings were fixed after F1-F3 landed (main 82d2c33).
"""
import base64
import re
import uuid

import xmlrpc.client

import pytest
from lxml import html

from .test_exchange import channel_id
from .test_exchange_bus import head_office_post
from .test_my_users import PASSWORD, new_company
from .test_programme_browser import by_class


def _call_kw(server, session, model, method, args, kwargs=None):
    """/web/dataset/call_kw as the signed-in user of ``session``: the whole
    JSON answer (``result`` or ``error``)."""
    response = session.post(server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": model, "method": method, "args": args,
            "kwargs": kwargs or {}}})
    return response.json()


def _groups(answer, field):
    """The group values of a read_group answer (empty on an error)."""
    return [group[field] for group in answer.get("result") or []]


# --- F1: read_group on mail.message bypasses the message access rules ------
def test_read_group_does_not_reveal_exchange_messages_to_a_non_member(
        odoo_server):
    """What: a managing director who is a member of no exchange channel
    (README "Dealer exchange: who reaches it": directors who are not members
    get nothing, over HTTP, JSON-RPC or XML-RPC) reads the full text of
    every exchange message, and of internal Discuss channels and other
    dealers' deal registrations, through ``mail.message.read_group``
    grouped by ``body``: core's message access check lives in
    ``mail.message._search``/``check_access_rule``, which read_group does
    not call. How: head office posts a marker into the regional exchange
    "Händler-Austausch Süd"; a fresh dealer's director (no channel member)
    calls /web/dataset/call_kw ``mail.message.read_group`` with domain
    ``[('body', 'ilike', marker)]`` grouped by ``body``, and the same for
    ``model = prm.deal.registration`` (the new dealer has none).
    Expected: no group (search_read answers [] for the same domain)."""
    server = odoo_server
    south = channel_id(server, "Händler-Austausch Süd")
    marker = uuid.uuid4().hex[:12]
    head_office_post(server, south, "Nur für den Süden %s" % marker)
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    domain = [("body", "ilike", marker)]
    assert _call_kw(server, session, "mail.message", "search_read", [domain],
                    {"fields": ["body"]})["result"] == []
    bodies = _groups(_call_kw(server, session, "mail.message", "read_group",
                              [domain, ["body"], ["body"]]), "body")
    assert not any(marker in (body or "") for body in bodies), bodies
    others = _groups(_call_kw(
        server, session, "mail.message", "read_group",
        [[("model", "=", "prm.deal.registration")], ["body"], ["body"]]),
        "body")
    assert others == [], others


# --- F2: read_group on ir.attachment bypasses the attachment access --------
def test_read_group_does_not_reveal_another_dealers_attachments(odoo_server):
    """What: ``ir.attachment`` checks access in ``_search`` and ``check``
    (through the owning record); ``read_group`` calls neither, so a
    managing director lists the file names and record names (``res_name``:
    "<other dealer>, <contact>") of attachments on another dealer's
    records - e.g. a contract on the other dealer's partner - and of
    exchange channels he is no member of (README "Documents and news ->
    Access" / "Who reaches what": a dealer reads over JSON-RPC only what
    the access matrix gives: own company only). How: head office attaches
    a file named with a marker to another fresh dealer's partner; the first
    dealer's director calls /web/dataset/call_kw ``ir.attachment.read_group``
    on ``res_model = res.partner`` grouped by ``name`` and by ``res_name``.
    Expected: neither the file name nor the other dealer's name appears
    (search_read on the same domain answers [])."""
    server = odoo_server
    other = new_company(server, lang="de_DE")
    marker = uuid.uuid4().hex[:12]
    server.execute("admin", None, "ir.attachment", "create", {
        "name": "R10 Haendlervertrag %s.pdf" % marker,
        "datas_fname": "r10-%s.pdf" % marker,
        "datas": base64.b64encode(b"%PDF-1.4 R10").decode(),
        "res_model": "res.partner", "res_id": other["dealer"]})
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    domain = [("res_model", "=", "res.partner"), ("res_id", "=", other["dealer"])]
    assert _call_kw(server, session, "ir.attachment", "search_read", [domain],
                    {"fields": ["name"]})["result"] == []
    for field in ("name", "res_name"):
        grouped = _groups(_call_kw(server, session, "ir.attachment",
                                   "read_group", [domain, [field], [field]]),
                          field)
        assert grouped == [], (field, grouped)


# --- F3: read_group on mail.activity bypasses the territory scope ----------
def test_read_group_does_not_reveal_activities_outside_the_territory(
        odoo_server):
    """What: README "Who reaches what": territory managers reach the backend
    "within their role's access rights and record rules (dealers of their
    territories only)". The chatter scope of ``mail.activity`` is enforced
    in ``_search``/``read`` only, so ``read_group`` lists the summary and
    the dealer name (``res_name``) of activities on dealers of other
    territories (the Discuss/Activity views group this way). How: head
    office schedules an activity with a marker summary on director01's
    dealer (region Nord); ``tm.sued`` calls /web/dataset/call_kw
    ``mail.activity.read_group`` with ``[('summary', 'ilike', marker)]``
    grouped by ``summary`` and by ``res_name``. Expected: no group
    (search_read answers [] for the same domain)."""
    server = odoo_server
    dealer = server.execute("admin", None, "res.users", "search_read", [
        ("login", "=", "director01")], fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]
    marker = uuid.uuid4().hex[:12]
    model = server.execute("admin", None, "ir.model", "search",
                           [("model", "=", "res.partner")])[0]
    server.execute("admin", None, "mail.activity", "create", {
        "res_model_id": model, "res_id": dealer,
        "summary": "R10 Jahresgespraech %s" % marker,
        "user_id": server.execute("admin", None, "res.users", "search",
                                  [("login", "=", "prm.manager")])[0]})
    session = server.web_login("tm.sued", "demo")
    domain = [("summary", "ilike", marker)]
    assert _call_kw(server, session, "mail.activity", "search_read", [domain],
                    {"fields": ["summary"]})["result"] == []
    for field in ("summary", "res_name"):
        grouped = _groups(_call_kw(server, session, "mail.activity",
                                   "read_group", [domain, [field], [field]]),
                          field)
        assert grouped == [], (field, grouped)


# --- F4-F9: tier card, tier mail, notification settings, RPC noise ---------
def _text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def _dealer_with_service_tier(server):
    """A fresh dealer (German director ``d1``) that the evaluation moved to
    the lowest tier ("Service partner", no criteria) and head office
    confirmed: returns the company dict of ``new_company``."""
    company = new_company(server, lang="de_DE")
    server.execute("admin", None, "prm.tier.proposal",
                   "action_prm_run_evaluation")
    proposals = server.execute("admin", None, "prm.tier.proposal", "search", [
        ("partner_id", "=", company["dealer"]), ("state", "=", "proposed")])
    assert len(proposals) == 1, proposals
    server.execute("admin", None, "prm.tier.proposal", "action_confirm",
                   proposals)
    return company


def _status(server, dealer):
    return server.execute("admin", None, "prm.tier.status", "search",
                          [("partner_id", "=", dealer)])[0]


def test_tier_card_date_is_the_networks_day_of_the_run(odoo_server):
    """F4. What: the tier card says "Zahlen der Auswertung vom <day>"; a run
    at 00:30 Berlin time (23:30 UTC the day before) computes windows ending
    on the Berlin day, but the card showed the UTC date of the timestamp,
    a day early. How: head office's run stored at 2026-11-30 23:30 UTC.
    Expected: the card names 01.12.2026."""
    server = odoo_server
    company = _dealer_with_service_tier(server)
    server.execute("admin", None, "prm.tier.status", "write",
                   [_status(server, company["dealer"])],
                   {"evaluated_on": "2026-11-30 23:30:00"})
    page = html.fromstring(server.web_login(company["d1"], PASSWORD).get(
        server.url + "/my/home").text)
    note = _text(by_class(page, "o_prm_tier_evaluated")[0])
    assert "01.12.2026" in note and "30.11.2026" not in note, note


def test_tier_mail_to_a_tier_without_criteria_names_a_reason(odoo_server):
    """F7. What: the tier-change mail lists "the reasons (figures of the
    tier evaluation)"; an upgrade to a tier without criteria (a dealer's
    first tier) had none: an empty list under that heading. Expected: the
    mail says that the tier has no minimum requirements, in German for the
    German director."""
    server = odoo_server
    company = _dealer_with_service_tier(server)
    mails = server.execute("admin", None, "mail.mail", "search_read", [
        ("email_to", "=", company["d1"])], ["body_html"])
    assert mails, "the director got the tier mail"
    body = mails[-1]["body_html"]
    assert "hat keine Mindestanforderungen" in body, body
    assert "<ul>\n    \n    </ul>" not in body


def test_tier_card_no_unit_after_a_dash_and_a_worded_check(odoo_server):
    """F8, F9. What: a criterion without a figure showed "– Stk." / "– %"
    on the card and the scorecard; a met criterion showed only a font icon
    (invisible without the icon font, "met" only as a tooltip) and the
    next tier's column was headed "Gefordert". How: the dealer's status
    has certified technicians met and no attainment figure. Expected: the
    "–" cell is just "–", the met cell shows "✓", the head says
    "Minimum der nächsten Stufe"; the scorecard's tier section alike."""
    server = odoo_server
    company = _dealer_with_service_tier(server)
    server.execute("admin", None, "prm.tier.status", "write",
                   [_status(server, company["dealer"])],
                   {"value_technicians": 9.0, "missing": "attainment"})
    session = server.web_login(company["d1"], PASSWORD)
    page = html.fromstring(session.get(server.url + "/my/home").text)
    card = by_class(page, "o_prm_tier_card")[0]
    heads = [_text(th) for th in card.xpath(".//thead//th")]
    assert "Minimum der nächsten Stufe" in heads and "Gefordert" not in heads
    rows = {row.get("data-criterion"): row for row in card.xpath(
        ".//table[contains(@class, 'o_prm_tier_criteria')]/tbody/tr")}
    assert _text(by_class(rows["attainment"], "o_prm_tier_value")[0]) == "–"
    assert _text(by_class(rows["technicians"], "o_prm_tier_gap")[0]) == "✓"
    scorecard = html.fromstring(session.get(
        server.url + "/my/scorecard").text)
    section = by_class(scorecard, "o_prm_scorecard_tier")[0]
    cells = [_text(td) for td in section.xpath(".//tbody//td")]
    assert "–" in cells and not any(
        re.match(r"^– \S", cell) for cell in cells), cells


def test_notification_settings_outside_the_programme(odoo_server):
    """F6. What: README "Dealers outside the programme": such a dealer gets
    no documents, news, leads or tier changes, yet /my/notifications still
    offered (and saved) those kinds. Expected: only "Benchmark reminders
    and reports"; a posted documents setting is ignored."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    server.execute("admin", None, "res.partner", "write", [company["dealer"]],
                   {"prm_state": "suspended"})
    session = server.web_login(company["d1"], PASSWORD)
    page = session.get(server.url + "/my/notifications")
    names = set(re.findall(r'type="radio" name="(\w+)"', page.text))
    assert names == {"prm_notify_benchmark"}, names
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(server.url + "/my/notifications", data={
        "csrf_token": token, "prm_notify_documents": "off",
        "prm_notify_benchmark": "digest"})
    user = server.execute("admin", None, "res.users", "search_read", [
        ("login", "=", company["d1"])],
        ["prm_notify_documents", "prm_notify_benchmark"])[0]
    assert user["prm_notify_documents"] == "digest"   # the default, unchanged
    assert user["prm_notify_benchmark"] == "digest"


def test_made_up_model_or_method_is_no_server_error(odoo_server):
    """F5. What: any signed-in user filled the error log at will: a call of
    a made-up model or method (/web/dataset/call_kw, XML-RPC execute_kw)
    was logged at ERROR with a traceback, and ``render_qweb_html`` of
    ``ir.actions.report`` over RPC (no report) failed with "Expected
    singleton" at ERROR. Expected: an error answer without traceback and
    no ERROR line (the autouse ``server_log_stays_clean`` fixture); the
    report call is refused with a translated message."""
    server = odoo_server
    company = new_company(server, lang="de_DE")
    session = server.web_login(company["d1"], PASSWORD)
    for model, method in (("x.made.up", "search_read"),
                          ("res.partner", "made_up_method")):
        answer = _call_kw(server, session, model, method, [[]])
        assert "error" in answer and "result" not in answer, answer
        assert "Traceback" not in str(answer), answer
    # the kind: a button of one record called with none or several
    # ("Expected singleton"), ours and core's
    partners = [company["dealer"], server.execute(
        "admin", None, "res.users", "search_read", [("login", "=", company["d1"])],
        ["partner_id"])[0]["partner_id"][0]]
    for method in ("action_prm_print_scorecard", "open_commercial_entity"):
        for ids in ([], partners):
            answer = _call_kw(server, session, "res.partner", method, [ids])
            assert "error" in answer and "Traceback" not in str(answer), answer
    report = server.execute("admin", None, "ir.actions.report", "search", [
        ("report_name", "=", "prm_staff_home.report_scorecard")])
    answer = _call_kw(server, session, "ir.actions.report", "render_qweb_html",
                      [report, [company["dealer"]]],
                      {"context": {"lang": "de_DE"}})
    assert answer["error"]["data"]["message"].strip() == (
        "Bitte wählen Sie genau einen Bericht zum Drucken."), answer
    reports = server.execute("admin", None, "ir.actions.report", "search", [],
                             limit=2)
    for ids in ([], reports):
        answer = _call_kw(server, session, "ir.actions.report",
                          "render_qweb_pdf", [ids, [company["dealer"]]],
                          {"context": {"lang": "de_DE"}})
        assert answer["error"]["data"]["message"].strip() == (
            "Bitte wählen Sie genau einen Bericht zum Drucken."), answer
    with pytest.raises(xmlrpc.client.Fault) as fault:
        server.execute("admin", None, "res.partner", "made_up_method", [])
    assert "Traceback" not in str(fault.value)


def test_kpi_labels_carry_their_unit_once(odoo_server):
    """Review note. What: the scorecard and the analysis show a KPI as
    "<name> (<unit>)"; "Lagerreichweite Maschinen (Tage) (Tage)" repeated
    the unit and "Ersatzteilumsatz je Techniker (€ je Mitarbeiter)" named
    the wrong one. Expected: no German KPI name ends with its own unit in
    parentheses; parts revenue per technician is in euros."""
    server = odoo_server
    kpis = server.execute("admin", None, "prm.benchmark.kpi", "search_read",
                          [], ["code", "name", "unit"],
                          context={"lang": "de_DE"})
    units = dict(server.execute(
        "admin", None, "prm.benchmark.kpi", "fields_get", ["unit"],
        context={"lang": "de_DE"})["unit"]["selection"])
    for kpi in kpis:
        assert not kpi["name"].endswith("(%s)" % units[kpi["unit"]]), kpi
    by_code = {kpi["code"]: kpi for kpi in kpis}
    assert by_code["parts_per_technician"]["unit"] == "currency"


def staff_scorecard_html(server):
    """tm.nord's printable scorecard (HTML) of one of his active dealers."""
    dealer = server.execute(
        "tm.nord", None, "res.partner", "search",
        [("prm_is_dealer", "=", True), ("prm_state", "=", "active")],
        limit=1)[0]
    session = server.web_login("tm.nord", "demo")
    return session.get(
        server.url + "/report/html/prm_staff_home.report_scorecard/%d"
        % dealer, timeout=120)


def test_head_office_scorecard_does_not_say_your_value(odoo_server):
    """Review note. What: the printable scorecard that a territory manager
    or head office prints headed the dealer's figures "Ihr Wert" (your
    value). Expected: "Wert des Händlers" for staff; "Ihr Wert" stays the
    director's own page."""
    server = odoo_server
    page = staff_scorecard_html(server)
    assert page.status_code == 200
    assert "Wert des Händlers" in page.text and "Ihr Wert" not in page.text
    # the director's own page keeps "your"
    director = server.web_login("director20", "demo")
    own = director.get(server.url + "/my/scorecard", timeout=120)
    assert own.status_code == 200
    assert "Ihr Wert" in own.text and "Wert des Händlers" not in own.text
