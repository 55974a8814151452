"""An RPC call retried after a serialization failure starts afresh.

``odoo.service.model.check`` runs an XML-RPC or ``/jsonrpc`` call again when
PostgreSQL reports a serialization failure (two transactions touched the
same row). Odoo 11.0.7 keeps the thread's environments of the failed
attempt: fields that attempt had queued for recomputation are recomputed in
the retry with the failed attempt's closed cursor, and the call fails with
"Unable to use a closed cursor" (full test run: an RPC ``create`` of a KPI
value met the statistics refresh deleting values). HTTP routes clear their
environment before a retry (``odoo.http.WebRequest._call_function``); later
11.0 releases reset the environments at the start of every RPC attempt
(``execute_cr``: ``odoo.api.Environment.reset()``), which this backports.
"""
from odoo import api
from odoo.service import model

_execute_cr = model.execute_cr


def execute_cr(cr, uid, obj, method, *args, **kw):
    """Odoo's ``execute_cr`` on fresh environments (nothing left over from a
    failed attempt of the same call). Same arguments, result and errors."""
    api.Environment.reset()
    return _execute_cr(cr, uid, obj, method, *args, **kw)


model.execute_cr = execute_cr
