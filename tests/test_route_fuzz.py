"""No input reaches a 500 or a traceback for anyone but an administrator
(issue 14.7).

First the issue's examples, each a regression test; then a fuzz run that
sends hostile values (NUL, huge, negative, non-numeric, foreign ids, arrays,
objects) to every parameter of our portal and JSON routes (the routes of the
inventory whose ``who`` is director/partner/signed-in under ``/my`` or a
token) as an anonymous visitor, a managing director and a bookkeeper. The
server log check of conftest fails each test on a logged server error too.
"""
import re
import xmlrpc.client

import pytest
import requests

from .odoo_server import csrf_token
from .test_2fa import user_field
from .test_benchmark_analysis import group_members, own_partner
from .test_benchmark_entry import open_period
from .test_documents_http import route_ids as documents_route_ids
from .test_deals import new_deal
from .test_exchange import NETWORK, channel_id, partner_of
from .test_leads import feedback_link, new_lead
from .test_route_inventory import INVENTORY, probe_url, registry_routes
from .test_route_matrix import page_token

DIRECTOR, BOOKKEEPER = "director33", "bookkeeper33"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/|\.py\", line")
HUGE = "9" * 30


def assert_clean(response, what=""):
    assert response.status_code < 500, (what, response.status_code,
                                        response.text[:300])
    assert not TRACEBACK.search(response.text), (what, response.text[:600])


