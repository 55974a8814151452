from odoo import _, http
from odoo.http import request

from ..lib import methods
from ..lib.errors import TwoFactorError


class SecurityPage(http.Controller):
    """``/my/security``: the signed-in user's own authenticator app, recovery
    codes and trusted devices.

    Every route acts on ``request.env.user`` only (no ids are read from the
    request). Changes that weaken the account (removing the app, new
    recovery codes) need a current second factor in the same form; wrong
    codes count towards the same lock as sign-in codes.
    """

    def _service(self):
        # sudo: the service touches the signed-in user's own records
        # (authenticator, recovery codes, challenges have no access rights).
        return request.env["prm.2fa.service"].sudo()

    def _ip(self):
        return request.httprequest.remote_addr

    def _page(self, error=None, info=None, enrol=None, codes=None):
        user = request.env.user
        service = self._service()
        rule = service._rule_of(user)
        values = {
            "page_name": "prm_security", "error": error, "info": info,
            "enrol": enrol, "codes": codes,
            "has_totp": service._has_totp(user),
            "may_enrol": service._may_enrol(user),
            "may_remove": rule != methods.TOTP,
            "has_number": bool(service._number_of(user)),
            "masked_mobile": user.prm_2fa_mobile_masked,
            "recovery_left": service._recovery_left(user),
            "devices_forgotten": bool(request.params.get("devices_forgotten")),
        }
        response = request.render("prm_2fa_sms.portal_my_security", values)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def _error_text(self, error):
        return self._service()._user_message(error)

    @http.route("/my/security", type="http", auth="user", methods=["GET"],
                website=True, sitemap=False)
    def security(self, **kw):
        return self._page()

    @http.route("/my/security/totp/start", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def totp_start(self, **kw):
        try:
            enrol = self._service()._totp_begin(request.env.user)
        except TwoFactorError as error:
            return self._page(error=self._error_text(error))
        return self._page(enrol=enrol)

    @http.route("/my/security/totp/confirm", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def totp_confirm(self, code="", **kw):
        service = self._service()
        user = request.env.user
        error, codes = service._totp_confirm(user, code, self._ip())
        if error is not None:
            enrol = None
            if service._totp_record(user, confirmed=False):
                try:
                    enrol = service._totp_begin(user)
                except TwoFactorError:
                    enrol = None
            return self._page(error=self._error_text(error), enrol=enrol)
        return self._page(info=_("The authenticator app is set up."), codes=codes)

    @http.route("/my/security/totp/remove", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def totp_remove(self, code="", **kw):
        error = self._service()._totp_remove(request.env.user, code, self._ip())
        if error is not None:
            return self._page(error=self._error_text(error))
        return self._page(info=_("The authenticator app was removed."))

    @http.route("/my/security/recovery", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def recovery(self, code="", **kw):
        error, codes = self._service()._recovery_regenerate(
            request.env.user, code, self._ip())
        if error is not None:
            return self._page(error=self._error_text(error))
        return self._page(info=_("Your new recovery codes replace the old ones."),
                          codes=codes)

    @http.route("/my/security/sms-code", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def sms_code(self, **kw):
        try:
            self._service()._send_action_code(request.env.user, self._ip())
        except TwoFactorError as error:
            return self._page(error=self._error_text(error))
        return self._page(info=_("We have sent you a code by SMS."))
