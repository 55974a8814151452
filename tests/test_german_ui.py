"""German throughout: every portal page rendered in Chromium shows no English UI.

The pages are drawn in headless Chromium as a German dealer's director and
bookkeeper and, for the public pages, as an anonymous visitor whose browser
asks for English (``Accept-Language: en-US``). After the page's JavaScript
has drawn, the visible text (``document.body.innerText``), the texts of
hidden menus and select options and the ``placeholder``/``title``/
``aria-label``/``alt`` attributes are collected and checked against a list of
English words that are not also German words. Proper names (dealer names,
product names, KPI codes) never use these words, so the list needs no
per-name allow list; ``ALLOWED`` holds the few phrases that are German
usage.
"""
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import screenshot
from .test_benchmark_analysis import rendered

# English words that are not German words (lower case). "in", "an", "so",
# "also", "was", "will", "man", "die", "name", "status", "code", "filter",
# "export", "trend", "position", "median", "total", "start", "team", "per",
# "index", "details", "lead(s)" and "login" are German too: not listed.
ENGLISH = set("""
the and of to your you by with for from is are not this that these those
at on or be been has have here there which when where what who how
please thank thanks welcome sorry back next previous more less show hide
log sign signed out up powered password email reset forgot
account home phone street city country zip mobile save saved cancel
send sent submit verify resend trust device devices confirm edit delete new
open close closed loading error warning search sort group by
forwarded forward reaction reactions first last reached target
targets actual actuals revenue currency employee employees margin gross
profit centre center mix line lines over time quarter quarters year years
period periods higher lower better worse cut off average value values
chart charts table tables entry entries enter messages message channel
channels post posted download upload yes date dates stage pending won lost
contacted quote rating comment comments stars choose nothing found none
only all any each every own none members member dealer dealers network
territory benchmark analysis exchange your yours documents document
contract contracts invoices orders quotations units unit
customer customers inquiry inquiries feedback received answer answered
read write update updated submitted draft locked released overview
""".split())

# Phrases in German use that contain a listed word (checked in lower case).
ALLOWED = [
    "e-mail",
    "isle of man",     # the country's German name in Odoo's list
    "betriebsvergleich",
    "pdf",
    "xlsx",
]

# Whole words only: not the letters inside tokens such as "6c24be1b" (ids).
WORD = re.compile(r"(?<![0-9A-Za-zÄÖÜäöüß])[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*"
                  r"(?![0-9A-Za-zÄÖÜäöüß])")

COLLECT_JS = """
var texts = [document.body.innerText];
var selectors = ['[placeholder]', '[title]', '[aria-label]', 'img[alt]'];
var attrs = ['placeholder', 'title', 'aria-label', 'alt'];
attrs.forEach(function (attr, i) {
    document.querySelectorAll(selectors[i]).forEach(function (node) {
        texts.push(node.getAttribute(attr));
    });
});
document.querySelectorAll('option, .dropdown-menu a, input[type=submit]')
    .forEach(function (node) {
        texts.push(node.value && node.tagName === 'INPUT'
                   ? node.value : node.textContent);
    });
return texts.join('\\n');
"""


def english_words(text):
    """The English words of ``text`` with their line, e.g. ``["Send: 'Send'"]``."""
    found = []
    for line in text.splitlines():
        if "<" in line and ">" in line:
            # Markup shown as text is what a user typed (e.g. another test's
            # hostile exchange message), not UI text of ours.
            continue
        lowered = line.lower()
        for phrase in ALLOWED:
            lowered = lowered.replace(phrase, " ")
        words = [w for w in WORD.findall(lowered) if w in ENGLISH]
        if words:
            found.append("%s: %r" % (",".join(words), line.strip()[:120]))
    return found


def page_english(driver):
    return english_words(driver.execute_script(COLLECT_JS))


def check_page(driver, failures, label):
    found = page_english(driver)
    if found:
        failures[label] = found
        screenshot(driver, "german-ui-%s" % re.sub(r"\W+", "-", label).strip("-"))


def wait_ready(driver, selector=None, condition=None):
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    if selector:
        WebDriverWait(driver, 30).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
    if condition:
        WebDriverWait(driver, 30).until(condition)


def test_english_word_heuristic():
    assert english_words("Forwarded on\nWeitergeleitet am") == [
        "forwarded,on: 'Forwarded on'"]
    assert not english_words("E-Mail an den Betriebsvergleich, PDF und XLSX")
    assert english_words("Senden | Send") == ["send: 'Senden | Send'"]


def lead_of(server, login):
    partner = server.execute("admin", None, "res.users", "search_read",
                             [("login", "=", login)],
                             fields=["commercial_partner_id"])[0][
        "commercial_partner_id"][0]
    return server.execute("admin", None, "crm.lead", "search",
                          [("partner_assigned_id", "=", partner)], limit=1)[0]


