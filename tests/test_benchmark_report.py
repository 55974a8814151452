"""The participant report (issue 19): a real server renders the PDF with
wkhtmltopdf; pdftotext reads it back and compares with the page's data."""
import io
import json
import re
import subprocess

from PyPDF2 import PdfFileReader

from .test_benchmark_analysis import (
    all_views, group_members, own_partner, rpc, small_group_director)

REPORT = "/my/benchmark/report.pdf"
CORE = "/report/pdf/prm_benchmark.report_participant/%d"


def pdf_text(content):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def download(server, session, data):
    response = session.get(server.url + REPORT, params={
        "period_id": data["period"]["id"], "group_id": data["group"]["id"]},
        timeout=180)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers.get("Content-Disposition", "")
    assert response.content.startswith(b"%PDF-")
    return response.content


def numeric_cells(kpi):
    """The row's formatted cells with a digit, in the table's order."""
    keys = ["own", "change"] + ([] if kpi["stats"]["withheld"] else [
        "q1", "median", "q3", "top_quartile_mean", "rank"]) + ["count"]
    return [kpi["cells"][key] for key in keys
            if re.search(r"\d", kpi["cells"][key] or "")]


def table_lines(text, kpi):
    """The report's lines starting with ``kpi``'s name (or its first words,
    when the name wraps in the table): its table row among them."""
    assert not re.search(r"\d", kpi["name"]), "names hold no numbers"
    start = kpi["name"].split()[0]
    lines = [line for line in text.splitlines()
             if line.strip().startswith(start)]
    assert lines, kpi["name"]
    return lines


def numbers_of(line):
    return re.findall(r"[-+]?\d[\d.,]*(?: %)?", line)


def own_entry(server, login, period_id):
    partner = own_partner(server, login)
    return server.execute("admin", None, "prm.benchmark.entry", "search",
                          [("partner_id", "=", partner),
                           ("period_id", "=", period_id)])


def vector_operators(content):
    """Curve operators (``c``) over all pages: table borders are lines and
    rectangles, the charts' markers and the SVG glyphs are curves."""
    reader = PdfFileReader(io.BytesIO(content))
    total = 0
    for index in range(reader.getNumPages()):
        # A page's /Contents is one stream or an array of streams (the
        # stamped footer is a stream of its own).
        contents = reader.getPage(index)["/Contents"].getObject()
        parts = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(part.getObject().getData() for part in parts)
        total += len(re.findall(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ [\d.]+ [\d.]+ c\b",
                                data))
    return total


