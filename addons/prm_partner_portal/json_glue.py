"""Odoo 11 glue: a JSON-RPC body that is not ``{"params": {...}}`` is a 400.

``JsonRequest`` turns the body's ``params`` into a dict before any route or
``ir.http`` runs: a list, a string or a body that is no JSON object raised
TypeError/ValueError/AttributeError there, a server error for any anonymous
caller. Odoo already answers invalid JSON with 400; this does the same for
JSON of the wrong shape.
"""
import logging

import werkzeug.exceptions
from odoo import http

_logger = logging.getLogger(__name__)
_odoo_init = http.JsonRequest.__init__


def _init(self, *args):
    try:
        _odoo_init(self, *args)
    except (TypeError, ValueError, AttributeError) as error:
        _logger.info("JSON-RPC request of the wrong shape refused: %s", error)
        raise werkzeug.exceptions.BadRequest("The JSON-RPC request is not valid.")


if not getattr(_odoo_init, "prm_refuses_bad_shape", False):
    _init.prm_refuses_bad_shape = True
    http.JsonRequest.__init__ = _init