def rpc(session, server, route, params):
    return session.post(server.url + route, json={
        "jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)


@pytest.fixture(scope="module")
def director(odoo_server):
    return odoo_server.web_login(DIRECTOR, "demo")


@pytest.fixture(scope="module")
def bookkeeper(odoo_server):
    return odoo_server.web_login(BOOKKEEPER, "demo")


def partner_details(server, login):
    partner = server.execute("admin", None, "res.users", "search_read",
                             [("login", "=", login)],
                             fields=["partner_id"])[0]["partner_id"][0]
    return server.execute("admin", None, "res.partner", "read", [partner], [
        "name", "email", "phone", "street", "city", "country_id", "state_id"])[0]


def details_form(server, session, login, **changes):
    page = session.get(server.url + "/my/account")
    partner = partner_details(server, login)
    data = {"name": partner["name"], "email": partner["email"] or "x@example.com",
            "phone": partner["phone"] or "+49 441 1", "street": partner["street"]
            or "Hauptstr. 1", "city": partner["city"] or "Oldenburg",
            "country_id": str(partner["country_id"][0]),
            "csrf_token": csrf_token(page.text)}
    data.update(changes)
    return data


# --- the examples -------------------------------------------------------

@pytest.mark.parametrize("changes", [
    {"name": "Hans\x00Wurst"}, {"street": "Hauptstr.\x00 1"},
    {"country_id": "999999"}, {"state_id": "999999"},
    {"country_id": HUGE}, {"state_id": "-1"}, {"country_id": "²"},
])
def test_my_details_refuse_bad_input_and_store_nothing(odoo_server, director,
                                                       changes):
    before = partner_details(odoo_server, DIRECTOR)
    data = details_form(odoo_server, director, DIRECTOR, **changes)
    response = director.post(odoo_server.url + "/my/account", data=data,
                             allow_redirects=False)
    assert_clean(response, changes)
    assert response.status_code in (200, 400)  # the form again, or refused
    assert partner_details(odoo_server, DIRECTOR) == before


def test_my_details_refuse_a_state_of_another_country(odoo_server, director):
    germany = odoo_server.execute("admin", None, "res.country", "search",
                                  [("code", "=", "DE")])[0]
    foreign_state = odoo_server.execute("admin", None, "res.country.state", "search",
                                        [("country_id", "!=", germany)], limit=1)
    before = partner_details(odoo_server, DIRECTOR)
    data = details_form(odoo_server, director, DIRECTOR, country_id=str(germany),
                        state_id=str(foreign_state[0]))
    response = director.post(odoo_server.url + "/my/account", data=data,
                             allow_redirects=False)
    assert response.status_code == 200 and "has-error" in response.text
    assert partner_details(odoo_server, DIRECTOR) == before


def test_feedback_link_with_nul_is_a_bad_request(odoo_server):
    response = odoo_server.session().get(odoo_server.url + "/prm/feedback/abc%00def")
    assert response.status_code == 400
    assert_clean(response)


@pytest.mark.parametrize("path", ["/my/benchmark", "/my/benchmark/export.xlsx",
                                  "/my/benchmark/report.pdf"])
def test_analysis_with_missing_period_is_not_found(odoo_server, director, path):
    response = director.get(odoo_server.url + path,
                            params={"period_id": "999999", "group_id": "1"})
    assert response.status_code == 404
    assert not response.content.startswith((b"PK", b"%PDF"))
    assert_clean(response)


def test_analysis_data_with_unknown_period_says_so(odoo_server, director):
    own = own_partner(odoo_server, DIRECTOR)
    group = min(g for g, partners in group_members(odoo_server).items()
                if own in partners)
    old = odoo_server.execute("admin", None, "prm.benchmark.period", "search", [],
                              order="date_start asc", limit=1)
    for period in (999999, old[0], HUGE, [1, 2], {"id": 1}):
        answer = rpc(director, odoo_server, "/my/benchmark/data",
                     {"period_id": period, "group_id": group})
        assert_clean(answer, period)
        body = answer.json()
        assert "error" not in body, body
        if period != old[0]:
            assert set(body["result"]) == {"error"}, period


# The unexpected errors below are provoked on purpose; the log keeps them.
UNEXPECTED = "bad query|Exception during JSON request handling|Error on request"


@pytest.mark.expected_log(UNEXPECTED)
def test_json_errors_carry_no_traceback_for_portal_and_public(odoo_server,
                                                              director):
    """An unexpected error (bad arguments) over JSON-RPC: message only."""
    anonymous = odoo_server.session()
    for session, path, params in (
            (director, "/web/dataset/call_kw",
             {"model": "res.partner", "method": "read", "args": [["x"]],
              "kwargs": {}}),
            (anonymous, "/web/proxy/load", {"path": 123}),
            (director, "/my/benchmark/data", {"period_id": "x\x00"})):
        answer = rpc(session, odoo_server, path, params)
        assert_clean(answer, path)
        error = answer.json()["error"]
        assert "debug" not in error["data"], path
        assert error["message"] and error["data"]["name"], path


@pytest.mark.expected_log(UNEXPECTED)
def test_administrator_still_gets_the_traceback(odoo_server):
    admin = odoo_server.web_login("admin", "admin")
    answer = rpc(admin, odoo_server, "/web/dataset/call_kw", {
        "model": "res.partner", "method": "read", "args": [["x"]], "kwargs": {}})
    assert "Traceback" in answer.json()["error"]["data"]["debug"]


def test_missing_or_unknown_parameters_are_a_bad_request(odoo_server):
    """Odoo called routes with whatever was posted: a TypeError (500)."""
    anonymous = odoo_server.session()
    answer = rpc(anonymous, odoo_server, "/web/webclient/version_info", {"bogus": 1})
    assert answer.json()["error"]["code"] == 400
    answer = rpc(anonymous, odoo_server, "/web/proxy/load", {})
    assert answer.json()["error"]["code"] == 400


@pytest.mark.parametrize("params", [
    {"db": "postgres", "token": "x", "action": "1", "id": "1"},
    {"db": "template1", "token": "x", "action": "1", "id": "1"},
    {"token": "x", "action": "1", "id": "1"},
    {"db": None, "action": "1", "id": "abc"},
])
def test_calendar_links_open_no_other_database(odoo_server, params):
    """Invitation links named any database on the PostgreSQL server."""
    params = {key: odoo_server.db if value is None else value
              for key, value in params.items()}
    for action in ("accept", "decline", "view"):
        response = odoo_server.session().get(
            odoo_server.url + "/calendar/meeting/" + action, params=params)
        assert response.status_code == 404, (action, params)
        assert_clean(response)


def test_bar_codes_are_bounded_and_bad_ones_refused(odoo_server, director):
    ok = director.get(odoo_server.url + "/report/barcode/QR/hello")
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "image/png"
    for url in ("/report/barcode/Bogus/x", "/report/barcode/EAN13/abc",
                "/report/barcode?type=QR&value=x&width=99999&height=10",
                "/report/barcode?type=QR&value=x&width=abc",
                "/report/barcode"):
        response = director.get(odoo_server.url + url)
        assert response.status_code == 400, url
        assert_clean(response, url)
    anonymous = odoo_server.session().get(odoo_server.url + "/report/barcode/QR/x")
    assert "/web/login" in anonymous.url


@pytest.mark.parametrize("body", [
    '{"jsonrpc": "2.0", "method": "call", "params": [1, 2]}',
    '{"jsonrpc": "2.0", "method": "call", "params": "abc"}',
    '{"jsonrpc": "2.0", "method": "call", "params": null}',
    '[1, 2]', '"call"', '7', 'not json'])
def test_json_rpc_envelope_of_the_wrong_shape_is_a_bad_request(odoo_server, body):
    response = odoo_server.session().post(
        odoo_server.url + "/web/session/get_session_info", data=body,
        headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert_clean(response)


# --- fuzz: every parameter of our portal and JSON routes ------------------------

VALUES = ["\x00", "a\x00b", HUGE, "-1", "0", "abc", "1e3", "1.5", "²", "",
          " 7", "7 OR 1=1", "<script>", "%00", "ä" * 300]
JSON_VALUES = [None, True, -1, 0, 2 ** 70, 1.5, [1, 2], {"id": 1}, "\x00", "abc",
               [[[]]], ""]


def fuzz_cases(ids):
    """(method, path template, params) of every portal/JSON route parameter.

    Path ids: the own record, a foreign one, a missing one, a huge one. No
    case posts a valid chat message or a valid entry (no data changes).
    """
    own_paths = {"lead": [ids["olead"], ids["flead"], 987654321, HUGE],
                 "chan": [ids["ochan"], ids["fchan"], 987654321, HUGE],
                 "period": [ids["period"], 987654321, HUGE],
                 "deal": [ids.get("odeal", 1), ids.get("fdeal", 1), 987654321,
                          HUGE]}
    return [
        ("GET", "/my", ["page"]),
        ("GET", "/my/home", ["page", "redirect"]),
        ("GET", "/my/account", ["redirect"]),
        ("POST", "/my/account", ["name", "email", "phone", "street", "city",
                                 "zipcode", "country_id", "state_id", "vat",
                                 "company_name", "redirect"]),
        ("GET", "/my/targets", ["page"]),
        ("GET", "/my/targets/page/%s", ["page"], [2, HUGE]),
        ("GET", "/my/leads", ["page"]),
        ("GET", "/my/leads/page/%s", [], [2, HUGE]),
        ("GET", "/my/leads/%s", ["saved"], own_paths["lead"]),
        ("POST", "/my/leads/%s/reaction", ["action", "reaction", "note",
                                           "lost_reason"], own_paths["lead"]),
        ("GET", "/my/deals", ["page"]),
        ("GET", "/my/deals/page/%s", [], [2, HUGE]),
        ("GET", "/my/deals/%s", ["created"], own_paths["deal"]),
        ("GET", "/my/deals/new", []),
        # every field hostile at once: never a valid registration
        ("POST", "/my/deals/new", ["customer_name", "customer_street",
                                   "customer_zip", "customer_city",
                                   "customer_vat", "expected_volume",
                                   "expected_date", "product_id_0",
                                   "quantity_0", "note"]),
        ("GET", "/my/exchange", []),
        ("GET", "/my/exchange/%s", ["before"], own_paths["chan"]),
        ("GET", "/my/exchange/%s/messages", ["after", "seen"], own_paths["chan"]),
        ("POST", "/my/exchange/%s/post", ["text"], own_paths["chan"][1:]),
        ("GET", "/my/benchmark", ["period_id", "group_id"]),
        ("JSON", "/my/benchmark/data", ["period_id", "group_id"]),
        ("GET", "/my/benchmark/export.xlsx", ["period_id", "group_id"]),
        ("GET", "/my/benchmark/report.pdf", ["period_id", "group_id"]),
        ("GET", "/my/benchmark/report/open/%s", [], ["x" * 43, HUGE, "%00"]),
        ("GET", "/my/benchmark/entry", ["period_id", "saved"]),
        ("POST", "/my/benchmark/entry", ["period_id", "action"]),
        ("GET", "/my/benchmark/entry/%s", ["saved"], own_paths["period"]),
        ("POST", "/my/benchmark/entry/%s", ["action", "value_rev_new"],
         own_paths["period"]),
        ("GET", "/prm_benchmark/export/network/%s", [], own_paths["period"]),
        ("GET", "/prm/feedback/%s", [], [ids["token"], "x" * 64, HUGE]),
        ("POST", "/prm/feedback/%s", ["rating", "comment"], [ids["token"]]),
        ("POST", "/my/security/forget-devices", ["redirect"]),
        ("GET", "/my/security", ["devices_forgotten"]),
        ("POST", "/my/security/totp/start", []),
        ("POST", "/my/security/totp/confirm", ["code"]),
        ("POST", "/my/security/totp/remove", ["code"]),
        ("POST", "/my/security/recovery", ["code"]),
        ("POST", "/my/security/sms-code", []),
        ("GET", "/my/security/number", []),
        ("POST", "/my/security/number", ["step", "code", "number"]),
        ("GET", "/my/users", []),
        ("POST", "/my/users/invite", ["name", "email", "mobile", "portal_class"]),
        # the own account (every change refused), a missing and a huge id
        ("POST", "/my/users/%s/change", ["active", "portal_class"],
         [ids["me"], 987654321, HUGE]),
        ("GET", "/calendar/meeting/accept", ["db", "token", "action", "id"]),
        ("GET", "/calendar/meeting/decline", ["db", "token", "action", "id"]),
        ("GET", "/calendar/meeting/view", ["db", "token", "action", "id"]),
        ("GET", "/my/scorecard", ["period_id", "group_id"]),
        ("GET", "/my/documents", []),
        ("GET", "/my/documents/%s/download", [],
         [ids["odoc"], ids["fdoc"], 987654321, HUGE]),
        ("GET", "/my/news", []),
        ("GET", "/my/news/%s", [], [ids["onews"], ids["fnews"], 987654321, HUGE]),
        ("GET", "/my/notifications", []),
        ("POST", "/my/notifications", ["prm_notify_documents", "prm_notify_leads",
                                       "prm_notify_benchmark"]),
    ]


def foreign_channel(server, login):
    """An exchange channel ``login`` is not a member of (posting is refused)."""
    member = partner_of(server, login)
    channels = server.execute("admin", None, "mail.channel", "search_read",
                              [("prm_is_exchange", "=", True)],
                              fields=["channel_partner_ids"])
    return [c["id"] for c in channels if member not in c["channel_partner_ids"]][0]


PORTAL_WHO = {"director", "partner", "token", "head-office"}


def test_fuzz_covers_every_portal_route_of_the_inventory():
    """A new portal or token route of the inventory needs a fuzz case."""
    dummy = dict.fromkeys(["olead", "flead", "ochan", "fchan", "period",
                           "token", "odoc", "fdoc", "onews", "fnews", "me"], 1)
    covered = {re.sub(r"%s", "<id>", case[1]) for case in fuzz_cases(dummy)}
    portal = {re.sub(r"<(\w+:)?\w+>", "<id>", key[0])
              for key, row in INVENTORY.items()
              if row["who"] in PORTAL_WHO or key[0].startswith("/my")}
    assert portal - covered == set()


@pytest.fixture(scope="module")
def ids(odoo_server):
    own = own_partner(odoo_server, DIRECTOR)
    members = group_members(odoo_server)
    _lead, feedback = feedback_link(odoo_server, "director34")
    return {
        "olead": new_lead(odoo_server, DIRECTOR),
        "flead": new_lead(odoo_server, "director34"),
        "me": user_field(odoo_server, DIRECTOR, "id"),
        "ochan": channel_id(odoo_server, NETWORK),
        "fchan": foreign_channel(odoo_server, DIRECTOR),
        "period": open_period(odoo_server)["id"],
        "token": feedback["token"],
        "ogroup": min(g for g, partners in members.items() if own in partners),
        "feedback_id": feedback["id"],
        **documents_route_ids(odoo_server),
        "odeal": new_deal(odoo_server, DIRECTOR),
        "fdeal": new_deal(odoo_server, "director34"),
    }


def send(server, session, token, method, path, params):
    """``params``: a dict, or a list of (name, value) for repeated names."""
    url = server.url + path
    if method == "JSON":
        return session.post(url, json={"jsonrpc": "2.0", "method": "call",
                                       "params": params}, timeout=60)
    items = list(params.items()) if isinstance(params, dict) else list(params)
    if method == "POST":
        if path.startswith("/my/benchmark/entry"):
            # Never a valid entry: one figure is always text (refused, 400)
            # and the version is never the stored one.
            items += [("value_rev_other", "abc"), ("version", "-7")]
        return session.post(url, data=items + [("csrf_token", token)],
                            allow_redirects=False, timeout=60)
    return session.get(url, params=items, allow_redirects=False, timeout=60)


@pytest.mark.parametrize("caller", ["pub", DIRECTOR, BOOKKEEPER])
def test_hostile_values_never_reach_a_server_error(odoo_server, ids, caller):
    if caller == "pub":
        session = odoo_server.session()
        session.get(odoo_server.url + "/web/login")
    else:
        session = odoo_server.web_login(caller, "demo")
    token = page_token(odoo_server, session)
    failures, sent = [], 0
    for case in fuzz_cases(ids):
        method, template, names = case[:3]
        for path_value in (case[3] if len(case) > 3 else [None]):
            path = template % path_value if path_value is not None else template
            values = JSON_VALUES if method == "JSON" else VALUES
            if caller == "pub":  # sent to the login page before any parameter
                values = values[:3] + values[-3:]
            for value in values:
                params = {name: value for name in names}
                if method == "JSON":
                    params.setdefault("group_id", ids["ogroup"])
                response = send(odoo_server, session, token, method, path, params)
                sent += 1
                if response.status_code >= 500 or TRACEBACK.search(response.text):
                    failures.append("%s %s %r: %d %s" % (
                        method, path, value, response.status_code,
                        response.text[:120].replace("\n", " ")))
            # Arrays: the same parameter twice, and PHP-style names.
            if names and method != "JSON":
                params = [(name, "8") for name in names] + \
                    [(name, "9") for name in names] + \
                    [(name + "[]", "8") for name in names]
                response = send(odoo_server, session, token, method, path, params)
                sent += 1
                if response.status_code >= 500:
                    failures.append("%s %s arrays: %d" % (
                        method, path, response.status_code))
    assert sent > 300
    assert not failures, "%d hostile requests failed:\n%s" % (
        len(failures), "\n".join(failures[:40]))
    feedback = odoo_server.execute("admin", None, "prm.lead.feedback", "read",
                                   [ids["feedback_id"]], ["state"])[0]
    assert feedback["state"] == "pending"


# --- every JSON route of the inventory, core ones included ----------------------

def probe_routes(server, caller, routes, values, send):
    """``(route, value, response)``: every named parameter of each route set
    to each of ``values`` at once, sent by ``send(session, path, params)``
    as ``caller`` ("pub": an anonymous visitor)."""
    session = server.session() if caller == "pub" else \
        server.web_login(caller, "demo")
    for route in routes:
        for value in values:
            params = {name: value for name in route["params"]}
            yield route, value, send(session, probe_url(route["path"]), params)


# Not sent: a poll waits 50 s; these two end or replace the caller's session.
JSON_SKIP = {"/longpolling/poll", "/web/session/destroy",
             "/web/session/authenticate"}
CORE_JSON_VALUES = ["abc", [1, 2], 10 ** 30, {"id": "\x00"}]


@pytest.mark.expected_log(UNEXPECTED)
@pytest.mark.parametrize("caller", ["pub", DIRECTOR])
def test_hostile_values_to_every_json_route_answer_without_traceback(
        odoo_server, caller):
    """All named parameters of every JSON route (from the registry) at once.

    Core routes may answer with a JSON-RPC error (their log keeps the
    details), but never a 500 and never a traceback.
    """
    routes = registry_routes(odoo_server)
    json_routes = [route for key, route in sorted(routes.items())
                   if route["type"] == "json" and route["path"] not in JSON_SKIP]
    assert {route["path"] for route in json_routes} <= {
        key[0] for key, row in INVENTORY.items() if row["type"] == "json"}
    failures = []
    for route, value, response in probe_routes(
            odoo_server, caller, json_routes, CORE_JSON_VALUES,
            lambda session, path, params: rpc(session, odoo_server, path, params)):
        error = response.json().get("error") \
            if response.status_code in (200, 400, 404) else None
        if response.status_code >= 500 or TRACEBACK.search(response.text) or \
                (error and "debug" in (error.get("data") or {})):
            failures.append("%s %r: %d %s" % (
                route["path"], value, response.status_code,
                response.text[:150].replace("\n", " ")))
    assert not failures, "%d answers with a server error or traceback:\n%s" % (
        len(failures), "\n".join(failures[:40]))


@pytest.mark.expected_log(r"ERROR \S+ odoo\.http: .*(Invalid field|invalid field)")
def test_xmlrpc_faults_carry_no_traceback(odoo_server):
    """An outside review got a 2.5 KB traceback with server paths in the
    XML-RPC fault of a portal user's API key (a bad domain); JSON-RPC
    already answered "Internal Server Error"."""
    key = odoo_server.api_key("director24")
    uid = odoo_server.rpc_login("director24", key)
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.xmlrpc("object").execute_kw(
            odoo_server.db, uid, key, "res.partner", "search", [[["x", "=", 1]]])
    assert "Traceback" not in error.value.faultString
    assert "site-packages" not in error.value.faultString
    assert error.value.faultString == "Internal Server Error"


def test_what_a_visitor_provokes_is_no_server_error_in_the_log(odoo_server):
    """Wrong credentials and unknown services over /jsonrpc and XML-RPC.

    Odoo 11 logged each at ERROR with a traceback (an anonymous visitor could
    fill the error log); the autouse log check fails on any ERROR line.
    """
    for service, method, args in (
            ("object", "execute_kw", [odoo_server.db, 2, "wrong", "res.partner",
                                      "search", [[]]]),
            ("object", "execute_kw", [odoo_server.db, "abc", "wrong", "res.partner",
                                      "search", [[]]]),
            ("report", "render_report", [odoo_server.db, 2, "wrong"]),
            ("nope", "x", [])):
        answer = requests.post(odoo_server.url + "/jsonrpc", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"service": service, "method": method, "args": args}})
        assert answer.status_code in (200, 404), service
        assert "result" not in answer.json(), service
        assert not TRACEBACK.search(answer.text), service
    for uid in (2, "abc", False, [1], 2 ** 31 - 1):
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.xmlrpc("object").execute_kw(
                odoo_server.db, uid, "wrong", "res.partner", "search", [[]])
    with pytest.raises((xmlrpc.client.Fault, xmlrpc.client.ProtocolError)):
        odoo_server.xmlrpc("nope").x()
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.xmlrpc("common").nosuch()
    with open(odoo_server.log_path, errors="replace") as handle:
        assert "refused credentials over RPC" in handle.read()


def test_rpc_reaches_no_other_database_of_the_postgresql_server(odoo_server):
    """Outside review: XML-RPC and /jsonrpc name the database in the call and
    Odoo 11 ignored the server's db_name/dbfilter there: a password alone
    signed in to another database on the same PostgreSQL server (a copy
    without the SMS code), and ``postgres`` would have been initialised as
    an Odoo database. Refused like wrong credentials; no ERROR line."""
    common = odoo_server.xmlrpc("common")
    for database in ("nosuchdb", "postgres", odoo_server.db + "_other"):
        with pytest.raises(xmlrpc.client.Fault) as error:
            common.login(database, "admin", "admin")
        assert "Access" in error.value.faultString, database
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.xmlrpc("object").execute_kw(
                database, 2, "admin", "res.users", "search", [[]])
        answer = requests.post(odoo_server.url + "/jsonrpc", json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "service": "common", "method": "login",
                "args": [database, "admin", "admin"]}}).json()
        assert "result" not in answer and not TRACEBACK.search(str(answer))
    assert common.version()["server_version"].startswith("11")
    with open(odoo_server.log_path, errors="replace") as handle:
        assert "refused credentials over RPC" in handle.read()


