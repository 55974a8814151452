"""Every portal and JSON route × every kind of caller, and forged ids (issue 9).

The table below is the contract: one row per route and variant (own record,
another dealer's record, an id that does not exist), one column per caller.
The test asks the real server for every cell and prints the cells that
differ. Outcomes:

    ok    200 (for the exports: the file itself)
    auth  sent to /web/login (not signed in, or only half: no SMS code yet)
    deny  403 or 404 (404 where the product hides that a record exists)
    bad   400 (invalid input refused, nothing stored)

Callers: pub = public visitor, half = password accepted but no SMS code yet,
dir/book = managing director/bookkeeper of one dealer, mgr = head office,
tm = territory manager, int = internal user without a PRM role (marketing).

A 500 is never expected (and the server log check of conftest fails on it).
"""
import glob
import io
import os
import re
import uuid
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pytest

from .odoo_server import ROOT, csrf_token
from .test_2fa import start_login, user_field
from .test_benchmark_analysis import group_members, own_partner
from .test_benchmark_entry import entry_values, form_fields, open_period
from .test_documents_http import route_ids as documents_route_ids
from .test_exchange import (
    NETWORK, SOUTH, channel_id, messages_with, partner_of)
from .test_deals import new_deal
from .test_leads import feedback_link, feedback_state, lead_values, new_lead

LOGINS = {
    "dir": "director01",     # dealer of region Nord
    "book": "bookkeeper01",  # same dealer, figures entry only
    "mgr": "prm.manager",    # head office
    "tm": "tm.nord",         # territory manager of Nord
    "int": "marketing",      # internal user without a PRM manager role
}
FOREIGN_DIRECTOR = "director02"    # another dealer of the same region
MISSING = 987654321

