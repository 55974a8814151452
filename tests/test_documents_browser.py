"""Documents in Chromium (issue 22): head office publishes a document in the
backend; a director of the audience sees it unread on /my/documents,
downloads it and it turns read; a director outside the audience sees
nothing and gets 404 on the direct URL."""
import base64
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import clear_session, screenshot, severe_console_errors
from .test_documents_http import dealer_of, dealer_tag
from .test_portal_browser import browser_login

FETCH_STATUS = """
var done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(
    function (r) { return r.text().then(function (t) { done([r.status, t]); }); });
"""


def test_head_office_publishes_director_downloads(browser, odoo_server):
    server = odoo_server
    marker = uuid.uuid4().hex[:8]
    tag = dealer_tag(server, dealer_of(server, "director01"), "Browser %s" % marker)
    document = server.execute("admin", None, "prm.document", "create", {
        "name": "Bulletin %s" % marker, "category": "bulletin",
        "file": base64.b64encode(marker.encode()).decode(),
        "file_name": "bulletin.txt", "category_ids": [(6, 0, [tag])]})
    # head office publishes in the backend
    browser_login(browser, server, "prm.manager")
    browser.get(server.url + "/web#id=%d&model=prm.document&view_type=form"
                % document)
    try:
        button = WebDriverWait(browser, 120).until(EC.element_to_be_clickable(
            # the highlighted header button is "Publish" (Odoo 11 renders
            # header buttons without their name)
            (By.CSS_SELECTOR, ".o_statusbar_buttons button.oe_highlight")))
    finally:
        screenshot(browser, "backend-document-form")
    button.click()
    WebDriverWait(browser, 30).until(lambda d: server.execute(
        "admin", None, "prm.document", "read", [document], ["published"]
    )[0]["published"])
    screenshot(browser, "backend-document-published")
    assert not severe_console_errors(browser)

    # a director of the audience: unread, download, read
    clear_session(browser)
    browser_login(browser, server, "director01")
    browser.get(server.url + "/my/documents")
    row = WebDriverWait(browser, 30).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_prm_document[data-id='%d']" % document)))
    assert "o_prm_unread" in row.get_attribute("class")
    screenshot(browser, "portal-documents-unread")
    href = row.find_element(By.CSS_SELECTOR, "a.o_prm_download").get_attribute("href")
    status, text = browser.execute_async_script(FETCH_STATUS, href)
    assert status == 200 and text == marker
    browser.get(server.url + "/my/documents")
    row = browser.find_element(By.CSS_SELECTOR,
                               ".o_prm_document[data-id='%d']" % document)
    assert "o_prm_unread" not in row.get_attribute("class")
    assert not severe_console_errors(browser)

    # a director outside the audience: nothing listed, 404 on the URL
    clear_session(browser)
    browser_login(browser, server, "director02")
    browser.get(server.url + "/my/documents")
    WebDriverWait(browser, 30).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "h3.page-header")))
    assert not browser.find_elements(
        By.CSS_SELECTOR, ".o_prm_document[data-id='%d']" % document)
    assert marker not in browser.page_source
    status, text = browser.execute_async_script(FETCH_STATUS, href)
    assert status == 404 and marker not in text
    screenshot(browser, "portal-documents-outsider")
