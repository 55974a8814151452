import datetime
import hashlib
import logging

import psycopg2

from odoo import api, fields, models, sql_db, _

from ..glue import committed_env, translated
from ..lib import device_token, otp, phone
from ..lib.errors import TwoFactorError
from ..lib.gateway import SmsDeliveryError
from ..lib.phone import mask_phone
from ..lib.policy import (AccountLockedError, ChallengePolicy, NoMobileNumberError,
                          Outcome, ResendCooldownError, SendLimitError)
from ..lib.sms_providers import make_gateway

_logger = logging.getLogger(__name__)

# pg_advisory_xact_lock(SEND_LOCK_KEY, user id) serialises one user's code sends.
SEND_LOCK_KEY = 7312
PARAM = "prm_2fa_sms.%s"
DEFAULTS = {
    "scope": "all",
    "group_ids": "",
    "provider": "outbox",
    "http_preset": "generic",
    "http_url": "",
    "http_format": "json",
    "http_token": "",
    "http_username": "",
    "http_password": "",
    "http_sender": "PRM",
    "http_timeout": "10",
    "validity_seconds": "300",
    "max_attempts": "5",
    "resend_cooldown_seconds": "30",
    "max_sends_per_hour": "5",
    "lockout_after_failures": "10",
    "lockout_minutes": "30",
    "trust_days": "30",
    # second-factor methods per kind of user (lib.methods.RULES)
    "internal_methods": "sms_or_totp",
    "portal_methods": "sms_or_totp",
    "cooling_off_hours": "24",
}
DEVICE_COOKIE = "prm_2fa_device"
# Time zone of lock times for users without one (the operator's).
DEFAULT_TZ = "Europe/Berlin"


class OutboxGateway:
    """Stores messages in ``prm.sms.outbox`` (development only)."""

    def __init__(self, env, user):
        self.env = env
        self.user = user

    def send(self, to_e164, text):
        # sudo: the outbox is admin-only; the sign-in flow writes into it.
        message = self.env["prm.sms.outbox"].sudo().create({
            "to": to_e164, "body": text, "user_id": self.user.id})
        return str(message.id)


