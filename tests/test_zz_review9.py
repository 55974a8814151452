"""Outside review (review9) of the README sections on dealers outside the
programme, figures, tier card, tier mail, refusal pages, dates and
documents valid from a later day: confirmed findings.

Every test here fails on the reviewed code (main 5ec8c4e).
"""
import base64
import datetime
import re
import uuid

import pytz

from .test_my_users import PASSWORD, new_company


def _call_kw(server, session, model, method, args, kwargs=None):
    """/web/dataset/call_kw as the signed-in user of ``session``: the
    ``result`` (None when the call answered an error)."""
    response = session.post(server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": model, "method": method, "args": args,
            "kwargs": kwargs or {}}})
    return response.json().get("result")


def _file_attachment(server, document):
    return server.execute("admin", None, "ir.attachment", "search", [
        ("res_model", "=", "prm.document"), ("res_id", "=", document),
        ("res_field", "=", "file")])[0]


def _not_yet_or_no_longer_valid(server, marker, publish_in_tz=False):
    """A published document and news item addressed to all dealers that are
    not valid today in Europe/Berlin but are valid "today" in a time zone
    that is a day ahead of Berlin (valid from Berlin's tomorrow) or a day
    behind (valid until Berlin's yesterday). Which one exists at every hour
    of the day: Pacific/Kiritimati (UTC+14) is a day ahead of Berlin from
    11:00 (winter) Berlin time, Pacific/Pago_Pago (UTC-11) a day behind
    until 12:00. ``publish_in_tz``: head office publishes with that time
    zone in its context. Returns (document id, news id, time zone)."""
    now = datetime.datetime.now(pytz.utc)
    berlin = now.astimezone(pytz.timezone("Europe/Berlin")).date()
    ahead = now.astimezone(pytz.timezone("Pacific/Kiritimati")).date()
    if ahead > berlin:
        tz, validity = "Pacific/Kiritimati", {"date_from": str(ahead)}
    else:
        behind = now.astimezone(pytz.timezone("Pacific/Pago_Pago")).date()
        assert behind < berlin
        tz, validity = "Pacific/Pago_Pago", {
            "date_from": str(behind - datetime.timedelta(days=7)),
            "date_to": str(behind)}
    document = server.execute("admin", None, "prm.document", "create", dict(
        validity, name="R9 price list %s" % marker, category="price_list",
        file=base64.b64encode(b"R9-NOT-TODAY").decode(), file_name="r9.txt"))
    server.execute("admin", None, "prm.document", "action_publish", [document],
                   context={"tz": tz} if publish_in_tz else {})
    news = server.execute("admin", None, "prm.news", "create", dict(
        validity, name="R9 news %s" % marker, summary="not today"))
    server.execute("admin", None, "prm.news", "action_publish", [news],
                   context={"tz": tz} if publish_in_tz else {})
    return document, news, tz


# --- F1: validity days counted in the caller's time zone ----------------------
def test_validity_is_not_moved_by_the_context_time_zone(odoo_server):
    """A document/news item "valid from" Berlin's tomorrow (or "valid
    until" Berlin's yesterday) is not addressed to any dealer today
    (README: the day begins in Europe/Berlin). A director who passes
    ``context={"tz": "Pacific/Kiritimati"}`` (or Pago_Pago) with
    /web/dataset/call_kw reads the item and its file today:
    ``prm.audience.mixin._prm_today`` takes the caller's context time zone.
    Expected: nothing."""
    company = new_company(odoo_server, lang="de_DE")
    document, news, tz = _not_yet_or_no_longer_valid(
        odoo_server, company["marker"])
    attachment = _file_attachment(odoo_server, document)
    session = odoo_server.web_login(company["d1"], PASSWORD)
    context = {"tz": tz}
    assert _call_kw(odoo_server, session, "prm.document", "search_read",
                    [[("id", "=", document)]],
                    {"fields": ["name"], "context": context}) == []
    assert _call_kw(odoo_server, session, "prm.news", "search_read",
                    [[("id", "=", news)]],
                    {"fields": ["name"], "context": context}) == []
    assert _call_kw(odoo_server, session, "ir.attachment", "search_read",
                    [[("id", "=", attachment)]],
                    {"fields": ["datas"], "context": context}) == []


