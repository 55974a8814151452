"""Fixtures for system tests: a real Odoo server, HTTP clients, Chromium."""
import os
import re

import odoo.tests  # noqa: F401 (pytest-odoo needs it loaded for its registry fixture)
import pytest

from .odoo_server import ROOT, OdooServer

ARTIFACTS = os.path.join(ROOT, "artifacts")


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(path, parent):
    """Collect system tests as plain modules.

    pytest-odoo imports every test module as ``odoo.addons.<name>``; these
    tests are not an addon, they talk to a server over HTTP.
    """
    if path.basename == "__init__.py":
        return pytest.Package(path, parent)
    return pytest.Module(path, parent)


@pytest.fixture(scope="session")
def odoo_server():
    server = OdooServer(os.environ.get("PRM_TEST_DB", "prm_test"), name="main")
    server.start()
    # Most tests sign in many times in a row as the same user: no resend
    # cooldown or hourly limit there. The 2FA tests set their own limits.
    server.set_2fa_params(resend_cooldown_seconds="0", max_sends_per_hour="100000",
                          lockout_after_failures="100000")
    # The tests sign in from 127.0.0.1 hundreds of times an hour; the password
    # throttle is tested from other loopback addresses (test_password_throttle).
    server.execute("admin", None, "ir.config_parameter", "set_param",
                   "auth_brute_force.whitelist_remotes", "127.0.0.1")
    yield server
    server.stop()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "expected_log(pattern): a server log problem this test provokes")
    config.addinivalue_line(
        "markers", "faults: slow fault tests (private PostgreSQL cluster, "
        "prefork server); they run in make test too")


@pytest.fixture(autouse=True)
def server_log_stays_clean(request):
    """Fail the test during which the server logged an error (e.g. a 500).

    A test that provokes a logged warning on purpose names it with
    ``@pytest.mark.expected_log("regex")``.
    """
    if "odoo_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("odoo_server")
    expected = [re.compile(mark.args[0])
                for mark in request.node.iter_markers("expected_log")]
    before = len(server.log_problems())
    yield
    problems = [line for line in server.log_problems()[before:]
                if not any(pattern.search(line) for pattern in expected)]
    assert not problems, "server log has errors:\n" + "\n".join(problems[:20])


@pytest.fixture(scope="session")
def chrome_driver():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        executable_path="/usr/bin/chromedriver", options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def leave_page(driver):
    """Leaves the current page for an empty one.

    Odoo 11 sets the session cookie on every response. A request the page
    still had under way (the bus long poll, ``/website/translations``) that
    answered after the test changed the cookies set the old session again
    (CI run of 72a8060: the director's page was opened with the invitee's
    session). An empty page has no requests under way."""
    driver.get("about:blank")


def clear_session(driver):
    """Signs the browser out without a request: leaves the page, then
    deletes every cookie of the browser (DevTools; WebDriver's own delete
    reaches only the cookies of the page shown)."""
    leave_page(driver)
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


def use_cookies(driver, cookies, url):
    """Switches the browser to a session saved with ``get_cookies()`` for
    the server at ``url``."""
    clear_session(driver)
    for cookie in cookies:
        driver.execute_cdp_cmd("Network.setCookie", {
            "url": url, "name": cookie["name"], "value": cookie["value"],
            "path": cookie.get("path", "/")})


@pytest.fixture
def browser(chrome_driver):
    """The shared Chromium with cookies cleared, at desktop width, and its
    console log emptied (a test reads only the console errors of its own
    pages, not those a test before it provoked on purpose)."""
    clear_session(chrome_driver)
    chrome_driver.set_window_size(1280, 900)
    chrome_driver.get_log("browser")
    yield chrome_driver
    clear_session(chrome_driver)


def screenshot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, "%s.png" % name)
    driver.save_screenshot(path)
    return path


def severe_console_errors(driver, allowed_status=()):
    """SEVERE browser console entries (JavaScript errors, failed loads).

    ``allowed_status``: HTTP statuses a test provokes on purpose (e.g. 400
    for a form shown again with validation errors).
    """
    allowed = ["status of %d" % status for status in allowed_status]
    return [entry for entry in driver.get_log("browser")
            if entry.get("level") == "SEVERE"
            and "favicon" not in entry.get("message", "")
            and not any(text in entry.get("message", "") for text in allowed)]
