import logging

import werkzeug.exceptions

from odoo import SUPERUSER_ID, api, models
from odoo.http import request
from odoo.osv import expression

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
    def _get_translation_frontend_modules_domain(cls):
        """Portal pages load the JS translations (``_t``) of our addons too.

        Odoo 11 frontend pages fetch them from ``/website/translations``
        (http_routing), for the modules of this domain only.
        """
        domain = super()._get_translation_frontend_modules_domain()
        return expression.OR([domain, [("name", "=like", "prm\\_%")]])

    @classmethod
    def _get_default_lang(cls):
        """The operator's language: the default language of new partners.

        Set in Settings (``ir.default`` of ``res.partner.lang``); without it
        the main company's language, then http_routing's first language.
        """
        code = cls._prm_operator_lang(request.env(user=SUPERUSER_ID))
        lang = request.env["res.lang"].sudo().search([("code", "=", code)], limit=1)
        return lang if code else super()._get_default_lang()

    @classmethod
    def _prm_operator_lang(cls, env):
        """Code of the operator's language (``"de_DE"``) if installed, else None."""
        code = env["ir.default"].get("res.partner", "lang") or env.ref(
            "base.main_company").partner_id.lang
        if code and env["res.lang"].search_count([("code", "=", code)]):
            return code
        return None

    @classmethod
    def _prm_visitor_lang(cls):
        """Visitors who have not signed in read the operator's language.

        The sign-in, code, reset, invitation and feedback pages are German for
        a German operator whatever language the browser asks for; signed-in
        users read their own language (``res.users.lang``, put into the
        session context when they sign in).
        """
        if request.session.uid or not request.db:
            return
        # Before authentication ``request.env`` has no user: read the
        # language settings as superuser (nothing user-specific is read).
        code = cls._prm_operator_lang(api.Environment(request.cr, SUPERUSER_ID, {}))
        if code:
            request.session.context["lang"] = code
            request.context = dict(request.context, lang=code)

    @classmethod
    def _dispatch(cls):
        cls._prm_visitor_lang()
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