def test_validity_is_not_moved_by_the_users_own_time_zone(odoo_server):
    """Same item; the director sets his own time zone (a self-writable
    field of res.users, via call_kw ``write`` on his user) to
    Pacific/Kiritimati (or Pago_Pago) and signs in again: /my/documents
    lists the item, /my/documents/<id>/download, /web/content/<attachment
    id> and /my/news/<id> answer 200 with the content a day early (or a
    day late). Expected: 404 and not listed, as for every other dealer
    that day."""
    company = new_company(odoo_server, lang="de_DE")
    document, news, tz = _not_yet_or_no_longer_valid(
        odoo_server, company["marker"])
    attachment = _file_attachment(odoo_server, document)
    session = odoo_server.web_login(company["d1"], PASSWORD)
    uid = odoo_server.execute("admin", None, "res.users", "search",
                              [("login", "=", company["d1"])])[0]
    assert _call_kw(odoo_server, session, "res.users", "write",
                    [[uid], {"tz": tz}]) is True
    session = odoo_server.web_login(company["d1"], PASSWORD)
    listing = session.get(odoo_server.url + "/my/documents")
    assert "R9 price list %s" % company["marker"] not in listing.text
    for path in ("/my/documents/%d/download" % document,
                 "/web/content/%d" % attachment,
                 "/my/news/%d" % news):
        response = session.get(odoo_server.url + path)
        assert response.status_code == 404, (path, response.status_code)
        assert b"R9-NOT-TODAY" not in response.content


def test_no_announcement_of_an_item_outside_its_validity(odoo_server):
    """Head office (here admin over XML-RPC; in the backend a head-office
    or marketing user whose own time zone is ahead of Berlin, e.g.
    Asia/Tokyo after 16:00) publishes a price list valid from Berlin's
    tomorrow: every addressed dealer user is told at once ("Neu im
    Partnerportal" mail or digest line with a link that answers 404 until
    tomorrow), and the item is still marked pending, so the valid-day cron
    announces it a second time. ``action_publish`` counts "today" in the
    publisher's time zone. Expected (README): nobody is told before the
    day has begun in Europe/Berlin; one announcement."""
    company = new_company(odoo_server, lang="de_DE")
    users = odoo_server.execute("admin", None, "res.users", "search", [
        ("login", "in", [company["d1"], company["d2"], company["bk"]])])
    _not_yet_or_no_longer_valid(odoo_server, company["marker"],
                                publish_in_tz=True)
    lines = odoo_server.execute("admin", None, "prm.mail.digest.line",
                                "search_read", [("user_id", "in", users)],
                                ["subject"])
    mails = odoo_server.execute("admin", None, "mail.mail", "search_read", [
        ("email_to", "ilike", company["marker"]),
        ("body_html", "ilike", company["marker"] + "</a>")], ["subject"])
    assert lines == [] and mails == [], (lines, mails)


# --- F2: /web/image tells whether a document outside the audience exists ------
def test_web_image_does_not_reveal_documents_outside_the_audience(odoo_server):
    """README (dealers outside the programme, refusal pages): a document
    outside the audience answers "not found" (404) on /web/content and
    /web/image and "does not say whether the record exists". /web/image
    answers 403 for an existing document (or its attachment id) that the
    user may not read and 404 for an id that does not exist — for a
    director, a half-signed-in user and an anonymous visitor alike: an
    oracle over document and attachment ids. Expected: 404 both."""
    marker = uuid.uuid4().hex[:8]
    document = odoo_server.execute("admin", None, "prm.document", "create", {
        "name": "R9 unpublished %s" % marker, "category": "other",
        "file": base64.b64encode(b"R9-DRAFT").decode(), "file_name": "d.txt"})
    attachment = _file_attachment(odoo_server, document)
    company = new_company(odoo_server, lang="de_DE")
    director = odoo_server.web_login(company["d1"], PASSWORD)
    half = odoo_server.web_login(company["d2"], PASSWORD, second_factor=False)
    anonymous = odoo_server.session()
    missing = attachment + 10 ** 6
    for who, session in (("director", director), ("half signed in", half),
                         ("anonymous", anonymous)):
        for path in ("/web/image/%d" % attachment,
                     "/web/image/prm.document/%d/file" % document):
            response = session.get(odoo_server.url + path)
            assert response.status_code == 404, (who, path, response.status_code)
        assert session.get(odoo_server.url + "/web/image/%d" % missing) \
            .status_code == 404


