import hashlib
import hmac
import secrets
from contextlib import contextmanager
from threading import current_thread

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from ..exceptions import SecondFactorRequired
from ..lib.errors import TwoFactorError
from ..lib.factor_change import IDENTITY_CHECKS

# Fields whose change ends every sign-in of the user (sessions, cached RPC
# credentials, trusted devices): Odoo's own list plus our lock.
STAMP_FIELDS = {"password", "login", "active"}

# The RPC credential cache of this process:
# ``{(db, uid): (keyed hash of the secret, security stamp)}``. An entry is
# used only while the stamp read from the database on every call is still
# the one it was verified under; the secret itself is not kept.
_CHECKED = {}
_CACHE_KEY = secrets.token_bytes(32)


def _cache_digest(secret):
    return hmac.new(_CACHE_KEY, secret.encode("utf-8", "surrogatepass"),
                    hashlib.sha256).hexdigest()


def _channel():
    """How the current credential check arrives.

    ``"http"`` (browser form), ``"jsonrpc"`` (the ``/jsonrpc`` RPC service),
    ``"web"`` (other JSON routes such as ``/web/session/authenticate``) or
    ``"xmlrpc"`` (no web request: XML-RPC, cron, shell).
    """
    try:
        kind = request._request_type if request else None
    except RuntimeError:  # no request bound to this thread
        kind = None
    if kind is None:
        return "xmlrpc"
    if kind == "json" and request.httprequest.path == "/jsonrpc":
        return "jsonrpc"
    return "http" if kind == "http" else "web"


