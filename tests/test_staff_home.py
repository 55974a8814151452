"""Issue 22: the supplier-side start page and the dealer scorecard (real
server, Chromium, wkhtmltopdf)."""
import re

from lxml import html
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot, severe_console_errors
from .test_benchmark_analysis import rpc
from .test_benchmark_report import pdf_text
from .test_portal_browser import browser_login

TILE = ".o_prm_home_tile"


def tile_counts(server, login):
    """{tile name: count} of the user's start page, over RPC as the user."""
    tiles = server.execute(login, None, "prm.home.tile", "search_read", [],
                           fields=["name", "count", "model_name"],
                           context={"lang": "de_DE"})
    return {tile["name"]: tile for tile in tiles}


def test_territory_manager_lands_on_his_start_page_and_opens_a_tile(
        browser, odoo_server):
    browser_login(browser, odoo_server, "tm.nord")
    # no URL of our own: the web client opens the user's home action
    browser.get(odoo_server.url + "/web")
    try:
        WebDriverWait(browser, 90).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, TILE)))
    finally:
        screenshot(browser, "staff-home-tm-nord")
    tiles = {tile.find_element(By.CSS_SELECTOR, ".o_kanban_record_title").text
             .strip(): tile for tile in browser.find_elements(By.CSS_SELECTOR, TILE)}
    # German start page of his role, no warranty-only or marketing-only tile
    assert "Händler und Zielerreichung" in tiles
    assert "Leads über ihrer Antwortfrist" in tiles
    assert "Offene Garantiefälle" in tiles
    assert "Leads ohne Reaktion des Händlers" not in tiles
    counts = tile_counts(odoo_server, "tm.nord")
    dealers = counts["Händler und Zielerreichung"]
    shown = tiles["Händler und Zielerreichung"].find_element(
        By.CSS_SELECTOR, ".o_prm_home_tile_count").text
    assert shown == str(dealers["count"]) and dealers["count"] > 0
    tiles["Händler und Zielerreichung"].find_element(
        By.CSS_SELECTOR, ".o_prm_home_tile_open").click()
    try:
        WebDriverWait(browser, 60).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_list_view .o_data_row")))
    finally:
        screenshot(browser, "staff-home-tm-nord-dealers")
    breadcrumb = browser.find_element(By.CSS_SELECTOR, ".o_control_panel .breadcrumb")
    assert "Händler und Zielerreichung" in breadcrumb.text
    pager = browser.find_element(By.CSS_SELECTOR, ".o_pager_limit").text
    assert pager == str(dealers["count"])
    # only his territory's dealers: the same list head office sees is longer
    network = tile_counts(odoo_server, "admin")["Händler und Zielerreichung"]
    assert network["count"] > dealers["count"]
    assert not severe_console_errors(browser)


def test_dealer_form_smart_buttons_carry_labels(browser, odoo_server):
    dealer = odoo_server.execute(
        "tm.nord", None, "res.partner", "search",
        [("prm_is_dealer", "=", True), ("prm_state", "=", "active")], limit=1)[0]
    browser_login(browser, odoo_server, "tm.nord")
    browser.get(odoo_server.url + "/web#model=res.partner&view_type=form&id=%d"
                % dealer)
    try:
        WebDriverWait(browser, 90).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_form_view .oe_stat_button")))
    finally:
        screenshot(browser, "staff-home-dealer-form-buttons")
    buttons = [button for button in browser.find_elements(
        By.CSS_SELECTOR, ".o_form_view .oe_button_box .oe_stat_button")
        if button.is_displayed()]
    assert buttons
    for button in buttons:
        texts = [el.text.strip() for el in button.find_elements(
            By.CSS_SELECTOR, ".o_stat_text") if el.text.strip()]
        assert texts, "stat button without a label: %r" % button.text
    # the labels are shown whole, not cut to "Zielerreichu…"
    cut = browser.execute_script("""
        return Array.from(document.querySelectorAll(
            '.o_form_view .oe_stat_button .o_stat_text'))
          .filter(el => el.offsetParent !== null
                  && el.closest('[class*=o_prm_stat_]')
                  && el.scrollWidth > el.clientWidth)
          .map(el => el.textContent);""")
    assert cut == []
    labels = " ".join(button.text for button in buttons)
    for german in ("vom Ziel", "Offene Fälle", "Leads", "Aktivitäten",
                   "Garantiefälle"):
        assert german in labels, labels
    # the unit stands next to the number
    attainment = browser.find_element(
        By.CSS_SELECTOR, ".o_prm_stat_attainment .o_stat_value").text
    assert re.match(r"^-?[\d.]+(,\d+)? %$", attainment), attainment
    assert not severe_console_errors(browser)