# Rows: METHOD path (placeholders are filled per test run; JSON rows send the
# query string as JSON-RPC params). POST rows carry a valid CSRF token and a
# harmless body (see POST_BODY); CSRF itself is tested in
# test_csrf_and_leaks.py.
MATRIX = """
route                                            pub  half dir  book mgr  tm   int
GET  /my/home                                    auth auth ok   ok   ok   ok   ok
GET  /my/targets                                 auth auth ok   deny deny deny deny
GET  /my/targets/page/{page}                     auth auth ok   deny deny deny deny
GET  /my/leads                                   auth auth ok   deny deny deny deny
GET  /my/leads/page/{page}                       auth auth ok   deny deny deny deny
GET  /my/leads/{olead}                           auth auth ok   deny deny deny deny
GET  /my/leads/{flead}                           auth auth deny deny deny deny deny
GET  /my/leads/{missing}                         auth auth deny deny deny deny deny
POST /my/leads/{flead}/reaction                  auth auth deny deny deny deny deny
POST /my/leads/{missing}/reaction                auth auth deny deny deny deny deny
GET  /my/users                                   auth auth ok   deny deny deny deny
POST /my/users/invite                            auth auth bad  deny deny deny deny
POST /my/users/{fuser}/change                    auth auth deny deny deny deny deny
POST /my/users/{missing}/change                  auth auth deny deny deny deny deny
GET  /my/deals                                   auth auth ok   deny deny deny deny
GET  /my/deals/page/{page}                       auth auth ok   deny deny deny deny
GET  /my/deals/{odeal}                           auth auth ok   deny deny deny deny
GET  /my/deals/{fdeal}                           auth auth deny deny deny deny deny
GET  /my/deals/{missing}                         auth auth deny deny deny deny deny
GET  /my/deals/new                               auth auth ok   deny deny deny deny
POST /my/deals/new                               auth auth bad  deny deny deny deny
GET  /prm/feedback/{token}                       ok   ok   ok   ok   ok   ok   ok
GET  /prm/feedback/{forged}                      deny deny deny deny deny deny deny
POST /prm/feedback/{token}                       bad  bad  bad  bad  bad  bad  bad
POST /prm/feedback/{forged}                      deny deny deny deny deny deny deny
GET  /my/exchange                                auth auth ok   deny deny deny deny
GET  /my/exchange/{ochan}                        auth auth ok   deny deny deny deny
GET  /my/exchange/{fchan}                        auth auth deny deny deny deny deny
GET  /my/exchange/{missing}                      auth auth deny deny deny deny deny
GET  /my/exchange/{ochan}/messages               auth auth ok   deny deny deny deny
GET  /my/exchange/{fchan}/messages               auth auth deny deny deny deny deny
GET  /my/exchange/{missing}/messages             auth auth deny deny deny deny deny
POST /my/exchange/{fchan}/post                   auth auth deny deny deny deny deny
POST /my/exchange/{missing}/post                 auth auth deny deny deny deny deny
GET  /my/benchmark/entry                         auth auth ok   ok   deny deny deny
GET  /my/benchmark/entry/{period}                auth auth ok   ok   deny deny deny
GET  /my/benchmark/entry/{missing}               auth auth deny deny deny deny deny
POST /my/benchmark/entry/{missing}               auth auth deny deny deny deny deny
GET  /my/benchmark                               auth auth ok   deny deny deny deny
GET  /my/benchmark?group_id={fgroup}             auth auth deny deny deny deny deny
JSON /my/benchmark/data                          auth auth ok   deny deny deny deny
JSON /my/benchmark/data?group_id={ogroup}        auth auth ok   deny deny deny deny
JSON /my/benchmark/data?group_id={fgroup}        auth auth deny deny deny deny deny
JSON /my/benchmark/data?period_id={missing}      auth auth deny deny deny deny deny
GET  /my/benchmark/export.xlsx                   auth auth ok   deny deny deny deny
GET  /my/benchmark/export.xlsx?group_id={fgroup} auth auth deny deny deny deny deny
GET  /my/benchmark/report.pdf                    auth auth ok   deny deny deny deny
GET  /my/benchmark/report.pdf?group_id={fgroup}  auth auth deny deny deny deny deny
GET  /my/benchmark/report/open/{forged}          deny deny deny deny deny deny deny
GET  /prm_benchmark/export/network/{period}      auth auth deny deny ok   deny deny
GET  /prm_benchmark/export/network/{missing}     auth auth deny deny deny deny deny
GET  /web/login/2fa                              auth ok   auth auth auth auth auth
POST /web/login/2fa/resend                       auth ok   auth auth auth auth auth
POST /my/security/forget-devices                 auth auth ok   ok   ok   ok   ok
GET  /my/security                                auth auth ok   ok   ok   ok   ok
POST /my/security/totp/start                     auth auth ok   ok   ok   ok   ok
POST /my/security/totp/confirm                   auth auth ok   ok   ok   ok   ok
POST /my/security/totp/remove                    auth auth ok   ok   ok   ok   ok
POST /my/security/recovery                       auth auth ok   ok   ok   ok   ok
POST /my/security/sms-code                       auth auth ok   ok   ok   ok   ok
POST /web/login/2fa/method                       auth ok   auth auth auth auth auth
POST /web/login/2fa/enrol                        auth ok   auth auth auth auth auth
GET  /my/security/number                         auth auth ok   ok   ok   ok   ok
GET  /web/database/selector                      deny deny deny deny deny deny deny
GET  /web/database/manager                       deny deny deny deny deny deny deny
POST /web/database/create                        deny deny deny deny deny deny deny
POST /web/database/duplicate                     deny deny deny deny deny deny deny
POST /web/database/drop                          deny deny deny deny deny deny deny
POST /web/database/backup                        deny deny deny deny deny deny deny
POST /web/database/restore                       deny deny deny deny deny deny deny
POST /web/database/change_password               deny deny deny deny deny deny deny
JSON /web/database/list                          deny deny deny deny deny deny deny
POST /web/login/2fa/cancel                       auth auth auth auth auth auth auth
GET  /web/login/2fa                              auth auth auth auth auth auth auth
GET  /my/scorecard                               auth auth ok   deny deny deny deny
GET  /my/documents                               auth auth ok   ok   ok   ok   ok
GET  /my/documents/{odoc}/download               auth auth ok   ok   ok   ok   ok
GET  /my/documents/{fdoc}/download               auth auth deny deny ok   ok   ok
GET  /my/documents/{missing}/download            auth auth deny deny deny deny deny
GET  /my/news                                    auth auth ok   ok   ok   ok   ok
GET  /my/news/{onews}                            auth auth ok   ok   ok   ok   ok
GET  /my/news/{fnews}                            auth auth deny deny ok   ok   ok
GET  /my/news/{missing}                          auth auth deny deny deny deny deny
GET  /my/notifications                           auth auth ok   ok   deny deny deny
POST /my/notifications                           auth auth ok   ok   deny deny deny
"""
POST_BODY = {"action": "accept", "text": "route matrix", "rating": "9",
             "master_pwd": "x", "name": "prm", "value_rev_new": "1"}


