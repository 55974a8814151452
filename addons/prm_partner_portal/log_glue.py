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
- calls of a model or method that does not exist (``/web/dataset/call_kw``
  with a made-up model, ``execute_kw`` or ``call_kw`` with a made-up
  method): ``KeyError`` / ``AttributeError`` at ERROR with a traceback from
  ``JsonRequest`` and ``dispatch_rpc`` for any signed-in user, and a
  button of one record called with none or several (``Expected
  singleton``), and a caller's malformed arguments that Odoo's ORM refuses
  (``_from_the_callers_arguments``: unknown field or leaf in a domain, a
  value of the wrong type or range, a bad limit or groupby): one WARNING
  line (``_unknown_call``; the caller gets the usual error without the
  traceback, ``models/ir_http.py``);
- constraint violations (``IntegrityError``: a duplicate, a check) that
  ``sql_db`` logs as "bad query" at ERROR while the caller gets the
  constraint's message: WARNING; a caller's domain on a field that cannot
  be searched ("Non-stored field … cannot be searched", Odoo ignores the
  condition) and ``read_group``'s assertions on a caller's groupby:
  WARNING;
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
        elif _unknown_call(error):
            _lower(record, logging.WARNING, "call refused: %s" % _unknown_call(error))
        elif error is not None and str(error).startswith("Method not found"):
            _lower(record, logging.WARNING, str(error))
        elif record.name == "odoo.sql_db" and isinstance(record.args, tuple) \
                and len(record.args) == 2 and isinstance(
                    record.args[1], psycopg2.DataError):
            _lower(record, logging.WARNING, "bad value refused by PostgreSQL: %s"
                   % str(record.args[1]).strip())
        elif record.name == "odoo.sql_db" and isinstance(record.args, tuple) \
                and len(record.args) == 2 and isinstance(
                    record.args[1], psycopg2.ProgrammingError) and str(
                    record.args[1]).startswith("can't adapt type"):
            # a value of a caller's domain or values that is no SQL value
            # (a dict): refused before PostgreSQL sees it
            _lower(record, logging.WARNING, "value refused: %s"
                   % str(record.args[1]).strip())
        elif record.name == "odoo.sql_db" and isinstance(record.args, tuple) \
                and len(record.args) == 2 and isinstance(
                    record.args[1], psycopg2.IntegrityError):
            # a unique/check/not-null constraint: the caller gets the
            # constraint's translated message (models' _sql_constraints)
            _lower(record, logging.WARNING, "constraint refused the values: %s"
                   % str(record.args[1]).strip().splitlines()[0])
        elif record.name == "odoo.osv.expression" and \
                str(record.msg).startswith("Non-stored field"):
            # a caller's domain on a field without search: Odoo ignores
            # the condition (it is no server fault)
            _lower(record, logging.WARNING, record.getMessage())
        elif record.name == "odoo.addons.web.controllers.main" and \
                isinstance(error, BAD_INPUT):
            _lower(record, logging.INFO, "bad input refused: %s: %s"
                   % (type(error).__name__, error))
        return True


def _unknown_call(error):
    """A short description when ``error`` is the refusal of a caller-named
    model or method, or of the records the caller passed, else None.

    Told by where it was raised, not by its text alone: an unknown model is
    a ``KeyError`` of the registry's lookup (``Registry.__getitem__``) made
    from a controller (the model name came with the request); an unknown
    method the ``AttributeError`` of ``odoo.api.call_kw``'s lookup of the
    method on the model class (the RPC entry of every protocol); a method
    of one record called with none or several (``Expected singleton``) the
    ``ValueError`` of ``ensure_one`` at most three frames below the RPC
    entry (``call_kw_multi``/``call_kw_model``). The same errors deeper in
    a model's own code stay ERRORs.
    """
    unadaptable = isinstance(error, psycopg2.ProgrammingError) and str(
        error).startswith("can't adapt type")   # a dict as a domain value
    if not unadaptable and not isinstance(error, (KeyError, AttributeError)
                                          + ORM_ARGUMENT_ERRORS):
        return None
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename.replace("\\", "/"),
                       tb.tb_frame.f_code.co_name))
        tb = tb.tb_next
    if len(frames) < 2:
        return None
    (file_, name), before = frames[-1], frames[:-1]
    if isinstance(error, KeyError) and name == "__getitem__" and \
            file_.endswith("odoo/modules/registry.py") and \
            any("/controllers/" in path for path, _name in before[-3:]):
        return "unknown model %r" % (error.args[0] if error.args else "")
    if isinstance(error, AttributeError) and name == "call_kw" and \
            file_.endswith("odoo/api.py"):
        return "unknown method: %s" % error
    if isinstance(error, ValueError) and name == "ensure_one" and \
            file_.endswith("odoo/models.py"):
        # the records the caller passed: the RPC entry is at most three
        # frames up (the button, an override's super(), a field's __get__)
        entry = [index for index, (path, function) in enumerate(before)
                 if path.endswith("odoo/api.py")
                 and function in ("call_kw_multi", "call_kw_model")]
        if entry and len(before) - entry[-1] - 1 <= 3:
            return "a method of one record called with others: %s" % error
    if (unadaptable or isinstance(error, ORM_ARGUMENT_ERRORS)) and \
            _from_the_callers_arguments(
            before + [(file_, name)]):
        return "arguments refused: %s: %s" % (type(error).__name__, error)
    return None


#: What Odoo's ORM raises on a caller's malformed arguments (a domain with
#: an unknown field or leaf, a value of the wrong type or range, a bad
#: limit or groupby).
ORM_ARGUMENT_ERRORS = (ValueError, TypeError, KeyError, OverflowError,
                       AssertionError, psycopg2.DataError)
#: Our overrides that only pass a caller's arguments on to Odoo's ORM.
PASS_THROUGH = frozenset((
    "search", "_search", "search_read", "search_count", "read", "read_group",
    "_read_group_raw", "write", "create", "name_search", "search_domain",
    "check_access_rule", "export_data"))


def _from_the_callers_arguments(frames):
    """True when the error was raised inside Odoo's own code called
    straight from the RPC entry (``odoo.api.call_kw``): every frame below
    the entry is Odoo's (a core addon or the ORM) or one of our overrides
    that passes the arguments on (``PASS_THROUGH``), and the error was not
    raised by our code itself. An error that passes through any other code
    of ours is that code's and stays an ERROR."""
    entries = [index for index, (path, function) in enumerate(frames)
               if path.endswith("odoo/api.py") and function in (
                   "call_kw", "call_kw_model", "call_kw_multi")]
    if not entries:
        return False
    below = frames[entries[-1] + 1:]
    return bool(below) and "/addons/prm_" not in below[-1][0] and all(
        "/addons/prm_" not in path or function in PASS_THROUGH
        for path, function in below)


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
    for name in ("odoo.http", "odoo.sql_db", "odoo.addons.web.controllers.main",
                 "odoo.osv.expression"):
        logging.getLogger(name).addFilter(_VisitorNoise())
    http.dispatch_rpc = dispatch_rpc
