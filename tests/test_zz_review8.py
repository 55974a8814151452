"""Outside review (review8) of issues 20 and 22: confirmed findings.

Every test here failed on the reviewed code (main 58dea47); all pass now
(findings 6, 8 and 11 were strict xfails until fixed).
The module runs last (its name): it triggers the lead and deal deadline
crons over the whole demo network and changes demo dealers' product lines.
"""
import re
import uuid

from .odoo_server import csrf_token
from .test_my_users import PASSWORD, invite, new_company


def _alert(html):
    """The text of the page's error alert ("" when there is none)."""
    match = re.search(r'alert-danger[^>]*>(.*?)</div', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() \
        if match else ""


def _deal_form(server, session):
    page = session.get(server.url + "/my/deals/new")
    product = re.search(r'<option value="(\d+)"', page.text).group(1)
    return {"csrf_token": csrf_token(page.text), "customer_name": "Hof R8",
            "customer_street": "Weg 1", "customer_zip": "24103",
            "customer_city": "Kiel", "expected_volume": "12.500,00",
            "expected_date": "2027-06-30", "product_id_0": product,
            "quantity_0": "2"}


# --- F1: deal form errors name the field in English on the German page ------
def test_deal_form_error_names_the_field_in_german(odoo_server):
    """/my/deals/new, German director: an empty customer name is refused
    with "Bitte füllen Sie Customer aus." (template translated, the field
    label parameter not). Expected: "Bitte füllen Sie Kunde aus."."""
    session = odoo_server.web_login("director01", "demo")
    data = _deal_form(odoo_server, session)
    for field, value in (("customer_name", "\u00a0"), ("customer_city", "")):
        posted = dict(data, **{field: value})
        response = session.post(odoo_server.url + "/my/deals/new", data=posted,
                                allow_redirects=False)
        assert response.status_code == 400
        message = _alert(response.text)
        assert message.startswith("Bitte füllen Sie"), message
        assert "Customer" not in message and "City" not in message, message
    too_long = dict(data, customer_name="A" * 300)
    response = session.post(odoo_server.url + "/my/deals/new", data=too_long,
                            allow_redirects=False)
    assert "Customer" not in _alert(response.text), _alert(response.text)


# --- F2: expected date without upper bound ----------------------------------
def test_deal_expected_date_far_in_the_future_is_refused(odoo_server):
    """/my/deals/new: an expected date of 9999-12-31 (typo) is stored and
    the registration is sent to the approver. Expected: a clear refusal
    (e.g. at most a few years ahead), nothing stored."""
    session = odoo_server.web_login("director01", "demo")
    data = dict(_deal_form(odoo_server, session), expected_date="9999-12-31",
                customer_name="Hof R8 Zukunft %s" % uuid.uuid4().hex[:6])
    response = session.post(odoo_server.url + "/my/deals/new", data=data,
                            allow_redirects=False)
    assert response.status_code == 400, response.headers.get("Location")


# --- F3: the NUL refusal page has no charset (mojibake) ----------------------
def test_nul_refusal_page_declares_its_charset(odoo_server):
    """Any route with a NUL in a parameter (here /my/deals?x=%00, signed-in
    director): 400 page "Die Anfrage enthält ein NUL-Zeichen." is sent as
    UTF-8 with ``Content-Type: text/html`` and no charset, so browsers show
    "enthÃ¤lt"; its title "Bad Request" is English. Expected: charset
    declared (and a German page)."""
    session = odoo_server.web_login("director01", "demo")
    response = session.get(odoo_server.url + "/my/deals?x=%00")
    assert response.status_code == 400
    assert "charset=utf-8" in response.headers["Content-Type"].lower(), \
        response.headers["Content-Type"]
    assert "Bad Request" not in response.content.decode("utf-8")


# --- F4: too long a name is refused as "please enter the name" --------------
def test_invitation_with_too_long_name_says_so(odoo_server):
    """/my/users/invite, German director: a 300-character name is refused
    with "Bitte geben Sie den Namen ein." although a name was entered.
    Expected: a message saying the name is too long (as the deal form
    does: "... ist zu lang: höchstens 256 Zeichen ...")."""
    company = new_company(odoo_server, lang="de_DE")
    session = odoo_server.web_login(company["d1"], PASSWORD)
    response, _data = invite(odoo_server, session, name="Bea " + "x" * 296)
    assert response.status_code == 400
    message = _alert(response.text)
    assert message and "Bitte geben Sie den Namen ein" not in message, message


def dealer_of(server, login):
    """The dealer (commercial partner id) of a demo user; ids differ
    between databases."""
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          ["commercial_partner_id"])[0]["commercial_partner_id"][0]