def parse_matrix(text):
    lines = text.strip().splitlines()
    callers = lines[0].split()[1:]
    rows = []
    for line in lines[1:]:
        method, path, *cells = line.split()
        assert len(cells) == len(callers), line
        rows.append((method, path, dict(zip(callers, cells))))
    return callers, rows


CALLERS, ROWS = parse_matrix(MATRIX)


def is_login_redirect(location):
    path = urlsplit(location or "").path
    return re.search(r"^(/[a-z]{2}_[A-Z]{2})?/web/login$", path) is not None


def outcome(response):
    """The status class of an HTTP response (redirects followed)."""
    hops = [hop.headers.get("Location") for hop in response.history]
    if any(is_login_redirect(hop) for hop in hops):
        return "auth"
    if response.status_code == 200:
        return "ok"
    return {400: "bad", 403: "deny", 404: "deny"}.get(
        response.status_code, "HTTP %d" % response.status_code)


def json_outcome(response):
    if response.status_code != 200:
        return outcome(response)
    body = response.json()
    error = body.get("error")
    if error:
        if error.get("code") == 100:  # Odoo Session Expired
            return "auth"
        if error.get("code") == 404:
            return "deny"
        return "error %s" % error.get("message")
    return "deny" if "error" in body["result"] else "ok"


def page_token(server, session):
    """A CSRF token of the session (any page with a form has one)."""
    for path in ("/my/home", "/web/login/2fa", "/web/login"):
        response = session.get(server.url + path)
        if response.status_code == 200 and 'name="csrf_token"' in response.text:
            return csrf_token(response.text)
    raise AssertionError("no page with a CSRF token for this session")


def request_cell(server, session, token, method, path):
    url = server.url + path
    if method == "JSON":
        parts = urlsplit(path)
        params = {key: int(value) if value.isdigit() else value
                  for key, value in parse_qsl(parts.query)}
        return json_outcome(session.post(server.url + parts.path, json={
            "jsonrpc": "2.0", "method": "call", "params": params}, timeout=120))
    if method == "POST":
        response = session.post(url, data=dict(POST_BODY, csrf_token=token),
                                timeout=120)
    else:
        response = session.get(url, timeout=120)
    result = outcome(response)
    if result == "ok" and "export" in path:
        # The download itself, not a page saying why there is none.
        result = "ok" if response.content.startswith(b"PK") else "no file"
    if result == "ok" and path.split("?")[0].endswith(".pdf"):
        result = "ok" if response.content.startswith(b"%PDF-") else "no file"
    return result


@pytest.fixture(scope="module")
def ids(odoo_server):
    server = odoo_server
    own = own_partner(server, LOGINS["dir"])
    members = group_members(server)
    _lead, feedback = feedback_link(server, "director03")
    token = feedback["token"]
    return {
        "olead": new_lead(server, LOGINS["dir"]),
        "flead": new_lead(server, FOREIGN_DIRECTOR),
        "fuser": user_field(server, FOREIGN_DIRECTOR, "id"),
        "missing": MISSING,
        "page": 2,
        "token": token,
        "forged": token[:-6] + ("000000" if token[-6:] != "000000" else "111111"),
        "ochan": channel_id(server, NETWORK),
        "fchan": channel_id(server, SOUTH),
        "period": open_period(server)["id"],
        "ogroup": min(g for g, partners in members.items() if own in partners),
        "fgroup": min(g for g, partners in members.items() if own not in partners),
        "feedback_id": feedback["id"],
        **documents_route_ids(server),
        "odeal": new_deal(server, LOGINS["dir"]),
        "fdeal": new_deal(server, FOREIGN_DIRECTOR),
    }


@pytest.fixture(scope="module")
def callers(odoo_server):
    """One HTTP session per caller, each with a CSRF token of its own."""
    sessions = {"pub": odoo_server.session()}
    sessions["pub"].get(odoo_server.url + "/web/login")
    # Password accepted, SMS code not entered yet (see test_2fa.py).
    sessions["half"], page = start_login(odoo_server, login="director11")
    assert page.url.endswith("/web/login/2fa")
    for caller, login in LOGINS.items():
        sessions[caller] = odoo_server.web_login(login, "demo")
    return {caller: (session, page_token(odoo_server, session))
            for caller, session in sessions.items()}


