"""Safe number changes and the cooling-off after them (issue 21), over real HTTP.

SMS go to the development outbox (``prm.sms.outbox``), which records the
number and the text of every message.
"""
import ast
import csv
import datetime
import json
import os
import re
import uuid
import xmlrpc.client

import pytest
import pytz

from .odoo_server import ROOT, csrf_token
from .test_2fa import (
    events, new_code_user, new_director, signed_in, user_field)

ERROR = re.compile(r'o_prm_2fa_error"[^>]*>([^<]*)<')
PAUSED = ("paused", "pausiert")


def number_of(server, login):
    partner = user_field(server, login, "partner_id")[0]
    return server.execute("admin", None, "res.partner", "read", [partner],
                          ["mobile"])[0]["mobile"]


def outbox(server, login):
    """``[(to, body)]`` of the SMS to ``login``, newest first."""
    return [(m["to"], m["body"]) for m in server.execute(
        "admin", None, "prm.sms.outbox", "search_read",
        [("user_id.login", "=", login)], fields=["to", "body"], order="id desc")]


def last_code(server, login, to):
    for number, body in outbox(server, login):
        if number == to:
            return re.search(r"\b(\d{6})\b", body).group(1)
    raise AssertionError("no SMS to %s" % to)


def step(server, session, **data):
    page = session.get(server.url + "/my/security/number")
    assert page.status_code == 200
    if 'name="csrf_token"' not in page.text:   # a page without a form
        page = session.get(server.url + "/my/security")
    response = session.post(server.url + "/my/security/number",
                            data=dict(data, csrf_token=csrf_token(page.text)))
    assert response.status_code == 200
    return response


def error_of(response):
    match = ERROR.search(response.text)
    return match and match.group(1)


def fresh_number():
    return "+49151%08d" % (uuid.uuid4().int % 10 ** 8)


@pytest.fixture
def code_user(odoo_server):
    """A fresh director with an SMS number, signed in with the code."""
    # these tests read the codes from the outbox, whatever an earlier test
    # module left configured
    odoo_server.set_2fa_params(provider="outbox")
    password = "Pw-%s!" % uuid.uuid4().hex[:8]
    login = new_code_user(odoo_server, password=password)
    session = odoo_server.web_login(login, password)
    return login, session


