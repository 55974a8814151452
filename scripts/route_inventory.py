#!/usr/bin/env python3
"""Print every HTTP route of a database's installed modules as JSON lines.

Usage: route_inventory.py -c ODOO_CONF -d DB

The routes come from the registry of that database, exactly as the server
builds its routing map (``ir.http.routing_map``: installed modules plus the
server-wide ones, every controller with its overrides merged). One JSON
object per route and URL: path, endpoint (module.Class.method of the final
override), auth, type, methods (null = any), csrf, params (the method's
named parameters).
"""
import argparse
import inspect
import json
import sys

import odoo
from odoo import http


def parameter_names(method):
    """Named parameters of a controller method (no ``self``, no ``**kw``)."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return []
    return [name for name, parameter in signature.parameters.items()
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD,
                                  parameter.KEYWORD_ONLY)]


def routes(db):
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        converters = env["ir.http"]._get_converters()
        installed = registry._init_modules - {"web"}
        modules = [""] + odoo.conf.server_wide_modules + sorted(installed)
        routing_map = http.routing_map(modules, False, converters=converters)
    for rule in routing_map.iter_rules():
        routing = rule.endpoint.routing
        method = rule.endpoint.method
        yield {
            "path": rule.rule,
            "endpoint": "%s.%s" % (method.__module__.replace("odoo.addons.", ""),
                                   method.__qualname__),
            "auth": routing.get("auth"),
            "type": routing.get("type"),
            "methods": sorted(routing["methods"]) if routing.get("methods") else None,
            "csrf": routing.get("csrf", True),
            "params": parameter_names(method),
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="conf", required=True)
    parser.add_argument("-d", dest="db", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db,
                                    "--log-level", "warn"])
    for route in sorted(routes(args.db), key=lambda r: (r["path"], r["endpoint"])):
        sys.stdout.write(json.dumps(route) + "\n")


if __name__ == "__main__":
    main()