def no_capacity_limit(server, dealers):
    """Lead capacity 0 (no limit) for ``dealers``: earlier tests' pending
    leads must not make routing skip them. Returns the old values."""
    old = {row["id"]: row["prm_lead_capacity"] for row in server.execute(
        "admin", None, "res.partner", "read", dealers, ["prm_lead_capacity"])}
    server.execute("admin", None, "res.partner", "write", dealers,
                   {"prm_lead_capacity": 0})
    return old


# --- F5: scheduled escalation notes in the cron user's language -------------
def _route_to_dealer01(server, marker):
    """A lead routed by a new rule to director01's or director02's dealer
    (the only two carrying the new product line)."""
    line = server.execute("admin", None, "prm.product.line", "create",
                          {"name": "R8 line %s" % marker, "code": "r8-%s" % marker})
    dealers = [dealer_of(server, "director01"), dealer_of(server, "director02")]
    no_capacity_limit(server, dealers)
    for dealer in dealers:
        server.execute("admin", None, "res.partner", "write", [dealer],
                       {"prm_product_line_ids": [(4, line)]})
    rule = server.execute("admin", None, "prm.routing.rule", "create", {
        "name": "R8 rule %s" % marker, "sequence": 0, "match_product_line": True})
    touchpoint = server.execute("admin", None, "prm.touchpoint", "search",
                                [("code", "=", "web")])[0]
    lead = server.execute("admin", None, "crm.lead", "create", {
        "name": "R8 Anfrage %s" % marker, "zip": "24103", "city": "Kiel",
        "prm_touchpoint_id": touchpoint, "prm_product_line_id": line})
    return lead, line, rule


def test_lead_escalation_reaches_the_german_manager_in_german(odoo_server):
    """crm.lead deadline cron (ir.cron "Leads: remind, escalate and recall",
    run as admin, en_US): the escalation note addressed to the territory
    manager (tm.nord / tm.west..., de_DE) and the recall/routing history are
    written in English ("Acceptance deadline passed without an answer from
    ...; escalated to the territory manager ..."). Expected: the
    recipient's language (issue 22: mails in the recipient's language)."""
    server = odoo_server
    lead, line, rule = _route_to_dealer01(server, uuid.uuid4().hex[:8])
    try:
        server.execute("admin", None, "crm.lead", "write", [lead], {
            "prm_reminder_date": "2020-01-01 00:00:00",
            "prm_accept_deadline": "2020-01-01 01:00:00",
            "prm_recall_date": "2020-01-01 02:00:00"})
        cron = server.execute("admin", None, "ir.cron", "search",
                              [("code", "ilike", "_prm_cron_deadlines")])
        server.execute("admin", None, "ir.cron", "method_direct_trigger", cron)
        messages = server.execute(
            "admin", None, "mail.message", "search_read",
            [("model", "=", "crm.lead"), ("res_id", "=", lead),
             ("partner_ids", "!=", False)], fields=["body", "partner_ids"])
        managers = server.execute("admin", None, "res.users", "search_read", [
            ("login", "in", ["tm.nord", "tm.sued", "tm.ost", "tm.west"])],
            fields=["partner_id", "lang"])
        german = {m["partner_id"][0] for m in managers if m["lang"] == "de_DE"}
        to_manager = [m for m in messages if set(m["partner_ids"]) & german]
        assert to_manager, messages
        for message in to_manager:
            assert "Acceptance deadline passed" not in message["body"], \
                message["body"]
    finally:
        server.execute("admin", None, "prm.routing.rule", "write", [rule],
                       {"active": False})
        for login in ("director01", "director02"):
            server.execute("admin", None, "res.partner", "write",
                           [dealer_of(server, login)],
                           {"prm_product_line_ids": [(3, line)]})


