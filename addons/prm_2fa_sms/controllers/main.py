import time

import werkzeug.utils

import odoo
from odoo import _, http
from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.web.controllers.main import Home, Session

from ..exceptions import SecondFactorRequired
from ..lib import methods
from ..lib.errors import TwoFactorError
from ..lib.gateway import SmsDeliveryError
from ..lib.policy import AccountLockedError, NoMobileNumberError
from ..models.ir_http import PENDING_KEY, safe_redirect
from ..models.prm_2fa_service import DEVICE_COOKIE

# A password-verified login must be finished within this time.
PENDING_SECONDS = 15 * 60


class SecondFactorController(http.Controller):
    """The code page between a verified password and a signed-in session.

    All routes are ``auth="none"``: the session is not signed in yet. What
    identifies the user is the pending state that ``ir.http`` put into the
    session after the password check; nothing here trusts posted ids.
    """

    def _pending(self):
        pending = request.session.get(PENDING_KEY)
        if not pending or pending.get("db") not in (None, request.session.db):
            return None
        if time.time() - pending.get("started", 0) > PENDING_SECONDS:
            request.session.pop(PENDING_KEY, None)
            return None
        return pending

    def _env(self, pending):
        return request.env(user=pending["uid"])

    def _ip(self):
        return request.httprequest.remote_addr

    def _challenge(self, pending):
        """The live challenge of this pending login, if any."""
        env = self._env(pending)
        # sudo: challenges have no access rights; the id comes from the
        # session's pending state and must belong to the pending user.
        challenge = env["prm.2fa.challenge"].sudo().browse(
            pending.get("challenge_id") or 0).exists()
        if challenge and challenge.user_id.id == pending["uid"] and \
                challenge.purpose == "login" and not challenge.used:
            return challenge
        return None

    def _send(self, pending, fresh=False):
        """Send a code for the pending login (``fresh``: its first code).

        The first code of a new sign-in is not held back by the resend
        cooldown: a code sent seconds ago and still valid is used again,
        otherwise a new one goes out (the hourly limit still applies).
        """
        env = self._env(pending)
        # sudo: the user is the one whose password was just verified (the
        # pending state lives in the server-side session, not in the request).
        user = env["res.users"].sudo().browse(pending["uid"])
        service = env["prm.2fa.service"].sudo()
        challenge = fresh and not service._is_locked(user) and \
            service._reusable_challenge(user)
        if not challenge:
            challenge = service._send_code(user, self._ip(), fresh=fresh)
        pending["challenge_id"] = challenge.id
        request.session[PENDING_KEY] = pending
        return challenge

    def _user(self, pending):
        # sudo: the user whose password was just verified (the pending state
        # lives in the server-side session, not in the request).
        return self._env(pending)["res.users"].sudo().browse(pending["uid"])

    def _service(self, pending):
        # sudo: the second-factor service acts before the user is signed in.
        return self._env(pending)["prm.2fa.service"].sudo()

    def _must_enrol(self, pending, plan):
        """The sign-in goes on with setting up the authenticator: required
        and not set up, and no other method to pass first (or it was passed)."""
        return plan.enrol_totp and (not plan.methods or pending.get("factor_ok"))

    def _method(self, pending, plan):
        return methods.choose(plan, pending.get("method"))

    def _render(self, pending, error=None, info=None, can_enter=True,
                template="prm_2fa_sms.code_page", **extra):
        env = self._env(pending)
        # sudo: only the masked number and login of the pending user are shown.
        user = env["res.users"].sudo().browse(pending["uid"])
        service = self._service(pending)
        plan = service._plan(user)
        values = {
            "error": error, "info": info, "can_enter": can_enter,
            "method": self._method(pending, plan),
            "other_methods": [m for m in plan.methods
                              if m != self._method(pending, plan)],
            "can_recover": bool(service._recovery_left(user)),
            "masked_mobile": user.prm_2fa_mobile_masked,
            "trust_days": int(env["prm.2fa.service"].sudo()._param("trust_days")),
            "login": user.login,
            # No link to the database manager (as on Odoo's login page).
            "disable_database_manager": not odoo.tools.config["list_db"],
        }
        values.update(extra)
        response = request.render(template, values)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    def _error_text(self, error):
        # sudo: translating a message reads no record.
        return request.env["prm.2fa.service"].sudo()._user_message(error)

    @http.route("/web/login/2fa", type="http", auth="none", methods=["GET"],
                sitemap=False)
    def code_page(self, **kw):
        pending = self._pending()
        if not pending:
            return werkzeug.utils.redirect("/web/login", 303)
        user, service = self._user(pending), self._service(pending)
        plan = service._plan(user)
        if self._must_enrol(pending, plan):
            return self._render_enrol(pending)
        if self._method(pending, plan) == "totp":
            # No SMS is sent (and paid) unless the user chooses it.
            if service._is_locked(user):
                return self._render(pending, error=self._error_text(
                    AccountLockedError(until=service._lock_end_text(user))),
                    can_enter=False)
            return self._render(pending)
        if self._challenge(pending):
            return self._render(pending)
        try:
            self._send(pending, fresh=not pending.get("challenge_id"))
        except (NoMobileNumberError, AccountLockedError) as error:
            return self._render(pending, error=self._error_text(error),
                                can_enter=False)
        except SmsDeliveryError as error:
            return self._render(pending, error=self._error_text(error),
                                can_enter=False)
        except TwoFactorError as error:
            return self._render(pending, error=self._error_text(error))
        return self._render(pending, info=_("We have sent you a code by SMS."))

    @http.route("/web/login/2fa", type="http", auth="none", methods=["POST"],
                sitemap=False)
    def code_submit(self, code="", trust_device=None, recovery_code=None, **kw):
        pending = self._pending()
        if not pending:
            return werkzeug.utils.redirect("/web/login", 303)
        env = self._env(pending)
        user, service = self._user(pending), self._service(pending)
        plan = service._plan(user)
        if self._must_enrol(pending, plan):
            return werkzeug.utils.redirect("/web/login/2fa", 303)
        if recovery_code:
            error = service._check_recovery(user, recovery_code, self._ip())
        elif self._method(pending, plan) == "totp":
            error = service._check_totp(user, code, self._ip())
        else:
            challenge = self._challenge(pending)
            if not challenge:
                return self._render(
                    pending, error=_("There is no valid code. Request a new one."),
                    can_enter=False)
            # the challenge belongs to the pending user (checked above)
            error = service._verify(challenge, code, self._ip())
        if error is not None:
            return self._render(pending, error=self._error_text(error),
                                can_enter=not isinstance(error, AccountLockedError))
        if plan.enrol_totp:
            # Second factor passed; the authenticator must be set up next.
            pending["factor_ok"] = True
            request.session[PENDING_KEY] = pending
            return werkzeug.utils.redirect("/web/login/2fa", 303)
        response = env["ir.http"]._prm_finish_login(user, pending.get("redirect"))
        token, max_age = service._make_device_token(user) if trust_device \
            else (None, 0)
        if max_age > 0:  # trust_days 0: no device is trusted
            response.set_cookie(
                DEVICE_COOKIE, token, max_age=max_age, httponly=True,
                secure=request.httprequest.scheme == "https", samesite="Lax")
            env["prm.2fa.event"]._record(user.id, "trusted_device")
        return response

    def _render_enrol(self, pending, error=None):
        """The authenticator set-up inside the sign-in (required by policy)."""
        user, service = self._user(pending), self._service(pending)
        try:
            enrol = service._totp_begin(user)
        except TwoFactorError as exc:
            return self._render(pending, error=self._error_text(exc), can_enter=False)
        return self._render(pending, error=error, enrol=enrol,
                            template="prm_2fa_sms.enrol_page")

    @http.route("/web/login/2fa/method", type="http", auth="none",
                methods=["POST"], sitemap=False)
    def code_method(self, method=None, **kw):
        """Switch between authenticator and SMS code on the code page."""
        pending = self._pending()
        if not pending:
            return werkzeug.utils.redirect("/web/login", 303)
        if method in (methods.TOTP, methods.SMS):
            pending["method"] = method
            request.session[PENDING_KEY] = pending
        return werkzeug.utils.redirect("/web/login/2fa", 303)

    @http.route("/web/login/2fa/enrol", type="http", auth="none",
                methods=["POST"], sitemap=False)
    def code_enrol(self, code="", **kw):
        """Confirm the authenticator set up during sign-in; then signed in."""
        pending = self._pending()
        if not pending:
            return werkzeug.utils.redirect("/web/login", 303)
        user, service = self._user(pending), self._service(pending)
        if not self._must_enrol(pending, service._plan(user)):
            return werkzeug.utils.redirect("/web/login/2fa", 303)
        error, codes = service._totp_confirm(user, code, self._ip())
        if error is not None:
            if isinstance(error, AccountLockedError):
                return self._render(pending, error=self._error_text(error),
                                    can_enter=False)
            return self._render_enrol(pending, error=self._error_text(error))
        redirect = self._env(pending)["ir.http"]._prm_finish_login(
            user, pending.get("redirect"))
        return self._render_codes(codes, redirect.headers["Location"])

    def _render_codes(self, codes, continue_url):
        response = request.render("prm_2fa_sms.recovery_codes_page", {
            "codes": codes, "continue_url": continue_url,
            "disable_database_manager": not odoo.tools.config["list_db"]})
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route("/web/login/2fa/resend", type="http", auth="none",
                methods=["POST"], sitemap=False)
    def code_resend(self, **kw):
        pending = self._pending()
        if not pending:
            return werkzeug.utils.redirect("/web/login", 303)
        try:
            self._send(pending)
        except (NoMobileNumberError, AccountLockedError, SmsDeliveryError) as error:
            return self._render(pending, error=self._error_text(error),
                                can_enter=bool(self._challenge(pending)))
        except TwoFactorError as error:
            return self._render(pending, error=self._error_text(error))
        return self._render(pending, info=_("We have sent you a new code."))

    @http.route("/web/login/2fa/cancel", type="http", auth="none",
                methods=["POST"], sitemap=False)
    def code_cancel(self, **kw):
        request.session.pop(PENDING_KEY, None)
        return werkzeug.utils.redirect("/web/login", 303)

    @http.route("/my/security/forget-devices", type="http", auth="user",
                methods=["POST"], website=True, sitemap=False)
    def forget_devices(self, **kw):
        request.env["res.users"].prm_2fa_revoke_my_devices()
        response = werkzeug.utils.redirect("/my/security?devices_forgotten=1", 303)
        response.delete_cookie(DEVICE_COOKIE)
        return response


