"""Odoo 11 glue: a short database outage answers 503 and signs nobody out.

Odoo 11's ``Root.dispatch`` opens the session's registry with
``odoo.registry(db).check_signaling()``; when that raises
``psycopg2.OperationalError`` (PostgreSQL restarting, a failover) it calls
``session.logout()`` and routes the request without a database: 404 for
every portal page, and the saved, emptied session sends the browser to
``/web/login`` (password and a new SMS code; a pending 2FA sign-in is lost
too). A session without a database (a visitor, the login page) finds none
through ``db_monodb``, whose ``list_dbs`` raises: 500.

Here, while a request is dispatched, a failure to reach PostgreSQL (the
``postgres`` maintenance database cannot be opened either) raises
:class:`DatabaseUnavailable` instead: an ``HTTPException`` that Odoo's
dispatch answers as it is, before the session is changed or saved. The
answer is :mod:`..lib.outage`'s page, or its JSON-RPC error for JSON
requests, with status 503. A database that is really gone (PostgreSQL
answers, the database does not) keeps Odoo's behaviour.

Server-wide (``server_wide_modules``): the database's addons are loaded from
the database, which is what is missing.
"""
import logging
import threading
import time
from contextlib import closing

import psycopg2
import werkzeug.exceptions
import werkzeug.wrappers
from odoo import http, sql_db
from odoo.modules.registry import Registry

from .lib import outage

_logger = logging.getLogger(__name__)
_local = threading.local()  # greenlet-local in the gevent (longpolling) process
#: Time of the first refused request of the current outage (None: no outage).
_outage = {"since": None}


def postgres_unreachable():
    """Whether the PostgreSQL server itself cannot be reached now (bool)."""
    try:
        with closing(sql_db.db_connect("postgres").cursor()) as cr:
            cr.execute("SELECT 1")
    except psycopg2.Error:
        return True
    return False


class DatabaseUnavailable(werkzeug.exceptions.ServiceUnavailable):
    """Raised during HTTP dispatch while PostgreSQL cannot be reached."""

    #: The session's language code when the request had a session, else None.
    session_lang = None

    def get_response(self, environ=None):
        request = werkzeug.wrappers.Request(environ or {})
        lang = outage.language(self.session_lang, request.accept_languages)
        if request.mimetype in ("application/json", "application/json-rpc"):
            body, mimetype = outage.json_error(lang), "application/json"
        else:
            body, mimetype = outage.page(lang), "text/html"
        response = werkzeug.wrappers.Response(body, status=outage.STATUS,
                                              mimetype=mimetype)
        response.headers["Retry-After"] = str(outage.RETRY_AFTER)
        response.headers["Cache-Control"] = "no-store"
        return response


def _refuse(error):
    """Raise :class:`DatabaseUnavailable` for ``error`` when dispatching an
    HTTP request and PostgreSQL is unreachable; return otherwise."""
    if not getattr(_local, "dispatching", False) or not postgres_unreachable():
        return
    if _outage["since"] is None:
        _outage["since"] = time.time()
        # One line per outage and process, not one per request.
        _logger.warning("database unreachable, requests answer 503 until it "
                        "is back: %s", str(error).strip()[:200])
    refused = DatabaseUnavailable()
    try:
        refused.session_lang = http.request.httprequest.session.context.get("lang")
    except (RuntimeError, AttributeError):
        pass  # before the request object exists (setup_db)
    raise refused from error


def _reachable():
    if _outage["since"] is not None:
        _logger.info("database reachable again after %.0f s",
                     time.time() - _outage["since"])
        _outage["since"] = None


def _check_signaling(self):
    try:
        result = _odoo_check_signaling(self)
    except psycopg2.OperationalError as error:
        _refuse(error)
        raise
    _reachable()
    return result


@classmethod
def _new(cls, db_name, *args, **kwargs):
    try:
        return _odoo_new.__func__(cls, db_name, *args, **kwargs)
    except psycopg2.OperationalError as error:
        _refuse(error)
        raise


def _dispatch(self, environ, start_response):
    _local.dispatching = True
    try:
        try:
            return _odoo_dispatch(self, environ, start_response)
        except psycopg2.OperationalError as error:
            # setup_db: a session without a database asks list_dbs
            _refuse(error)
            raise
    except DatabaseUnavailable as refused:
        return refused(environ, start_response)
    finally:
        _local.dispatching = False


_odoo_check_signaling = Registry.check_signaling
_odoo_new = Registry.__dict__["new"]
_odoo_dispatch = http.Root.dispatch


def install():
    """Patch ``Registry.check_signaling``/``new`` and ``Root.dispatch`` (once)."""
    if getattr(http.Root.dispatch, "prm_db_outage", False):
        return
    _dispatch.prm_db_outage = True
    Registry.check_signaling = _check_signaling
    Registry.new = _new
    http.Root.dispatch = _dispatch
