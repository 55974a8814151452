"""Tier card and scorecard tier criteria (issue 22, review finding 8):
the director's scorecard lists the same criteria and figures as his tier
card on /my/home (one render model); the bookkeeper sees the tier card
read-only (the own company's tier, no other firm's data), not the
scorecard."""
import re

from lxml import html

from .test_programme_browser import admin, by_class


def text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def bookkeeper_of(server, dealer):
    rows = admin(server, "res.users", "search_read", [
        ("login", "=like", "bookkeeper%"), ("commercial_partner_id", "=", dealer)],
        fields=["login"], limit=1)
    return rows[0]["login"] if rows else None


def card_rows(page):
    card = by_class(page, "o_prm_tier_card")[0]
    return {text(row.xpath("./td")[0]): text(by_class(row, "o_prm_tier_value")[0])
            for row in card.xpath(".//table[contains(@class, "
                                  "'o_prm_tier_criteria')]/tbody/tr")}


def test_scorecard_tier_section_matches_the_tier_card(odoo_server):
    server = odoo_server
    admin(server, "prm.tier.proposal", "action_prm_run_evaluation")
    session = server.web_login("director20", "demo")
    home = html.fromstring(session.get(server.url + "/my/home").text)
    card = card_rows(home)
    assert card, "the director's tier card lists criteria"
    page = html.fromstring(session.get(server.url + "/my/scorecard").text)
    section = by_class(page, "o_prm_scorecard_tier")[0]
    assert "Stufenkriterien" in text(section)
    assert "Auswertung vom" in text(section)
    rows = {text(row.xpath("./td")[0]): [text(cell) for cell in row.xpath("./td")[1:]]
            for row in section.xpath(".//tbody/tr")}
    assert set(rows) == set(card)
    for label, value in card.items():
        assert rows[label][0] == value, (label, rows[label], value)


def test_bookkeeper_sees_the_tier_card_but_not_the_scorecard(odoo_server):
    server = odoo_server
    dealer = admin(server, "res.users", "search_read", [("login", "=", "director20")],
                   fields=["commercial_partner_id"])[0]["commercial_partner_id"][0]
    login = bookkeeper_of(server, dealer)
    assert login, "the demo dealer has a bookkeeper"
    admin(server, "prm.tier.proposal", "action_prm_run_evaluation")
    director = html.fromstring(server.web_login("director20", "demo").get(
        server.url + "/my/home").text)
    session = server.web_login(login, "demo")
    home = html.fromstring(session.get(server.url + "/my/home").text)
    assert card_rows(home) == card_rows(director)
    assert not by_class(home, "o_prm_home_scorecard")
    assert session.get(server.url + "/my/scorecard").status_code == 403


def test_trend_a_quarter_before_on_the_card_and_the_scorecard(odoo_server):
    """Trend of each tier criterion (issue 22: "with trends"): the card and
    the scorecard show the figure of the comparison day (a quarter before
    the evaluation) with the same mark, in German."""
    server = odoo_server
    admin(server, "prm.tier.proposal", "action_prm_run_evaluation")
    session = server.web_login("director20", "demo")
    home = html.fromstring(session.get(server.url + "/my/home").text)
    card = by_class(home, "o_prm_tier_card")[0]
    head = text(by_class(card, "o_prm_tier_trend_head")[0])
    assert re.match(r"Ein Quartal zuvor \(\d\d\.\d\d\.\d{4}\)$", head), head
    trends = {}
    for row in card.xpath(".//table[contains(@class, 'o_prm_tier_criteria')]"
                          "/tbody/tr"):
        cell = by_class(row, "o_prm_tier_trend")[0]
        marks = by_class(cell, "o_prm_trend_mark")
        trends[text(row.xpath("./td")[0])] = text(cell)
        assert not marks or text(marks[0]) in ("▲", "▼", "=")
    # technicians have no history: no figure, no mark
    assert trends.get("Zertifizierte Techniker", "–") == "–"
    page = html.fromstring(session.get(server.url + "/my/scorecard").text)
    section = by_class(page, "o_prm_scorecard_tier")[0]
    columns = [text(cell) for cell in section.xpath(".//thead//th")]
    assert columns[-1] == head, (columns, head)
    rows = {text(row.xpath("./td")[0]): text(row.xpath("./td")[-1])
            for row in section.xpath(".//tbody/tr")}
    assert rows == trends
