"""Outside review (review10, worktree rev8) of the README sections on the
partner programme, dealers outside it, the scorecard, dealer figures, the
tier card and its trend, the tier-change mail, notification settings,
documents and news, /my/users and the dealer exchange: confirmed findings.

Every test here fails on the reviewed code (branch tier8, 7c6d612).
"""
import base64
import uuid

from .test_exchange import channel_id
from .test_exchange_bus import head_office_post
from .test_my_users import PASSWORD, new_company


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