def test_every_route_answers_every_caller_as_the_table_says(
        odoo_server, ids, callers):
    lead_before = lead_values(odoo_server, ids["flead"])
    differences, seen = [], []
    for method, path, expected in ROWS:
        filled = path.format(**ids)
        for caller in CALLERS:
            session, token = callers[caller]
            got = request_cell(odoo_server, session, token, method, filled)
            seen.append(got)
            if got != expected[caller]:
                differences.append("%-4s %-52s %-10s expected %-8s got %s" % (
                    method, path, caller, expected[caller], got))
    assert not differences, "route matrix differs in %d cells:\n%s" % (
        len(differences), "\n".join(differences))
    assert len(seen) == len(ROWS) * len(CALLERS)
    # The refused posts above changed nothing.
    assert lead_values(odoo_server, ids["flead"]) == lead_before
    assert feedback_state(odoo_server, ids["feedback_id"])["state"] == "pending"
    assert not messages_with(odoo_server, ids["fchan"], "route matrix")


def controller_routes():
    """(path, decorator source) of every route in our controllers."""
    found = []
    for path in glob.glob(os.path.join(ROOT, "addons", "*", "controllers", "*.py")):
        with open(path) as handle:
            source = handle.read()
        for decorator in re.findall(r"@(?:http\.)?route\((.*?)\)\n\s+def", source,
                                    re.S):
            found.extend((route, decorator)
                         for route in re.findall(r'"(/[^"]*)"', decorator))
    return found


def test_matrix_lists_every_route_of_our_controllers():
    """A new route must get a row here (paths of the @route decorators)."""
    declared = {re.sub(r"<(int|string):\w+>", "<id>", path)
                for path, _decorator in controller_routes()}
    covered = {re.sub(r"\{\w+\}", "<id>", urlsplit(path).path)
               for _method, path, _cells in ROWS}
    assert declared - covered == set(), "routes without a matrix row"


# --- forged ids in URLs, form posts and JSON bodies (IDOR) -----------------------

def foreign_entry(server, period_id):
    """(dealer, entry id, figures) of a dealer other than director01's."""
    own = own_partner(server, LOGINS["dir"])
    entry = server.execute("admin", None, "prm.benchmark.entry", "search_read",
                           [("period_id", "=", period_id),
                            ("partner_id", "!=", own)],
                           fields=["partner_id"], limit=1)[0]
    return entry["partner_id"][0], entry["id"], dealer_figures(
        server, entry["partner_id"][0], period_id)


def dealer_figures(server, partner_id, period_id=None):
    domain = [("partner_id", "=", partner_id)]
    if period_id:
        domain.append(("period_id", "=", period_id))
    values = server.execute("admin", None, "prm.benchmark.value", "search_read",
                            domain, fields=["input_id", "value", "period_id"])
    return sorted((v["period_id"][0], v["input_id"][0], v["value"]) for v in values)


def test_entry_post_with_forged_hidden_ids_touches_no_other_dealer(odoo_server):
    period = open_period(odoo_server)["id"]
    dealer, entry, figures = foreign_entry(odoo_server, period)
    all_before = dealer_figures(odoo_server, dealer)
    session = odoo_server.web_login("bookkeeper01", "demo")
    url = odoo_server.url + "/my/benchmark/entry/%d" % period
    page = session.get(url)
    fields, version = form_fields(page.text)
    marker = str(4000 + uuid.uuid4().int % 900)
    fields["value_rev_other"] = marker
    forged = dict(fields, version=version, action="save",
                  csrf_token=csrf_token(page.text), partner_id=dealer,
                  entry_id=entry, commercial_partner_id=dealer,
                  period_id=period, id=entry)
    response = session.post(url, data=forged)
    assert response.status_code == 200 and "o_prm_saved" in response.text
    # The figures went to the caller's own entry, never to the named one.
    own, _dealer = entry_values(odoo_server, "bookkeeper01", period)
    assert own["Other revenue"] == float(marker)
    assert dealer_figures(odoo_server, dealer, period) == figures
    # A period id in the body of the id-less URL only picks among the own
    # periods: a period the dealer has nothing in is not found.
    closed = odoo_server.execute(
        "admin", None, "prm.benchmark.period", "search",
        [("state", "!=", "open"), ("id", "not in", [period])],
        order="date_start asc", limit=1)
    own_periods = {row[0] for row in dealer_figures(
        odoo_server, own_partner(odoo_server, "bookkeeper01"))}
    if closed and closed[0] not in own_periods:
        page = session.get(url)
        response = session.post(odoo_server.url + "/my/benchmark/entry", data=dict(
            forged, period_id=closed[0], csrf_token=csrf_token(page.text)))
        assert response.status_code in (404, 409)
    assert dealer_figures(odoo_server, dealer) == all_before


