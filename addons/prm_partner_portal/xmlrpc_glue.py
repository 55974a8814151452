"""Odoo 11 glue: XML-RPC faults carry no server traceback.

For any error that is not meant for the user (access, validation, missing
record, user error and every other Odoo error keep their message), Odoo 11
puts the full Python traceback, with server paths and code, into the fault,
for every
caller with a valid API key, portal users included. JSON-RPC errors already
say only "Internal Server Error" to anyone but an administrator
(``models/ir_http.py``). Over XML-RPC the caller is not known when the fault
is built (the uid in the call is only a claim until the key is checked), so
the fault says "Internal Server Error" to everybody; ``dispatch_rpc`` has
already logged the traceback on the server.
"""
import xmlrpc.client

import odoo
from odoo.service import wsgi_server

GENERIC = "Internal Server Error"
_USER_FACING = (odoo.exceptions.UserError, odoo.exceptions.RedirectWarning,
                odoo.exceptions.MissingError, odoo.exceptions.AccessError,
                odoo.exceptions.AccessDenied)
_odoo_int = wsgi_server.xmlrpc_handle_exception_int
_odoo_string = wsgi_server.xmlrpc_handle_exception_string


def _int(error):
    if isinstance(error, _USER_FACING):
        return _odoo_int(error)
    if isinstance(error, odoo.exceptions.except_orm):
        # ValidationError and the other Odoo errors for the user: their message
        # (core sent it inside the traceback)
        return xmlrpc.client.dumps(xmlrpc.client.Fault(
            wsgi_server.RPC_FAULT_CODE_WARNING, odoo.tools.ustr(error.name)),
            allow_none=None)
    return xmlrpc.client.dumps(xmlrpc.client.Fault(
        wsgi_server.RPC_FAULT_CODE_APPLICATION_ERROR, GENERIC), allow_none=None)


def _string(error):
    if isinstance(error, _USER_FACING):
        return _odoo_string(error)
    if isinstance(error, odoo.exceptions.except_orm):
        return xmlrpc.client.dumps(xmlrpc.client.Fault(
            "warning -- %s\n\n%s" % (error.name, error.value), ""), allow_none=None)
    return xmlrpc.client.dumps(xmlrpc.client.Fault(GENERIC, ""), allow_none=None)


if not getattr(_odoo_int, "prm_no_traceback", False):
    _int.prm_no_traceback = True
    wsgi_server.xmlrpc_handle_exception_int = _int
    wsgi_server.xmlrpc_handle_exception_string = _string
