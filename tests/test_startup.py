"""A server that receives requests while it starts serves them all correctly.

Odoo 11's first request imports every addon; arriving while the registry
was still loading, it left about one start in three with models missing our
extensions (``KeyError: 'prm.benchmark.period'`` on ``/my/home``) until the
process restarted: the intermittent "Object … doesn't exist" of earlier
rounds. ``scripts/odoo-bin`` sets ``ODOO_PRELOAD_ADDONS=no``.
"""
from .odoo_server import OdooServer

# The first request lands at a different moment of the start each time
# (polled every 0.5 s, as a load balancer's health check would).
FIRST_REQUEST_DELAYS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0)


def test_requests_during_start_leave_a_complete_registry(odoo_server):
    # odoo_server: the database is prepared (keys, parameters) by the fixture.
    failures = []
    for attempt, delay in enumerate(FIRST_REQUEST_DELAYS):
        server = OdooServer(odoo_server.db, name="startup")
        server.start(first_poll_delay=delay)
        try:
            session = server.web_login("director05", "demo")
            for path in ("/my/home", "/my/benchmark"):
                response = session.get(server.url + path, timeout=60)
                if response.status_code != 200:
                    failures.append("start %d: %s %d" % (
                        attempt, path, response.status_code))
            problems = server.log_problems()
            if problems:
                failures.append("start %d: %s" % (attempt, problems[0]))
        finally:
            server.stop()
    assert not failures, "\n".join(failures)