def test_deal_escalation_reaches_head_office_in_german(odoo_server):
    """prm.deal.registration cron (run as admin, en_US): the escalation note
    to head office (prm.manager, de_DE) reads "Deal registration ... was not
    decided by its deadline and is escalated to head office.". Expected:
    German for the German recipients."""
    server = odoo_server
    session = server.web_login("director01", "demo")
    data = dict(_deal_form(server, session),
                customer_name="Hof R8 Eskalation %s" % uuid.uuid4().hex[:6])
    response = session.post(server.url + "/my/deals/new", data=data,
                            allow_redirects=False)
    deal = int(re.search(r"/my/deals/(\d+)", response.headers["Location"]).group(1))
    server.execute("admin", None, "prm.deal.registration", "write", [deal],
                   {"deadline": "2020-01-01 00:00:00"})
    cron = server.execute("admin", None, "ir.cron", "search",
                          [("code", "ilike", "_cron_prm_deal_registrations")])
    server.execute("admin", None, "ir.cron", "method_direct_trigger", cron)
    manager = server.execute("admin", None, "res.users", "search_read",
                             [("login", "=", "prm.manager")],
                             fields=["partner_id", "lang"])[0]
    assert manager["lang"] == "de_DE"
    messages = server.execute(
        "admin", None, "mail.message", "search_read",
        [("model", "=", "prm.deal.registration"), ("res_id", "=", deal),
         ("partner_ids", "in", [manager["partner_id"][0]])], fields=["body"])
    assert messages
    for message in messages:
        assert "was not decided by its deadline" not in message["body"], \
            message["body"]


# --- F6: the acceptance reminder is mailed to bookkeepers, in English --------
def _reminded_lead(server):
    """A lead routed to director01's dealer whose reminder moment has
    passed, after the deadline cron ran; returns (lead id, partner ids of
    director01 and bookkeeper01)."""
    marker = uuid.uuid4().hex[:8]
    line = server.execute("admin", None, "prm.product.line", "create",
                          {"name": "R8r line %s" % marker,
                           "code": "r8r-%s" % marker})
    dealer = dealer_of(server, "director01")
    no_capacity_limit(server, [dealer])
    server.execute("admin", None, "res.partner", "write", [dealer],
                   {"prm_product_line_ids": [(4, line)]})
    rule = server.execute("admin", None, "prm.routing.rule", "create", {
        "name": "R8r rule %s" % marker, "sequence": 0,
        "match_product_line": True})
    touchpoint = server.execute("admin", None, "prm.touchpoint", "search",
                                [("code", "=", "web")])[0]
    try:
        lead = server.execute("admin", None, "crm.lead", "create", {
            "name": "R8r Anfrage %s" % marker, "zip": "24103", "city": "Kiel",
            "prm_touchpoint_id": touchpoint, "prm_product_line_id": line})
        assert server.execute("admin", None, "crm.lead", "read", [lead], [
            "partner_assigned_id"])[0]["partner_assigned_id"][0] == dealer
        server.execute("admin", None, "crm.lead", "write", [lead],
                       {"prm_reminder_date": "2020-01-01 00:00:00"})
        cron = server.execute("admin", None, "ir.cron", "search",
                              [("code", "ilike", "_prm_cron_deadlines")])
        server.execute("admin", None, "ir.cron", "method_direct_trigger", cron)
    finally:
        server.execute("admin", None, "prm.routing.rule", "write", [rule],
                       {"active": False})
        server.execute("admin", None, "res.partner", "write", [dealer],
                       {"prm_product_line_ids": [(3, line)]})
    users = server.execute("admin", None, "res.users", "search_read", [
        ("login", "in", ["director01", "bookkeeper01"])],
        fields=["login", "partner_id"])
    partners = {user["login"]: user["partner_id"][0] for user in users}
    return lead, partners["director01"], partners["bookkeeper01"]


def test_lead_reminder_is_not_mailed_to_the_bookkeeper(odoo_server):
    """crm.lead deadline cron, reminder step (_prm_deadline_remind): the
    internal note "Reminder to <dealer>: the lead is still awaiting
    acceptance." is addressed to every contact of the dealer with a user,
    so bookkeeper01 (who may read no leads) gets a mail "Re: <lead name>"
    ("Internal communication", signed Administrator). Expected: only the
    dealer's directors are reminded."""
    lead, _director, bookkeeper = _reminded_lead(odoo_server)
    reminders = odoo_server.execute(
        "admin", None, "mail.message", "search_read",
        [("model", "=", "crm.lead"), ("res_id", "=", lead),
         ("partner_ids", "in", [bookkeeper])], fields=["body"])
    assert not reminders, reminders


