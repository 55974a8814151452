from odoo import models

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
        response = super()._dispatch()
        headers = getattr(response, "headers", None)
        if headers is not None:
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
        return response
