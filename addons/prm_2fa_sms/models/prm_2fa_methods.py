"""Authenticator app and recovery codes beside the SMS code.

The same service as the SMS code: one failure count and lock per user
(``_count_failure``), one audit (``prm.2fa.event``). Decisions are made in
``lib.totp``, ``lib.recovery`` and ``lib.methods``; this layer stores state.
"""
import time

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..lib import methods, recovery, secret_box, totp
from ..lib.errors import TwoFactorError
from ..lib.factor_change import CurrentFactorCodeMissingError, NoWorkingNumberError
from ..lib.methods import (NoCurrentFactorError, NoSecretKeyError,
                           TotpAlreadyError, WrongRecoveryCodeError, WrongTotpError)
from ..lib.policy import AccountLockedError, CodeUsedError

ISSUER = "PRM Partner Portal"


class Prm2faService(models.AbstractModel):
    _inherit = "prm.2fa.service"

    # --- rules -------------------------------------------------------------------
    @api.model
    def _rule_of(self, user):
        """The method rule (``lib.methods.RULES``) of ``user``'s kind."""
        return methods.rule_for(user.share, self._param("internal_methods"),
                                self._param("portal_methods"))

    @api.model
    def _may_enrol(self, user):
        """True when ``user`` may set up an authenticator: the 2FA scope
        covers the user (outside it the app would protect nothing) and the
        method rule allows it."""
        return self._required_for(user) and \
            methods.may_enrol_totp(self._rule_of(user))

    @api.model
    def _plan(self, user):
        """The ``lib.methods.Plan`` of a sign-in of ``user``."""
        return methods.sign_in_plan(self._rule_of(user), bool(self._number_of(user)),
                                    self._has_totp(user))

    # --- stored state -------------------------------------------------------------
    @api.model
    def _secret_key(self):
        return tools.config.get("prm_2fa_secret_key")

    @api.model
    def _totp_record(self, user, confirmed=True):
        # sudo: nobody has access rights to authenticator records; the flow
        # acts for the password-verified or signed-in user only.
        return self.env["prm.2fa.totp"].sudo().search(
            [("user_id", "=", user.id), ("confirmed", "=", confirmed)], limit=1)

    @api.model
    def _has_totp(self, user):
        return bool(self._totp_record(user))

    @api.model
    def _secret_of(self, record):
        try:
            return secret_box.decrypt(self._secret_key(), record.secret_enc)
        except secret_box.NoKeyError:
            raise NoSecretKeyError() from None

    @api.model
    def _recovery_records(self, user):
        # sudo: recovery codes have no access rights (see _totp_record).
        return self.env["prm.2fa.recovery.code"].sudo().search(
            [("user_id", "=", user.id), ("used", "=", False)], order="id")

    @api.model
    def _recovery_left(self, user):
        return len(self._recovery_records(user))

    # --- enrolment ----------------------------------------------------------------
    @api.model
    def _totp_begin(self, user):
        """Start (or continue) setting up an authenticator for ``user``.

        Returns ``{"qr": data URI, "key": grouped secret, "uri": otpauth URI}``
        of the unconfirmed secret; a started set-up keeps its secret, so a
        reloaded page shows the same QR code. Raises TwoFactorError.
        """
        if not self._may_enrol(user):
            raise methods.TotpNotAllowedError()
        if self._has_totp(user):
            raise TotpAlreadyError()
        record = self._totp_record(user, confirmed=False)
        secret = record and self._secret_of(record)
        if not secret:
            secret = totp.new_secret()
            try:
                stored = secret_box.encrypt(self._secret_key(), secret)
            except secret_box.NoKeyError:
                raise NoSecretKeyError() from None
            record.unlink()
            # sudo: see _totp_record.
            self.env["prm.2fa.totp"].sudo().create(
                {"user_id": user.id, "secret_enc": stored})
        uri = totp.provisioning_uri(secret, user.login, ISSUER)
        return {"qr": totp.qr_data_uri(uri), "key": totp.grouped_key(secret),
                "uri": uri}

    @api.model
    def _totp_confirm(self, user, code, ip):
        """Finish the set-up with a code from the app.

        Returns ``(error, recovery codes)``: ``(None, [10 new codes])`` on
        success (the codes are shown once, only their hashes are kept),
        ``(TwoFactorError, None)`` otherwise. A wrong code counts like a
        wrong sign-in code.
        """
        record = self._totp_record(user, confirmed=False)
        if not record or self._has_totp(user):
            return methods.TotpNotAllowedError(), None
        error = self._check_totp_record(user, record, code, ip, "totp set-up")
        if error:
            return error, None
        first = not self._number_of(user)   # no factor before this one
        record.write({"confirmed": True})
        codes = self._recovery_generate(user)
        user._prm_admin_event("totp_enrolled")
        user._prm_factor_changed("totp_added", first=first)
        return None, codes

    @api.model
    def _totp_remove(self, user, code, ip):
        """Remove ``user``'s authenticator; ``code`` is a current second
        factor (authenticator or SMS action code). Returns None or the error."""
        try:
            methods.check_remove_totp(self._rule_of(user))
        except TwoFactorError as error:
            return error
        error = self._check_current_factor(user, code, ip)
        if error:
            return error
        self._totp_record(user).unlink()
        self._totp_record(user, confirmed=False).unlink()
        # the recovery codes stand in for the app: they go with it
        self._recovery_records(user).unlink()
        user._prm_admin_event("totp_removed")
        user._prm_factor_changed("totp_removed")
        return None

    # --- checking -------------------------------------------------------------------
    @api.model
    def _check_totp(self, user, code, ip):
        """Check an authenticator code of ``user`` at sign-in.

        Returns None on success or the TwoFactorError to show.
        """
        record = self._totp_record(user)
        if not record:
            return WrongTotpError()
        return self._check_totp_record(user, record, code, ip, "totp")

    @api.model
    def _check_totp_record(self, user, record, code, ip, detail):
        now = self._now()
        if self._is_locked(user):
            return AccountLockedError(until=self._lock_end_text(user))
        outcome, step = totp.check_code(self._secret_of(record), code, time.time(),
                                        record.last_step or None)
        if outcome == totp.Check.OK:
            record.write({"last_step": step})
            # sudo: failure counts are admin-only fields.
            user.sudo().write({"prm_2fa_failures": 0})
            self.env["prm.2fa.event"]._record(user.id, "success", ip, detail)
            return None
        # A code used before counts as a wrong one: it may be replayed.
        locked = self._count_failure(
            user, now, ip, detail + (" reused" if outcome == totp.Check.REUSED
                                     else ""))
        if locked:
            return locked
        return CodeUsedError() if outcome == totp.Check.REUSED else WrongTotpError()

    @api.model
    def _check_recovery(self, user, code, ip):
        """Check a recovery code; a right one is used up, audited and mailed.

        Returns None on success or the TwoFactorError to show.
        """
        now = self._now()
        if self._is_locked(user):
            return AccountLockedError(until=self._lock_end_text(user))
        if not methods.may_enrol_totp(self._rule_of(user)):
            # recovery codes stand in for the app: where the policy allows
            # SMS codes only, codes left from an earlier app sign nobody in
            return methods.RecoveryNotAllowedError()
        records = self._recovery_records(user)
        index = recovery.find_match(code, records.mapped("code_hash"))
        if index is None:
            return self._count_failure(user, now, ip, "recovery") or \
                WrongRecoveryCodeError()
        records[index].write({"used": True, "used_at": fields.Datetime.now()})
        # sudo: failure counts are admin-only fields.
        user.sudo().write({"prm_2fa_failures": 0})
        left = len(records) - 1
        self.env["prm.2fa.event"]._record(
            user.id, "recovery_used", ip, "%d left" % left)
        self._inform_recovery_used(user, left)
        return None

    @api.model
    def _inform_recovery_used(self, user, left):
        """E-mail to ``user`` (in their language) that a recovery code was used."""
        service = self.with_context(lang=user.lang or "en_US")
        subject = service._recovery_notice_subject()
        text = service._recovery_notice_text(left)
        # sudo: the notice goes to the user's own address on behalf of the system.
        self.env["res.partner"]._prm_inform_mobile_change(user.sudo(), subject, text)

    @api.model
    def _recovery_notice_subject(self):
        return _("A recovery code was used to sign in")

    @api.model
    def _recovery_notice_text(self, left):
        return _("A recovery code was just used to sign in to your account. "
                 "%(left)s recovery codes are left. If this was not you, "
                 "please contact head office immediately.") % {"left": left}

    @api.model
    def _check_current_factor(self, user, code, ip):
        """The current second factor before a change of the own factors
        (authenticator, recovery codes, the SMS number): ``code`` is a
        current code of the authenticator app or the newest unused SMS
        action code sent to the number the user has now (a code sent to a
        number changed since does not count). Returns None or the
        TwoFactorError to show; wrong codes count like sign-in codes
        (attempts, failures, lockout, audit)."""
        record = self._totp_record(user)
        number = self._number_of(user)
        # sudo: challenges have no access rights; only ``user``'s own are read.
        challenge = self.env["prm.2fa.challenge"].sudo().search(
            [("user_id", "=", user.id), ("purpose", "=", "action"),
             ("used", "=", False)], order="sent_at desc, id desc", limit=1)
        if challenge and challenge.number != number:
            challenge = challenge.browse()
        if record:
            matches = totp.check_code(self._secret_of(record), code, time.time(),
                                      record.last_step or None)[0] == totp.Check.OK
            if matches or not challenge:
                return self._check_totp_record(user, record, code, ip, "totp")
        if challenge:
            return self._verify(challenge, code or "", ip)
        if not number:
            return NoCurrentFactorError() if record else NoWorkingNumberError()
        return NoCurrentFactorError() if record else \
            CurrentFactorCodeMissingError()

    @api.model
    def _send_action_code(self, user, ip):
        """Send a code to ``user``'s confirmed number that confirms the
        current factor before a change of the own second factors (never a
        sign-in). Raises TwoFactorError (no working number:
        NoWorkingNumberError; limits and lock as for sign-in)."""
        if not self._number_of(user):
            raise NoWorkingNumberError()
        return self._send_code(user, ip, purpose="action")

    # --- recovery codes -------------------------------------------------------------
    @api.model
    def _recovery_generate(self, user):
        """Replace ``user``'s recovery codes; returns the 10 new codes."""
        codes = recovery.generate_codes()
        # sudo: recovery codes have no access rights.
        Code = self.env["prm.2fa.recovery.code"].sudo()
        Code.search([("user_id", "=", user.id)]).unlink()
        for code in codes:
            Code.create({"user_id": user.id, "code_hash": recovery.hash_code(code)})
        return codes

    @api.model
    def _recovery_regenerate(self, user, code, ip):
        """New recovery codes after a current second factor; ``(error, codes)``."""
        error = self._check_current_factor(user, code, ip)
        if error:
            return error, None
        codes = self._recovery_generate(user)
        user._prm_admin_event("recovery_generated")
        user._prm_factor_changed("recovery_codes")
        return None, codes

    @api.model
    def _reset_methods(self, user):
        """Head office: drop the authenticator and recovery codes of ``user``."""
        # sudo: see _totp_record.
        self.env["prm.2fa.totp"].sudo().search([("user_id", "=", user.id)]).unlink()
        self.env["prm.2fa.recovery.code"].sudo().search(
            [("user_id", "=", user.id)]).unlink()

    @api.model
    def _raise_user_error(self, error):
        """Raise ``error`` (a TwoFactorError) as a translated UserError."""
        raise UserError(self._user_message(error))