def test_lead_reminder_reaches_the_german_director_in_german(odoo_server):
    """Same reminder: director01 (de_DE) gets it in English, as an internal
    note mail with English Odoo footer, regardless of the notification
    setting for leads (/my/notifications). Expected: German."""
    lead, director, _bookkeeper = _reminded_lead(odoo_server)
    reminders = odoo_server.execute(
        "admin", None, "mail.message", "search_read",
        [("model", "=", "crm.lead"), ("res_id", "=", lead),
         ("partner_ids", "in", [director])], fields=["body"])
    assert reminders
    for message in reminders:
        assert "still awaiting acceptance" not in message["body"], message["body"]


# --- F7: head office's user limit is exceeded by parallel invitations --------
def test_parallel_invitations_stay_within_the_limit(odoo_server):
    """/my/users/invite: the limit check counts the active users and then
    creates, without a lock. A dealer with limit 4 and 3 active users
    (one slot) sends 6 invitations at the same moment (6 signed-in tabs
    of the director): all 6 succeed, 9 active portal users. Expected: one
    succeeds, the others get the translated limit message (400)."""
    import threading

    server = odoo_server
    company = new_company(server)
    server.execute("admin", None, "res.partner", "write", [company["dealer"]],
                   {"prm_user_limit": 4})
    sessions = [server.web_login(company["d1"], PASSWORD) for _ in range(6)]
    tokens = [csrf_token(session.get(server.url + "/my/security").text)
              for session in sessions]
    barrier = threading.Barrier(len(sessions))
    statuses = []

    def send(index):
        data = {"csrf_token": tokens[index], "name": "Racer %d" % index,
                "email": "racer%d.%s@dealer.example" % (index, company["marker"]),
                "mobile": "0151 %08d" % (uuid.uuid4().int % 10 ** 8),
                "portal_class": "bookkeeper"}
        barrier.wait()
        statuses.append(sessions[index].post(
            server.url + "/my/users/invite", data=data,
            allow_redirects=False).status_code)

    threads = [threading.Thread(target=send, args=(index,))
               for index in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    active = server.execute("admin", None, "res.users", "search_count", [
        ("commercial_partner_id", "=", company["dealer"]), ("share", "=", True)])
    assert active <= 4, (active, statuses)


# --- F8: the conflict check misses registrations made at the same moment -----
def test_simultaneous_registrations_of_one_customer_conflict(odoo_server):
    """/my/deals/new: director01 and director02 register the same customer
    (same name, address and VAT number) at the same moment. Each conflict
    check runs in its own transaction and cannot see the other's
    uncommitted registration: neither gets ``has_conflict`` nor a
    ``prm.deal.conflict`` row, the territory managers see no conflict and
    can approve (protect) both; approval does not check again. Expected:
    every registration but the first carries the conflict."""
    import threading

    server = odoo_server
    marker = uuid.uuid4().hex[:6]
    vat = "DE%09d" % (uuid.uuid4().int % 10 ** 9)
    logins = ["director01", "director02"] * 3   # six tabs, two dealers
    sessions = [server.web_login(login, "demo") for login in logins]
    forms = [dict(_deal_form(server, session),
                  customer_name="Gleichzeitig Hof %s GmbH" % marker,
                  customer_street="Dorfstraße 5", customer_zip="24105",
                  customer_vat=vat, expected_volume="50.000,00")
             for session in sessions]
    barrier = threading.Barrier(len(sessions))
    locations = []

    def register(index):
        barrier.wait()
        locations.append(sessions[index].post(
            server.url + "/my/deals/new", data=forms[index],
            allow_redirects=False).headers.get("Location"))

    threads = [threading.Thread(target=register, args=(index,))
               for index in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [int(re.search(r"/my/deals/(\d+)", location).group(1))
           for location in locations]
    deals = server.execute("admin", None, "prm.deal.registration", "read", ids,
                           ["has_conflict", "conflict_ids"])
    # only the first registration of the customer may be without conflict
    assert len([deal for deal in deals if not deal["conflict_ids"]]) <= 1, \
        deals


# --- F9: two "customer satisfaction" figures for one dealer ------------------
def test_scorecard_and_tier_criterion_agree_on_customer_satisfaction(odoo_server):
    """/my/scorecard (and the dealer form: res.partner.prm_feedback_rating)
    average every answered feedback ever; the tier criterion "customer
    satisfaction" (prm.tier.status.value_satisfaction, the tier card on
    /my/home) only the last 12 months. With one old rating of 1 star
    (2024) director20 reads "Kundenzufriedenheit 2,0 / 5" on the scorecard
    while his tier criterion value is 3,0. Expected: one definition (or
    the scorecard's tier criteria section naming its window). Fixed: both
    read ``prm_partner_portal/lib/dealer_figures.py`` (last 12 months),
    and the scorecard's tier criteria section shows the same value."""
    server = odoo_server
    dealer = dealer_of(server, "director20")   # Agrartechnik Fischer GmbH
    lead = server.execute("admin", None, "crm.lead", "search",
                          [("partner_assigned_id", "=", dealer)], limit=1)[0]
    server.execute("admin", None, "prm.lead.feedback", "create", {
        "lead_id": lead, "partner_id": dealer, "token": uuid.uuid4().hex * 2,
        "state": "answered", "rating": 1, "sent_on": "2024-05-30 10:00:00",
        "answered_on": "2024-06-01 10:00:00"})
    server.execute("admin", None, "prm.tier.proposal",
                   "action_prm_run_evaluation")
    tier_value = server.execute("admin", None, "prm.tier.status", "search_read",
                                [("partner_id", "=", dealer)],
                                fields=["value_satisfaction"])[0]["value_satisfaction"]
    session = server.web_login("director20", "demo")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", session.get(
        server.url + "/my/scorecard").text))
    shown = re.search(r"Kundenzufriedenheit ([\d,]+) / 5", page).group(1)
    assert shown == ("%.1f" % tier_value).replace(".", ","), (shown, tier_value)


