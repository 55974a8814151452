"""Statistics follow the data without anybody pressing refresh (issue 18).

A real server with no cron thread: only the LISTEN-woken refresher brings
the statistics up to date. Every answer in between must say "being
updated" when it shows numbers that do not yet contain a change.
"""
import datetime
import io
import statistics
import time

import openpyxl

from .test_benchmark_analysis import rpc
from .test_benchmark_entry import form_fields, post_entry

BOUND_SECONDS = 10.0   # the product's promise (p95); a test allows some slack
WAIT_SECONDS = 30.0
COUNTED = ["submitted", "checked"]


def counted_dealers(server, period_id):
    entries = server.execute("admin", None, "prm.benchmark.entry", "search_read",
                             [("period_id", "=", period_id),
                              ("state", "in", COUNTED)], fields=["partner_id"])
    return sorted({e["partner_id"][0] for e in entries})


def directors_of(server, dealer_ids):
    users = server.execute("admin", None, "res.users", "search_read",
                           [("login", "=like", "director%"),
                            ("commercial_partner_id", "in", dealer_ids)],
                           fields=["login", "commercial_partner_id"], order="login")
    return {u["commercial_partner_id"][0]: u["login"] for u in users}


def kpi_medians(server, period_id, dealer_ids):
    """``{kpi code: median}`` of the dealers' counted KPI values."""
    values = server.execute("admin", None, "prm.benchmark.kpi.value",
                            "search_read", [("period_id", "=", period_id),
                                            ("partner_id", "in", dealer_ids),
                                            ("entry_state", "in", COUNTED)],
                            fields=["kpi_id", "value"])
    codes = {k["id"]: k["code"] for k in server.execute(
        "admin", None, "prm.benchmark.kpi", "search_read", [], fields=["code"])}
    by_kpi = {}
    for value in values:
        by_kpi.setdefault(codes[value["kpi_id"][0]], []).append(value["value"])
    return {name: statistics.median(v) for name, v in by_kpi.items()
            if len(v) == len(dealer_ids)}


def shown_medians(data):
    return {k["code"]: k["stats"]["median"] for k in data["kpis"]
            if not k["stats"]["withheld"] and k["stats"]["median"] is not None}


def poll(session, server, until, **params):
    """Ask for the view until ``until(data)``; every answer is checked."""
    started = time.time()
    answers = []
    while time.time() - started < WAIT_SECONDS:
        data = rpc(session, server, "/my/benchmark/data", **params)
        answers.append(data)
        if "error" not in data and until(data):
            return time.time() - started, answers
        time.sleep(0.2)
    raise AssertionError("not up to date after %.0f s: %r" % (
        WAIT_SECONDS, answers[-1].get("freshness", answers[-1])))


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1, abs(b))


