"""make bench: the dealer exchange live over the bus (issue 23).

Measured on the 2-node cluster of the node rows (nginx in front, each node in
workers mode with its gevent longpolling process):

* idle requests per open exchange page per minute: a member director's page
  open in headless Chromium through nginx for ``IDLE_SECONDS``; the
  browser's own resource timing counts the requests answered in that time,
  long polls apart (goal: at most 1 other request a minute; a long poll
  lasts 50 s, so about 1.2 a minute);
* message delivery across two nodes: head office posts (JSON-RPC
  ``message_post``) on node 1's HTTP port; a member's long poll waits on
  node 2's longpolling port; delivered = the signal arrived *and* the page's
  route (through nginx) answered the new message, as the page does it.
  Median and p95 over ``MESSAGES`` posts.

Alone, against any database with the demo exchange (a 2-node cluster of
its own on free ports)::

    .local/venv/bin/python bench/exchange.py --db bus_db
"""
import argparse
import importlib.util
import json
import os
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDLE_SECONDS = 120
MESSAGES = 20
LONGPOLL = "/longpolling/poll"


def member_and_channel(bench):
    """(login, channel id): the first director who is a member of an
    exchange channel."""
    return bench.sql("""
        SELECT u.login, c.id FROM mail_channel c
          JOIN mail_channel_partner m ON m.channel_id = c.id
          JOIN res_users u ON u.partner_id = m.partner_id
         WHERE c.prm_is_exchange AND u.login LIKE 'director%%' AND u.active
      ORDER BY c.id, u.id LIMIT 1""")[0]


def longpoll(session, url, channel, last, peek=False):
    options = {"prm_exchange": [channel]}
    if peek:
        options["peek"] = True
    answer = session.post(url + LONGPOLL, json={
        "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "channels": [], "last": last, "options": options}}, timeout=90).json()
    result = answer["result"]
    return result["notifications"] if isinstance(result, dict) else result


def measure_idle(url, session, channel, seconds=IDLE_SECONDS):
    """Requests of an idle open page: (long polls per minute, other
    requests per minute, the first 10 other URLs)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--disable-background-networking"):
        options.add_argument(flag)
    driver = webdriver.Chrome(executable_path="/usr/bin/chromedriver",
                              options=options)
    try:
        driver.get(url + "/web/login")
        driver.add_cookie({"name": "session_id",
                           "value": session.cookies.get("session_id"), "path": "/"})
        driver.get("%s/my/exchange/%d" % (url, channel))
        deadline = time.time() + 60
        while time.time() < deadline and not driver.execute_script(
                "var s = document.querySelector('.o_prm_exchange_live');"
                "return s && s.getAttribute('data-live') === '1';"):
            time.sleep(0.2)
        assert time.time() < deadline, "the exchange page did not go live"
        driver.execute_script(
            "performance.setResourceTimingBufferSize(10000);"
            "window.__prmIdleFrom = performance.now();")
        time.sleep(seconds)
        names = driver.execute_script(
            "return performance.getEntriesByType('resource')"
            ".filter(e => e.responseEnd >= window.__prmIdleFrom)"
            ".map(e => e.name);")
    finally:
        driver.quit()
    polls = len([name for name in names if LONGPOLL in name])
    minutes = seconds / 60.0
    others = [name for name in names if LONGPOLL not in name]
    return polls / minutes, len(others) / minutes, others[:10]


def measure_delivery(bench, nginx, node_urls, member, channel, summary,
                     messages=MESSAGES):
    """Seconds from head office's post on node 1 until node 2's long poll
    signalled it and the page's route answered the message."""
    office = bench.login("prm.manager", url=node_urls[0])
    poll_url = "http://127.0.0.1:%d" % (int(node_urls[1].rsplit(":", 1)[1]) + 1)
    last = max([n["id"] for n in longpoll(member, poll_url, channel, 0, peek=True)]
               or [0])
    samples, signal_samples = [], []
    for index in range(messages):
        got = {}

        def listen():
            notifications = longpoll(member, poll_url, channel, last)
            got["signal"] = time.perf_counter()
            got["notifications"] = notifications
            signals = [n["message"]["message_id"] for n in notifications
                       if isinstance(n.get("message"), dict)
                       and n["message"].get("channel_id") == channel]
            if signals:
                member.get("%s/my/exchange/%d/messages" % (nginx, channel),
                           params={"after": min(signals) - 1}, timeout=60)
            got["shown"] = time.perf_counter()
        listener = threading.Thread(target=listen)
        listener.start()
        time.sleep(1.0)  # the poll waits on node 2
        started = time.perf_counter()
        office.post(node_urls[0] + "/web/dataset/call_kw", json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": "mail.channel", "method": "message_post",
                "args": [[channel]], "kwargs": {
                    "body": "Bench %d" % index, "message_type": "comment",
                    "subtype": "mail.mt_comment"}}}, timeout=60).raise_for_status()
        listener.join(90)
        last = max([n["id"] for n in got.get("notifications", [])] + [last])
        if "shown" in got:
            samples.append(got["shown"] - started)
            signal_samples.append(got["signal"] - started)
    return dict(summary(samples), signal=summary(signal_samples),
                lost=messages - len(samples))


def measure(bench, nginx, node_urls, summary, idle_seconds=IDLE_SECONDS):
    """The exchange rows: ``bench`` has ``login(login, url)`` and ``sql``."""
    login, channel = member_and_channel(bench)
    member = bench.login(login, url=nginx)
    polls, others, other_urls = measure_idle(nginx, member, channel, idle_seconds)
    return {"idle_longpolls_per_minute": polls,
            "idle_other_requests_per_minute": others,
            "idle_other_requests": other_urls,
            "idle_seconds": idle_seconds,
            "delivery": measure_delivery(bench, nginx, node_urls, member, channel,
                                         summary)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--idle-seconds", type=int, default=IDLE_SECONDS)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location(
        "bench_run", os.path.join(ROOT, "bench", "run.py"))
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    bench = run.Bench.__new__(run.Bench)
    bench.db, bench.pg = args.db, run.pg_connect(args.db)
    bench.prepare()
    cluster = run.Cluster(args.db, 2)
    cluster.env.update(PRM_CLUSTER_NAME="%s-exchange" % args.db,
                       PRM_CLUSTER_DATA_DIR=os.path.join(
                           run.LOCAL, "filestore-test"))
    try:
        nginx = cluster.start()
        node_urls = ["http://127.0.0.1:%s" % port for port in
                     cluster.env["PRM_CLUSTER_NODE_PORTS"].split(",")]
        result = measure(bench, nginx, node_urls, run.summary, args.idle_seconds)
    finally:
        cluster.stop()
        bench.pg.close()
    print(json.dumps(result, indent=2))
    print("\n".join(report_rows(result)))


def report_rows(result):
    delivery = result["delivery"]
    return [
        "| (10) exchange: idle requests per open page per minute besides the "
        "long poll | %.2f |" % result["idle_other_requests_per_minute"],
        "| (10) long polls per open page per minute | %.2f |"
        % result["idle_longpolls_per_minute"],
        "| (10) message delivery across two nodes, median / p95 ms | %.0f / %.0f |"
        % (delivery["median"] * 1000, delivery["p95"] * 1000),
        "| (10) of which the bus signal, median / p95 ms | %.0f / %.0f |"
        % (delivery["signal"]["median"] * 1000, delivery["signal"]["p95"] * 1000),
        "| (10) messages not delivered | %d |" % delivery["lost"],
    ]


if __name__ == "__main__":
    main()
