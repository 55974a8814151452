"""Dealer response times to forwarded leads (plain Python, no Odoo imports).

One definition for every level (dealer, territory, touchpoint, network):
every forwarded lead with a first reaction counts - also lost (archived)
leads and answers within the same hour (0 h) - in the count, the average,
the median, the 90th percentile and the share within target. Response time
is wall-clock time from forwarding to the first reaction, in hours.

The ORM computes the figures in one SQL query (``percentile_cont``, ``AVG``:
``crm.lead._prm_response_statistics``); the tests compare it with the plain
reference ``tests/oracles.summarize``.
"""

#: Target used for leads without a touchpoint (the touchpoint's default).
DEFAULT_TARGET_HOURS = 24.0
