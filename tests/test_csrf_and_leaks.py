"""CSRF, cross-site JSON, secrets in URLs and logs, differencing attack (issue 9).

Why the type="json" routes are safe from cross-site requests: Odoo only
treats a request as JSON-RPC when its Content-Type is application/json (a
cross-site form can send only urlencoded, multipart or text/plain; JSON
needs a CORS preflight which Odoo does not answer with Allow-Origin), and a
JSON route called with any other content type is refused with 400. Odoo 11
also accepts JSONP (``?jsonp=callback``), which a <script> tag of any site
can load with the user's cookies - reading the answer and even the session
id. The product refuses every JSONP request (prm_partner_portal ir.http).
All JSON routes of the product only read (the figures are written by form
posts with a CSRF token).
"""
import glob
import json
import os
import re
import uuid
from urllib.parse import urljoin, urlsplit

import pytest

from .odoo_server import ROOT, csrf_token
from . import test_2fa_totp as totp_tests
from .test_2fa import start_login
from .test_benchmark_analysis import own_partner, rpc
from .test_benchmark_entry import entry_values, form_fields, open_period
from .test_exchange import NETWORK, channel_id, messages_with
from .test_leads import feedback_link, feedback_state, lead_values, new_lead
from .test_deals import customer_form
from .test_my_users import case_users_change, case_users_invite
from .test_partner_portal import dealer_of
from .test_route_matrix import controller_routes, page_token

#: the reason of the refusal page, in the user's language (core's English
#: "Session expired (invalid CSRF token)" until review 9)
CSRF_REFUSAL = ("Das Formular ist veraltet", "The form is out of date")
CSRF_LOG = r"WARNING .*odoo\.http: (CSRF validation failed|No CSRF validation)"
BAD_TOKENS = {"missing": None, "wrong": "0123456789abcdef0123456789abcdef" +
              "01234567o9999999999", "empty": ""}


# --- CSRF on every state-changing form post --------------------------------------
# Each case: (session, url, data, state()) - state() reads over XML-RPC (as
# admin) or HTTP what the post would change.

def case_login(server):
    session = server.session()
    session.get(server.url + "/web/login")
    return session, "/web/login", {"login": "director13", "password": "demo"}, \
        lambda: session.get(server.url + "/web/login/2fa",
                            allow_redirects=False).status_code


def half_login(server):
    session, page = start_login(server, login="director14")
    assert page.url.endswith("/web/login/2fa")
    return session


def case_code(server):
    session = half_login(server)
    code = server.latest_code("director14")
    return session, "/web/login/2fa", {"code": code}, \
        lambda: "/web/login" in session.get(server.url + "/my/home").url


def outbox_count(server, login):
    return server.execute("admin", None, "prm.sms.outbox", "search_count",
                          [("user_id.login", "=", login)])


def case_resend(server):
    session = half_login(server)
    return session, "/web/login/2fa/resend", {}, \
        lambda: outbox_count(server, "director14")


def case_cancel(server):
    session = half_login(server)
    return session, "/web/login/2fa/cancel", {}, \
        lambda: session.get(server.url + "/web/login/2fa",
                            allow_redirects=False).status_code


def case_forget_devices(server):
    session = server.web_login("director13", "demo")
    return session, "/my/security/forget-devices", {}, \
        lambda: server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director13")],
                               fields=["prm_2fa_device_generation"])


def case_number_change(server):
    session = server.web_login("director13", "demo")
    return session, "/my/security/number", {"step": "send"}, \
        lambda: outbox_count(server, "director13")


def case_lead_reaction(server):
    session = server.web_login("director13", "demo")
    lead = new_lead(server, "director13")
    return session, "/my/leads/%d/reaction" % lead, {"action": "accept"}, \
        lambda: lead_values(server, lead)


def case_exchange_post(server):
    session = server.web_login("director13", "demo")
    channel, marker = channel_id(server, NETWORK), uuid.uuid4().hex
    return session, "/my/exchange/%d/post" % channel, {"text": marker}, \
        lambda: messages_with(server, channel, marker)


def case_entry(server, with_id=True):
    session = server.web_login("bookkeeper13", "demo")
    period = open_period(server)["id"]
    page = session.get(server.url + "/my/benchmark/entry/%d" % period)
    fields, version = form_fields(page.text)
    fields.update(value_rev_other=str(4000 + uuid.uuid4().int % 999),
                  version=version, action="save")
    path = "/my/benchmark/entry/%d" % period if with_id else "/my/benchmark/entry"
    return session, path, fields, \
        lambda: entry_values(server, "bookkeeper13", period)


