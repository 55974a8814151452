"""What any visitor can provoke is not logged as a server error (plain Python)."""
import logging

import psycopg2.extensions
import pytest
import werkzeug.exceptions
from odoo import http
from odoo.exceptions import AccessDenied

from .. import log_glue


def logged(name, message, *args, exc=None):
    """The record ``name``'s logger would emit, after its filters."""
    logger = logging.getLogger(name)
    exc_info = (type(exc), exc, None) if exc else None
    record = logger.makeRecord(name, logging.ERROR, __file__, 1, message, args,
                               exc_info)
    assert logger.filter(record)
    return record


def test_refused_credentials_are_one_warning_line_without_traceback():
    record = logged("odoo.http", "Exception during JSON request handling.",
                    exc=AccessDenied())
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and "refused credentials" in record.getMessage()


def test_serialization_conflicts_are_info():
    conflict = psycopg2.extensions.TransactionRollbackError(
        "could not serialize access due to concurrent update")
    record = logged("odoo.sql_db", "bad query: %s\nERROR: %s", "UPDATE x", conflict)
    assert record.levelno == logging.INFO
    assert "concurrent update" in record.getMessage()


def test_other_errors_stay_errors():
    record = logged("odoo.sql_db", "bad query: %s\nERROR: %s", "SELECT x",
                    psycopg2.ProgrammingError("column x does not exist"))
    assert record.levelno == logging.ERROR
    record = logged("odoo.http", "Exception during JSON request handling.",
                    exc=ValueError("x"))
    assert record.levelno == logging.ERROR and record.exc_info


def test_unknown_rpc_service_is_not_found():
    assert http.dispatch_rpc is log_glue.dispatch_rpc
    with pytest.raises(werkzeug.exceptions.NotFound):
        http.dispatch_rpc("nope", "x", [])
