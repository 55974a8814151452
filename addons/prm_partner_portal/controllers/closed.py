"""Core routes the product does not use and that open doors: closed or tamed.

Found by the route inventory (tests/route_inventory.py): each of these
answered anonymous callers with something they should not reach.
``/mail/receive`` is closed in ``mail_platform.py`` with the other mail routes.
"""
import json

import werkzeug.exceptions
from reportlab.graphics.barcode import getCodeNames

from odoo import http

from odoo.addons.web.controllers.main import ReportController, WebClient
from odoo.addons.web_editor.controllers.main import Web_Editor

# Largest bar code image the server draws (pixels per side).
BARCODE_MAX_PIXELS = 2000


def not_found():
    raise werkzeug.exceptions.NotFound()


class PrmClosedWebClient(WebClient):
    """Odoo's QUnit and JavaScript benchmark pages: development tools."""

    @http.route()
    def test_suite(self, **kw):
        not_found()

    @http.route()
    def test_mobile_suite(self, **kw):
        not_found()

    @http.route()
    def benchmarks(self, **kw):
        not_found()


class PrmClosedWebEditor(Web_Editor):

    @http.route()
    def export_icon_to_png(self, *args, **kw):
        """Closed: an anonymous caller chose the image size (memory) and a
        font file path; only the website editor, not installed, uses it."""
        not_found()


class PrmReportBarcode(ReportController):

    @http.route(auth="user")
    def report_barcode(self, type=None, value=None, width=600, height=100,
                       humanreadable=0, **kw):
        """Signed-in users only (reports are printed signed in), a bounded
        image size and a 400 instead of a server error on bad input."""
        try:
            width, height = int(width), int(height)
            humanreadable = int(humanreadable)
        except (TypeError, ValueError):
            raise werkzeug.exceptions.BadRequest()
        if type not in getCodeNames() or not value or not (
                0 < width <= BARCODE_MAX_PIXELS and 0 < height <= BARCODE_MAX_PIXELS):
            raise werkzeug.exceptions.BadRequest()
        try:
            return super().report_barcode(type, value, width=width, height=height,
                                          humanreadable=humanreadable)
        except (werkzeug.exceptions.HTTPException, ValueError, TypeError,
                KeyError, AttributeError):
            # A value the bar code type cannot encode (e.g. letters in EAN13).
            raise werkzeug.exceptions.BadRequest()

    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        """400 instead of a server error (with a traceback in the log) when
        ``options`` or ``context`` is not a JSON object: core calls
        ``.get``/``update`` on whatever the JSON holds. A converter other
        than ``html``/``pdf`` is a 404 (core raised an HTTPException without
        status code: werkzeug's English page)."""
        if converter not in ("html", "pdf"):
            not_found()
        for key in ("options", "context"):
            if data.get(key):
                try:
                    value = json.loads(data[key])
                except ValueError:
                    value = None
                if not isinstance(value, dict):
                    raise werkzeug.exceptions.BadRequest()
        return super().report_routes(reportname, docids=docids, converter=converter,
                                     **data)