def test_director_report_numbers_equal_the_page(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    content = download(odoo_server, session, data)
    reader = PdfFileReader(io.BytesIO(content))
    assert reader.getNumPages() >= 5
    text = pdf_text(content)
    pages = text.split("\f")
    assert "Seite 1 von %d" % reader.getNumPages() in pages[0] or \
        "Page 1 of %d" % reader.getNumPages() in pages[0]
    assert data["dealer"] in pages[0] and data["group"]["name"] in pages[0]
    compared = 0
    for kpi in data["kpis"]:
        cells = numeric_cells(kpi)
        expected = [number for cell in cells for number in numbers_of(cell)]
        # A line with exactly the page's numbers, in the page's order.
        lines = table_lines(text, kpi)
        assert expected in [numbers_of(line) for line in lines], (
            kpi["name"], expected, lines)
        compared += len(cells)
    assert compared > 3 * len(data["kpis"])
    # Charts drawn on the server: vector paths (curves) in the pages.
    assert vector_operators(content) > 200


def test_report_says_the_summary_in_sentences_from_the_numbers(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    text = " ".join(pdf_text(download(odoo_server, session, data)).split())
    compared = [k for k in data["kpis"] if k["own"] is not None and
                k["stats"]["median"] and k["own"] != k["stats"]["median"]]
    assert compared
    said = [k for k in compared if re.search(
        re.escape(k["name"]) + r": (Ihr Wert liegt|your value is) [^.]*?"
        r"(Median der Gruppe|group median) \(" + re.escape(
            k["cells"]["median"]), text)]
    assert said, "no summary sentence with a KPI's median"


def test_no_report_for_bookkeeper_anonymous_or_forged_ids(odoo_server):
    server = odoo_server
    director = server.web_login("director01", "demo")
    data = rpc(director, server, "/my/benchmark/data")
    params = {"period_id": data["period"]["id"], "group_id": data["group"]["id"]}
    bookkeeper = server.web_login("bookkeeper01", "demo")
    refused = bookkeeper.get(server.url + REPORT, params=params)
    assert refused.status_code == 403 and not refused.content.startswith(b"%PDF")
    anonymous = server.session().get(server.url + REPORT, params=params)
    assert "/web/login" in anonymous.url
    assert not anonymous.content.startswith(b"%PDF")
    other = server.web_login("director02", "demo")
    other_data = rpc(other, server, "/my/benchmark/data")
    own = own_partner(server, "director01")
    foreign = sorted(g for g, partners in group_members(server).items()
                     if own not in partners)
    forged = director.get(server.url + REPORT, params=dict(
        params, group_id=foreign[0]))
    assert forged.status_code == 404 and not forged.content.startswith(b"%PDF")
    # Odoo's own report route with the entry id: the report model checks too.
    entry = own_entry(server, "director01", data["period"]["id"])
    foreign_entry = own_entry(server, "director02", other_data["period"]["id"])
    assert entry and foreign_entry
    for session, entry_id, options in [
            (director, foreign_entry[0], {}),
            (director, entry[0], {"group_id": foreign[0]}),
            (bookkeeper, entry[0], {}),
            (other, entry[0], {})]:
        response = session.get(server.url + CORE % entry_id,
                               params={"options": json.dumps(options)})
        assert response.status_code in (403, 404), response.status_code
        assert not response.content.startswith(b"%PDF")
    # Head office prints it in the backend (the report action on the entry).
    manager = server.web_login("prm.manager", "demo")
    printed = manager.get(server.url + CORE % foreign_entry[0], timeout=180)
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF-")
    assert other_data["dealer"] in pdf_text(printed.content)


def test_withheld_statistics_are_absent_from_the_report(odoo_server):
    server = odoo_server
    login = small_group_director(server)
    session = server.web_login(login, "demo")
    views = [data for data in all_views(server, session)
             if any(k["stats"]["withheld"] for k in data["kpis"])]
    assert views, "demo data: a view with withheld statistics"
    data = views[0]
    text = pdf_text(download(server, session, data))
    withheld = [k for k in data["kpis"] if k["stats"]["withheld"]]
    assert withheld
    for kpi in withheld:
        expected = [number for cell in numeric_cells(kpi)
                    for number in numbers_of(cell)]
        # Own value and change, the withheld label and no group number.
        rows = [line for line in table_lines(text, kpi)
                if numbers_of(line) == expected]
        assert rows, (kpi["name"], expected, table_lines(text, kpi))
        assert data["labels"]["withheld"] in rows[0], rows[0]
    # A comparison group under the anonymity minimum: no report at all.
    partner = own_partner(server, login)
    others = [p for p in sorted(set.union(*group_members(server).values()))
              if p != partner][:2]
    group = server.execute("admin", None, "prm.benchmark.group", "create", {
        "name": "Report test: too small", "min_group_size": 5,
        "kind": "explicit",
        "explicit_partner_ids": [(6, 0, [partner] + others)]})
    assert partner in group_members(server)[group]
    try:
        small = session.get(server.url + REPORT, params={
            "period_id": data["period"]["id"], "group_id": group})
        assert small.status_code == 404 and not small.content.startswith(b"%PDF")
    finally:
        server.execute("admin", None, "prm.benchmark.group", "unlink", [group])


def test_head_office_sends_the_period_and_sees_who_opened_the_link(odoo_server):
    server = odoo_server
    period = server.execute("admin", None, "prm.benchmark.period", "search_read",
                            [("state", "=", "published")], fields=["name"],
                            order="date_start desc", limit=1)[0]
    # Head office's button (admin is head office); a second press mails
    # nobody twice.
    server.execute("admin", None, "prm.benchmark.period", "action_send_reports",
                   [period["id"]])
    server.execute("admin", None, "prm.benchmark.period", "action_send_reports",
                   [period["id"]])
    dispatches = server.execute(
        "admin", None, "prm.benchmark.report.dispatch", "search_read",
        [("period_id", "=", period["id"])],
        fields=["partner_id", "user_id", "state", "token", "mail_id"])
    counted = {e["partner_id"][0] for e in server.execute(
        "admin", None, "prm.benchmark.entry", "search_read",
        [("period_id", "=", period["id"]), ("state", "in", ["submitted", "checked"])],
        fields=["partner_id"])}
    assert {d["partner_id"][0] for d in dispatches} == counted
    assert len(counted) >= 30
    users = [d["user_id"][0] for d in dispatches]
    assert len(users) == len(set(users))
    mine = [d for d in dispatches if d["state"] != "opened"][0]
    link = server.session().get(
        server.url + "/my/benchmark/report/open/" + mine["token"])
    assert "/web/login" in link.url and "period_id" in link.url
    assert server.execute("admin", None, "prm.benchmark.report.dispatch", "read",
                          [mine["id"]], ["state"])[0]["state"] == "opened"
