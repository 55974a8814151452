"""The network report (issue 19): head office and territory managers print a
period's distribution per comparison group, the own territories' dealers
ranked per KPI and the period's completeness."""
import io

from PyPDF2 import PdfFileReader

from .test_benchmark_report import pdf_text

CORE = "/report/pdf/prm_benchmark.report_network/%d"


def published_period(server):
    return server.execute("admin", None, "prm.benchmark.period", "search_read",
                          [("state", "=", "published")], fields=["name"],
                          order="date_start desc", limit=1)[0]


def dealers(server, domain=()):
    return server.execute("admin", None, "res.partner", "search_read",
                          [("prm_is_dealer", "=", True)] + list(domain),
                          fields=["name", "prm_territory_id", "prm_state"])


def managed(server, login):
    user = server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)], fields=["id"])[0]
    territories = server.execute("admin", None, "prm.territory", "search",
                                 [("manager_id", "=", user["id"])])
    return server.execute("admin", None, "prm.territory", "search",
                          [("id", "child_of", territories)])


def download(server, login, period):
    session = server.web_login(login, "demo")
    response = session.get(server.url + CORE % period["id"], timeout=300)
    return response


def test_head_office_network_report(odoo_server):
    server = odoo_server
    period = published_period(server)
    response = download(server, "prm.manager", period)
    assert response.status_code == 200, response.text[:300]
    assert response.content.startswith(b"%PDF-")
    pages = PdfFileReader(io.BytesIO(response.content)).getNumPages()
    assert pages >= 5
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    lang = server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", "prm.manager")], fields=["lang"])[0]["lang"]
    groups = server.execute("admin", None, "prm.benchmark.group", "search_read",
                            [], fields=["name"], context={"lang": lang})
    assert not [g["name"] for g in groups if g["name"] not in flat]
    active = [d for d in dealers(server, [("prm_state", "=", "active")])]
    total = [line for line in text.splitlines()
             if line.strip().startswith(("Total", "Gesamt"))]
    assert total and total[0].split()[1] == str(len(active)), total
    # Head office manages no territory: no dealer named.
    assert not [d["name"] for d in dealers(server) if d["name"] in flat]


def test_territory_manager_sees_only_own_dealers(odoo_server):
    server = odoo_server
    period = published_period(server)
    response = download(server, "tm.nord", period)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    flat = " ".join(pdf_text(response.content).split())
    own = set(managed(server, "tm.nord"))
    counted = server.execute("admin", None, "prm.benchmark.kpi.value",
                             "search_read", [("period_id", "=", period["id"]),
                                             ("entry_state", "in",
                                              ["submitted", "checked"])],
                             fields=["partner_id", "territory_id"])
    inside = {v["partner_id"][1] for v in counted
              if v["territory_id"] and v["territory_id"][0] in own}
    outside = {v["partner_id"][1] for v in counted
               if not v["territory_id"] or v["territory_id"][0] not in own}
    assert inside and outside
    assert all(name in flat for name in inside)
    assert not [name for name in outside - inside if name in flat]


def test_dealers_get_no_network_report(odoo_server):
    period = published_period(odoo_server)
    for login in ("director01", "bookkeeper01"):
        response = download(odoo_server, login, period)
        assert response.status_code == 403, (login, response.status_code)
        assert not response.content.startswith(b"%PDF")
