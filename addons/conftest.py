"""Hypothesis settings for the addons' pure-lib tests.

CI must be reproducible and the checkout clean: examples are derived from
the test itself (derandomize), no example database is written, and no test
fails only because the shared machine was slow (deadline). Run with
``HYPOTHESIS_PROFILE=explore`` locally to search randomly with more examples.
"""
import os

import odoo.tests  # noqa: F401 (pytest-odoo's registry fixture needs it)
from hypothesis import HealthCheck, settings

settings.register_profile(
    "prm-ci", derandomize=True, deadline=None, max_examples=200, database=None,
    print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "explore", deadline=None, max_examples=2000, database=None,
    suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "prm-ci"))
