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
  an unknown method is one WARNING line;
- RPC names its database in the call and Odoo 11 does not apply the
  server's ``db_name``/``dbfilter`` there: anyone could sign in to every
  database of the PostgreSQL server (other copies without the SMS code or the
  throttle; outside review), and an uninitialised one (``postgres``) would
  have been initialised as an Odoo database. ``dispatch_rpc`` refuses other
  databases like wrong credentials;
- bad input to web's routes (``/web/export/csv?data=x``…), which web's
  ``serialize_exception`` logs at ERROR with the traceback before answering:
  INFO (``models/ir_http.py`` answers those requests with 400).
"""
import logging
import re

import psycopg2.extensions
import werkzeug.exceptions
from odoo import http
from odoo.exceptions import AccessDenied
from odoo.tools import config

_logger = logging.getLogger(__name__)

SERVICES = ("common", "db", "object")
#: Errors that core routes raise on malformed request parameters.
BAD_INPUT = (ValueError, TypeError, KeyError, OverflowError, AssertionError,
             psycopg2.DataError)


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
        elif error is not None and str(error).startswith("Method not found"):
            _lower(record, logging.WARNING, str(error))
        elif record.name == "odoo.sql_db" and isinstance(record.args, tuple) \
                and len(record.args) == 2 and isinstance(
                    record.args[1], psycopg2.DataError):
            _lower(record, logging.WARNING, "bad value refused by PostgreSQL: %s"
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


def database_allowed(name):
    """Whether RPC may open database ``name``: the server's ``db_name`` list
    and ``dbfilter`` (a filter with ``%h``/``%d`` needs the request's host and
    is left to Odoo)."""
    if not isinstance(name, str) or not name:
        return False
    names = [n.strip() for n in (config.get("db_name") or "").split(",")
             if n.strip()]
    if names and name not in names:
        return False
    pattern = config.get("dbfilter") or ""
    return not pattern or "%" in pattern or bool(re.match(pattern, name))


def dispatch_rpc(service_name, method, params):
    """Odoo's ``dispatch_rpc``: an unknown service is a 404, not a crash; a
    database other than this server's is refused like wrong credentials."""
    if service_name not in SERVICES:
        raise werkzeug.exceptions.NotFound()
    if service_name == "object" or (
            service_name == "common" and method in ("login", "authenticate")):
        database = params[0] if params else None
        if not database_allowed(database):
            _logger.info("RPC %s.%s for database %r refused: not this server's",
                         service_name, method, str(database)[:64])
            raise AccessDenied()
    return _odoo_dispatch_rpc(service_name, method, params)


if not getattr(_odoo_dispatch_rpc, "prm_known_services", False):
    dispatch_rpc.prm_known_services = True
    for name in ("odoo.http", "odoo.sql_db", "odoo.addons.web.controllers.main"):
        logging.getLogger(name).addFilter(_VisitorNoise())
    http.dispatch_rpc = dispatch_rpc