def case_feedback(server):
    _lead, feedback = feedback_link(server, "director13")
    session = server.session()
    session.get(server.url + "/prm/feedback/%s" % feedback["token"])
    return session, "/prm/feedback/%s" % feedback["token"], \
        {"rating": "5", "comment": "csrf"}, \
        lambda: feedback_state(server, feedback["id"])


def totp_count(server, login):
    return server.execute("admin", None, "prm.2fa.totp", "search_count",
                          [("user_id.login", "=", login)])


def totp_enrolled(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["prm_totp_enrolled"])[0]["prm_totp_enrolled"]


def security_session(server, enrolled=False):
    """A fresh director signed in; with ``enrolled``: with an authenticator.
    Returns (session, login, App or None)."""
    login = totp_tests.new_code_user(server, password=totp_tests.PASSWORD)
    if enrolled:
        session, app, _codes = totp_tests.enrol(server, login)
        return session, login, app
    return server.web_login(login, totp_tests.PASSWORD), login, None


def case_totp_start(server):
    session, login, _app = security_session(server)
    return session, "/my/security/totp/start", {}, lambda: totp_count(server, login)


def case_totp_confirm(server):
    session, login, _app = security_session(server)
    page = session.get(server.url + "/my/security")
    page = session.post(server.url + "/my/security/totp/start",
                        data={"csrf_token": csrf_token(page.text)})
    app = totp_tests.App(totp_tests.shown_key(page.text))
    return session, "/my/security/totp/confirm", {"code": app.code()}, \
        lambda: totp_enrolled(server, login)


def case_totp_remove(server):
    session, login, app = security_session(server, enrolled=True)
    return session, "/my/security/totp/remove", {"code": app.code()}, \
        lambda: totp_enrolled(server, login)


def case_recovery(server):
    session, login, app = security_session(server, enrolled=True)
    return session, "/my/security/recovery", {"code": app.code()}, \
        lambda: server.execute("admin", None, "prm.2fa.event", "search_count", [
            ("user_id.login", "=", login), ("event", "=", "recovery_generated")])


def case_sms_code(server):
    session, login, _app = security_session(server)
    return session, "/my/security/sms-code", {}, lambda: outbox_count(server, login)


def case_method(server):
    _session, login, _app = security_session(server, enrolled=True)
    session, page = start_login(server, login=login, password=totp_tests.PASSWORD)
    assert "o_prm_2fa_use_sms" in page.text
    return session, "/web/login/2fa/method", {"method": "sms"}, \
        lambda: outbox_count(server, login)


def case_enrol(server):
    """Head office must use the app (policy, see method_rules_kept); a new
    employee passes the SMS code and is on the set-up step of the sign-in."""
    login = totp_tests.new_internal_user(server)
    server.set_2fa_params(internal_methods="totp")
    session, page = start_login(server, login=login, password=totp_tests.PASSWORD)
    page = session.post(server.url + "/web/login/2fa", data={
        "code": server.latest_code(login), "csrf_token": csrf_token(page.text)})
    app = totp_tests.App(totp_tests.shown_key(page.text))
    return session, "/web/login/2fa/enrol", {"code": app.code()}, \
        lambda: totp_enrolled(server, login)


@pytest.fixture
def method_rules_kept(odoo_server):
    """The method rules a case changes are restored after the test."""
    keys = ("internal_methods", "portal_methods")
    previous = {key: odoo_server.execute(
        "admin", None, "ir.config_parameter", "get_param",
        "prm_2fa_sms.%s" % key) or False for key in keys}
    yield
    odoo_server.set_2fa_params(**previous)


def case_deal_new(server):
    session = server.web_login("director03", "demo")
    dealer = dealer_of(server, "director03")
    return session, "/my/deals/new", customer_form(server, uuid.uuid4().hex[:8]), \
        lambda: server.execute("admin", None, "prm.deal.registration",
                               "search_count", [("dealer_id", "=", dealer)])


def case_notifications(server):
    session = server.web_login("director04", "demo")
    kinds = ["prm_notify_documents", "prm_notify_leads", "prm_notify_benchmark"]

    def state():
        return server.execute("admin", None, "res.users", "search_read",
                              [("login", "=", "director04")], kinds)[0]
    current = state()
    data = {kind: current[kind] for kind in kinds}
    data["prm_notify_documents"] = "off" if current[
        "prm_notify_documents"] != "off" else "immediate"
    return session, "/my/notifications", data, state


