"""Portal pages in real headless Chromium."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot, severe_console_errors


def browser_login(driver, server, login, password="demo"):
    driver.get(server.url + "/web/login")
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    code = server.latest_code(login)
    driver.find_element(By.NAME, "code").send_keys(code)
    driver.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda d: "/web/login" not in d.current_url)


def test_portal_user_logs_in_and_sees_home(browser, odoo_server):
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/home")
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_home")))
    home = browser.find_element(By.CSS_SELECTOR, ".o_prm_home")
    company = odoo_server.execute("admin", None, "res.users", "search_read",
                                  [("login", "=", "director01")],
                                  fields=["commercial_partner_id"])[0]
    assert company["commercial_partner_id"][1] in home.text
    screenshot(browser, "portal-home-director01-desktop")
    assert not severe_console_errors(browser)


@pytest.mark.parametrize("width", [375, 1280])
def test_director_sees_targets_page(browser, odoo_server, width):
    browser.set_window_size(width, 900)
    browser_login(browser, odoo_server, "director01")
    browser.get(odoo_server.url + "/my/targets")
    WebDriverWait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".o_prm_targets_table")))
    rows = browser.find_elements(By.CSS_SELECTOR, ".o_prm_targets_table tbody tr")
    assert len(rows) >= 3
    metrics = {row.get_attribute("data-metric") for row in rows}
    assert {"revenue", "machine_units", "service_revenue"} <= metrics
    # No horizontal scrolling of the page on a phone.
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    viewport = browser.execute_script("return window.innerWidth")
    assert page_width <= viewport
    screenshot(browser, "portal-targets-director01-%d" % width)
    assert not severe_console_errors(browser)