def test_director_opens_his_scorecard(browser, odoo_server):
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/home")
    WebDriverWait(browser, 60).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_prm_home_scorecard a")))
    browser.find_element(By.CSS_SELECTOR, ".o_prm_home_scorecard a").click()
    try:
        WebDriverWait(browser, 60).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_prm_scorecard")))
    finally:
        screenshot(browser, "staff-home-scorecard-director01")
    page = browser.find_element(By.CSS_SELECTOR, ".o_prm_scorecard").text
    for title in ("Ziele und Zielerreichung", "Position im Betriebsvergleich",
                  "Leads und Antwortzeiten", "Garantiefälle",
                  "Kundenzufriedenheit"):
        assert title in page
    assert not severe_console_errors(browser)


def scorecard_benchmark(server, session):
    page = html.fromstring(session.get(server.url + "/my/scorecard",
                                       timeout=120).text)
    rows = page.xpath("//div[contains(@class, 'o_prm_scorecard_benchmark')]"
                      "//tbody/tr")
    return [[cell.text_content().strip() for cell in row.xpath("td")]
            for row in rows]


def test_scorecard_benchmark_is_the_dealers_released_view(odoo_server):
    """Same origin as /my/benchmark: the default view's cells, nothing more."""
    session = odoo_server.web_login("director01", "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data")
    rows = scorecard_benchmark(odoo_server, session)
    assert len(rows) == len(data["kpis"]) > 0
    for row, kpi in zip(rows, data["kpis"]):
        assert row[1:] == [kpi["cells"]["own"], kpi["cells"]["median"],
                           kpi["cells"]["rank"], kpi["cells"]["change"]]


def test_scorecard_only_for_directors(odoo_server):
    for login in ("bookkeeper01",):
        session = odoo_server.web_login(login, "demo")
        response = session.get(odoo_server.url + "/my/scorecard", timeout=60)
        assert response.status_code == 403
        assert "o_prm_scorecard" not in response.text


def test_printable_scorecard_in_german(odoo_server):
    dealer = odoo_server.execute(
        "tm.nord", None, "res.partner", "search",
        [("prm_is_dealer", "=", True), ("prm_state", "=", "active")], limit=1)[0]
    session = odoo_server.web_login("tm.nord", "demo")
    response = session.get(
        odoo_server.url + "/report/pdf/prm_staff_home.report_scorecard/%d"
        % dealer, timeout=180)
    assert response.status_code == 200, response.text[:300]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Scorecard von" in text and "Ziele und Zielerreichung" in text
    # a dealer of another territory: refused
    other = odoo_server.execute(
        "admin", None, "res.partner", "search",
        [("prm_is_dealer", "=", True),
         ("id", "not in", odoo_server.execute(
             "tm.nord", None, "res.partner", "search",
             [("prm_is_dealer", "=", True)]))], limit=1)[0]
    refused = session.get(
        odoo_server.url + "/report/pdf/prm_staff_home.report_scorecard/%d"
        % other, timeout=180)
    assert refused.status_code != 200 or not refused.content.startswith(b"%PDF-")