# --- F3: the director's printed scorecard shows no warranty claims -----------
def _text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _claims(text):
    """The "Warranty claims" section of a German scorecard text."""
    match = re.search(r"Garantiefälle Wert (.*?) Kundenfeedback", text)
    assert match, text[:2000]
    return match.group(1)


def test_directors_printed_scorecard_has_the_same_claims(odoo_server):
    """director01's dealer has warranty claims (dealer form: "Warranty
    claims" 3, open 2; /my/scorecard: "Garantiefälle 3, Offene
    Garantiefälle 2"). The same director opens the printable scorecard of
    his own company (/report/html or /report/pdf/prm_staff_home.
    report_scorecard/<dealer id>, 200) or reads ``prm_scorecard_html`` with
    call_kw: "Garantiefälle 0, Offene Garantiefälle 0" — the sections are
    computed as the director, who cannot read warranty claims, and the
    numbers silently become 0. Expected: one figure everywhere (or the
    print refused to portal users, as it is to bookkeepers)."""
    user = odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director01")],
                               ["commercial_partner_id"])[0]
    dealer = user["commercial_partner_id"][0]
    counts = odoo_server.execute("admin", None, "res.partner", "read", [dealer],
                                 ["prm_claim_count"])[0]
    assert counts["prm_claim_count"] > 0, "demo dealer without claims"
    session = odoo_server.web_login("director01", "demo")
    portal = _claims(_text(session.get(odoo_server.url + "/my/scorecard").text))
    assert portal.startswith("Garantiefälle %d " % counts["prm_claim_count"])
    report = session.get(odoo_server.url +
                         "/report/html/prm_staff_home.report_scorecard/%d" % dealer)
    if report.status_code == 200:
        assert _claims(_text(report.text)) == portal
    tab = _call_kw(odoo_server, session, "res.partner", "read",
                   [[dealer], ["prm_scorecard_html"]],
                   {"context": {"lang": "de_DE", "tz": "Europe/Berlin"}})
    if tab:
        assert _claims(_text(tab[0]["prm_scorecard_html"])) == portal
    figures = _call_kw(odoo_server, session, "res.partner", "read",
                       [[dealer], ["prm_claim_count"]])
    if figures:
        assert figures[0]["prm_claim_count"] == counts["prm_claim_count"]


def test_portal_users_read_the_scorecard_figures_from_one_origin(odoo_server):
    """Decision for F3 (fix9b): portal users read their company's figures
    only on the scorecard (page and print, computed under the scorecard's
    access check), never as res.partner fields. The director's print is
    answered (200) with the page's claims; the fields are refused to him
    and to the bookkeeper (who read 0.0 before) instead of answering 0;
    the bookkeeper's print is refused."""
    user = odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director01")],
                               ["commercial_partner_id"])[0]
    dealer = user["commercial_partner_id"][0]
    session = odoo_server.web_login("director01", "demo")
    portal = _claims(_text(session.get(odoo_server.url + "/my/scorecard").text))
    report = session.get(odoo_server.url +
                         "/report/html/prm_staff_home.report_scorecard/%d" % dealer)
    assert report.status_code == 200
    assert _claims(_text(report.text)) == portal
    bookkeeper = odoo_server.execute("admin", None, "res.users", "search_read",
                                     [("login", "=", "bookkeeper01")],
                                     ["commercial_partner_id"])[0]
    assert bookkeeper["commercial_partner_id"][0] == dealer
    for login in ("director01", "bookkeeper01"):
        session = odoo_server.web_login(login, "demo")
        for field in ("prm_claim_count", "prm_feedback_rating",
                      "prm_target_attainment", "prm_response_within_target",
                      "prm_scorecard_html"):
            assert _call_kw(odoo_server, session, "res.partner", "read",
                            [[dealer], [field]]) is None, (login, field)
    refused = session.get(  # the bookkeeper's
        odoo_server.url + "/report/html/prm_staff_home.report_scorecard/%d"
        % dealer)
    assert refused.status_code == 403