def test_lead_answers_for_another_dealers_lead_change_nothing(odoo_server, ids):
    session = odoo_server.web_login(LOGINS["dir"], "demo")
    foreign, own = ids["flead"], new_lead(odoo_server, LOGINS["dir"])
    before = lead_values(odoo_server, foreign)
    token = page_token(odoo_server, session)
    for action in ({"action": "accept"}, {"action": "decline"},
                   {"reaction": "contacted"}):
        response = session.post(
            odoo_server.url + "/my/leads/%d/reaction" % foreign,
            data=dict(action, csrf_token=token), allow_redirects=False)
        assert response.status_code == 404, action
        # The own lead's URL with the foreign id in the body: the URL wins.
        response = session.post(
            odoo_server.url + "/my/leads/%d/reaction" % own,
            data=dict(action, csrf_token=token, lead_id=foreign, id=foreign),
            allow_redirects=False)
        assert response.status_code in (303, 302, 400, 409), action
    assert lead_values(odoo_server, foreign) == before
    assert lead_values(odoo_server, own)["prm_dealer_state"] == "accepted"


def test_exchange_post_reaches_only_member_channels(odoo_server, ids):
    login = "director12"
    member = partner_of(odoo_server, login)
    channels = odoo_server.execute(
        "admin", None, "mail.channel", "search_read",
        [("prm_is_exchange", "=", True)], fields=["channel_partner_ids"])
    foreign = [c["id"] for c in channels if member not in c["channel_partner_ids"]]
    own = [c["id"] for c in channels if member in c["channel_partner_ids"]]
    assert foreign and own, "demo data: regional channels"
    session = odoo_server.web_login(login, "demo")
    token = page_token(odoo_server, session)
    marker = "idor-%s" % uuid.uuid4().hex[:8]
    refused = session.post(
        odoo_server.url + "/my/exchange/%d/post" % foreign[0],
        data={"text": marker, "csrf_token": token}, allow_redirects=False)
    assert refused.status_code == 404
    # Own channel in the URL, the foreign one in the body: posted where the
    # URL says, nowhere else.
    posted = session.post(
        odoo_server.url + "/my/exchange/%d/post" % own[0],
        data={"text": marker, "csrf_token": token,
              "channel_id": foreign[0], "res_id": foreign[0]},
        allow_redirects=False)
    assert posted.status_code == 303
    for channel in foreign:
        assert not messages_with(odoo_server, channel, marker)
    assert len(messages_with(odoo_server, own[0], marker)) == 1


def test_feedback_with_forged_token_is_not_found_and_changes_nothing(odoo_server):
    _lead, feedback = feedback_link(odoo_server, "director04")
    customer = odoo_server.session()
    form = customer.get(odoo_server.url + "/prm/feedback/%s" % feedback["token"])
    token = csrf_token(form.text)
    for forged in (feedback["token"].upper(), feedback["token"] + "0",
                   feedback["token"][:-1], "%s" % feedback["id"], "' OR '1'='1"):
        response = customer.post(
            odoo_server.url + "/prm/feedback/%s" % forged,
            data={"rating": "1", "comment": "forged", "csrf_token": token,
                  "token": feedback["token"]})
        assert response.status_code == 404, forged
    assert feedback_state(odoo_server, feedback["id"])["state"] == "pending"


def test_export_and_data_are_always_the_callers_own_dealer(odoo_server):
    session = odoo_server.web_login(LOGINS["dir"], "demo")
    own = own_partner(odoo_server, LOGINS["dir"])
    foreign = own_partner(odoo_server, FOREIGN_DIRECTOR)
    names = dict((p["id"], p["name"]) for p in odoo_server.execute(
        "admin", None, "res.partner", "read", [own, foreign], ["name"]))
    forged = {"partner_id": foreign, "dealer_id": foreign,
              "commercial_partner_id": foreign}
    data = session.post(odoo_server.url + "/my/benchmark/data", json={
        "jsonrpc": "2.0", "method": "call", "params": forged}).json()["result"]
    assert data["dealer"] == names[own]
    export = session.get(odoo_server.url + "/my/benchmark/export.xlsx",
                         params=forged)
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    text = " ".join(str(cell) for sheet in book for row in sheet.iter_rows(
        values_only=True) for cell in row if cell is not None)
    assert names[foreign] not in text
    # The network export is head office's: a director gets 404 for any id.
    period = open_period(odoo_server)["id"]
    network = session.get(odoo_server.url +
                          "/prm_benchmark/export/network/%d" % period)
    assert network.status_code == 404 and not network.content.startswith(b"PK")