# --- every HTTP route of the inventory, core ones included ----------------------

# Not sent: they end the caller's session or answer slowly on purpose.
HTTP_SKIP = {"/web/session/logout", "/longpolling/poll", "/web/login/2fa/cancel"}
CORE_HTTP_VALUES = ["abc", "-1", "1.5", str(10 ** 12)]


@pytest.mark.expected_log(UNEXPECTED)
@pytest.mark.parametrize("caller", ["pub", DIRECTOR])
def test_hostile_query_values_to_every_http_route_never_reach_a_server_error(
        odoo_server, caller):
    """Every named parameter of every GET-able HTTP route (from the
    registry), as query string (outside review: ``/web/image?width=abc``,
    ``/web/content?id=abc`` and ``/mail/view?res_id=abc`` answered 500 to
    anonymous visitors)."""
    routes = registry_routes(odoo_server)
    http_routes = [route for key, route in sorted(routes.items())
                   if route["type"] == "http" and route["params"]
                   and route["path"] not in HTTP_SKIP
                   and ("*" in route["methods"] or "GET" in route["methods"])]
    failures = []
    for route, value, response in probe_routes(
            odoo_server, caller, http_routes, CORE_HTTP_VALUES,
            lambda session, path, params: session.get(
                odoo_server.url + path, params=params, allow_redirects=False,
                timeout=60)):
        if response.status_code >= 500 or TRACEBACK.search(response.text):
            failures.append("%s %r: %d" % (route["path"], value,
                                           response.status_code))
    assert not failures, "%d answers with a server error:\n%s" % (
        len(failures), "\n".join(sorted(set(failures))[:60]))
