"""Dates and times of the portal pages: the reader's locale and Europe/Berlin,
without seconds (review observations of issue 22).

- /my/deals/<id> showed the decision deadline and the message dates with
  seconds ("01.12.2026 14:03:27"); every page a managing director may open
  (the "ok" GET rows of tests/test_route_matrix.py) is checked for times
  with seconds.
- /my/leads/<id> showed two answer times: "Please answer within 8 h" (the
  first-reaction target, read from the forwarding in clock hours) and
  "Answer by" (the acceptance deadline in business hours, the one the
  reminder and escalation cron enforces). Only "Answer by" stays.
"""
import datetime
import re

import pytz

from .test_deals import new_deal
from .test_leads import new_lead
from .test_route_matrix import (  # noqa: F401 (ids: a fixture)
    LOGINS, ROWS, ids)

BERLIN = pytz.timezone("Europe/Berlin")
#: a clock time with seconds ("14:03:27")
WITH_SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")


def visible_text(html):
    """The page without scripts, styles and tags (what the reader sees)."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def berlin(utc_text):
    """Odoo's UTC datetime string as the German reader sees it in Berlin."""
    moment = pytz.utc.localize(datetime.datetime.strptime(
        utc_text, "%Y-%m-%d %H:%M:%S")).astimezone(BERLIN)
    return moment.strftime("%d.%m.%Y %H:%M")


def test_deal_page_shows_berlin_times_without_seconds(odoo_server):
    server = odoo_server
    deal = new_deal(server, LOGINS["dir"])
    deadline = server.execute("admin", None, "prm.deal.registration", "read",
                              [deal], ["deadline"])[0]["deadline"]
    assert deadline, "a submitted registration has a decision deadline"
    session = server.web_login(LOGINS["dir"], "demo")
    page = visible_text(session.get(server.url + "/my/deals/%d" % deal).text)
    assert berlin(deadline) in page
    assert not WITH_SECONDS.findall(page)


def test_no_portal_page_shows_seconds(odoo_server, ids):  # noqa: F811
    server = odoo_server
    session = server.web_login(LOGINS["dir"], "demo")
    shown = []
    for method, path, expected in ROWS:
        if method != "GET" or expected["dir"] != "ok":
            continue
        response = session.get(server.url + path.format(**ids), timeout=120)
        if "html" not in response.headers.get("Content-Type", ""):
            continue  # the downloads
        found = WITH_SECONDS.findall(visible_text(response.text))
        if found:
            shown.append("%s: %s" % (path, ", ".join(sorted(set(found))[:3])))
    assert not shown, "pages with seconds:\n%s" % "\n".join(shown)


def test_lead_page_shows_one_answer_time(odoo_server):
    server = odoo_server
    touchpoint = server.execute("admin", None, "prm.touchpoint", "search",
                                [("code", "=", "web")])[0]
    lead = new_lead(server, LOGINS["dir"], prm_touchpoint_id=touchpoint)
    due = server.execute("admin", None, "crm.lead", "read", [lead],
                         ["prm_accept_deadline"])[0]["prm_accept_deadline"]
    assert due, "the dealer's calendar plans the acceptance deadline"
    session = server.web_login(LOGINS["dir"], "demo")
    page = visible_text(session.get(server.url + "/my/leads/%d" % lead).text)
    assert "Antwort bis" in page and berlin(due) in page
    assert "Bitte antworten innerhalb" not in page