class Prm2faService(models.AbstractModel):
    """Configuration and the steps of the SMS second factor.

    The decisions (expiry, attempts, cooldown, lockout) are made by
    ``lib.policy``; this layer stores state and talks to the gateway. All
    methods run as superuser because they act before the user is signed in.
    """

    _name = "prm.2fa.service"
    _description = "SMS two-factor service"

    @api.model
    def _param(self, key):
        # sudo: configuration parameters are admin-only; reading them here
        # does not expose them to the caller.
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM % key)
        return DEFAULTS[key] if value in (None, False) else value

    @api.model
    def _policy(self):
        def number(key):
            return int(self._param(key))
        return ChallengePolicy(
            validity_seconds=number("validity_seconds"),
            max_attempts=number("max_attempts"),
            resend_cooldown_seconds=number("resend_cooldown_seconds"),
            max_sends_per_hour=number("max_sends_per_hour"),
            lockout_after_failures=number("lockout_after_failures"),
            lockout_minutes=number("lockout_minutes"),
        )

    @api.model
    def _gateway(self, user):
        """The configured gateway; a setting it cannot work with raises
        SmsDeliveryError (code ``configuration``), shown to administrators
        in the audit like a refusal by the provider."""
        if self._param("provider") != "http":
            return OutboxGateway(self.env, user)
        preset = self._param("http_preset")
        try:
            return make_gateway(
                preset,
                url=self._param("http_url"),
                payload_format=self._param("http_format"),
                username=self._param("http_username"),
                password=self._param("http_password"),
                token=self._param("http_token"),
                sender=self._param("http_sender"),
                timeout=float(self._param("http_timeout")),
            )
        except ValueError as exc:
            # The messages name settings, never their values.
            raise SmsDeliveryError("SMS gateway %s not usable: %s" % (preset, exc),
                                   error_code="configuration",
                                   error_message=str(exc)) from None

    # --- who must use it ---------------------------------------------------------
    @api.model
    def _required_for(self, user):
        scope = self._param("scope")
        if scope == "none":
            return False
        if scope == "portal":
            return user.share
        if scope == "internal":
            return not user.share
        if scope == "groups":
            ids = {int(i) for i in self._param("group_ids").split(",") if i.strip()}
            return bool(ids & set(user.groups_id.ids))
        return True

    # --- time helpers ----------------------------------------------------------
    @staticmethod
    def _now():
        return fields.Datetime.from_string(fields.Datetime.now())

    @staticmethod
    def _dt(value):
        return fields.Datetime.from_string(value) if value else None

    # --- sending -----------------------------------------------------------------
    @api.model
    def _message_text(self, user, code):
        minutes = max(1, int(self._param("validity_seconds")) // 60)
        service = self.with_context(lang=user.lang or "en_US")
        return service._translated_message(code, minutes)

    @api.model
    def _translated_message(self, code, minutes):
        return _("PRM Partner Portal sign-in code: %(code)s. Valid for %(minutes)s "
                 "minutes. Never share this code.") % {"code": code, "minutes": minutes}

    @api.model
    def _is_locked(self, user):
        """True while sign-in of ``user`` is locked after too many wrong codes."""
        # sudo: the lock is an admin-only field; only its value is used.
        until = user.sudo().prm_2fa_locked_until
        return self._policy().is_locked(self._dt(until), self._now())

    @api.model
    def _number_of(self, user):
        """The confirmed second-factor number of ``user`` in E.164, or None.

        Checked strictly on every use (letters are never read as digits); a
        number that does not pass counts as no number.
        """
        # sudo: the sign-in flow reads the number of the signing-in user.
        mobile = user.sudo().partner_id.mobile
        try:
            return phone.normalize_mobile(mobile, self.env["res.partner"].sudo()
                                          ._prm_country_code_of(user.partner_id))
        except TwoFactorError:
            return None

    @api.model
    def _check_can_send(self, user, now, fresh=False, to_new_number=False):
        """Raise a TwoFactorError when no code may be sent right now.

        ``fresh``: the first code of a new password sign-in, which the resend
        cooldown does not hold back (the hourly limit does).
        ``to_new_number``: the code goes to a new number to confirm, which
        needs no confirmed number (head office replacing a removed one).
        """
        policy = self._policy()
        if policy.is_locked(self._dt(user.prm_2fa_locked_until), now):
            raise AccountLockedError(until=self._lock_end_text(user))
        if not to_new_number and not self._number_of(user):
            raise NoMobileNumberError()
        recent = self._committed_challenges(user, now - datetime.timedelta(hours=1))
        if recent and not fresh:
            wait = policy.resend_wait_seconds(recent[0]["sent_at"], now)
            if wait:
                raise ResendCooldownError(seconds=wait)
        if policy.sends_exceeded([c["sent_at"] for c in recent], now):
            raise SendLimitError()

    @api.model
    def _lock_sends(self, user):
        """Serialise the code sends of ``user`` until this transaction ends.

        Parallel sign-ins and resends of one user wait here for each other,
        so the cooldown and the hourly limit hold under concurrency (an
        outside review sent 15 resends at once and got 15 SMS).
        """
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                            (SEND_LOCK_KEY, user.id))

    @api.model
    def _committed_challenges(self, user, since):
        """The challenges of ``user`` sent since ``since``, newest first, as
        dicts ``{id, sent_at (naive UTC datetime), used, attempts, purpose}``.

        Read after ``_lock_sends`` in a fresh transaction, whose snapshot sees
        the challenges other requests committed while this one waited (the
        request's own repeatable-read snapshot would not), plus this
        transaction's own.
        """
        self._lock_sends(user)
        query = """SELECT id, sent_at, used, attempts, purpose
                     FROM prm_2fa_challenge
                    WHERE user_id = %s AND sent_at >= %s"""
        params = (user.id, fields.Datetime.to_string(since))
        rows = {}
        with sql_db.db_connect(self.env.cr.dbname).cursor() as fresh:
            fresh.execute(query, params)
            rows.update((row[0], row) for row in fresh.fetchall())
        self.env.cr.execute(query, params)
        rows.update((row[0], row) for row in self.env.cr.fetchall())
        keys = ("id", "sent_at", "used", "attempts", "purpose")
        # Odoo's cursors return timestamps as text: parse them once here.
        found = [dict(zip(keys, row), sent_at=self._dt(row[1]))
                 for row in rows.values()]
        return sorted(found, key=lambda c: (c["sent_at"], c["id"]), reverse=True)

    @api.model
    def _reusable_challenge(self, user):
        """A code sent to ``user`` within the resend cooldown, still unused,
        unexpired and with attempts left (a second sign-in right after the
        first gets that code instead of a new SMS), or None."""
        policy = self._policy()
        now = self._now()
        since = now - datetime.timedelta(seconds=policy.resend_cooldown_seconds)
        found = [c for c in self._committed_challenges(user, since)
                 if not c["used"] and c["purpose"] == "login"]
        if not found or policy.is_expired(found[0]["sent_at"], now) \
                or not policy.attempts_left(found[0]["attempts"]):
            return None
        # sudo: challenges have no access rights; the caller keeps only the
        # id (a challenge committed by a parallel sign-in is not in this
        # request's snapshot yet, so it is not read here).
        return self.env["prm.2fa.challenge"].sudo().browse(found[0]["id"])

    @api.model
    def _send_code(self, user, ip, fresh=False, number=None, purpose=None):
        """Send a new code; returns the challenge. Raises TwoFactorError.

        ``number``: a new number (E.164) to confirm instead of the user's
        confirmed one; its code confirms the number and never signs in.
        ``purpose``: ``"action"`` for a code that confirms a change of the
        signed-in user's own second factors (never signs in); default
        ``"login"`` (``"number"`` with ``number``).

        The challenge is stored only after the gateway accepted the message,
        so a failed send neither counts as an attempt nor as a send.
        """
        # sudo: the sign-in flow acts before the user is signed in.
        user = user.sudo()
        now = self._now()
        self._check_can_send(user, now, fresh=fresh, to_new_number=bool(number))
        purpose = "number" if number else (purpose or "login")
        # A number to confirm is checked as strictly as the confirmed one.
        number = phone.normalize_mobile(
            number, self.env["res.partner"]._prm_country_code_of(
                user.partner_id)) if number else self._number_of(user)
        Event = self.env["prm.2fa.event"]
        Event._record(user.id, "challenge", ip)
        code = otp.generate_code()
        try:
            self._gateway(user).send(number, self._message_text(user, code))
        except SmsDeliveryError as error:
            _logger.warning("SMS code for user %s not sent: %s", user.id, error.detail)
            Event._record(user.id, "send_failed", ip, error.detail, sms_values={
                "sms_provider": self._provider_name(),
                "sms_error_code": error.error_code,
                "sms_error_message": error.error_message})
            raise
        # sudo: only the sign-in flow writes challenges (no access rights).
        challenge = self.env["prm.2fa.challenge"].sudo().create({
            "user_id": user.id, "code_hash": otp.hash_code(code),
            "sent_at": fields.Datetime.to_string(now), "ip": ip,
            "purpose": purpose,
            "number": number if purpose in ("number", "action") else False,
        })
        Event._record(user.id, "send", ip, mask_phone(number))
        return challenge

    @api.model
    def _provider_name(self):
        """The configured delivery as the audit names it, e.g. ``twilio``."""
        if self._param("provider") != "http":
            return self._param("provider")
        return self._param("http_preset")

    @api.model
    def _void_open_codes(self, user):
        """Make the unused sign-in codes of ``user`` unusable.

        Called when the number that receives codes changes: a code already
        sent to the old number (maybe a lost or stolen phone) must neither
        sign in, confirm the current factor, nor be handed out again to a
        second sign-in.
        """
        # sudo: challenges have no access rights (sign-in flow only).
        self.env["prm.2fa.challenge"].sudo().search([
            ("user_id", "=", user.id), ("purpose", "in", ("login", "action")),
            ("used", "=", False)]).write({"used": True})

    # --- checking ----------------------------------------------------------------
    @api.model
    def _verify(self, challenge, code, ip):
        """Check ``code``; returns None on success or the TwoFactorError to show."""
        # sudo: the caller bound the challenge to the pending user.
        challenge = challenge.sudo()
        user = challenge.user_id
        policy = self._policy()
        now = self._now()
        if policy.is_locked(self._dt(user.prm_2fa_locked_until), now):
            return AccountLockedError(until=self._lock_end_text(user))
        matches = otp.verify_code(code, challenge.code_hash)
        result = policy.evaluate_attempt({
            "created_at": self._dt(challenge.sent_at),
            "attempts": challenge.attempts, "used": challenge.used,
        }, matches, now)
        Event = self.env["prm.2fa.event"]
        if result.outcome == Outcome.OK:
            challenge.write({"used": True})
            user.write({"prm_2fa_failures": 0})
            Event._record(user.id, "success", ip)
            return None
        if result.outcome in (Outcome.WRONG, Outcome.TOO_MANY_ATTEMPTS) and \
                result.attempts != challenge.attempts:
            locked = self._count_failure(user, now, ip, challenge=challenge,
                                         attempts=result.attempts)
            if locked:
                return locked
        elif result.outcome == Outcome.EXPIRED:
            Event._record(user.id, "expired", ip)
        return policy.error_for(result)

    @api.model
    def _count_failure(self, user, now, ip, detail=None, challenge=None,
                       attempts=None):
        """Count one wrong second-factor entry of ``user`` (SMS code,
        authenticator code, recovery code alike) and lock sign-in when there
        are too many; returns the AccountLockedError then, else None.
        ``challenge``/``attempts``: the SMS challenge whose attempt count
        becomes ``attempts``.

        The count survives a rollback of the request: a caller that raises
        after a wrong code (a backend wizard's UserError, an RPC error)
        would otherwise undo it and let a guesser try without limit. It is
        written on a cursor of its own, with the user's row locked so that
        parallel guesses all count (like the audit, ``prm.2fa.event._record``;
        in tests the users exist only in the test transaction: same cursor).
        If the request's own transaction holds that row (it wrote the user
        before), the count is made there after a short lock wait.
        """
        args = (user.id, now, ip, detail, challenge and challenge.id, attempts)
        try:
            with committed_env(self.env, lock_timeout="5s") as env:
                error = self.with_env(env)._count_failure_here(*args)
        except psycopg2.errors.LockNotAvailable:
            _logger.warning("second-factor failure of user %s counted in the "
                            "request's transaction (row locked)", user.id)
            return self._count_failure_here(*args)
        # the request's cache must see what the other cursor committed
        self.env["res.users"].invalidate_cache(ids=[user.id])
        self.env["prm.2fa.challenge"].invalidate_cache(
            ids=[challenge.id] if challenge else [])
        return error

    @api.model
    def _count_failure_here(self, user_id, now, ip, detail, challenge_id, attempts):
        """``_count_failure`` on this environment's cursor."""
        # NO KEY UPDATE: the audit entry (prm.2fa.event._record, a cursor of
        # its own) references the user and takes a KEY SHARE lock on the row.
        self.env.cr.execute(
            "SELECT 1 FROM res_users WHERE id = %s FOR NO KEY UPDATE", [user_id])
        # sudo: failure counts are admin-only fields of the signing-in user;
        # challenges have no access rights.
        user = self.env["res.users"].sudo().browse(user_id)
        user.invalidate_cache(["prm_2fa_failures"], [user_id])
        if challenge_id:
            self.env["prm.2fa.challenge"].sudo().browse(challenge_id).write(
                {"attempts": attempts})
        failures = user.prm_2fa_failures + 1
        user.write({"prm_2fa_failures": failures})
        self.env["prm.2fa.event"]._record(user.id, "failure", ip, detail)
        if self._policy().should_lock(failures):
            return self._lock(user, now, ip)
        return None

    @api.model
    def _lock(self, user, now, ip):
        until = fields.Datetime.to_string(self._policy().lock_until(now))
        user.write({"prm_2fa_locked_until": until, "prm_2fa_failures": 0})
        self.env["prm.2fa.event"]._record(user.id, "lockout", ip)
        # A lock holds on every path: sessions, API keys, trusted devices.
        user._prm_rotate_stamp("lockout")
        self._notify_head_office(user)
        return AccountLockedError(until=self._lock_end_text(user))

    @api.model
    def _lock_end_text(self, user):
        """End of ``user``'s lock as the user reads it: in the user's time zone
        (Europe/Berlin when none is set) and the date and time format of the
        request's language, without seconds, e.g. "29.11.2026 21:47"."""
        # sudo: the lock is an admin-only field; only its end is shown to the
        # user it locks.
        return self._time_text(user, user.sudo().prm_2fa_locked_until)

    @api.model
    def _time_text(self, user, value):
        """``value`` (naive UTC datetime or its string) as ``user`` reads it:
        in the user's time zone (Europe/Berlin when none is set), in the date
        and time format of the context's language, without seconds."""
        tz = user.sudo().tz or DEFAULT_TZ
        if not isinstance(value, str):
            value = fields.Datetime.to_string(value)
        return self.env["ir.qweb.field.datetime"].with_context(tz=tz).value_to_html(
            value, {"hide_seconds": True})

    @api.model
    def _notify_head_office(self, user):
        """Inbox message to the administrators about a lockout.

        The message is stored once for every admin, so it names the lock's
        length, not a time of day (its own date is shown in each reader's zone).
        """
        admins = self.env.ref("base.group_system").users.filtered(
            lambda u: u.id != user.id)
        body = _("Sign-in with a code was locked for %(user)s (%(login)s) for "
                 "%(minutes)s minutes after too many wrong codes.") % {
            "user": user.name, "login": user.login,
            "minutes": self._policy().lockout_minutes}
        user.partner_id.message_post(
            body=body, subject=_("Two-factor lockout"),
            partner_ids=admins.mapped("partner_id").ids,
            message_type="notification", subtype="mail.mt_comment")

    # --- trusted devices ---------------------------------------------------------
    @api.model
    def _device_secret(self):
        # sudo: the database secret only keys the HMAC, it is never returned.
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hashlib.sha256(("prm-2fa-device:%s" % secret).encode()).digest()

    @api.model
    def _device_binding(self, user):
        # sudo: the password hash is only hashed again into the binding.
        user = user.sudo()
        return device_token.binding_for(
            "%s:%s" % (user.password_crypt or "", user.prm_security_stamp or ""),
            user.prm_2fa_device_generation)

    @api.model
    def _make_device_token(self, user):
        days = int(self._param("trust_days"))
        expires = int(self._now().timestamp()) + days * 86400
        return device_token.make_token(
            self._device_secret(), user.id, self._device_binding(user), expires), \
            days * 86400

    @api.model
    def _device_trusted(self, user, token):
        if not token:
            return False
        return device_token.check_token(
            self._device_secret(), token, user.id, self._device_binding(user),
            int(self._now().timestamp()))

    @api.model
    def _user_message(self, error):
        """Translated text of a lib error for the page."""
        if isinstance(error, TwoFactorError):
            return translated(error)
        return str(error)
