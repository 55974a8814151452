"""The demo network is its own addon, ``prm_demo`` (issue 15).

Production databases get the three product addons only: they install on a
fresh database without ``prm_demo`` (demo data of their own on, as in the
test database), create no demo network, and none of the demo generators is
importable from them. The test database, like ``make run``, has ``prm_demo``;
its loaders are not reachable over XML-RPC.
"""
import importlib.util
import os
import xmlrpc.client

import odoo
import pytest
import requests

from .odoo_server import ROOT, drop_database, install_fresh

DB = "%s_production" % os.environ.get("PRM_TEST_DB", "prm_test")


def _production_addons():
    """PRM_ADDONS of scripts/common.sh (the one list), sorted."""
    with open(os.path.join(ROOT, "scripts", "common.sh")) as handle:
        line = next(line for line in handle if line.startswith("PRM_ADDONS="))
    return sorted(line.split("=", 1)[1].strip().strip('"').split(","))


PRODUCTION_ADDONS = _production_addons()
#: Where the demo generators and loaders lived before ``prm_demo``.
FORMER_DEMO_MODULES = [
    "odoo.addons.prm_partner_portal.lib.demo_network",
    "odoo.addons.prm_partner_portal.lib.demo_exchange",
    "odoo.addons.prm_partner_portal.models.prm_demo_loader",
    "odoo.addons.prm_partner_portal.models.prm_demo_loader_exchange",
    "odoo.addons.prm_benchmark.lib.demo_figures",
    "odoo.addons.prm_benchmark.models.benchmark_demo_loader",
]
DEMO_LOADERS = [("prm.demo.loader", "_load_demo_network"),
                ("prm.demo.loader", "_demo_portal_users"),
                ("prm.benchmark.demo.loader", "_load_demo_figures"),
                ("prm.programme.demo.loader", "_load_demo_programme"),
                ("prm.demo.loader", "_load_demo_deals"),
                ("prm.demo.loader", "_load_demo_documents"),
                ("prm.demo.loader", "_demo_routing")]


@pytest.fixture(scope="module")
def production():
    """A fresh database with the production addons, no prm_demo."""
    server, installed, log = install_fresh(
        DB, ",".join(PRODUCTION_ADDONS), "production")
    yield server, installed, log
    server.stop()
    drop_database(DB)


def test_production_addons_install_without_the_demo(production):
    server, installed, log = production
    assert installed == PRODUCTION_ADDONS
    with open(log, errors="replace") as handle:
        problems = [line for line in handle if " ERROR " in line
                    or " CRITICAL " in line]
    assert not problems, "install log has errors:\n" + "".join(problems[:20])
    with odoo.sql_db.db_connect(DB).cursor() as cr:
        cr.execute("SELECT model FROM ir_model WHERE model LIKE '%%demo%%'")
        assert cr.fetchall() == []
        cr.execute("SELECT count(*) FROM res_partner WHERE prm_is_dealer")
        assert cr.fetchone()[0] == 0
        cr.execute("SELECT count(*) FROM res_users WHERE login IN"
                   " ('prm.manager', 'director01')")
        assert cr.fetchone()[0] == 0
    server.start()
    page = requests.get(server.url + "/web/login", timeout=30)
    assert page.status_code == 200
    assert not server.log_problems(), "\n".join(server.log_problems()[:20])


@pytest.mark.parametrize("module", FORMER_DEMO_MODULES)
def test_no_demo_generator_in_the_production_addons(module):
    assert importlib.util.find_spec(module) is None, module
    assert importlib.util.find_spec("odoo.addons.prm_demo.lib.demo_network")


def test_the_test_database_has_the_demo_addon(odoo_server):
    installed = {m["name"] for m in odoo_server.execute(
        "admin", None, "ir.module.module", "search_read",
        [("name", "=like", "prm\\_%"), ("state", "=", "installed")],
        fields=["name"])}
    assert installed == set(PRODUCTION_ADDONS) | {"prm_demo"}
    dealer = odoo_server.execute("admin", None, "ir.model.data", "xmlid_to_res_id",
                                 "prm_demo.demo_dealer01")
    director = odoo_server.execute("admin", None, "res.users", "search_read",
                                   [("login", "=", "director01")],
                                   fields=["commercial_partner_id"])
    assert director[0]["commercial_partner_id"][0] == dealer


@pytest.mark.parametrize("model, method", DEMO_LOADERS)
@pytest.mark.parametrize("login", ["admin", "prm.manager"])
def test_demo_loaders_are_not_callable_over_xmlrpc(odoo_server, login, model,
                                                   method):
    """A second network (40 more dealers and 80 logins) would be one call
    away if a loader were public: the loaders are private (no public method
    left, ``addons/prm_demo/tests/test_loaders.py``), and XML-RPC refuses
    them even for the administrator."""
    dealers = odoo_server.execute("admin", None, "res.partner", "search_count",
                                  [("prm_is_dealer", "=", True)])
    with pytest.raises(xmlrpc.client.Fault, match="cannot be called remotely"):
        odoo_server.execute(login, None, model, method)
    assert odoo_server.execute("admin", None, "res.partner", "search_count",
                               [("prm_is_dealer", "=", True)]) == dealers