class ResUsers(models.Model):
    """Password alone never signs in a user who must use the SMS code.

    ``check_credentials`` is the one place every login path passes through:
    the web form, ``/web/session/authenticate``, ``common.authenticate`` /
    ``login`` and each ``object`` call over XML-RPC and ``/jsonrpc``. After
    the password is verified, a browser form login continues on the code page;
    every other path is refused unless the "password" is one of the user's API
    keys (XML-RPC and ``/jsonrpc`` only).

    Every verified credential and every session is bound to the user's
    security stamp, a random value in the database that is replaced on a
    password, login or active change, an API key revoke, a lockout, an admin
    reset and when the 2FA policy newly requires the user to use a code.
    Because the stamp is read from the database on every RPC call and every
    session request, the change takes effect at once in every worker of every
    node (Odoo's own per-process cache, ``res.users.check``, is not used).
    """

    _inherit = "res.users"

    # --- password guessing (auth_brute_force) --------------------------------
    @classmethod
    @contextmanager
    def _auth_attempt(cls, login):
        """OCA ``auth_brute_force``'s attempt tracking, with one change: an
        attempt is "successful" only when the credential check completed.

        OCA's version recorded every error other than ``AccessDenied`` (a full
        connection pool under a burst of parallel guesses, outside review) as
        a success, which reset the failure counts: unlimited guessing.
        """
        try:
            attempt_id = current_thread().auth_attempt_id   # nested call
        except AttributeError:
            attempt_id = cls._auth_attempt_new(login)
        if not attempt_id:
            yield
            return
        result = "failed"
        try:
            current_thread().auth_attempt_id = attempt_id
            try:
                yield
                result = "successful"
            except AccessDenied as error:
                result = getattr(error, "reason", "failed")
                raise
            finally:
                cls._auth_attempt_update({"result": result})
        finally:
            try:
                del current_thread().auth_attempt_id
            except AttributeError:
                pass   # a nested call ended it already

    prm_2fa_required = fields.Boolean(
        string="SMS code required", compute="_compute_prm_2fa_required")
    prm_2fa_locked_until = fields.Datetime(
        string="Code sign-in locked until", readonly=True, copy=False,
        groups="base.group_system")
    prm_2fa_failures = fields.Integer(
        string="Wrong codes since last sign-in", readonly=True, copy=False,
        groups="base.group_system")
    prm_2fa_device_generation = fields.Integer(
        readonly=True, copy=False, groups="base.group_system",
        help="Raised to void every 'trusted device' cookie of the user.")
    prm_security_stamp = fields.Char(
        string="Security stamp", readonly=True, copy=False, groups="base.group_system",
        default=lambda self: secrets.token_hex(16),
        help="Replaced to end every session, cached credential and trusted "
             "device of the user at once.")
    prm_2fa_mobile_masked = fields.Char(
        string="Code goes to", compute="_compute_prm_2fa_mobile_masked")
    prm_2fa_mobile_pending = fields.Char(
        string="New number (not confirmed)", readonly=True, copy=False,
        groups="base.group_system",
        help="Receives sign-in codes only after a code sent to it was "
             "confirmed; until then the current number keeps receiving them.")
    prm_api_key_ids = fields.One2many(
        "prm.2fa.api.key", "user_id", string="API keys",
        groups="base.group_system")

    def _compute_prm_2fa_required(self):
        service = self.env["prm.2fa.service"]
        for user in self:
            user.prm_2fa_required = service._required_for(user)

    def _compute_prm_2fa_mobile_masked(self):
        from ..lib.phone import mask_phone
        for user in self:
            mobile = user.partner_id.mobile
            user.prm_2fa_mobile_masked = mask_phone(mobile) if mobile else False

    # --- the security stamp ------------------------------------------------------
    @api.model
    def _prm_stamp(self, uid, policy=False):
        """The user's stamp, read from the database now; None when the user
        does not exist or is archived.

        ``policy``: with the 2FA scope and groups appended, so that a verified
        RPC credential is checked again after any change of the rule (also
        one made directly in the system parameters).
        """
        self.env.cr.execute("""
            SELECT COALESCE(u.prm_security_stamp, ''), CASE WHEN %s THEN (
                SELECT string_agg(value, ',' ORDER BY key) FROM ir_config_parameter
                 WHERE key IN ('prm_2fa_sms.scope', 'prm_2fa_sms.group_ids'))
                END
              FROM res_users u WHERE u.id = %s AND u.active""", (policy, uid))
        row = self.env.cr.fetchone()
        return None if row is None else "%s/%s" % row

    def _prm_rotate_stamp(self, reason):
        """End every session, cached credential and trusted device of ``self``."""
        if not self.ids:
            return
        self.env.cr.execute("""
            UPDATE res_users SET prm_security_stamp = md5(
                random()::text || clock_timestamp()::text || id::text)
             WHERE id IN %s""", (tuple(self.ids),))
        self.invalidate_cache(["prm_security_stamp"], self.ids)
        self._invalidate_session_cache()
        for user_id in self.ids:
            self.env["prm.2fa.event"]._record(
                user_id, "signed_out", detail=reason, author_id=self.env.uid)

    def _compute_session_token(self, sid):
        """Odoo's session token, bound to the current security stamp.

        Odoo caches its token per process; the stamp is read on every request
        (``check_session``), so a rotated stamp ends the session in every
        worker at once.
        """
        token = super()._compute_session_token(sid)
        if not token:
            return token
        stamp = self._prm_stamp(self.id)
        if stamp is None:
            return False
        return hmac.new(token.encode(), stamp.encode(), hashlib.sha256).hexdigest()

    def _invalidate_session_cache(self):
        # ``_compute_session_token`` is no ormcache here any more; clearing
        # the registry cache is what Odoo's ``clear_cache`` does.
        self.pool._clear_cache()

    @classmethod
    def check(cls, db, uid, passwd):
        """Verify ``(uid, passwd)`` of an RPC call (replaces Odoo's cache).

        Raises AccessDenied. A verified secret is remembered for this process
        only together with the stamp it was verified under; the stamp is read
        on every call, so a revoke anywhere takes effect here at once.
        """
        if not passwd or not isinstance(passwd, str) or \
                not isinstance(uid, int) or isinstance(uid, bool):
            # a uid that is no integer ("abc", False, [1]) reached the SQL
            # of the stamp check as a bad query (outside review)
            raise AccessDenied()
        with cls.pool.cursor() as cr:
            self = api.Environment(cr, uid, {})[cls._name]
            stamp = self._prm_stamp(uid, policy=True)
            if stamp is None:
                raise AccessDenied()
            key = (cls.pool.db_name, uid)
            entry = (_cache_digest(passwd), stamp)
            cached = _CHECKED.get(key)
            if cached and hmac.compare_digest(cached[0], entry[0]) and \
                    cached[1] == stamp:
                return
            self.check_credentials(passwd)
            if _channel() in ("xmlrpc", "jsonrpc"):
                _CHECKED[key] = entry

    @api.model
    def check_credentials(self, password):
        uid = self.env.uid
        channel = _channel()
        service = self.env["prm.2fa.service"]
        if channel in ("xmlrpc", "jsonrpc") and \
                self.env["prm.2fa.api.key"]._match(uid, password):
            if service._is_locked(self.env.user):
                self._prm_refuse(channel + " locked")
            return
        super().check_credentials(password)
        user = self.env.user
        if not service._required_for(user):
            return
        if channel == "http":
            raise SecondFactorRequired(uid, user.login)
        self._prm_refuse(channel)

    def _prm_refuse(self, detail):
        self.env["prm.2fa.event"]._record(self.env.uid, "refused", detail=detail)
        raise AccessDenied()

    @api.model
    def change_password(self, old_passwd, new_passwd):
        """Change the own password; the old one is checked, never cached.

        The caller is signed in already (a session with the code, or an API
        key), so the old password is compared with the stored hash only: no
        second-factor gate and no credential cache, so confirming a password
        here opens no RPC door. The new password ends every sign-in.
        """
        if not old_passwd:
            raise AccessDenied()
        super(ResUsers, self).check_credentials(old_passwd)
        if new_passwd:
            # sudo (as Odoo does): users may not write their password field.
            return self.env.user.sudo().write({"password": new_passwd})
        raise UserError(
            _("Setting empty passwords is not allowed for security reasons!"))

    # --- invalidation hooks ------------------------------------------------------
    @api.model
    def create(self, vals):
        pending = vals.get("prm_2fa_mobile_pending")
        if pending:
            # checked and stored like a written one (see write), in the
            # country of the contact that only exists after create
            vals = dict(vals, prm_2fa_mobile_pending=False)
        user = super().create(vals)
        user.partner_id._prm_check_second_factor_number()
        if pending:
            user.write({"prm_2fa_mobile_pending": pending})
        return user

    def write(self, vals):
        if vals.get("prm_2fa_mobile_pending"):
            # A second-factor number however it is written (the form shows it
            # read-only, RPC can write it): checked strictly, stored in E.164,
            # per user (a number without + is read in the user's country).
            if len(self) > 1:
                for user in self:
                    user.write(vals)
                return True
            # sudo: only the country of the user's contact is read.
            partner = self.sudo().partner_id
            vals = dict(vals, prm_2fa_mobile_pending=self.env[
                "res.partner"]._prm_normalised_mobile(
                    vals["prm_2fa_mobile_pending"], partner.country_id.id,
                    partner.parent_id.id))
        service = self.env["prm.2fa.service"]
        watch_policy = "groups_id" in vals or "share" in vals
        required_before = {user.id: service._required_for(user)
                           for user in self} if watch_policy else {}
        result = super().write(vals)
        changed = STAMP_FIELDS & set(vals)
        if changed:
            self._prm_rotate_stamp(", ".join(sorted(changed)))
        if watch_policy:
            newly = self.filtered(lambda user: not required_before[user.id] and
                                  service._required_for(user))
            newly._prm_rotate_stamp("policy")
        if "partner_id" in vals:
            self.mapped("partner_id")._prm_check_second_factor_number()
        return result

    # --- changing the second-factor number ---------------------------------------
    def _prm_set_pending_number(self, number):
        """Head office changed the number (E.164 or None); audited, user informed.

        A new number waits for confirmation; removing the number (e.g. a
        stolen phone) takes effect at once.
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        # sudo: the caller checked that head office changes the number; the
        # pending number is an admin-only field.
        user = self.sudo()
        if not number:
            old = user.partner_id.mobile
            user.write({"prm_2fa_mobile_pending": False})
            user.partner_id.with_context(prm_2fa_number_confirmed=True).write(
                {"mobile": False})
            self.env["prm.2fa.service"]._void_open_codes(user)
            self._prm_admin_event("mobile_changed", "-")
            # audited, mailed and texted to the old number
            self._prm_factor_changed("number_removed", old_number=old)
            return
        user.write({"prm_2fa_mobile_pending": number})
        self._prm_admin_event("number_pending", Partner._prm_masked(number))
        Partner._prm_inform_mobile_change(user, *self.with_context(
            lang=user.lang)._prm_number_notice(
                "pending", Partner._prm_masked(number)))

    def _prm_number_notice(self, kind, masked):
        """``(subject, body)`` of the number notice in the context's language.

        ``kind``: "removed", "pending" (a new number waits for its code) or
        "confirmed". Called with the recipient's language, not the editor's.
        """
        if kind == "removed":
            body = _("The mobile number that receives your sign-in codes was "
                     "removed. If you did not expect this, please contact head "
                     "office immediately.")
        elif kind == "pending":
            body = _("A new mobile number for your sign-in codes was entered: "
                     "%s. It receives codes only after a code sent to it has been "
                     "confirmed. If you did not expect this, please contact head "
                     "office immediately.") % masked
        else:
            body = _("The mobile number that receives your sign-in codes is now "
                     "%s. If you did not expect this, please contact head office "
                     "immediately.") % masked
        return _("Your sign-in phone number was changed"), body

    def _prm_set_first_number(self, number):
        """Head office gives a user without a number their first one."""
        self.ensure_one()
        # sudo: the caller checked that head office sets the number.
        user = self.sudo()
        user.write({"prm_2fa_mobile_pending": False})
        user.partner_id.with_context(prm_2fa_number_confirmed=True).write(
            {"mobile": number})
        self._prm_admin_event(
            "mobile_changed", self.env["res.partner"]._prm_masked(number))
        self._prm_factor_changed("number", new_number=number, first=True)

    def action_prm_2fa_send_number_code(self):
        """Send a confirmation code to the pending number (head office)."""
        self.ensure_one()
        self.env["res.partner"]._prm_check_number_manager()
        # sudo: the pending number is an admin-only field.
        number = self.sudo().prm_2fa_mobile_pending
        if not number:
            raise UserError(_("There is no new number to confirm."))
        service = self.env["prm.2fa.service"]
        try:
            # sudo: challenges have no access rights (sign-in flow only).
            service.sudo()._send_code(self, None, number=number)
        except TwoFactorError as error:
            raise UserError(service._user_message(error))
        return {
            "type": "ir.actions.act_window", "res_model": "prm.2fa.number.wizard",
            "view_mode": "form", "target": "new",
            "context": {"default_user_id": self.id},
        }

    def _prm_confirm_number(self, code, identity_check=None, identity_note=None):
        """Head office makes the pending number the user's number when
        ``code`` is right, after checking the user's identity.

        ``identity_check``: key of ``lib.factor_change.IDENTITY_CHECKS``
        (how the identity was checked; required), ``identity_note``: free
        text (who called whom, document seen...). Both are audited with the
        author. Raises UserError with the reason otherwise (no identity
        check, wrong or expired code...).
        """
        self.ensure_one()
        self.env["res.partner"]._prm_check_number_manager()
        detail = self._prm_identity_detail(identity_check, identity_note)
        self._prm_apply_pending_number(code)
        self._prm_admin_event("identity_checked", detail)
        return True

    @api.model
    def _prm_identity_detail(self, identity_check, identity_note=None):
        """The audit text of head office's identity check before it changes
        a user's second factor: ``identity_check`` is a key of
        ``lib.factor_change.IDENTITY_CHECKS`` (required: UserError without
        it), ``identity_note`` free text (who called whom, document seen)."""
        checks = dict(IDENTITY_CHECKS)
        if identity_check not in checks:
            raise UserError(_("Record how the user's identity was checked."))
        detail = _(checks[identity_check])
        return "%s: %s" % (detail, identity_note) if identity_note else detail

    # --- admin actions ---------------------------------------------------------
    def _prm_admin_event(self, event, detail=None):
        for user in self:
            self.env["prm.2fa.event"]._record(
                user.id, event, detail=detail, author_id=self.env.uid)

    def action_prm_2fa_unlock(self):
        # sudo: admin-only fields; the button is shown to administrators only.
        self.sudo().write({"prm_2fa_locked_until": False, "prm_2fa_failures": 0})
        self._prm_admin_event("unlock")
        return True

    def action_prm_2fa_reset(self):
        """Unlock, drop pending codes, end every sign-in and trusted device."""
        # sudo: admin action (button for administrators); challenges have no
        # access rights of their own.
        for user in self.sudo():
            self.env["prm.2fa.challenge"].sudo().search(
                [("user_id", "=", user.id)]).unlink()
            user.write({
                "prm_2fa_locked_until": False, "prm_2fa_failures": 0,
                "prm_2fa_device_generation": user.prm_2fa_device_generation + 1,
            })
        self._prm_admin_event("reset")
        self._prm_rotate_stamp("reset")
        return True

    def action_prm_2fa_revoke_devices(self):
        # sudo: admin action on an admin-only field.
        for user in self.sudo():
            user.prm_2fa_device_generation += 1
        self._prm_admin_event("devices_revoked")
        return True

    def action_prm_issue_api_key(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.2fa.api.key.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_user_id": self.id},
        }

    @api.model
    def prm_2fa_revoke_my_devices(self):
        """A user revokes all their trusted devices (from the portal)."""
        # sudo: the user may not write this admin-only field themselves; only
        # their own counter is raised.
        user = self.env.user.sudo()
        user.prm_2fa_device_generation += 1
        self.env["prm.2fa.event"]._record(user.id, "devices_revoked")
        return True
