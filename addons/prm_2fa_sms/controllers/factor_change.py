"""Self-service change of the number that receives sign-in codes (issue 21).

``/my/security/number`` walks a signed-in user (portal or backend) through
four steps: a code to the current number, that code, the new number (which
gets its own code), that code. Only the signed-in user's own number is
changed; nothing posted names a user. Steps 3 and 4 need step 2 within the
last ten minutes of this server-side session (``lib.factor_change``), so a
forged POST of a new number without the current factor is refused.
"""
import time

from odoo import _, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..lib.factor_change import CurrentFactorRequiredError, reauth_valid

# Session key of the confirmed current factor: {"uid": int, "at": epoch s}.
REAUTH_KEY = "prm_2fa_number_reauth"
STEPS = ("send", "check", "number", "confirm", "cancel")


class NumberChangeController(http.Controller):

    def _ip(self):
        return request.httprequest.remote_addr

    def _reauth_ok(self):
        return reauth_valid(request.session.get(REAUTH_KEY), request.uid,
                            time.time())

    def _render(self, error=None, info=None):
        # sudo: only the signed-in user's own masked numbers are shown.
        user = request.env.user.sudo()
        Partner = request.env["res.partner"]
        service = request.env["prm.2fa.service"]
        reauth = self._reauth_ok()
        # sudo: whether the signed-in user has an authenticator (no access
        # rights on authenticator records).
        has_totp = bool(service.sudo()._has_totp(user))
        if reauth and user.prm_2fa_mobile_pending:
            state = "confirm"
        elif reauth:
            state = "number"
        elif has_totp or request.env["prm.2fa.challenge"].sudo().search_count([
                ("user_id", "=", user.id), ("purpose", "=", "action"),
                ("used", "=", False)]):
            # sudo: challenges have no access rights; the user's own count.
            state = "check"
        else:
            state = "start"
        values = {
            "state": state, "error": error, "info": info, "has_totp": has_totp,
            "has_number": bool(service._number_of(user)),
            "masked_mobile": user.prm_2fa_mobile_masked,
            "masked_pending": user.prm_2fa_mobile_pending and
            Partner._prm_masked(user.prm_2fa_mobile_pending),
        }
        response = request.render("prm_2fa_sms.number_change_page", values)
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route("/my/security/number", type="http", auth="user",
                methods=["GET"], website=True, sitemap=False)
    def number_page(self, **kw):
        return self._render()

    @http.route("/my/security/number", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def number_step(self, step="", code="", number="", **kw):
        if step not in STEPS:
            return self._render(error=_("Unknown step. Please start again."))
        Users = request.env["res.users"]
        ip = self._ip()
        try:
            if step == "cancel":
                request.session.pop(REAUTH_KEY, None)
                return self._render()
            if step == "send":
                Users._prm_self_number_send_current(ip)
                return self._render(
                    info=_("We have sent a code to your current number."))
            if step == "check":
                Users._prm_self_number_check_current(code, ip)
                request.session[REAUTH_KEY] = {"uid": request.uid,
                                               "at": time.time()}
                return self._render(info=_("Thank you. Now enter the new number."))
            if not self._reauth_ok():
                raise UserError(request.env["prm.2fa.service"]._prm_translated(
                    CurrentFactorRequiredError()))
            if step == "number":
                Users._prm_self_number_set(number, ip)
                return self._render(
                    info=_("We have sent a code to the new number."))
            Users._prm_self_number_confirm(code, ip)
        except (UserError, ValidationError, AccessError) as error:
            # No rollback: a wrong code stays counted (attempts, lockout).
            return self._render(error=error.name)
        request.session.pop(REAUTH_KEY, None)
        return self._render(info=_(
            "Your new number is confirmed. It receives your sign-in codes "
            "from now on."))
