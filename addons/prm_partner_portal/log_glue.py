"""Odoo 11 glue: what any visitor can provoke is not logged as a server error.

An ERROR line with a traceback means "the server is broken" to whoever runs
it; Odoo 11 writes one for events that are part of normal operation and that
anyone can cause, so a visitor could fill the error log at will:

- refused credentials over ``/jsonrpc`` or XML-RPC (``AccessDenied``):
  ``dispatch_rpc`` and ``JsonRequest`` each log the traceback at ERROR. They
  become one WARNING line without traceback (``auth_brute_force``-style
  auditing of the attempt is done by the sign-in code, not by the log);
- serialization conflicts and deadlocks (``TransactionRollbackError``,
  SQLSTATE 40001/40P01) logged by ``sql_db`` as "bad query" at ERROR, which
  Odoo's RPC layer retries and the request guards answer: INFO;
- ``/jsonrpc`` and XML-RPC calls to a service that does not exist raised an
  ``UnboundLocalError`` inside ``dispatch_rpc`` (ERROR + traceback): 404;
- bad input to web's routes (``/web/export/csv?data=x``…), which web's
  ``serialize_exception`` logs at ERROR with the traceback before answering:
  INFO (``models/ir_http.py`` answers those requests with 400).
"""
import logging

import psycopg2.extensions
import werkzeug.exceptions
from odoo import http
from odoo.exceptions import AccessDenied

SERVICES = ("common", "db", "object")
#: Errors that core routes raise on malformed request parameters.
BAD_INPUT = (ValueError, TypeError, KeyError, OverflowError, psycopg2.DataError)


class _VisitorNoise(logging.Filter):
    """Lowers the records described in the module docstring; keeps the rest."""

    prm_visitor_noise = True

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, AccessDenied):
            _lower(record, logging.WARNING,
                   "Access denied: refused credentials over RPC")
        elif record.name == "odoo.sql_db" and isinstance(record.args, tuple) \
                and len(record.args) == 2 and isinstance(
                    record.args[1], psycopg2.extensions.TransactionRollbackError):
            _lower(record, logging.INFO,
                   "concurrent update, the transaction is rolled back: %s"
                   % str(record.args[1]).strip())
        elif record.name == "odoo.addons.web.controllers.main" and \
                isinstance(error, BAD_INPUT):
            _lower(record, logging.INFO, "bad input refused: %s: %s"
                   % (type(error).__name__, error))
        return True


def _lower(record, level, message):
    record.levelno = level
    record.levelname = logging.getLevelName(level)
    record.msg = message
    record.args = ()
    record.exc_info = None
    record.exc_text = None


_odoo_dispatch_rpc = http.dispatch_rpc


def dispatch_rpc(service_name, method, params):
    """Odoo's ``dispatch_rpc``; an unknown service is a 404, not a crash."""
    if service_name not in SERVICES:
        raise werkzeug.exceptions.NotFound()
    return _odoo_dispatch_rpc(service_name, method, params)


if not getattr(_odoo_dispatch_rpc, "prm_known_services", False):
    dispatch_rpc.prm_known_services = True
    for name in ("odoo.http", "odoo.sql_db", "odoo.addons.web.controllers.main"):
        logging.getLogger(name).addFilter(_VisitorNoise())
    http.dispatch_rpc = dispatch_rpc
