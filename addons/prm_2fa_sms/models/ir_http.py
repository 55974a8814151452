import time

import werkzeug.utils

from odoo import http, models
from odoo.http import request
from odoo.service import security

from ..exceptions import SecondFactorRequired

PENDING_KEY = "prm_2fa"


def safe_redirect(target):
    """Only local paths: the code page must not become an open redirect.

    Browsers read a backslash as a slash and drop tabs and newlines, so
    ``/\\evil.example`` or ``/<tab>/evil.example`` would leave the site too.
    """
    if not target or not target.startswith("/") or "\\" in target or \
            any(ord(char) < 32 for char in target):
        return None
    if target.startswith("//"):
        return None
    return target


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

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
        if not service._is_locked(user) and service._device_trusted(user, token):
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
