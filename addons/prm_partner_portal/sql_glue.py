"""Odoo 11 glue: a request whose database connection died still gets its
error response (JSON-RPC error, XML-RPC fault, error page).

When PostgreSQL restarts under a running server, the requests in flight
fail; Odoo then closes their cursor, which rolls back the connection. On a
connection psycopg2 already knows to be closed that raises InterfaceError,
and the prepared error response was replaced by a bare werkzeug 500 (a
JSON client got HTML). A dead connection needs no rollback, and the pool
drops closed connections at the next borrow, so the error is ignored.
"""
import logging

import psycopg2
from odoo import sql_db

_logger = logging.getLogger(__name__)
_odoo_close = sql_db.Cursor._close


def _close(self, leak=False):
    try:
        return _odoo_close(self, leak)
    except psycopg2.InterfaceError:
        if not self._cnx.closed:
            raise
        _logger.info("closed a cursor whose database connection was lost")
        return None


if not getattr(_odoo_close, "prm_keeps_error_response", False):
    _close.prm_keeps_error_response = True
    sql_db.Cursor._close = _close