# --- F4: werkzeug's English pages still reach German users -------------------
def test_wrong_method_answers_the_german_refusal_page(odoo_server):
    """README (refusal pages): "werkzeug's bare English pages never reach a
    user". A German director who opens /my/users/invite or
    /my/users/<id>/change (POST-only routes; e.g. a bookmarked or reloaded
    form target) gets werkzeug's "405 Method Not Allowed ... The method is
    not allowed for the requested URL." page in English, without charset
    and without a way back. Expected: the translated refusal page."""
    company = new_company(odoo_server, lang="de_DE")
    session = odoo_server.web_login(company["d1"], PASSWORD)
    bookkeeper = odoo_server.execute("admin", None, "res.users", "search",
                                     [("login", "=", company["bk"])])[0]
    for path in ("/my/users/invite", "/my/users/%d/change" % bookkeeper):
        response = session.get(odoo_server.url + path)
        assert response.status_code in (400, 404, 405), response.status_code
        assert "Method Not Allowed" not in response.text, path
        assert "/my/home" in response.text, path
        # fix9b: the German page (405 with the methods the route takes)
        assert "Diese Seite kann nicht direkt aufgerufen werden" in response.text
        assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_csrf_refusal_is_german(odoo_server):
    """A German director's form post with an expired/missing CSRF token
    (e.g. the notification settings after the session token changed):
    the German 400 page "Die Anfrage ist ungültig." carries core's English
    "Session expired (invalid CSRF token)". Expected: the reason in
    German."""
    company = new_company(odoo_server, lang="de_DE")
    session = odoo_server.web_login(company["d1"], PASSWORD)
    response = session.post(odoo_server.url + "/my/notifications",
                            data={"prm_notify_documents": "off"})
    assert response.status_code == 400
    assert "Die Anfrage ist ungültig" in response.text
    assert "Session expired" not in response.text
    assert "invalid CSRF token" not in response.text
    assert "Das Formular ist veraltet" in response.text  # fix9b


# --- F5: the scorecard print of a missing dealer is a server error -----------
def test_scorecard_print_of_a_missing_dealer_is_not_a_server_error(odoo_server):
    """/report/pdf (and /report/html)/prm_staff_home.report_scorecard/<id>
    with an id that does not exist (typo, deleted dealer, or an id list
    with one stale id) answers 500 with werkzeug's English "Internal Server
    Error" page and a MissingError traceback logged at ERROR — for head
    office and for a director alike. Expected: the German 404 page, no
    ERROR line (the fixture checks the log)."""
    missing = odoo_server.execute("admin", None, "res.partner", "search", [],
                                  limit=1, order="id desc")[0] + 10 ** 6
    for login in ("prm.manager", "director01"):
        session = odoo_server.web_login(login, "demo")
        for converter in ("pdf", "html"):
            response = session.get(
                odoo_server.url + "/report/%s/prm_staff_home.report_scorecard/%d"
                % (converter, missing))
            assert response.status_code == 404, (login, converter,
                                                 response.status_code)
            assert "Seite nicht gefunden" in response.text
    # fix9b, same route: a converter that does not exist
    response = session.get(odoo_server.url +
                           "/report/txt/prm_staff_home.report_scorecard/%d" % missing)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