STATE_CHANGING_POSTS = {
    "/web/login": case_login,
    "/web/login/2fa": case_code,
    "/web/login/2fa/resend": case_resend,
    "/web/login/2fa/cancel": case_cancel,
    "/my/security/forget-devices": case_forget_devices,
    "/my/security/totp/start": case_totp_start,
    "/my/security/totp/confirm": case_totp_confirm,
    "/my/security/totp/remove": case_totp_remove,
    "/my/security/recovery": case_recovery,
    "/my/security/sms-code": case_sms_code,
    "/web/login/2fa/method": case_method,
    "/web/login/2fa/enrol": case_enrol,
    "/my/security/number": case_number_change,
    "/my/leads/<int:lead_id>/reaction": case_lead_reaction,
    "/my/exchange/<int:channel_id>/post": case_exchange_post,
    "/my/benchmark/entry": lambda server: case_entry(server, with_id=False),
    "/my/benchmark/entry/<int:period_id>": case_entry,
    "/prm/feedback/<string:token>": case_feedback,
    "/my/users/invite": case_users_invite,
    "/my/users/<int:user_id>/change": case_users_change,
    "/my/deals/new": case_deal_new,
    "/my/notifications": case_notifications,
}


@pytest.mark.expected_log(CSRF_LOG)
@pytest.mark.usefixtures("method_rules_kept")
@pytest.mark.parametrize("token", sorted(BAD_TOKENS))
@pytest.mark.parametrize("route", sorted(STATE_CHANGING_POSTS))
def test_post_without_valid_csrf_token_is_refused_and_changes_nothing(
        odoo_server, route, token):
    session, path, data, state = STATE_CHANGING_POSTS[route](odoo_server)
    before = state()
    if BAD_TOKENS[token] is not None:
        data = dict(data, csrf_token=BAD_TOKENS[token])
    response = session.post(odoo_server.url + path, data=data,
                            allow_redirects=False)
    assert response.status_code == 400, route
    assert any(reason in response.text for reason in CSRF_REFUSAL)
    assert state() == before, route


@pytest.fixture
def resend_allowed(odoo_server):
    """No resend cooldown and no hourly limit for this test: the control's
    resend must send, whatever codes the tests before sent to director14
    (the reason it once sent none in a full run)."""
    previous = odoo_server.set_2fa_params(resend_cooldown_seconds="0",
                                          max_sends_per_hour="1000")
    yield
    odoo_server.set_2fa_params(**previous)


def test_a_valid_token_is_accepted_so_the_refusals_above_are_about_csrf(
        odoo_server, resend_allowed, method_rules_kept):
    """The same cases change state with the session's token (control)."""
    for route, case in sorted(STATE_CHANGING_POSTS.items()):
        session, path, data, state = case(odoo_server)
        before = state()
        token = page_token(odoo_server, session) if route != "/web/login" \
            else csrf_token(session.get(odoo_server.url + "/web/login").text)
        if route.startswith("/prm/feedback"):
            token = csrf_token(session.get(odoo_server.url + path).text)
        session.post(odoo_server.url + path, data=dict(data, csrf_token=token))
        assert state() != before, route


def test_every_post_route_is_in_the_csrf_cases_and_none_disables_csrf():
    """Routes that accept POST are the ones above or read-only pages.

    Routes without ``methods`` accept POST too; they only read, and Odoo
    checks the token on them all the same. ``csrf=False`` is used nowhere:
    the database manager routes inherit it from Odoo but answer 404 (see
    the route matrix), so they are not listed.
    """
    routes = controller_routes()
    assert not [r for r, decorator in routes if "csrf=False" in decorator]
    posting = {r for r, decorator in routes if '"POST"' in decorator}
    assert posting - set(STATE_CHANGING_POSTS) == set()