def test_new_group_and_replaced_member_need_no_refresh_button(odoo_server):
    """Head office creates an explicit group of 6 dealers; a director of one
    of them sees its statistics, and after a member is replaced the new
    median, without anybody refreshing."""
    period = odoo_server.execute("admin", None, "prm.benchmark.period",
                                 "search_read", [("state", "=", "published")],
                                 fields=["name"], order="date_start desc",
                                 limit=1)[0]
    dealers = counted_dealers(odoo_server, period["id"])
    directors = directors_of(odoo_server, dealers)
    spread = dealers[::max(1, len(dealers) // 10)]   # across territories
    six, substitute = spread[:6], spread[6]
    watcher = next(d for d in six[3:] if d in directors)
    group_id = odoo_server.execute("admin", None, "prm.benchmark.group", "create", {
        "name": "T freshness six", "kind": "explicit",
        "explicit_partner_ids": [(6, 0, six)]})
    try:
        session = odoo_server.web_login(directors[watcher], "demo")
        expected = kpi_medians(odoo_server, period["id"], six)

        def shows_expected(data):
            shown = shown_medians(data)
            if not data["freshness"]["stale"]:
                return any(close(shown.get(n), m) for n, m in expected.items())
            return False

        seconds, answers = poll(session, odoo_server, shows_expected,
                                period_id=period["id"], group_id=group_id)
        assert seconds < BOUND_SECONDS + 5, seconds
        for data in answers[:-1]:   # before: withheld or old, and said so
            assert data["freshness"]["stale"], data["freshness"]
        final = answers[-1]
        assert final["freshness"]["as_of"], final["freshness"]
        assert all(k["stats"]["count"] in (None, 6) for k in final["kpis"])
        old = shown_medians(final)
        for name, median in expected.items():
            if name in old:
                assert close(old[name], median), (name, old[name], median)

        # One member replaced: two firms changed, fewer than k. The refresh
        # runs, but the release rule against time differencing (issue 16,
        # published periods included) keeps the earlier release, labelled
        # with its time and "held back" — never the old numbers as current.
        odoo_server.execute("admin", None, "prm.benchmark.group", "write",
                            [group_id], {"explicit_partner_ids": [
                                (3, six[0]), (4, substitute)]})
        seconds, answers = poll(
            session, odoo_server,
            lambda data: not data["freshness"]["stale"]
            and data["freshness"]["held_back"],
            period_id=period["id"], group_id=group_id)
        assert shown_medians(answers[-1]) == old
        # Three replaced (six firms changed, k = 5): the new statistics.
        members = [d for d in six if d not in six[:3]] + spread[6:9]
        new = kpi_medians(odoo_server, period["id"], members)
        changed = {n: m for n, m in new.items()
                   if n in old and not close(old[n], m)}
        assert changed, "the replacement changes some median"
        odoo_server.execute("admin", None, "prm.benchmark.group", "write",
                            [group_id], {"explicit_partner_ids": [
                                (3, six[1]), (3, six[2]), (4, spread[7]),
                                (4, spread[8])]})

        def shows_new(data):
            # medians the disclosure audit withholds for this viewer are
            # not shown; every shown one is the new members' median
            shown = shown_medians(data)
            hits = [n for n in changed if n in shown]
            return not data["freshness"]["stale"] and bool(hits) and all(
                close(shown[n], changed[n]) for n in hits)

        seconds, answers = poll(session, odoo_server, shows_new,
                                period_id=period["id"], group_id=group_id)
        assert seconds < BOUND_SECONDS + 5, seconds
        for data in answers[:-1]:
            # the old members' median is never shown as current
            assert data["freshness"]["stale"], data["freshness"]
    finally:
        odoo_server.execute("admin", None, "prm.benchmark.group", "unlink",
                            [group_id])


def test_counted_save_reaches_another_directors_statistics(odoo_server):
    period = odoo_server.execute("admin", None, "prm.benchmark.period",
                                 "search_read", [("state", "=", "open")],
                                 fields=["name"], order="date_start desc",
                                 limit=1)[0]
    dealers = counted_dealers(odoo_server, period["id"])
    directors = directors_of(odoo_server, dealers)
    saver, reader = [directors[d] for d in dealers if d in directors][:2]
    writer = odoo_server.web_login(saver, "demo")
    url = odoo_server.url + "/my/benchmark/entry/%d" % period["id"]
    fields, version = form_fields(writer.get(url).text)
    original = fields["value_rev_other"]
    reading = odoo_server.web_login(reader, "demo")
    shown_before = shown_medians(rpc(reading, odoo_server, "/my/benchmark/data",
                                     period_id=period["id"]))
    try:
        fields["value_rev_other"] = "4321"
        before = datetime.datetime.utcnow().replace(microsecond=0) - \
            datetime.timedelta(seconds=1)
        response = post_entry(odoo_server, writer, period["id"], fields, version)
        assert response.status_code == 200 and "o_prm_saved" in response.text

        def includes_save(data):
            # One firm's correction in an open period is refreshed at once
            # but not released (time differencing): the page says so and
            # keeps the statistics released before, with their "as of".
            fresh = data["freshness"]
            return not fresh["stale"] and fresh["held_back"]

        seconds, answers = poll(reading, odoo_server, includes_save,
                                period_id=period["id"])
        assert seconds < BOUND_SECONDS + 5, seconds
        assert answers[-1]["freshness"]["as_of_utc"] < str(before)
        assert shown_medians(answers[-1]) == shown_before
    finally:
        fields, version = form_fields(writer.get(url).text)
        fields["value_rev_other"] = original
        post_entry(odoo_server, writer, period["id"], fields, version)


def test_page_and_export_say_as_of(odoo_server):
    period_id = odoo_server.execute(
        "admin", None, "prm.benchmark.period", "search",
        [("state", "=", "published")], order="date_start desc", limit=1)[0]
    login = sorted(directors_of(odoo_server, counted_dealers(
        odoo_server, period_id)).values())[0]
    session = odoo_server.web_login(login, "demo")
    data = rpc(session, odoo_server, "/my/benchmark/data", period_id=period_id)
    as_of = data["freshness"]["as_of"]
    assert as_of and data["labels"]["stale"], data["freshness"]
    page = session.get(odoo_server.url + "/my/benchmark",
                       params={"period_id": period_id})
    assert page.status_code == 200
    assert 'class="o_prm_freshness' in page.text and as_of in page.text
    # German directors: "Statistik mit Stand …", "wird aktualisiert"
    assert "Statistik mit Stand %s" % as_of in page.text
    assert data["labels"]["stale"] == "wird aktualisiert"
    export = session.get(odoo_server.url + "/my/benchmark/export.xlsx",
                         params={"period_id": period_id,
                                 "group_id": data["group"]["id"]})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert as_of in str(sheet.cell(row=6, column=2).value)
