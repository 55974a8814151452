import logging

import werkzeug.exceptions

from odoo import models
from odoo.http import request

_logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    # Portal pages must not be framed by other sites (clickjacking).
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls):
        if request.httprequest.args.get("jsonp"):
            # Odoo 11 answers JSON routes as JSONP: a <script> tag of any site
            # would run them with the user's cookies and read the answer,
            # session id included. Nothing in the product uses JSONP.
            _logger.info("JSONP request refused: %s", request.httprequest.path)
            response = werkzeug.exceptions.BadRequest().get_response(
                request.httprequest.environ)
        else:
            response = super()._dispatch()
        headers = getattr(response, "headers", None)
        if headers is not None:
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
        return response
