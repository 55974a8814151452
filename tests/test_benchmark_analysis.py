"""The dealer's benchmark analysis: charts in Chromium, JSON data, XLSX export."""
import io
import json
import zipfile
from collections import Counter

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import screenshot, severe_console_errors
from .test_portal_browser import browser_login

STAT_KEYS = ("median", "q1", "q3", "top_quartile_mean")

# Charts with drawn marks (bars, lines, slices, bands), not just a
# "no data" text or an empty legend.
RENDERED_JS = """
return Array.prototype.filter.call(
    document.querySelectorAll('#o_prm_charts .o_prm_chart svg'),
    function (svg) {
        return svg.querySelector(
            '.nv-groups .nv-group rect, .nv-groups .nv-group path.nv-line, '
            + '.nv-pie .nv-slice path, rect.o_prm_bar, rect.o_prm_band, '
            + 'circle.o_prm_own') !== null;
    }).length;
"""


def rpc(session, server, path, **params):
    response = session.post(server.url + path, json={
        "jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "error" not in body, body["error"]
    return body["result"]


def own_partner(server, login):
    return server.execute("admin", None, "res.users", "search_read",
                          [("login", "=", login)],
                          fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]


def group_members(server):
    """``{group_id: {partner ids}}`` of all comparison groups."""
    members = server.execute("admin", None, "prm.benchmark.group.member",
                             "search_read", [], fields=["group_id", "partner_id"])
    result = {}
    for member in members:
        result.setdefault(member["group_id"][0], set()).add(member["partner_id"][0])
    return result


def chart_attr(driver, name):
    return driver.find_element(By.ID, "o_prm_charts").get_attribute(name)


def rendered(driver):
    return driver.execute_script(RENDERED_JS)


def lines_of(driver, chart):
    return len(driver.find_elements(
        By.CSS_SELECTOR,
        '.o_prm_chart[data-chart="%s"] .nv-linesWrap path.nv-line' % chart))


def table_cells(driver):
    """The KPI tables' cell texts, row by row."""
    return driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll("
        "'.o_prm_tables tr[data-kpi]'), function (row) {"
        " return Array.prototype.map.call(row.cells, function (cell) {"
        " return cell.textContent.replace(/\\s+/g, ' ').trim(); }).join('|'); });")


def wait_view(driver, attr, value, min_charts=15):
    """Wait until the charts show ``attr`` == value and are drawn again."""
    WebDriverWait(driver, 30).until(
        lambda d: chart_attr(d, attr) == str(value) and rendered(d) >= min_charts)


def switch_view(driver, select_id, attr, min_charts=15):
    """Choose another option of a view select; wait until it is drawn."""
    select = Select(driver.find_element(By.ID, select_id))
    current = chart_attr(driver, attr)
    other = [o.get_attribute("value") for o in select.options
             if o.get_attribute("value") != current][0]
    select.select_by_value(other)
    wait_view(driver, attr, other, min_charts)
    return select, other


def full_page_screenshot(driver, width, name):
    """The whole page (the window as tall as the page), then back to 900 px."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 150, 12000))
    screenshot(driver, name)
    driver.set_window_size(width, 900)


# --- Chromium ------------------------------------------------------------------

@pytest.mark.parametrize("width", [375, 1280])
def test_director_analysis_charts_in_chromium(browser, odoo_server, width):
    browser.set_window_size(width, 900)
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/benchmark")
    WebDriverWait(browser, 30).until(lambda d: rendered(d) >= 15)
    panels = browser.find_elements(By.CSS_SELECTOR, "#o_prm_charts .o_prm_chart")
    ids = [panel.get_attribute("data-chart") for panel in panels]
    assert len(set(ids)) == len(ids) >= 16
    assert rendered(browser) >= 15
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_chart_failed")
    for panel in panels:
        assert panel.find_element(By.CSS_SELECTOR, ".panel-title").text.strip()
    # the server-rendered tables are behind the "Tables" toggle
    assert not browser.find_element(By.CSS_SELECTOR, ".o_prm_tables").is_displayed()
    assert "period_id=" in browser.current_url, "the view is kept in the URL"
    full_page_screenshot(browser, width, "benchmark-analysis-%d" % width)

    # Another group, then another period (the open one: no own figures
    # yet); one request each, the charts are drawn again. The group comes
    # first: in the open period few dealers have submitted, so the
    # differencing rule may leave only the whole network to compare with.
    group, other_group = switch_view(browser, "o_prm_group", "data-group-id")
    # No own counted entry there: "give to get", no group statistics of
    # that period (fewer charts with data), and the page says why.
    period, other = switch_view(browser, "o_prm_period", "data-period-id",
                                min_charts=1)
    assert browser.find_element(
        By.CSS_SELECTOR, ".o_prm_give_to_get").text.strip()
    # A group hidden in the new period falls back to one that is offered.
    shown_group = chart_attr(browser, "data-group-id")
    assert shown_group in [o.get_attribute("value") for o in group.options]
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_analysis_error")
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_chart_failed")
    # A group of other dealers (option added by hand) is refused: an alert,
    # the selects show the view that is still displayed.
    own = own_partner(odoo_server, "director01")
    foreign = [g for g, partners in group_members(odoo_server).items()
               if own not in partners][0]
    browser.execute_script(
        "$('#o_prm_group').append($('<option/>').val(arguments[0]).text('x'));",
        foreign)
    group.select_by_value(str(foreign))
    alert = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".o_prm_analysis_error"))
    assert alert[0].text.strip()
    assert group.first_selected_option.get_attribute("value") == shown_group
    assert chart_attr(browser, "data-group-id") == shown_group
    export = browser.find_element(
        By.CSS_SELECTOR, "a.o_prm_export").get_attribute("href")
    assert "period_id=%s" % other in export and "group_id=%s" % shown_group in export

    # A legend entry switches its series off (and stays off when redrawn).
    chart = '.o_prm_chart[data-chart="trend_rev_total"]'
    before = lines_of(browser, "trend_rev_total")
    assert before >= 2
    entry = browser.find_element(By.CSS_SELECTOR, chart + " .nv-legend .nv-series")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", entry)
    entry.find_element(By.CSS_SELECTOR, "text").click()
    WebDriverWait(browser, 10).until(
        lambda d: lines_of(d, "trend_rev_total") == before - 1)
    assert browser.execute_script(
        "return d3.select(arguments[0]).datum().disabled;", entry) is True

    # Per employee and yearly views are drawn from the same data.
    count = int(chart_attr(browser, "data-render-count"))
    title = browser.find_element(By.CSS_SELECTOR, chart + " .panel-title").text
    browser.find_element(By.CSS_SELECTOR, "button[data-scale=per_employee]").click()
    wait_view(browser, "data-scale", "per_employee", min_charts=1)
    assert browser.find_element(By.CSS_SELECTOR, chart + " .panel-title").text != title
    browser.find_element(By.CSS_SELECTOR, "button[data-granularity=year]").click()
    wait_view(browser, "data-granularity", "year", min_charts=1)
    assert int(chart_attr(browser, "data-render-count")) == count + 2
    ticks = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll("
        "'.o_prm_chart[data-chart=mix_periods] .nv-x .tick text'),"
        " function (t) { return t.textContent; });")
    assert ticks and all("Q" not in tick for tick in ticks), ticks
    assert lines_of(browser, "trend_rev_total") == before - 1, "legend state kept"

    # Tables and charts toggle.
    browser.find_element(By.CSS_SELECTOR, "button[data-view=tables]").click()
    assert browser.find_element(By.CSS_SELECTOR, ".o_prm_tables").is_displayed()
    assert not browser.find_element(By.ID, "o_prm_charts").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "button[data-view=charts]").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "o_prm_charts").is_displayed())

    # A reload keeps the view; the tables refilled in the page are the
    # server's tables of that view.
    tables = table_cells(browser)
    browser.refresh()
    wait_view(browser, "data-period-id", other, min_charts=1)
    assert table_cells(browser) == tables and len(tables) >= 15
    assert chart_attr(browser, "data-group-id") == shown_group
    assert chart_attr(browser, "data-granularity") == "year"
    assert "active" in browser.find_element(
        By.CSS_SELECTOR, "button[data-scale=per_employee]").get_attribute("class")

    # No horizontal scrolling; the whole page in one screenshot.
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= browser.execute_script("return window.innerWidth")
    full_page_screenshot(
        browser, width, "benchmark-analysis-%d-open-period-year" % width)
    assert not severe_console_errors(browser)


# Marks drawn in a chart panel (lines, bars, bands, own dots).
MARKS = ("path.nv-line, .nv-groups .nv-group rect, rect.o_prm_band, "
         "rect.o_prm_bar, circle.o_prm_own")


def kpi_charts(driver, code):
    """``{chart id: number of drawn marks}`` of the panels that show ``code``."""
    panels = driver.find_elements(
        By.CSS_SELECTOR, '#o_prm_charts .o_prm_chart[data-kpis~="%s"]' % code)
    return {panel.get_attribute("data-chart"): len(
        panel.find_elements(By.CSS_SELECTOR, MARKS)) for panel in panels}


def test_renamed_kpi_keeps_its_charts_in_chromium(browser, odoo_server):
    """KPIs are records: a renamed code changes the charts, no JS knows it."""
    kpi = odoo_server.execute("admin", None, "prm.benchmark.kpi", "search_read",
                              [("code", "=", "dso")], fields=["id"])[0]["id"]
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/benchmark")
    WebDriverWait(browser, 30).until(lambda d: rendered(d) >= 15)
    before = kpi_charts(browser, "dso")
    assert len(before) >= 3 and all(before.values()), before
    odoo_server.execute("admin", None, "prm.benchmark.kpi", "write", [kpi],
                        {"code": "days_receivable"})
    try:
        browser.refresh()
        WebDriverWait(browser, 30).until(lambda d: rendered(d) >= 15)
        after = kpi_charts(browser, "days_receivable")
        assert not kpi_charts(browser, "dso")
        assert after == {chart.replace("dso", "days_receivable"): marks
                         for chart, marks in before.items()}
        assert not browser.find_elements(By.CSS_SELECTOR, ".o_prm_chart_failed")
    finally:
        odoo_server.execute("admin", None, "prm.benchmark.kpi", "write", [kpi],
                            {"code": "dso"})
    assert not severe_console_errors(browser)


# --- JSON data route -------------------------------------------------------------

def test_director_gets_own_data_and_no_other_dealer(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    assert len(data["kpis"]) >= 15
    assert data["labels"]["withheld"] and data["groups"]
    codes = {kpi["code"] for kpi in data["kpis"]}
    assert {"rev_total", "gross_margin", "stock_turnover", "dso"} <= codes
    assert [p["id"] for p in data["periods"]][-1] == data["period"]["id"]
    own = own_partner(odoo_server, "director01")
    dealers = odoo_server.execute("admin", None, "res.partner", "search_read",
                                  [("prm_is_dealer", "=", True)], fields=["name"])
    text = json.dumps(data, ensure_ascii=False)
    own_name = [d["name"] for d in dealers if d["id"] == own][0]
    assert data["dealer"] == own_name
    leaked = [d["name"] for d in dealers if d["id"] != own and d["name"] in text]
    assert not leaked


def test_bookkeeper_has_no_analysis(odoo_server):
    session = odoo_server.web_login("bookkeeper01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    assert set(data) == {"error"} and data["error"]
    assert session.get(odoo_server.url + "/my/benchmark").status_code == 403
    export = session.get(odoo_server.url + "/my/benchmark/export.xlsx")
    assert export.status_code == 403
    assert not export.content.startswith(b"PK")


def test_group_of_other_dealers_is_refused(odoo_server):
    own = own_partner(odoo_server, "director01")
    foreign = sorted(g for g, partners in group_members(odoo_server).items()
                     if own not in partners)
    assert foreign, "demo data: director01 is not in every group"
    session = odoo_server.web_login("director01", "demo")
    mine = rpc(session, odoo_server, "/my/benchmark/data")
    for group_id in foreign:
        refused = rpc(session, odoo_server, "/my/benchmark/data",
                      period_id=mine["period"]["id"], group_id=group_id)
        assert set(refused) == {"error"}, group_id
    export = session.get(odoo_server.url + "/my/benchmark/export.xlsx", params={
        "period_id": mine["period"]["id"], "group_id": foreign[0]})
    # A group the dealer cannot see is not found, as any other foreign id.
    assert export.status_code == 404
    assert rpc(session, odoo_server, "/my/benchmark/data",
               group_id="1 OR 1=1") == {"error": refused["error"]}


def small_group_director(server):
    """A managing director in the smallest group that is still shown."""
    members = group_members(server)
    sizes = Counter({group: len(partners) for group, partners in members.items()})
    group = min((g for g, n in sizes.items() if n >= 5), key=sizes.get)
    users = server.execute("admin", None, "res.users", "search_read",
                           [("login", "=like", "director%"),
                            ("commercial_partner_id", "in", sorted(members[group]))],
                           fields=["login"], order="login")
    return users[0]["login"]


def all_views(server, session):
    """The data of every (period, group) the dealer may look at."""
    first = rpc(session, server, "/my/benchmark/data")
    periods = server.execute("admin", None, "prm.benchmark.period", "search",
                             [], order="date_start desc", limit=16)
    for period_id in periods:
        for group in first["groups"]:
            data = rpc(session, server, "/my/benchmark/data",
                       period_id=period_id, group_id=group["id"])
            if "error" not in data:
                yield data


def test_withheld_statistics_are_null(odoo_server):
    session = odoo_server.web_login(small_group_director(odoo_server), "demo")
    withheld = small = 0
    for data in all_views(odoo_server, session):
        for kpi in data["kpis"]:
            stats = kpi["stats"]
            # Extremes are never sent, whatever the group size (issue 16).
            assert "min" not in stats and "max" not in stats, kpi
            if stats["withheld"]:
                withheld += 1
                assert all(stats[key] is None for key in STAT_KEYS), kpi
                assert stats["count"] is None, kpi
            elif stats["count"] is not None and stats["count"] < 10:
                small += 1
                assert stats["median"] is not None or kpi["withheld_fields"][
                    "median"] == "protect_other_firms", kpi
            if stats["count"] is None or stats["count"] < 10:
                assert kpi["code"] not in data["distribution"], kpi
    assert withheld and small, "the demo data has withheld and small statistics"


def test_withheld_kpi_has_no_rank(odoo_server):
    session = odoo_server.web_login(small_group_director(odoo_server), "demo")
    for data in all_views(odoo_server, session):
        for kpi in data["kpis"]:
            if kpi["stats"]["withheld"]:
                assert kpi["rank"] is None and kpi["of"] is None, kpi
                assert kpi["percentile"] is None, kpi


# --- XLSX export -----------------------------------------------------------------

def test_director_exports_xlsx(odoo_server):
    session = odoo_server.web_login("director01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    response = session.get(odoo_server.url + "/my/benchmark/export.xlsx", params={
        "period_id": data["period"]["id"], "group_id": data["group"]["id"]})
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["Content-Type"]
    assert "attachment" in response.headers.get("Content-Disposition", "")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "xl/charts/chart1.xml" in names
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheets = {}
    for section in data["sections"]:
        names = [n for n in book.sheetnames if n.startswith(section["label"][:25])]
        assert names, (section["label"], book.sheetnames)
        sheets[section["key"]] = book[names[0]]
    kpi = [k for k in data["kpis"] if k["code"] == "rev_total"][0]
    sheet = sheets[kpi["section"]]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == kpi["name"]]
    assert rows, "KPI row in the section sheet"
    assert rows[0][2] == pytest.approx(kpi["own"])
