"""The analysis page's pure JS helpers, run with node's own test runner.

``static/tests/*.test.js`` load Odoo 11's web.Class, web.translation,
web.utils and web.Registry and our modules through a tiny ``odoo.define``
(``static/tests/odoo_shim.js``); node's output is shown when a test fails.
"""
import json
import os
import re
import shutil
import subprocess

from odoo.modules.module import get_module_path

from ..lib.analysis_view import CHART_KINDS

TESTS = os.path.join(os.path.dirname(__file__), os.pardir, "static", "tests")


def test_js_unit_tests_pass():
    node = shutil.which("node")
    assert node, "node (Node.js >= 18) is needed for the JS unit tests"
    files = sorted(name for name in os.listdir(TESTS) if name.endswith(".test.js"))
    assert files
    env = dict(os.environ, ODOO_WEB=get_module_path("web"),
               PRM_CHART_KINDS=json.dumps(CHART_KINDS))
    result = subprocess.run(
        [node, "--test"] + files, cwd=TESTS, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert "# fail 0" in result.stdout, result.stdout


def test_no_kpi_code_in_the_page_js():
    """KPIs are records: the page charts what the server's chart list names.
    None of the shipped KPI codes (or input codes) is written in our JS."""
    data = os.path.join(os.path.dirname(__file__), os.pardir, "data")
    codes = set()
    for name in ("benchmark_kpi_data.xml", "benchmark_input_data.xml"):
        with open(os.path.join(data, name), encoding="utf-8") as xml:
            codes |= set(re.findall(r'<field name="code">(\w+)</field>', xml.read()))
    assert len(codes) > 20
    source = os.path.join(TESTS, os.pardir, "src", "js")
    found = []
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), encoding="utf-8") as js:
            text = js.read()
        found += ["%s: %s" % (name, code) for code in sorted(codes)
                  if re.search(r"""['"]%s['"]""" % code, text)]
    assert not found
