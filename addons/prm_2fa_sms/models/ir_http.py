import json
import time

import werkzeug.utils

from markupsafe import escape
from werkzeug.wrappers import Response

from odoo import http, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.service import security

from ..exceptions import SecondFactorRequired
from ..lib import redirects
from ..lib.cooling_off import WEB_CLIENT_DOWNLOADS, is_high_risk_route

PENDING_KEY = "prm_2fa"


def safe_redirect(target):
    """The local path of ``target`` if it stays on this site, else None.

    Thin wrapper of :func:`..lib.redirects.local_target` with the current
    request's origin: a local path, or an absolute URL with this request's
    scheme, host and port (returned as its local path, so a deep link like
    ``http://host/my/leads/5`` survives the sign-in). Everything else
    (other hosts, ``//host``, backslashes, tabs, ``javascript:``) is None.
    """
    site_url = request.httprequest.host_url if request else None
    return redirects.local_target(target, site_url)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls):
        cls._prm_guard_redirect_params()
        return super()._dispatch()

    @classmethod
    def _postprocess_args(cls, arguments, rule):
        response = super()._postprocess_args(arguments, rule)
        if response:
            return response
        return cls._prm_guard_high_risk(rule)

    @classmethod
    def _prm_guard_high_risk(cls, rule):
        """403 with the reason for a high-risk route (``lib.cooling_off``)
        during the signed-in user's cooling-off; None otherwise."""
        if not request.uid or not is_high_risk_route([rule.rule]):
            return None
        try:
            request.env["prm.2fa.service"]._prm_check_cooling_off(rule.rule)
        except UserError as error:
            if rule.rule.startswith(WEB_CLIENT_DOWNLOADS):
                # The web client downloads these in a hidden iframe and shows
                # a serialized exception found there as a warning dialog.
                body = json.dumps({"code": 200, "message": "Odoo Server Error",
                                   "data": {"name": "odoo.exceptions.UserError",
                                            "debug": "", "message": error.name,
                                            "arguments": [error.name, ""],
                                            "exception_type": "user_error"}})
                return Response(body, status=403,
                                content_type="application/json; charset=utf-8")
            body = "<!DOCTYPE html><html><body><p>%s</p>" \
                "<p><a href=\"/my/home\">%s</a></p></body></html>" % (
                    escape(error.name), escape(request.env[
                        "prm.2fa.service"]._prm_back_text()))
            return Response(body, status=403,
                            content_type="text/html; charset=utf-8")
        return None

    @classmethod
    def _prm_guard_redirect_params(cls):
        """Every redirect parameter of every route, before any controller runs.

        Core routes send the browser to their ``redirect`` parameter as given
        (``/web/dbredirect``, ``/web``, ``/``, ``/my/account``, the login and
        logout, auth_signup's pages). Here a same-site target is reduced to
        its local path and any other target is dropped, so the routes fall
        back to their own default.
        """
        # A JSONP call's first step has no parameters at all.
        params = getattr(request, "params", None)
        if not isinstance(params, dict):
            return
        for name in redirects.REDIRECT_PARAMS:
            if name in params:
                target = safe_redirect(params[name])
                if target is None:
                    params.pop(name)
                else:
                    params[name] = target

    @classmethod
    def _handle_exception(cls, exception):
        if isinstance(exception, SecondFactorRequired):
            return cls._prm_start_second_factor(exception)
        return super()._handle_exception(exception)

    @classmethod
    def _prm_start_second_factor(cls, exception):
        """Password verified: remember who, never the password, then ask the code.

        The browser session stays anonymous (no uid) until the code is right,
        so the half-logged-in state opens nothing but the code page.
        """
        session = request.session
        session.pop(PENDING_KEY, None)
        redirect = safe_redirect(request.params.get("redirect"))
        env = request.env(user=exception.uid)
        # sudo: the uid comes from the password check that just succeeded;
        # only its trusted-device binding is read.
        service = env["prm.2fa.service"].sudo()
        user = env["res.users"].sudo().browse(exception.uid)
        token = request.httprequest.cookies.get("prm_2fa_device")
        # A locked account stays locked: the code page shows the lock.
        # A trusted device does not skip an authenticator set-up the policy
        # requires.
        if not service._is_locked(user) and not service._plan(user).enrol_totp \
                and service._device_trusted(user, token):
            env["prm.2fa.event"]._record(user.id, "trusted_login")
            return cls._prm_finish_login(user, redirect)
        session[PENDING_KEY] = {
            "uid": exception.uid, "login": exception.login,
            "started": time.time(), "redirect": redirect, "challenge_id": None,
        }
        return werkzeug.utils.redirect("/web/login/2fa", 303)

    @classmethod
    def _prm_finish_login(cls, user, redirect=None):
        """Turn the session into a signed-in one for ``user`` (new session id)."""
        session = request.session
        session.pop(PENDING_KEY, None)
        # A new session id, so an id planted before the login is worthless.
        # Done here rather than with ``session.rotate`` because the session
        # token below is derived from the id.
        store = http.root.session_store
        store.delete(session)
        session.sid = store.generate_key()
        session.modified = True
        session.uid = user.id
        session.login = user.login
        request.uid = user.id
        request.disable_db = False
        env = request.env(user=user.id)
        session.session_token = security.compute_session_token(session, env)
        session.get_context()
        if not redirect:
            redirect = "/web" if user.has_group("base.group_user") else "/my"
        return werkzeug.utils.redirect(redirect, 303)