# --- F10: a terminated dealer keeps the price lists and deal registration ----
def test_terminated_dealer_gets_no_price_list_and_registers_no_deal(odoo_server):
    """prm.document audience (lib/audience via _prm_dealer_facts) checks
    only ``prm_is_dealer``, deal registration and /my/users only the
    director group; lead routing, tier evaluation and the benchmark take
    only ``prm_state = active`` dealers. A dealer head office set to
    "Terminated" still downloads "Preisliste 2027" (all dealers) and
    registers deals that would protect customers. Expected (policy to be
    confirmed by the lead): 404 for the document, refusal for /my/deals/new."""
    server = odoo_server
    company = new_company(server)
    server.execute("admin", None, "res.partner", "write", [company["dealer"]],
                   {"prm_state": "terminated"})
    price_list = server.execute("admin", None, "prm.document", "search",
                                [("name", "=", "Preisliste 2027")])[0]
    session = server.web_login(company["d1"], PASSWORD)
    download = session.get(server.url + "/my/documents/%d/download" % price_list,
                           allow_redirects=False)
    deals = session.get(server.url + "/my/deals/new")   # after the language
    assert (download.status_code, deals.status_code) == (404, 403), \
        (download.status_code, deals.status_code)


# --- F11: the customer name is HTML in the registration's messages -----------
def test_customer_name_is_text_in_deal_messages(odoo_server):
    """/my/deals/new, director02: customer name
    '<a href="https://evil.example/login">Bitte hier neu anmelden</a><img
    src="https://evil.example/t.png">' is put unescaped into the HTML body
    of the registration's messages (``body % params`` in
    _prm_notify_dealer; the conflict note "Possible conflicts: ..." to the
    territory manager likewise): a live link and a remote image (tracking
    pixel) in the mail and on /my/deals/<id>, and - through a second,
    conflicting registration - in the approver's chatter. Only <script> is
    removed by the sanitizer. Expected: the name shown as text."""
    server = odoo_server
    marker = uuid.uuid4().hex[:6]
    name = ('<a href="https://evil.example/login">Bitte hier neu anmelden</a>'
            '<img src="https://evil.example/t.png"><b>Hof %s</b>' % marker)
    ids = []
    for login in ("director02", "director01"):   # the second one conflicts
        session = server.web_login(login, "demo")
        data = dict(_deal_form(server, session), customer_name=name)
        response = session.post(server.url + "/my/deals/new", data=data,
                                allow_redirects=False)
        ids.append(int(re.search(r"/my/deals/(\d+)",
                                 response.headers["Location"]).group(1)))
    page = session.get(server.url + "/my/deals/%d" % ids[-1]).text
    # shown as text (escaped), never as a live link or image
    assert '<a href="https://evil.example' not in page
    assert '<img src="https://evil.example' not in page
    assert "&lt;a href=" in page
    bodies = [message["body"] for message in server.execute(
        "admin", None, "mail.message", "search_read",
        [("model", "=", "prm.deal.registration"), ("res_id", "in", ids)],
        fields=["body"])]
    assert not [body for body in bodies if "evil.example" in body
                and "&lt;" not in body], bodies