@pytest.mark.parametrize("login", ["director07", "bookkeeper07"])
def test_portal_pages_are_german(browser, odoo_server, login):
    failures = {}
    # The code page, reached while signing in.
    browser.get(odoo_server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys("demo")
    browser.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    check_page(browser, failures, "%s /web/login/2fa" % login)
    browser.find_element(By.NAME, "code").send_keys(odoo_server.latest_code(login))
    browser.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: "/web/login" not in d.current_url)
    pages = [
        ("/my", None, None),
        ("/my/home", None, None),
        ("/my/account", None, None),
        ("/my/targets", None, None),
        ("/my/leads", None, None),
        ("/my/leads/%d" % lead_of(odoo_server, login), None, None),
        ("/my/benchmark/entry", None, None),
        ("/my/exchange", None, None),
        ("/my/security", None, None),
        ("/my/scorecard", None, None),
        ("/my/documents", None, None),
        ("/my/news", None, None),
        ("/my/notifications", None, None),
    ]
    if login.startswith("director"):
        pages.append(("/my/benchmark", None, lambda d: rendered(d) >= 15))
    for path, selector, condition in pages:
        browser.get(odoo_server.url + path)
        wait_ready(browser, selector, condition)
        check_page(browser, failures, "%s %s" % (login, path))
    # A conversation of the exchange, drawn by its JavaScript.
    browser.get(odoo_server.url + "/my/exchange")
    channels = browser.find_elements(By.CSS_SELECTOR, ".o_prm_exchange_channel")
    if channels:
        channels[0].click()
        wait_ready(browser, ".o_prm_exchange_thread")
        check_page(browser, failures, "%s exchange thread" % login)
    assert not failures, "English UI text:\n" + "\n".join(
        "%s\n    %s" % (page, "\n    ".join(found))
        for page, found in failures.items())


@pytest.fixture
def english_browser():
    """A Chromium whose browser asks for English (Accept-Language en-US)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--lang=en-US",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(executable_path="/usr/bin/chromedriver",
                              options=options)
    driver.set_page_load_timeout(120)
    driver.set_window_size(1280, 900)
    yield driver
    driver.quit()


def test_public_pages_are_german_for_english_browsers(english_browser, odoo_server):
    driver = english_browser
    assert driver.execute_script("return navigator.language").startswith("en")
    from .test_leads import feedback_link

    _lead, feedback = feedback_link(odoo_server, "director08")
    failures = {}
    # The reset page exists only where the operator enables it.
    reset = odoo_server.execute("admin", None, "ir.config_parameter", "get_param",
                                "auth_signup.reset_password")
    odoo_server.execute("admin", None, "ir.config_parameter", "set_param",
                        "auth_signup.reset_password", "True")
    try:
        for path in ("/web/login", "/web/reset_password",
                     "/prm/feedback/%s" % feedback["token"]):
            driver.get(odoo_server.url + path)
            wait_ready(driver)
            check_page(driver, failures, "anonymous %s" % path)
    finally:
        odoo_server.execute("admin", None, "ir.config_parameter", "set_param",
                            "auth_signup.reset_password", reset or "False")
    # The code page as well, for a user who signs in from that browser.
    driver.get(odoo_server.url + "/web/login")
    driver.find_element(By.NAME, "login").send_keys("director08")
    driver.find_element(By.NAME, "password").send_keys("demo")
    driver.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda d: "/web/login/2fa" in d.current_url)
    check_page(driver, failures, "en-US browser /web/login/2fa")
    assert not failures, "English UI text:\n" + "\n".join(
        "%s\n    %s" % (page, "\n    ".join(found))
        for page, found in failures.items())


def test_login_page_asks_for_user_name_and_shows_operator(
        english_browser, odoo_server):
    driver = english_browser
    driver.get(odoo_server.url + "/web/login")
    wait_ready(driver)
    text = driver.find_element(By.TAG_NAME, "body").text
    assert "Benutzername" in text
    assert "Powered by" not in text and "Odoo" not in text
    company = odoo_server.execute("admin", None, "res.company", "search_read",
                                  [], fields=["name"], limit=1)[0]["name"]
    assert "Your" not in company and "My Company" not in company
    logo = driver.find_element(By.CSS_SELECTOR, "img[src*='company_logo']")
    assert logo.get_attribute("alt") == company
    # A logo of its own, not Odoo's "Your logo" placeholder.
    assert driver.execute_script(
        "return arguments[0].naturalWidth", logo) > 0
    assert odoo_server.execute("admin", None, "res.company", "search_read",
                               [], fields=["logo"], limit=1)[0]["logo"]


def test_demo_dealers_and_new_dealers_are_german(odoo_server):
    # the demo network (other tests add dealers and users of other languages)
    demo = [row["res_id"] for row in odoo_server.execute(
        "admin", None, "ir.model.data", "search_read",
        [("module", "=", "prm_demo"), ("model", "=", "res.partner"),
         ("name", "=like", "demo_dealer%")], fields=["res_id"])]
    dealers = odoo_server.execute(
        "admin", None, "res.partner", "search_read",
        [("prm_is_dealer", "=", True), ("is_company", "=", True),
         ("id", "in", demo)], fields=["lang"])
    assert dealers and {dealer["lang"] for dealer in dealers} == {"de_DE"}
    users = odoo_server.execute(
        "admin", None, "res.users", "search_read",
        # demo logins (director07); users invited by tests log in by e-mail
        [("partner_id.commercial_partner_id", "in", demo),
         ("login", "not like", "@")], fields=["lang"])
    assert users and {user["lang"] for user in users} == {"de_DE"}
    # A new dealer gets the operator's default language (ir.default).
    new = odoo_server.execute("admin", None, "res.partner", "create", {
        "name": "T Neuer Händler GmbH", "is_company": True, "prm_is_dealer": True})
    try:
        assert odoo_server.execute("admin", None, "res.partner", "read", [new],
                                   fields=["lang"])[0]["lang"] == "de_DE"
    finally:
        odoo_server.execute("admin", None, "res.partner", "unlink", [new])