def call_kw(server, session, model, method, args):
    """A JSON-RPC call of the signed-in browser session (as the web client)."""
    return session.post(server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": model, "method": method, "args": args, "kwargs": {}}}).json()


# --- a number change needs the current factor (the "done when") ---------

@pytest.mark.parametrize("how", ["forged_post", "wrong_code", "no_code", "rpc"])
def test_a_number_change_without_the_current_factor_is_refused(
        odoo_server, code_user, how):
    login, session = code_user
    before, new = number_of(odoo_server, login), fresh_number()
    if how == "rpc":
        uid = user_field(odoo_server, login, "id")
        partner = user_field(odoo_server, login, "partner_id")[0]
        for model, ids, vals in [
                ("res.partner", [partner], {"mobile": new}),
                ("res.users", [uid], {"prm_2fa_mobile_pending": new}),
                ("res.users", [uid], {"prm_2fa_factor_changed_at": False})]:
            answer = call_kw(odoo_server, session, model, "write", [ids, vals])
            assert "error" in answer, (model, vals)
    else:
        if how != "forged_post":
            step(odoo_server, session, step="send")
            code = last_code(odoo_server, login, before)
            wrong = "" if how == "no_code" else \
                ("000000" if code != "000000" else "111111")
            response = step(odoo_server, session, step="check", code=wrong)
            assert error_of(response), "a wrong or missing code is refused"
        response = step(odoo_server, session, step="number", number=new)
        assert "current number" in error_of(response) or \
            "aktuelle Nummer" in error_of(response)
        response = step(odoo_server, session, step="confirm", code="123456")
        assert error_of(response)
    assert number_of(odoo_server, login) == before
    assert user_field(odoo_server, login, "prm_2fa_mobile_pending") is False
    assert not [to for to, _body in outbox(odoo_server, login) if to == new], \
        "no code went to the new number"
    assert events(odoo_server, login, "factor_changed") == 0


def test_wrong_current_factor_codes_count_and_lock(odoo_server, code_user):
    login, session = code_user
    odoo_server.set_2fa_params(lockout_after_failures="2")
    try:
        step(odoo_server, session, step="send")
        code = last_code(odoo_server, login, number_of(odoo_server, login))
        wrong = "000000" if code != "000000" else "111111"
        step(odoo_server, session, step="check", code=wrong)
        step(odoo_server, session, step="check", code=wrong)
        assert events(odoo_server, login, "failure") == 2
        assert events(odoo_server, login, "lockout") == 1
        assert user_field(odoo_server, login, "prm_2fa_locked_until")
        assert not signed_in(odoo_server, session), "a lock ends the sessions"
    finally:
        odoo_server.set_2fa_params(lockout_after_failures="10")


def test_self_service_number_change_end_to_end(odoo_server, code_user):
    login, session = code_user
    old, new = number_of(odoo_server, login), fresh_number()
    page = session.get(odoo_server.url + "/my/security")
    assert 'href="/my/security/number"' in page.text
    step(odoo_server, session, step="send")
    assert outbox(odoo_server, login)[0][0] == old, "first a code to the old number"
    response = step(odoo_server, session, step="check",
                    code=last_code(odoo_server, login, old))
    assert not error_of(response)
    response = step(odoo_server, session, step="number", number=new)
    assert not error_of(response)
    assert outbox(odoo_server, login)[0][0] == new, "then a code to the new one"
    assert number_of(odoo_server, login) == old, "not before its code"
    response = step(odoo_server, session, step="confirm",
                    code=last_code(odoo_server, login, new))
    assert not error_of(response)
    assert number_of(odoo_server, login) == new
    assert user_field(odoo_server, login, "prm_2fa_mobile_pending") is False
    assert user_field(odoo_server, login, "prm_2fa_factor_changed_at")
    # audited, the user as author
    uid = user_field(odoo_server, login, "id")
    changed = odoo_server.execute(
        "admin", None, "prm.2fa.event", "search_read",
        [("user_id", "=", uid), ("event", "=", "factor_changed")],
        fields=["author_id", "detail"])
    assert len(changed) == 1 and changed[0]["author_id"][0] == uid
    assert changed[0]["detail"] == "number"
    assert events(odoo_server, login, "number_confirmed") == 1
    # notices: a mail, and an SMS to the old and to the new number
    mails = odoo_server.execute("admin", None, "mail.mail", "search_read",
                                [("email_to", "=", login)], fields=["body_html"],
                                order="id desc", limit=1)
    assert mails and new[-2:] in mails[0]["body_html"]
    assert new not in mails[0]["body_html"], "the number is masked"
    notices = [to for to, body in outbox(odoo_server, login)[:2]
               if not re.search(r"\b\d{6}\b", body)]
    assert sorted(notices) == sorted([old, new])


def test_without_a_working_number_only_head_office_changes_it(
        odoo_server, code_user):
    login, session = code_user
    partner = user_field(odoo_server, login, "partner_id")[0]
    odoo_server.execute("prm.manager", None, "res.partner", "write", [partner],
                        {"mobile": False})
    response = session.get(odoo_server.url + "/my/security/number")
    assert "o_prm_2fa_no_number" in response.text
    response = step(odoo_server, session, step="send")
    assert error_of(response)
    assert number_of(odoo_server, login) is False
    # the removal is a change of the factor: audited and notified
    assert events(odoo_server, login, "factor_changed") == 1


# --- head office: identity check recorded --------------------------------------

def test_head_office_change_records_the_identity_check(odoo_server):
    login = new_code_user(odoo_server)
    old, new = number_of(odoo_server, login), fresh_number()
    uid = user_field(odoo_server, login, "id")
    partner = user_field(odoo_server, login, "partner_id")[0]
    odoo_server.execute("prm.manager", None, "res.partner", "write", [partner],
                        {"mobile": new})
    odoo_server.execute("prm.manager", None, "res.users",
                        "action_prm_2fa_send_number_code", [uid])
    code = last_code(odoo_server, login, new)
    wizard = odoo_server.execute("prm.manager", None, "prm.2fa.number.wizard",
                                 "create", {"user_id": uid, "code": code})
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.execute("prm.manager", None, "prm.2fa.number.wizard",
                            "action_confirm", [wizard])
    assert "identity" in error.value.faultString or \
        "Identität" in error.value.faultString
    assert number_of(odoo_server, login) == old
    wizard = odoo_server.execute(
        "prm.manager", None, "prm.2fa.number.wizard", "create", {
            "user_id": uid, "code": code, "identity_check": "callback",
            "identity_note": "landline +49 30 1234 called back"})
    odoo_server.execute("prm.manager", None, "prm.2fa.number.wizard",
                        "action_confirm", [wizard])
    assert number_of(odoo_server, login) == new
    manager = user_field(odoo_server, "prm.manager", "id")
    checked = odoo_server.execute(
        "admin", None, "prm.2fa.event", "search_read",
        [("user_id", "=", uid), ("event", "in", ("identity_checked",
                                                 "factor_changed"))],
        fields=["event", "author_id", "detail"])
    assert {e["event"] for e in checked} == {"identity_checked", "factor_changed"}
    assert all(e["author_id"][0] == manager for e in checked)
    assert "landline +49 30 1234 called back" in [
        e["detail"] for e in checked if e["event"] == "identity_checked"][0]
    assert {to for to, body in outbox(odoo_server, login)[:2]} == {old, new}


def test_wrong_codes_in_a_wizard_that_raises_still_count_and_lock(odoo_server):
    """A wrong code answered with an error (here head office's confirmation
    wizard, whose UserError rolls the request back) still counts: otherwise
    anyone calling the wizard could guess the code without limit."""
    login = new_code_user(odoo_server)
    new = fresh_number()
    uid = user_field(odoo_server, login, "id")
    partner = user_field(odoo_server, login, "partner_id")[0]
    odoo_server.execute("prm.manager", None, "res.partner", "write", [partner],
                        {"mobile": new})
    odoo_server.execute("prm.manager", None, "res.users",
                        "action_prm_2fa_send_number_code", [uid])
    code = last_code(odoo_server, login, new)
    wrong = "000000" if code != "000000" else "111111"
    odoo_server.set_2fa_params(lockout_after_failures="2")
    try:
        for _attempt in range(2):
            wizard = odoo_server.execute(
                "prm.manager", None, "prm.2fa.number.wizard", "create", {
                    "user_id": uid, "code": wrong, "identity_check": "callback"})
            with pytest.raises(xmlrpc.client.Fault):
                odoo_server.execute("prm.manager", None, "prm.2fa.number.wizard",
                                    "action_confirm", [wizard])
        assert events(odoo_server, login, "failure") == 2
        assert events(odoo_server, login, "lockout") == 1
        assert user_field(odoo_server, login, "prm_2fa_locked_until")
    finally:
        odoo_server.set_2fa_params(lockout_after_failures="10")
        odoo_server.execute("admin", None, "res.users", "action_prm_2fa_unlock",
                            [uid])


def test_a_number_after_a_removal_waits_for_its_code_and_the_identity_check(
        odoo_server):
    """Lost phone: head office removes the number, then enters the new one;
    it is confirmed like any change (not set at once as a first number)."""
    login = new_code_user(odoo_server)
    uid = user_field(odoo_server, login, "id")
    partner = user_field(odoo_server, login, "partner_id")[0]
    odoo_server.execute("prm.manager", None, "res.partner", "write", [partner],
                        {"mobile": False})
    new = fresh_number()
    odoo_server.execute("prm.manager", None, "res.partner", "write", [partner],
                        {"mobile": new})
    assert number_of(odoo_server, login) is False
    assert user_field(odoo_server, login, "prm_2fa_mobile_pending") == new
    odoo_server.execute("prm.manager", None, "res.users",
                        "action_prm_2fa_send_number_code", [uid])
    wizard = odoo_server.execute(
        "prm.manager", None, "prm.2fa.number.wizard", "create", {
            "user_id": uid, "code": last_code(odoo_server, login, new),
            "identity_check": "in_person"})
    odoo_server.execute("prm.manager", None, "prm.2fa.number.wizard",
                        "action_confirm", [wizard])
    assert number_of(odoo_server, login) == new
    assert events(odoo_server, login, "identity_checked") == 1


# --- cooling-off ----------------------------------------------------------------

def set_changed(server, login, hours_ago):
    """Move ``login``'s last factor change to ``hours_ago`` (None: never)."""
    uid = user_field(server, login, "id")
    value = False if hours_ago is None else (
        datetime.datetime.utcnow() - datetime.timedelta(hours=hours_ago)
    ).strftime("%Y-%m-%d %H:%M:%S")
    server.execute("admin", None, "res.users", "write", [uid], {
        "prm_2fa_factor_changed_at": value, "prm_2fa_cooling_off_ended_at": False})
    return value


def berlin(value, hours, pattern="%H:%M"):
    end = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S") + \
        datetime.timedelta(hours=hours)
    return pytz.utc.localize(end).astimezone(
        pytz.timezone("Europe/Berlin")).strftime(pattern)


@pytest.fixture(scope="module")
def sessions(odoo_server):
    for login in ("admin", "prm.manager"):
        odoo_server.api_key(login)   # issued before any cooling-off
    return {login: odoo_server.web_login(login, "demo")
            for login in ("director01", "prm.manager")}


def export_params():
    return {"data": json.dumps({
        "model": "res.partner", "fields": [{"name": "name", "label": "Name"}],
        "ids": False, "domain": [("id", "=", 1)], "import_compat": False}),
        "token": "1"}


def pivot_params():
    return {"data": json.dumps({
        "nbr_measures": 1, "title": "T", "headers": [[]], "measure_row": [],
        "rows": []}), "token": "1"}


def published_period(server):
    return server.execute("admin", None, "prm.benchmark.period", "search",
                          [("state", "=", "published")],
                          order="date_start desc", limit=1)[0]


HTTP_ACTIONS = {
    "portal benchmark export": ("director01", "/my/benchmark/export.xlsx", None),
    "network export": ("prm.manager", "/prm_benchmark/export/network/{period}",
                       None),
    "list export csv": ("prm.manager", "/web/export/csv", export_params),
    "list export xls": ("prm.manager", "/web/export/xls", export_params),
    "pivot export xls": ("prm.manager", "/web/pivot/export_xls", pivot_params),
    "portal benchmark report": ("director01", "/my/benchmark/report.pdf", None),
    "network report pdf": ("prm.manager",
                           "/report/pdf/prm_benchmark.report_network/{period}",
                           None),
}


@pytest.mark.parametrize("action", sorted(HTTP_ACTIONS))
def test_exports_wait_for_the_cooling_off(odoo_server, sessions, action):
    login, path, params = HTTP_ACTIONS[action]
    url = odoo_server.url + path.format(period=published_period(odoo_server))
    session = sessions[login]
    try:
        changed = set_changed(odoo_server, login, 0)
        refused = session.get(url, params=params and params())
        assert refused.status_code == 403
        assert any(word in refused.text for word in PAUSED)
        assert berlin(changed, 24) in refused.text, "the end, Berlin time"
        if path.startswith("/web/"):   # the web client's error dialog
            assert refused.json()["data"]["exception_type"] == "user_error"
        if login == "director01":   # German user: German text and date
            assert "pausiert" in refused.text
            assert berlin(changed, 24, "%d.%m.%Y %H:%M") in refused.text
        set_changed(odoo_server, login, 25)
        allowed = session.get(url, params=params and params())
        assert allowed.status_code == 200, allowed.text[:300]
    finally:
        set_changed(odoo_server, login, None)


def rpc_export(server):
    return server.execute("prm.manager", None, "res.partner", "export_data",
                          [1], ["name"])


def rpc_new_portal_user(server):
    return new_director(server, send_invitation=False)


def rpc_change_groups(server):
    uid = user_field(server, "marketing", "id")
    group = server.execute("admin", None, "ir.model.data", "xmlid_to_res_id",
                           "base.group_partner_manager")
    return server.execute("admin", None, "res.users", "write", [uid],
                          {"groups_id": [(4, group)]})


def rpc_group_users(server):
    uid = user_field(server, "marketing", "id")
    group = server.execute("admin", None, "ir.model.data", "xmlid_to_res_id",
                           "base.group_partner_manager")
    return server.execute("admin", None, "res.groups", "write", [group],
                          {"users": [(4, uid)]})


def rpc_api_key(server):
    uid = user_field(server, "marketing", "id")
    wizard = server.execute("admin", None, "prm.2fa.api.key.wizard", "create",
                            {"user_id": uid, "name": "cooling-off test"})
    server.execute("admin", None, "prm.2fa.api.key.wizard", "action_issue",
                   [wizard])
    keys = server.execute("admin", None, "prm.2fa.api.key", "search",
                          [("user_id", "=", uid), ("name", "=", "cooling-off test")])
    server.execute("admin", None, "prm.2fa.api.key", "write", keys,
                   {"active": False})


RPC_ACTIONS = {
    "export_data": ("prm.manager", rpc_export),
    "new portal user": ("prm.manager", rpc_new_portal_user),
    "user groups": ("admin", rpc_change_groups),
    "group users": ("admin", rpc_group_users),
    "API key": ("admin", rpc_api_key),
}


@pytest.mark.parametrize("action", sorted(RPC_ACTIONS))
def test_user_management_and_rpc_exports_wait_for_the_cooling_off(
        odoo_server, sessions, action):
    login, call = RPC_ACTIONS[action]
    try:
        set_changed(odoo_server, login, 0)
        with pytest.raises(xmlrpc.client.Fault) as error:
            call(odoo_server)
        assert any(word in error.value.faultString for word in PAUSED)
        set_changed(odoo_server, login, 25)
        call(odoo_server)
    finally:
        set_changed(odoo_server, login, None)


def test_a_key_for_a_user_in_cooling_off_waits(odoo_server, sessions):
    try:
        set_changed(odoo_server, "marketing", 0)
        with pytest.raises(xmlrpc.client.Fault) as error:
            rpc_api_key(odoo_server)
        assert any(word in error.value.faultString for word in PAUSED)
    finally:
        set_changed(odoo_server, "marketing", None)


def test_period_setting_and_head_office_ending_it_early(odoo_server, sessions):
    session = sessions["director01"]
    url = odoo_server.url + "/my/benchmark/export.xlsx"
    previous = odoo_server.set_2fa_params(cooling_off_hours="1")
    try:
        set_changed(odoo_server, "director01", 2)
        assert session.get(url).status_code == 200, "1 h is over"
        set_changed(odoo_server, "director01", 0.5)
        assert session.get(url).status_code == 403
        odoo_server.set_2fa_params(cooling_off_hours="0")
        assert session.get(url).status_code == 200, "0 switches it off"
        odoo_server.set_2fa_params(cooling_off_hours="24")
        assert session.get(url).status_code == 403
        uid = user_field(odoo_server, "director01", "id")
        with pytest.raises(xmlrpc.client.Fault):
            odoo_server.execute("tm.nord", None, "res.users",
                                "action_prm_end_cooling_off", [uid])
        assert session.get(url).status_code == 403
        odoo_server.execute("prm.manager", None, "res.users",
                            "action_prm_end_cooling_off", [uid])
        assert session.get(url).status_code == 200
        ended = odoo_server.execute(
            "admin", None, "prm.2fa.event", "search_read",
            [("user_id", "=", uid), ("event", "=", "cooling_off_ended")],
            fields=["author_id"], order="id desc", limit=1)
        assert ended[0]["author_id"][0] == user_field(odoo_server, "prm.manager",
                                                      "id")
    finally:
        odoo_server.set_2fa_params(**previous)
        set_changed(odoo_server, "director01", None)


def test_a_number_change_starts_the_cooling_off(odoo_server, code_user):
    """The self-service change of the end-to-end test, then an export."""
    login, session = code_user
    old, new = number_of(odoo_server, login), fresh_number()
    step(odoo_server, session, step="send")
    step(odoo_server, session, step="check", code=last_code(odoo_server, login, old))
    step(odoo_server, session, step="number", number=new)
    step(odoo_server, session, step="confirm", code=last_code(odoo_server, login, new))
    assert number_of(odoo_server, login) == new
    response = session.get(odoo_server.url + "/my/benchmark/export.xlsx")
    assert response.status_code == 403
    assert events(odoo_server, login, "cooling_off_refused") == 1


def test_every_file_export_route_is_a_high_risk_route():
    """A new export route (a file download of many records) must be added
    to ``lib.cooling_off.HIGH_RISK_ROUTES``: the inventory's http routes
    named export, PDF downloads and Odoo's report routes (except the barcode
    images) are all there."""
    with open(os.path.join(ROOT, "tests", "route_inventory.csv")) as handle:
        exports = {row["path"] for row in csv.DictReader(handle)
                   if row["type"] == "http" and (
                       "export" in row["path"] or row["path"].endswith(".pdf") or
                       (row["path"].startswith("/report/") and
                        "barcode" not in row["path"]))}
    with open(os.path.join(ROOT, "addons", "prm_2fa_sms", "lib",
                           "cooling_off.py")) as handle:
        listed = [ast.literal_eval(node.value) for node in ast.parse(
            handle.read()).body if isinstance(node, ast.Assign) and
            node.targets[0].id == "HIGH_RISK_ROUTES"][0]
    missing = sorted(path for path in exports if path not in listed)
    assert len(exports) >= 5 and not missing, missing


def test_number_page_speaks_german_to_a_german_user(odoo_server, sessions):
    page = sessions["director01"].get(odoo_server.url + "/my/security/number")
    assert page.status_code == 200
    assert "Nummer für Anmeldecodes ändern" in page.text
    assert "Code an meine aktuelle Nummer senden" in page.text
    security = sessions["director01"].get(odoo_server.url + "/my/security")
    assert 'href="/my/security/number"' in security.text
