"""Refusals of the portal routes are the portal's German page (finding 11).

Every HTTP row of the route matrix (tests/test_route_matrix.py) that a
managing director is refused ("deny": another dealer's lead, deal,
exchange channel, user, a document or news item outside the audience, an
id that does not exist) is asked again by the German director: the status
stays 403/404 and the body is the translated page of the portal
(``ir.http._prm_error_page`` or the portal's access-denied page), never
werkzeug's bare English "Not Found - The requested URL was not found on the
server". Answers in JSON (data for a page's script) are not pages.
"""
from .test_route_matrix import (  # noqa: F401 (ids: a fixture)
    LOGINS, ROWS, ids, page_token)

#: werkzeug's own refusal pages (English, no charset)
WERKZEUG = ("The requested URL was not found", "You don't have the permission",
            "The browser (or proxy) sent a request")
#: the German titles of the portal's refusal pages
GERMAN = ("Seite nicht gefunden", "Zugriff verweigert",
          "Für Ihr Konto nicht verfügbar", "Die Anfrage ist nicht gültig.",
          # the benchmark analysis's own "not available" portal page
          "Dieser Zeitraum oder diese Vergleichsgruppe ist nicht verfügbar.")


def test_refusals_of_every_portal_route_are_the_german_portal_page(
        odoo_server, ids):  # noqa: F811 (the matrix fixture)
    server = odoo_server
    session = server.web_login(LOGINS["dir"], "demo")  # German (de_DE)
    token = page_token(server, session)
    wrong = []
    for method, path, expected in ROWS:
        if method == "JSON" or expected["dir"] != "deny":
            continue
        url = server.url + path.format(**ids)
        if method == "POST":
            response = session.post(url, data={"csrf_token": token},
                                    allow_redirects=False, timeout=120)
        else:
            response = session.get(url, allow_redirects=False, timeout=120)
        if response.headers.get("Content-Type", "").startswith(
                "application/json"):
            continue  # data for the page's script (exchange messages), no page
        body = response.text
        if response.status_code not in (403, 404) or \
                any(text in body for text in WERKZEUG) or \
                not any(text in body for text in GERMAN):
            wrong.append("%s %s: %d %s" % (method, path, response.status_code,
                                           body[:120].replace("\n", " ")))
    assert not wrong, "refusals that are not the German portal page:\n%s" % (
        "\n".join(wrong))