def test_only_the_disabled_database_routes_skip_csrf(odoo_server):
    """Of all installed modules, only Odoo's database manager posts without
    a CSRF token; those routes answer 404 here (route matrix)."""
    import odoo
    installed = {m["name"] for m in odoo_server.execute(
        "admin", None, "ir.module.module", "search_read",
        [("state", "=", "installed")], fields=["name"])}
    core = os.path.join(os.path.dirname(odoo.__file__), "addons")
    without_csrf = set()
    for path in glob.glob(os.path.join(core, "*", "controllers", "*.py")) + \
            glob.glob(os.path.join(ROOT, "addons", "*", "controllers", "*.py")):
        if path.split(os.sep)[-3] not in installed:
            continue
        with open(path) as handle:
            for decorator in re.findall(r"route\(([^)]*)\)", handle.read()):
                if "csrf=False" in decorator:
                    without_csrf.update(re.findall(r"'(/[^']*)'|\"(/[^\"]*)\"",
                                                   decorator))
    paths = {single or double for single, double in without_csrf}
    assert paths == {"/web/database/%s" % name for name in (
        "create", "duplicate", "drop", "backup", "restore", "change_password")}


# --- JSON routes cannot be triggered cross-site ---------------------------------

@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_json_route_refuses_what_a_cross_site_form_can_send(odoo_server,
                                                            content_type):
    session = odoo_server.web_login("director01", "demo")
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}})
    if content_type == "multipart/form-data":
        response = session.post(odoo_server.url + "/my/benchmark/data",
                                files={"r": ("r", body)})
    else:
        response = session.post(odoo_server.url + "/my/benchmark/data",
                                data=body if content_type == "text/plain"
                                else {"params": "{}"},
                                headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert '"kpis"' not in response.text


@pytest.mark.parametrize("path", ["/my/benchmark/data", "/web/dataset/call_kw",
                                  "/web/session/get_session_info"])
def test_jsonp_is_refused(odoo_server, path):
    """A <script src=...?jsonp=f> of another site must get nothing."""
    session = odoo_server.web_login("director01", "demo")
    sid = session.cookies.get("session_id")
    request = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
        "model": "res.partner", "method": "search_read", "args": [[]],
        "kwargs": {"fields": ["name"], "limit": 1}}})
    one_step = session.get(odoo_server.url + path,
                           params={"jsonp": "steal", "r": request})
    # Two steps: a cross-site form stores the call, a script runs it.
    stored = session.post(odoo_server.url + path + "?jsonp=steal&id=7",
                          data={"r": request})
    two_step = session.get(odoo_server.url + path,
                           params={"jsonp": "steal", "id": "7"})
    for response in (one_step, stored, two_step):
        assert response.status_code == 400, (path, response.text[:200])
        assert "steal(" not in response.text and sid not in response.text


# --- no secrets in URLs or the server log ---------------------------------------

@pytest.fixture
def secret_user(odoo_server):
    """A fresh director with a unique password and mobile number."""
    marker = uuid.uuid4().hex[:8]
    digits = "%08d" % (uuid.uuid4().int % 10 ** 8)
    password = "Pw-%s-Geheim" % marker
    login = "secret.%s@dealer.example" % marker
    dealer = own_partner(odoo_server, "director15")
    partner = odoo_server.execute("admin", None, "res.partner", "create", {
        "name": "Geheim %s" % marker, "parent_id": dealer,
        "mobile": "+49 160 %s" % digits})
    odoo_server.execute("admin", None, "res.users", "create", {
        "name": "Geheim %s" % marker, "login": login, "password": password,
        "partner_id": partner, "groups_id": [(6, 0, [odoo_server.execute(
            "admin", None, "ir.model.data", "xmlid_to_res_id",
            "prm_partner_portal.group_prm_portal_director")])]})
    return {"login": login, "password": password, "partner": partner,
            "mobile": "+49160" + digits}


def redirect_urls(response):
    return [response.url] + [hop.headers.get("Location", "")
                             for hop in response.history]