# --- F12: "not for you" answers are werkzeug's English page ------------------
def test_not_found_pages_of_the_new_routes_are_german(odoo_server):
    """German director05 asks for a news item outside his audience
    (/my/news/5, premium tier), another dealer's registration
    (/my/deals/<id>) and a document outside his audience:
    each answers 404 (right) with werkzeug's bare English page "Not Found
    - The requested URL was not found on the server..." instead of the
    portal's German page (the same on the older /my/leads/<id>).
    Expected: a German page in the portal layout."""
    server = odoo_server
    deal = server.execute("admin", None, "prm.deal.registration", "search",
                          [("dealer_id", "!=", dealer_of(server, "director05"))],
                          limit=1)
    assert deal, "no registration of another dealer in the demo data"
    session = server.web_login("director05", "demo")
    for path in ("/my/news/5", "/my/deals/%d" % deal[0]):
        response = session.get(server.url + path)
        assert response.status_code == 404, path
        assert "The requested URL was not found" not in response.text, path
        assert "Seite nicht gefunden" in response.text, path


# --- F13/F14: the deal registration's clock ----------------------------------
def _fresh_registration(server, login="director01"):
    session = server.web_login(login, "demo")
    marker = uuid.uuid4().hex[:6]
    data = dict(_deal_form(server, session), customer_name="Uhr Hof %s" % marker,
                customer_street="Uhrweg %s" % marker,
                customer_zip="%05d" % (uuid.uuid4().int % 99999),
                customer_city="Uhrstadt %s" % marker)
    response = session.post(server.url + "/my/deals/new", data=data,
                            allow_redirects=False)
    return int(re.search(r"/my/deals/(\d+)", response.headers["Location"]).group(1))


def _approved_registration(server, login, now):
    """A new registration approved by ``login`` with the clock ``now``
    given in the context."""
    deal = _fresh_registration(server)
    wizard = server.execute(login, None, "prm.deal.decision", "create",
                            {"registration_id": deal, "reason": "passt"})
    server.execute(login, None, "prm.deal.decision", "action_approve",
                   [wizard], context={"prm_now": now})
    return deal


def test_territory_manager_cannot_set_the_clock_of_a_decision(odoo_server):
    """prm.deal.decision.action_approve over XML-RPC as tm.nord with
    context {"prm_now": "2035-01-01 00:00:00"}: prm.deal.registration's
    _prm_now trusts the context of any caller, so the decision date is
    forged and the protection runs until 2035-04-01 instead of the
    configured 90 days from today (crm.lead's clock ignores prm_now from
    anyone but the superuser: _prm_trusted_clock). Expected: the real
    clock for every caller but the superuser/cron."""
    server = odoo_server
    deal = _approved_registration(server, "tm.nord", "2035-01-01 00:00:00")
    decided = server.execute("admin", None, "prm.deal.registration", "read",
                             [deal], ["decision_date", "protected_until"])[0]
    assert not decided["decision_date"].startswith("2035"), decided
    assert decided["protected_until"] < "2030-01-01", decided


def test_protection_counts_days_in_berlin(odoo_server):
    """prm.deal.registration._prm_decide: ``protection_end(now, days)``
    takes the UTC date. Approved on 1 December 2026 at 00:30 in Berlin
    (30 November 23:30 UTC; the clock given as superuser, as the cron's
    tests do), 90 days of protection end on 2027-02-28 instead of
    2027-03-01; the expiry cron compares with the UTC date too.
    Expected: days counted in Europe/Berlin."""
    server = odoo_server
    key = "prm_deal_registration.protection_days"
    # other tests save the settings: the test sets its own 90 days
    before = server.execute("admin", None, "ir.config_parameter", "get_param",
                            key)
    server.execute("admin", None, "ir.config_parameter", "set_param", key, "90")
    try:
        deal = _approved_registration(server, "admin", "2026-11-30 23:30:00")
        until = server.execute("admin", None, "prm.deal.registration", "read",
                               [deal], ["protected_until"])[0]["protected_until"]
    finally:
        server.execute("admin", None, "ir.config_parameter", "set_param", key,
                       before or False)
    assert until == "2027-03-01", until