def test_no_report_of_ours_prints_a_missing_record(odoo_server):
    """Same kind as the scorecard (fix9b): the benchmark reports kept only
    the existing ids (``exists()``) and answered 200 with a PDF that left
    the stale record out (or held nothing). Every report of our addons:
    a missing id, alone or next to an existing one, is the German 404."""
    entry = odoo_server.execute("admin", None, "prm.benchmark.entry", "search",
                                [], limit=1, order="id desc")[0]
    period = odoo_server.execute("admin", None, "prm.benchmark.period",
                                 "search", [], limit=1, order="id desc")[0]
    session = odoo_server.web_login("prm.manager", "demo")
    for report, existing in (("prm_benchmark.report_participant", entry),
                             ("prm_benchmark.report_network", period)):
        for ids in ("%d" % (existing + 10 ** 6),
                    "%d,%d" % (existing, existing + 10 ** 6)):
            response = session.get(odoo_server.url + "/report/html/%s/%s"
                                   % (report, ids))
            assert response.status_code == 404, (report, ids,
                                                 response.status_code)
            assert "Seite nicht gefunden" in response.text


# --- F6: another dealer's tier and status through the audience search field ---
def test_audience_search_field_does_not_reveal_other_dealers(odoo_server):
    """``prm_audience_dealer_id`` (search-only field of documents, news and
    attachments, meant for the record rules) is searchable by any portal
    user with any dealer id: director01 adds
    ``("prm_audience_dealer_id", "=", X)`` to a search of the items he may
    read and learns whether dealer X is addressed by them — with one item
    for "Standard partners" he reads every other dealer's tier (40 of 40
    in the demo), with an all-dealer item whether a competitor is still
    active or was suspended/terminated; regions and tags likewise.
    Expected: the answer does not depend on the other dealer (the leaf is
    refused or ignored for anyone but the own dealer)."""
    user = odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director01")],
                               ["commercial_partner_id"])[0]
    own = user["commercial_partner_id"][0]
    tier = odoo_server.execute("admin", None, "res.partner", "read", [own],
                               ["prm_tier_id"])[0]["prm_tier_id"][0]
    base = [("prm_is_dealer", "=", True), ("prm_state", "=", "active"),
            ("is_company", "=", True), ("id", "!=", own)]
    same = odoo_server.execute("admin", None, "res.partner", "search",
                               base + [("prm_tier_id", "=", tier)], limit=1)
    other = odoo_server.execute("admin", None, "res.partner", "search",
                                base + [("prm_tier_id", "!=", tier)], limit=1)
    assert same and other
    marker = uuid.uuid4().hex[:8]
    document = odoo_server.execute("admin", None, "prm.document", "create", {
        "name": "R9 tier only %s" % marker, "category": "other",
        "file": base64.b64encode(b"R9").decode(), "file_name": "t.txt",
        "tier_ids": [(6, 0, [tier])]})
    odoo_server.execute("admin", None, "prm.document", "action_publish",
                        [document])
    session = odoo_server.web_login("director01", "demo")

    def addressed(dealer):
        return _call_kw(odoo_server, session, "prm.document", "search", [[
            ("id", "=", document), ("prm_audience_dealer_id", "=", dealer)]])

    assert addressed(same[0]) == addressed(other[0]), \
        "dealer %s's tier is visible to director01" % other[0]


# --- F7: an unknown time zone in the context is a server error --------------
def test_unknown_context_time_zone_is_not_a_server_error(odoo_server):
    """A portal user's call_kw search of documents or news with
    ``context={"tz": "Mars/Olympus"}`` (any string; the web client sends
    the browser's) fails in ``prm.audience.mixin._prm_today`` with pytz's
    UnknownTimeZoneError: "Odoo Server Error" (InternalServerError) with a
    traceback logged at ERROR. Expected: the Berlin day (or a clear
    refusal), no ERROR line (the fixture checks the log)."""
    company = new_company(odoo_server, lang="de_DE")
    session = odoo_server.web_login(company["d1"], PASSWORD)
    response = session.post(odoo_server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "prm.news", "method": "search_read", "args": [[]],
            "kwargs": {"fields": ["name"], "context": {"tz": "Mars/Olympus"}}}})
    answer = response.json()
    assert "error" not in answer, answer["error"]["data"].get("name")
