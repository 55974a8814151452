"""Odoo 11 core fix: web's list exports answer malformed input with 400.

See ``binary.run_unserialized``: ``/web/export/csv`` and ``/web/export/xls``
answered ``data=x`` with a 500 page carrying the full traceback.
"""
from odoo import http
from odoo.addons.web.controllers import main

from .binary import run_unserialized


class CSVExport(main.CSVExport):

    @http.route()
    def index(self, data, token):
        return run_unserialized(main.CSVExport.index, self, data, token)


class ExcelExport(main.ExcelExport):

    @http.route()
    def index(self, data, token):
        return run_unserialized(main.ExcelExport.index, self, data, token)
