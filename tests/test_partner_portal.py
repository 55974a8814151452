"""PRM core over real HTTP and XML-RPC: roles, isolation, portal user wizard."""
import uuid
import xmlrpc.client

import pytest

from .odoo_server import csrf_token


def dealer_of(server, login):
    return server.execute("admin", "admin", "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]


@pytest.mark.parametrize("login, expected", [
    ("tm.nord", 10), ("tm.sued", 10), ("prm.manager", 40), ("receivables", 40),
    ("marketing", 40), ("warranty", 40),
])
def test_backend_roles_see_their_dealers(odoo_server, login, expected):
    # the demo network's dealers: other tests add dealers of their own
    demo = [row["res_id"] for row in odoo_server.execute(
        "admin", None, "ir.model.data", "search_read",
        [("module", "=", "prm_demo"), ("model", "=", "res.partner"),
         ("name", "=like", "demo_dealer%")], fields=["res_id"])]
    count = odoo_server.execute(login, "demo", "res.partner", "search_count",
                                [("prm_is_dealer", "=", True), ("id", "in", demo)])
    assert count == expected


def test_territory_manager_sees_only_own_region(odoo_server):
    dealers = odoo_server.execute("tm.nord", "demo", "res.partner", "search_read",
                                  [("prm_is_dealer", "=", True)],
                                  fields=["prm_territory_id"])
    assert {d["prm_territory_id"][1].split(" / ")[0] for d in dealers} == {"Nord"}


def test_portal_user_cannot_read_another_dealer(odoo_server):
    own = dealer_of(odoo_server, "director01")
    other = dealer_of(odoo_server, "director02")
    targets = odoo_server.execute("director01", "demo", "prm.target", "search_read",
                                  [], fields=["partner_id"])
    assert targets and {t["partner_id"][0] for t in targets} == {own}
    foreign = odoo_server.execute("admin", "admin", "prm.target", "search",
                                  [("partner_id", "=", other)], limit=1)
    for model, ids, field in (("prm.target", foreign, "target_value"),
                              ("res.partner", [other], "name")):
        with pytest.raises(xmlrpc.client.Fault) as error:
            odoo_server.execute("director01", "demo", model, "read", ids, [field])
        assert error.value.faultCode == 4  # Odoo's AccessError fault


def test_bookkeeper_has_no_targets(odoo_server):
    session = odoo_server.web_login("bookkeeper01", "demo")
    response = session.get(odoo_server.url + "/my/targets")
    assert response.status_code == 403
    assert "o_prm_access_denied" in response.text
    home = session.get(odoo_server.url + "/my/home")
    assert home.status_code == 200 and "/my/targets" not in home.text
    with pytest.raises(xmlrpc.client.Fault):
        odoo_server.execute("bookkeeper01", "demo", "prm.target", "search", [])


def test_director_sees_own_figures_on_targets_page(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    page = session.get(odoo_server.url + "/my/targets")
    assert page.status_code == 200
    own = dealer_of(odoo_server, "director01")
    target = odoo_server.execute("admin", "admin", "prm.target", "search_read",
                                 [("partner_id", "=", own),
                                  ("metric_id.code", "=", "revenue")],
                                 fields=["target_value", "date_range_id"],
                                 order="date_start desc", limit=1)[0]
    lang = odoo_server.execute("admin", None, "res.users", "search_read",
                               [("login", "=", "director01")], fields=["lang"])[0]
    shown = "{:,.0f}".format(target["target_value"])
    if lang["lang"] == "de_DE":
        shown = shown.replace(",", ".")
    assert shown in page.text
    assert target["date_range_id"][1] in page.text


def test_head_office_wizard_creates_a_working_portal_login(odoo_server):
    dealer = dealer_of(odoo_server, "director03")
    login = "neu.%s@dealer03.example" % uuid.uuid4().hex[:8]
    wizard = odoo_server.execute("prm.manager", "demo", "prm.portal.user.wizard",
                                 "create", {"dealer_id": dealer, "name": "Nina Neu",
                                            "email": login,
                                            "mobile": "0151 98765432",
                                            "portal_class": "director"})
    odoo_server.execute("prm.manager", "demo", "prm.portal.user.wizard",
                        "action_apply", [wizard])
    partner = odoo_server.execute("admin", "admin", "res.users", "search_read",
                                  [("login", "=", login)],
                                  fields=["partner_id"])[0]["partner_id"][0]
    token = odoo_server.execute("admin", "admin", "res.partner", "read", [partner],
                                ["signup_token"])[0]["signup_token"]
    session = odoo_server.session()
    form = session.get(odoo_server.url + "/web/signup", params={"token": token})
    assert form.status_code == 200 and login in form.text
    done = session.post(odoo_server.url + "/web/signup", data={
        "token": token, "login": login, "name": "Nina Neu",
        "password": "Sicher-2026!", "confirm_password": "Sicher-2026!",
        "csrf_token": csrf_token(form.text), "redirect": ""})
    assert done.status_code == 200
    home = odoo_server.web_login(login, "Sicher-2026!").get(
        odoo_server.url + "/my/targets")
    assert home.status_code == 200
    dealer_name = odoo_server.execute("admin", None, "res.partner", "read",
                                      [dealer], ["name"])[0]["name"]
    assert dealer_name in home.text and "o_prm_target_period" in home.text


def test_territory_manager_cannot_use_the_wizard(odoo_server):
    dealer = dealer_of(odoo_server, "director01")
    wizard = odoo_server.execute("tm.nord", "demo", "prm.portal.user.wizard",
                                 "create", {"dealer_id": dealer, "name": "X",
                                            "email": "x@x.example",
                                            "portal_class": "director"})
    with pytest.raises(xmlrpc.client.Fault) as error:
        odoo_server.execute("tm.nord", "demo", "prm.portal.user.wizard",
                            "action_apply", [wizard])
    assert error.value.faultCode == 4  # AccessError, in the user's language


def test_targets_pages_list_periods_newest_first(odoo_server):
    """Issue 17/9: /my/targets showed Q4/2026, Q3, Q2, Q4/2024 on page 1 and
    Q2/2025 on page 3 (read_group ignored ``order by date_start desc``)."""
    from lxml import html

    own = dealer_of(odoo_server, "director01")
    expected = []
    for target in odoo_server.execute(
            "admin", "admin", "prm.target", "search_read",
            [("partner_id", "=", own)], fields=["date_range_id", "date_start"],
            order="date_start desc"):
        if target["date_range_id"][1] not in expected:
            expected.append(target["date_range_id"][1])
    assert len(expected) > 4  # more than one page of 4 periods
    with open(odoo_server.log_path, errors="replace") as handle:
        log_before = len(handle.readlines())
    session = odoo_server.web_login("director01", "demo")
    shown = []
    for page in range(1, (len(expected) + 3) // 4 + 1):
        response = session.get(odoo_server.url + "/my/targets/page/%d" % page)
        assert response.status_code == 200
        shown += [name.strip() for name in html.fromstring(response.text).xpath(
            "//div[contains(@class, 'o_prm_target_period')]"
            "//h4[contains(@class, 'panel-title')]/span[1]/text()")]
    assert shown == expected
    with open(odoo_server.log_path, errors="replace") as handle:
        ignored = [line for line in handle.readlines()[log_before:]
                   if "read_group order by" in line]
    assert not ignored