class LocalRedirectHome(Home):
    """Odoo 11 sends a signed-in user on to any ``?redirect=`` (a script
    page setting ``window.location``): only local paths are followed."""

    @http.route()
    def web_login(self, redirect=None, **kw):
        redirect = safe_redirect(redirect)
        if redirect is None:
            request.params.pop("redirect", None)  # the form posts it again
        return super().web_login(redirect=redirect, **kw)


class LocalRedirectSession(Session):

    @http.route()
    def logout(self, redirect="/web", **kw):
        return super().logout(redirect=safe_redirect(redirect) or "/web")


class SecondFactorSignup(AuthSignupHome):
    """Signup, password reset and head office's invitation continue on the
    code page once the new password is set.

    auth_signup signs the user in with ``session.authenticate`` right after
    setting the password; for a user who needs the code that raises
    ``SecondFactorRequired``, which the reset route would print as an error
    (it catches every exception). The password is committed by then (auth_signup
    commits before authenticating), so the sign-in goes on with the code.
    """

    def _signup_with_values(self, token, values):
        try:
            super()._signup_with_values(token, values)
        except SecondFactorRequired as exception:
            request.prm_second_factor = exception

    def _prm_continue(self, route, *args, **kw):
        request.prm_second_factor = None
        try:
            response = route(*args, **kw)
        except SecondFactorRequired as exception:
            request.prm_second_factor = exception
        if request.prm_second_factor is None:
            return response
        return request.env["ir.http"]._prm_start_second_factor(
            request.prm_second_factor)

    @http.route()
    def web_auth_signup(self, *args, **kw):
        return self._prm_continue(super().web_auth_signup, *args, **kw)

    @http.route()
    def web_auth_reset_password(self, *args, **kw):
        return self._prm_continue(super().web_auth_reset_password, *args, **kw)