def test_no_password_code_or_phone_number_in_urls_or_the_log(odoo_server,
                                                             secret_user):
    user, url = secret_user, odoo_server.url
    with open(odoo_server.log_path) as handle:
        handle.seek(0, os.SEEK_END)
        log_start = handle.tell()
    seen_urls = []
    # The forms post passwords and codes; they never go into a URL.
    login_page = odoo_server.session().get(url + "/web/login").text
    assert re.search(r'<form[^>]*method="post"[^>]*>(?:(?!</form>).)*'
                     r'name="password"', login_page, re.S | re.I)
    # A failed login, then a full one (password + SMS code).
    wrong = "Falsch-%s" % uuid.uuid4().hex[:8]
    _session, failed = start_login(odoo_server, login=user["login"],
                                   password=wrong)
    assert "Falsche Anmeldedaten/falsches Passwort" in failed.text
    seen_urls += redirect_urls(failed)
    session, code_page = start_login(odoo_server, login=user["login"],
                                     password=user["password"])
    seen_urls += redirect_urls(code_page)
    assert re.search(r'<form[^>]*method="post"[^>]*>(?:(?!</form>).)*name="code"',
                     code_page.text, re.S | re.I)
    code = odoo_server.latest_code(user["login"])
    done = session.post(url + "/web/login/2fa", data={
        "code": code, "csrf_token": csrf_token(code_page.text)})
    seen_urls += redirect_urls(done)
    assert done.status_code == 200 and "/web/login" not in done.url
    # An entry save and a mobile number change (head office, web session).
    period = open_period(odoo_server)["id"]
    page = session.get(url + "/my/benchmark/entry/%d" % period)
    fields, version = form_fields(page.text)
    saved = session.post(url + "/my/benchmark/entry/%d" % period, data=dict(
        fields, value_rev_other="1234", version=version, action="save",
        csrf_token=csrf_token(page.text)))
    assert saved.status_code == 200
    seen_urls += redirect_urls(saved)
    new_digits = "%08d" % (uuid.uuid4().int % 10 ** 8)
    admin = odoo_server.web_login("admin", "admin")
    changed = admin.post(url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "res.partner", "method": "write",
            "args": [[user["partner"]], {"mobile": "+49 160 %s" % new_digits}],
            "kwargs": {}}}).json()
    assert changed.get("result") is True, changed
    with open(odoo_server.log_path, errors="replace") as handle:
        handle.seek(log_start)
        log = handle.read()
    assert user["login"] in log or "POST /web/login" in log, "log is written"
    secrets = {
        "password": user["password"], "wrong password": wrong,
        "SMS code": re.compile(r"(?<!\d)%s(?!\d)" % code),
        # Only the last digits of a number may be shown.
        "old mobile": user["mobile"][:-3], "new mobile": "160" + new_digits[:-3],
    }
    for name, secret in secrets.items():
        for where, text in [("log", log)] + [("URL", u) for u in seen_urls]:
            found = secret.search(text) if hasattr(secret, "search") \
                else secret in text
            assert not found, "%s in the %s" % (name, where)


# --- differencing attack between two comparison groups ---------------------------

def counted_dealers(server, period_id):
    entries = server.execute("admin", None, "prm.benchmark.entry", "search_read",
                             [("period_id", "=", period_id),
                              ("state", "in", ["submitted", "checked"])],
                             fields=["partner_id"])
    return sorted({e["partner_id"][0] for e in entries})


def director_dealers(server):
    users = server.execute("admin", None, "res.users", "search_read",
                           [("login", "=like", "director%")],
                           fields=["login", "commercial_partner_id"])
    return {u["commercial_partner_id"][0]: u["login"] for u in users}


@pytest.fixture
def attack_groups(odoo_server):
    """Head office's explicit groups (and new dealers); removed afterwards."""
    created = {"res.partner": [], "prm.benchmark.group": []}

    def make(name, partner_ids, period_id):
        group = odoo_server.execute("admin", None, "prm.benchmark.group", "create", {
            "name": "%s %s" % (name, uuid.uuid4().hex[:6]), "kind": "explicit",
            "explicit_partner_ids": [(6, 0, partner_ids)], "min_group_size": 5})
        created["prm.benchmark.group"].append(group)
        odoo_server.execute("admin", None, "prm.benchmark.period",
                            "action_refresh_statistics", [period_id])
        return group

    def new_dealer():
        dealer = odoo_server.execute("admin", None, "res.partner", "create", {
            "name": "Neuer Händler %s" % uuid.uuid4().hex[:6], "is_company": True,
            "prm_is_dealer": True, "prm_state": "active"})
        created["res.partner"].append(dealer)
        return dealer
    make.new_dealer = new_dealer
    yield make
    for model in ("prm.benchmark.group", "res.partner"):
        if created[model]:
            odoo_server.execute("admin", None, model, "unlink", created[model])


def offered(server, session, period_id, group_id):
    data = rpc(session, server, "/my/benchmark/data", period_id=period_id,
               group_id=group_id)
    # A hidden group of the dealer is answered with another group's view.
    return None if "error" in data or data["group"]["id"] != group_id else data


