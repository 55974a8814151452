"""Every HTTP route of every installed module, classified (issue 14).

``tests/route_inventory.csv`` is the checked-in inventory: one row per route
(path and methods) with its ``auth`` and ``type`` as the registry declares
them, who may call it in this product and how it is probed here:

    who     anyone      anonymous visitors (and everybody else)
            token       whoever holds the secret token of an e-mailed link
            half        the half-signed-in session (password given, no code)
            signed-in   every signed-in user; for core routes the models'
                        access rights and record rules decide (access matrix)
            partner     managing director and bookkeeper of a dealer
            director    managing director of a dealer
            head-office PRM manager
            closed      nobody: 404
    probe   login       anonymous and half-signed-in callers are sent to
                        /web/login (JSON: "session expired", code 100)
            404         anonymous and half-signed-in callers get 404
            code        anonymous: to /web/login; half-signed-in: the code page
            auth-pub    anonymous: to /web/login (the half-signed-in session
                        is covered by tests/test_2fa.py; probing would end it)
            open        anonymous callers get an answer, never a 500 or a
                        traceback
            none        not probed (reason in the note)

The inventory is compared with the routing map the server builds from the
test database's registry (``scripts/route_inventory.py``): a route that
appears (a new module, an Odoo update) or disappears, or whose auth or type
changes, fails the test until the table says what it is.
"""
import csv
import json
import os
import re
import subprocess
import sys

import pytest

from .odoo_server import ROOT
from .test_2fa import start_login
from .test_route_matrix import is_login_redirect, page_token

INVENTORY_CSV = os.path.join(os.path.dirname(__file__), "route_inventory.csv")
WHO = {"anyone", "token", "half", "signed-in", "partner", "director",
       "head-office", "closed"}
PROBES = {"login", "404", "code", "auth-pub", "open", "none"}
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")


def route_key(route):
    return route["path"], route["methods"]


def load_inventory():
    with open(INVENTORY_CSV, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["who"] in WHO, row
        assert row["probe"] in PROBES, row
    return {route_key(row): row for row in rows}


INVENTORY = load_inventory()


def registry_routes(server):
    """The routes of the server's database, from its registry."""
    output = subprocess.check_output(
        [sys.executable, os.path.join(ROOT, "scripts", "route_inventory.py"),
         "-c", server.conf_path, "-d", server.db], timeout=300)
    routes = {}
    for line in output.decode().splitlines():
        route = json.loads(line)
        route["methods"] = ",".join(route["methods"] or ["*"])
        routes[route_key(route)] = route
    return routes


def test_inventory_classifies_every_installed_route(odoo_server):
    routes = registry_routes(odoo_server)
    assert len(routes) > 100, "the routing map looks incomplete"
    new = sorted(set(routes) - set(INVENTORY))
    gone = sorted(set(INVENTORY) - set(routes))
    changed = sorted(
        "%s %s: inventory %s/%s, registry %s/%s (%s)" % (
            key[0], key[1], INVENTORY[key]["auth"], INVENTORY[key]["type"],
            routes[key]["auth"], routes[key]["type"], routes[key]["endpoint"])
        for key in set(routes) & set(INVENTORY)
        if (INVENTORY[key]["auth"], INVENTORY[key]["type"]) !=
        (routes[key]["auth"], routes[key]["type"]))
    problems = (
        ["not classified: %s,%s,%s,%s  (%s)" % (
            key[0], key[1], routes[key]["auth"], routes[key]["type"],
            routes[key]["endpoint"]) for key in new]
        + ["no longer installed: %s %s" % key for key in gone]
        + ["auth/type changed: %s" % line for line in changed])
    assert not problems, "route inventory (tests/route_inventory.csv) differs:\n" + \
        "\n".join(problems)


# --- probes over HTTP ---------------------------------------------------------

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def probe_url(path):
    """A concrete URL for a route pattern (ids 1, words "x")."""
    return CONVERTER.sub(
        lambda match: "1" if match.group(1) == "int" else "x", path)


def send(server, session, token, row):
    url = server.url + probe_url(row["path"])
    if row["type"] == "json":
        return session.post(url, json={"jsonrpc": "2.0", "method": "call",
                                       "params": {}}, timeout=60)
    methods = row["methods"].split(",")
    if "*" in methods or "GET" in methods:
        return session.get(url, timeout=60)
    return session.post(url, data={"csrf_token": token}, timeout=60)


def result_of(response, row):
    """login / 404 / 403 / ok / other, for pages and JSON-RPC answers."""
    hops = [hop.headers.get("Location") for hop in response.history]
    if any(is_login_redirect(hop) for hop in hops):
        return "login"
    if row["type"] == "json" and response.status_code in (200, 400, 404):
        error = response.json().get("error")
        if error and error.get("code") == 100:
            return "login"
        if error and error.get("code") == 404:
            return "404"
        return "ok" if not error else "error %s" % error.get("code")
    if response.status_code in (403, 404):
        return str(response.status_code)
    return "ok" if response.status_code == 200 else "HTTP %d" % response.status_code


EXPECTED = {
    # probe: (anonymous, half-signed-in); None = not asked
    "login": ({"login"}, {"login"}),
    "404": ({"404"}, {"404"}),
    "code": ({"login"}, {"ok"}),
    "auth-pub": ({"login"}, None),
}


@pytest.fixture(scope="module")
def outsiders(odoo_server):
    """An anonymous session and a half-signed-in one, with CSRF tokens."""
    anonymous = odoo_server.session()
    anonymous.get(odoo_server.url + "/web/login")
    half, page = start_login(odoo_server, login="director21")
    assert page.url.endswith("/web/login/2fa")
    return {"pub": (anonymous, page_token(odoo_server, anonymous)),
            "half": (half, page_token(odoo_server, half))}


def test_outsiders_reach_nothing_the_inventory_does_not_open(odoo_server, outsiders):
    """Every route probed as anonymous and half-signed-in caller.

    Refused routes answer with the login page or 404, never data; open
    routes answer without a 500 and without a traceback.
    """
    differences = []
    probed = 0
    for key, row in sorted(INVENTORY.items()):
        if row["probe"] == "none":
            continue
        expected = EXPECTED.get(row["probe"], ({"*"}, {"*"}))
        for caller, allowed in zip(("pub", "half"), expected):
            if allowed is None or (row["probe"] == "open" and caller == "half"):
                continue
            session, token = outsiders[caller]
            response = send(odoo_server, session, token, row)
            probed += 1
            got = result_of(response, row)
            if response.status_code >= 500 or TRACEBACK.search(response.text):
                differences.append("%s %s as %s: server error or traceback (%d)" % (
                    key[0], key[1], caller, response.status_code))
            elif "*" not in allowed and got not in allowed:
                differences.append("%s %s as %s: expected %s, got %s" % (
                    key[0], key[1], caller, "/".join(sorted(allowed)), got))
    assert probed > 150
    assert not differences, "%d probes differ:\n%s" % (
        len(differences), "\n".join(differences))
    # The half-signed-in session is still only half signed in.
    assert outsiders["half"][0].get(
        odoo_server.url + "/web/login/2fa").url.endswith("/web/login/2fa")