def assert_no_difference_computable(server, session, period_id, small, large):
    first = offered(server, session, period_id, small)
    second = offered(server, session, period_id, large)
    shown = {g["id"] for g in (first or second or {}).get("groups", [])}
    assert not (first and second), "both groups offered: differencing possible"
    assert not {small, large} <= shown
    # The export follows the same rule.
    for group, data in ((small, first), (large, second)):
        export = session.get(server.url + "/my/benchmark/export.xlsx", params={
            "period_id": period_id, "group_id": group})
        assert (export.status_code == 200) == bool(data), group
        assert export.content.startswith(b"PK") == bool(data)


def published_period(server):
    return server.execute("admin", None, "prm.benchmark.period", "search",
                          [("state", "=", "published")],
                          order="date_start desc", limit=1)[0]


def test_two_groups_differing_by_one_dealer_do_not_reveal_it(odoo_server,
                                                             attack_groups):
    period = published_period(odoo_server)
    directors = director_dealers(odoo_server)
    dealers = [d for d in counted_dealers(odoo_server, period) if d in directors]
    assert len(dealers) >= 12, "demo data: enough submitted entries"
    base, victim = dealers[:10], dealers[10]
    small = attack_groups("Angriff klein", base, period)
    large = attack_groups("Angriff gross", base + [victim], period)
    session = odoo_server.web_login(directors[base[0]], "demo")
    assert_no_difference_computable(odoo_server, session, period, small, large)


def test_groups_differing_by_one_contributing_dealer_do_not_reveal_it(
        odoo_server, attack_groups):
    """Five more members, but only one of them has figures in the period.

    The statistics count only submitted entries: what matters for the
    difference is who contributed, not who is a member.
    """
    period = published_period(odoo_server)
    directors = director_dealers(odoo_server)
    counted = set(counted_dealers(odoo_server, period))
    dealers = odoo_server.execute("admin", None, "res.partner", "search",
                                  [("prm_is_dealer", "=", True),
                                   ("prm_state", "=", "active")])
    silent = [d for d in dealers if d not in counted][:4]
    if len(silent) < 4:
        # Dealers without figures in the period: newly admitted ones.
        silent = [attack_groups.new_dealer() for _i in range(4)]
    contributing = [d for d in sorted(counted) if d in directors]
    base, victim = contributing[:10], contributing[10]
    small = attack_groups("Angriff klein", base, period)
    large = attack_groups("Angriff gross", base + [victim] + silent, period)
    session = odoo_server.web_login(directors[base[0]], "demo")
    assert_no_difference_computable(odoo_server, session, period, small, large)


# --- redirects stay on this site ------------------------------------------------

OFFSITE = ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x",
           "/\t/evil.example/x", "javascript:alert('evil.example')"]


def assert_stays_here(server, response, target):
    """No redirect (header or script page) leaves the server's own host."""
    for hop in list(response.history) + [response]:
        location = hop.headers.get("Location")
        if location:
            landing = urlsplit(urljoin(hop.url, location.replace("\\", "/")))
            assert landing.netloc == urlsplit(server.url).netloc, (target, location)
            assert landing.scheme == "http", (target, location)
    assert "window.location" not in response.text or \
        "evil.example" not in response.text, target


@pytest.mark.parametrize("target", OFFSITE)
def test_login_and_logout_redirects_stay_on_this_site(odoo_server, target):
    url = odoo_server.url
    # Password, then code, with a redirect parameter.
    session = odoo_server.session()
    page = session.get(url + "/web/login", params={"redirect": target})
    assert_stays_here(odoo_server, page, target)
    step = session.post(url + "/web/login", data={
        "login": "director16", "password": "demo", "redirect": target,
        "csrf_token": csrf_token(page.text)}, allow_redirects=False)
    assert_stays_here(odoo_server, step, target)
    code_page = session.get(url + "/web/login/2fa")
    done = session.post(url + "/web/login/2fa", data={
        "code": odoo_server.latest_code("director16"),
        "csrf_token": csrf_token(code_page.text)}, allow_redirects=False)
    assert done.status_code == 303
    assert_stays_here(odoo_server, done, target)
    # Signed in: the login page with a redirect, and the logout.
    again = session.get(url + "/web/login", params={"redirect": target},
                        allow_redirects=False)
    assert_stays_here(odoo_server, again, target)
    out = session.get(url + "/web/session/logout", params={"redirect": target},
                      allow_redirects=False)
    assert_stays_here(odoo_server, out, target)
