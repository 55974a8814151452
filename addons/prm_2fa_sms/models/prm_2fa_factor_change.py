"""Safe changes of a second factor and the cooling-off after them (issue 21).

- ``prm.2fa.service._check_current_factor`` (``prm_2fa_methods.py``): the
  current factor before a change (authenticator code or an SMS code to the
  current number).
- ``res.users._prm_self_number_*``: the self-service number change of
  ``/my/security/number`` (current factor, then a code to the new number).
- ``res.users._prm_factor_changed``: every change of a second factor ends
  here: time stored, audited, the user told on the old and the new channel.
- ``prm.2fa.service._prm_check_cooling_off``: the one check of every
  high-risk action (exports, user management, API keys) after a change.
"""
import logging
import threading

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from ..lib.cooling_off import CoolingOffError, cooling_off_end
from ..lib.errors import TwoFactorError
from ..lib.factor_change import (
    NoNewNumberError, NoWorkingNumberError, SameNumberError)
from ..lib.gateway import SmsDeliveryError

_logger = logging.getLogger(__name__)

# res.users fields whose change is user management (groups as written by
# the form: ``in_group_<id>`` / ``sel_groups_<ids>``, or ``groups_id``).
USER_MANAGEMENT_FIELDS = {"groups_id", "login", "active", "share"}
USER_MANAGEMENT_PREFIXES = ("in_group_", "sel_groups_")


def _managed(vals):
    return any(key in USER_MANAGEMENT_FIELDS or key.startswith(
        USER_MANAGEMENT_PREFIXES) for key in vals)


class Prm2faService(models.AbstractModel):
    _inherit = "prm.2fa.service"

    # --- notices -----------------------------------------------------------------
    @api.model
    def _prm_send_notice(self, user, number, text, ip=None):
        """Text ``number`` (E.164) through the configured gateway; a failure
        is audited (``send_failed``) and logged, never raised."""
        try:
            self._gateway(user).send(number, text)
        except SmsDeliveryError as error:
            _logger.warning("SMS notice for user %s not sent: %s", user.id,
                            error.detail)
            self.env["prm.2fa.event"]._record(
                user.id, "send_failed", ip, error.detail, sms_values={
                    "sms_provider": self._provider_name(),
                    "sms_error_code": error.error_code,
                    "sms_error_message": error.error_message})

    # --- cooling-off ---------------------------------------------------------------
    @api.model
    def _prm_actor(self):
        """The person acting: the user of the web session or RPC call that
        this thread serves (also when the code runs as superuser, e.g. a
        wizard creating users as sudo; in Odoo 11 that includes ``admin``,
        uid 1, signed in as a person), else the environment's user; None
        for the superuser without a session or call (cron, installation,
        signup as sudo).

        Odoo records that user on the thread (``odoo.http`` for sessions,
        ``odoo.service.model.dispatch`` for XML-RPC and ``/jsonrpc``).
        """
        uid = getattr(threading.current_thread(), "uid", None)
        if not uid:
            uid = self.env.uid
            if uid == SUPERUSER_ID:
                return None
        # sudo: the actor's cooling-off fields are admin-only.
        return self.env["res.users"].sudo().browse(uid)

    @api.model
    def _prm_cooling_off_until(self, user):
        """End of ``user``'s cooling-off (naive UTC datetime) or None."""
        # sudo: admin-only fields; only their values decide.
        user = user.sudo()
        return cooling_off_end(
            self._dt(user.prm_2fa_factor_changed_at),
            self._dt(user.prm_2fa_cooling_off_ended_at),
            int(self._param("cooling_off_hours") or 0), self._now())

    @api.model
    def _prm_check_cooling_off(self, action, user=None):
        """Raise UserError when a high-risk ``action`` (str for the audit,
        e.g. a route or ``model.method``) must wait for the cooling-off of
        ``user`` (default: the actor, ``_prm_actor``).

        The message is in the context's language (else the user's), with
        the end in the user's time zone; the refusal is audited.
        """
        user = user if user is not None else self._prm_actor()
        if not user:
            return
        until = self._prm_cooling_off_until(user)
        if until is None:
            return
        self.env["prm.2fa.event"]._record(
            user.id, "cooling_off_refused", detail=action)
        service = self.with_context(
            lang=self.env.context.get("lang") or user.sudo().lang or "en_US")
        raise UserError(service._prm_translated(
            CoolingOffError(until=service._time_text(user, until))))

    @api.model
    def _prm_back_text(self):
        return _("Back")

    @api.model
    def _prm_translated(self, error):
        """The text of a ``lib`` error in the language of the context."""
        # ``_`` reads the language from ``self``'s context in this frame.
        return _(error.template) % error.params


class ResUsers(models.Model):
    _inherit = "res.users"

    prm_2fa_factor_changed_at = fields.Datetime(
        string="Second factor last changed", readonly=True, copy=False,
        groups="base.group_system",
        help="Starts the cooling-off of exports and user management.")
    prm_2fa_cooling_off_ended_at = fields.Datetime(
        string="Cooling-off ended early", readonly=True, copy=False,
        groups="base.group_system")
    prm_2fa_cooling_off_until = fields.Datetime(
        string="Exports and user management paused until",
        compute="_compute_prm_2fa_cooling_off_until", groups="base.group_system")

    def _compute_prm_2fa_cooling_off_until(self):
        service = self.env["prm.2fa.service"]
        for user in self:
            until = service._prm_cooling_off_until(user)
            user.prm_2fa_cooling_off_until = until and \
                fields.Datetime.to_string(until)

    # --- every change of a second factor ---------------------------------------
    def _prm_factor_changed(self, kind, old_number=None, new_number=None,
                            first=False):
        """A second factor of each user in ``self`` changed just now.

        ``kind``: "number" (a new or first number), "number_removed",
        "totp_added", "totp_removed", "recovery_codes" (other values are
        audited as given). ``old_number``/``new_number``: E.164 numbers
        that get an SMS notice (number changes). ``first``: the user's
        first second factor (none before: set up, not changed).

        Stores the time (starts the cooling-off of high-risk actions; not
        for a first factor, which replaces nothing an attacker could have
        swapped), writes a ``factor_changed`` event naming the author, mails
        the user and texts the old and the new number, in the user's
        language.
        """
        service = self.env["prm.2fa.service"].sudo()
        Partner = self.env["res.partner"]
        now = fields.Datetime.now()
        # sudo: the change time is an admin-only field; the notices go to
        # the user's own address and numbers.
        for user in self.sudo():
            if not first:
                user.write({"prm_2fa_factor_changed_at": now})
            self.env["prm.2fa.event"]._record(
                user.id, "factor_changed", detail=kind + (" (first)" if first else ""),
                author_id=self.env.uid)
            notice = self.with_context(lang=user.lang or "en_US")
            Partner._prm_inform_mobile_change(user, *notice._prm_factor_notice(
                kind, Partner._prm_masked(new_number)))
            text = notice._prm_factor_sms_text()
            for number in [old_number, new_number]:
                if number:
                    service._prm_send_notice(user, number, text)
        return True

    def _prm_factor_notice(self, kind, masked_new):
        """``(subject, body)`` of the mail about a factor change, in the
        context's language."""
        if kind == "number_removed":
            subject, body = self._prm_number_notice("removed", masked_new)
        elif kind == "number":
            subject, body = self._prm_number_notice("confirmed", masked_new)
        else:
            labels = {"totp_added": _("an authenticator app was added"),
                      "totp_removed": _("an authenticator app was removed"),
                      "recovery_codes": _("new recovery codes were created")}
            subject = _("Your sign-in method was changed")
            body = _("A method of your two-step sign-in was changed (%s). If "
                     "you did not expect this, please contact head office "
                     "immediately.") % labels.get(kind, kind)
        hours = int(self.env["prm.2fa.service"]._param("cooling_off_hours") or 0)
        if hours:
            body += " " + _("For your security, exports and user management "
                            "are paused for %s hours.") % hours
        return subject, body

    def _prm_factor_sms_text(self):
        return _("PRM Partner Portal: the phone number or method of your "
                 "sign-in was changed. Not you? Call head office now.")

    # --- self-service number change ------------------------------------------
    def _prm_self(self):
        """The signed-in user (as superuser: 2FA fields are admin-only);
        the self-service methods act on nobody else."""
        # sudo: only the caller's own record, never one passed in.
        return self.env.user.sudo()

    @api.model
    def _prm_self_number_send_current(self, ip=None):
        """Step 1: a code to the current number. Raises UserError."""
        service = self.env["prm.2fa.service"].sudo()
        try:
            service._send_action_code(self._prm_self(), ip)
        except TwoFactorError as error:
            raise UserError(service._user_message(error))
        return True

    @api.model
    def _prm_self_number_check_current(self, code, ip=None):
        """Step 2: the code of step 1. Raises UserError when wrong (counted
        like a wrong sign-in code)."""
        service = self.env["prm.2fa.service"].sudo()
        error = service._check_current_factor(self._prm_self(), code, ip)
        if error is not None:
            raise UserError(service._user_message(error))
        return True

    @api.model
    def _prm_self_number_set(self, number, ip=None):
        """Step 3 (only after step 2, checked by the caller): ``number``
        becomes the pending number and gets its confirmation code.

        Raises UserError (or ValidationError for a malformed number).
        """
        user = self._prm_self()
        service = self.env["prm.2fa.service"].sudo()
        Partner = self.env["res.partner"]
        partner = user.partner_id
        number = Partner._prm_normalised_mobile(
            number, partner.country_id.id, partner.parent_id.id)
        try:
            if not service._number_of(user):
                # without a current factor only head office changes it
                raise NoWorkingNumberError()
            if not number:
                raise NoNewNumberError()
            if number == service._number_of(user):
                raise SameNumberError()
            # Nothing stays pending when the code cannot be sent.
            with self.env.cr.savepoint():
                user.write({"prm_2fa_mobile_pending": number})
                # fresh: the code to the current number went out a moment
                # ago; the resend cooldown is for codes to the same number.
                service._send_code(user, ip, fresh=True, number=number)
        except TwoFactorError as error:
            raise UserError(service._user_message(error))
        self.env["prm.2fa.event"]._record(
            user.id, "number_pending", ip, Partner._prm_masked(number),
            author_id=user.id)
        return True

    @api.model
    def _prm_self_number_confirm(self, code, ip=None):
        """Step 4 (only after step 2): the code sent to the new number makes
        it the user's number. Raises UserError."""
        # As the caller (``env.user`` runs as superuser): the audit names
        # the user as the author.
        self.browse(self.env.uid)._prm_apply_pending_number(code, ip)
        return True

    def _prm_apply_pending_number(self, code, ip=None):
        """Make the pending number the number when ``code`` (sent to it) is
        right: codes of the old number voided, audited, the user told on
        both numbers (``_prm_factor_changed``). Raises UserError.

        The caller checked who may do this (head office or the user after
        the current factor).
        """
        self.ensure_one()
        # sudo: admin-only fields and challenges (no access rights).
        user = self.sudo()
        number = user.prm_2fa_mobile_pending
        service = self.env["prm.2fa.service"].sudo()
        challenge = self.env["prm.2fa.challenge"].sudo().search(
            [("user_id", "=", user.id), ("purpose", "=", "number"),
             ("number", "=", number), ("used", "=", False)],
            order="sent_at desc", limit=1) if number else None
        if not challenge:
            raise UserError(_("Send a code to the new number first."))
        error = service._verify(challenge, code, ip)
        if error is not None:
            raise UserError(service._user_message(error))
        old = user.partner_id.mobile
        user.write({"prm_2fa_mobile_pending": False})
        user.partner_id.with_context(prm_2fa_number_confirmed=True).write(
            {"mobile": number})
        service._void_open_codes(user)
        self._prm_admin_event(
            "number_confirmed", self.env["res.partner"]._prm_masked(number))
        self._prm_factor_changed("number", old_number=old, new_number=number)
        return True

    # --- cooling-off: head office and the gates ----------------------------------
    def action_prm_end_cooling_off(self):
        """Head office ends the cooling-off of these users now (audited)."""
        self.env["res.partner"]._prm_check_number_manager()
        # sudo: admin-only field; the caller is head office (checked above).
        self.sudo().write({"prm_2fa_cooling_off_ended_at": fields.Datetime.now()})
        self._prm_admin_event("cooling_off_ended")
        return True

    @api.model
    def create(self, vals):
        self.env["prm.2fa.service"]._prm_check_cooling_off("res.users.create")
        return super().create(vals)

    def write(self, vals):
        service = self.env["prm.2fa.service"]
        if _managed(vals):
            service._prm_check_cooling_off("res.users.write")
        elif "password" in vals:
            # another user's password (the users form, Odoo's change-password
            # wizard, RPC) is user management; the own one is not
            actor = service._prm_actor()
            if actor and self - actor:
                service._prm_check_cooling_off("res.users.write password", actor)
        return super().write(vals)

    def unlink(self):
        self.env["prm.2fa.service"]._prm_check_cooling_off("res.users.unlink")
        return super().unlink()

    def action_reset_password(self):
        self.env["prm.2fa.service"]._prm_check_cooling_off(
            "res.users.action_reset_password")
        return super().action_reset_password()


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        if "users" in vals:
            self.env["prm.2fa.service"]._prm_check_cooling_off("res.groups.write")
        return super().write(vals)


class IrActionsReport(models.Model):
    """Reports are data leaving like exports, on every path: Odoo's report
    routes, our download routes and RPC calls of the report action."""

    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        self.env["prm.2fa.service"]._prm_check_cooling_off(
            # mapped: none or several reports reach the refusal of
            # prm_partner_portal (``_prm_check_one``), not "Expected singleton"
            "report %s" % ", ".join(
                filter(None, self.exists().mapped("report_name"))))
        return super().render_qweb_pdf(res_ids, data=data)

    @api.model
    def render_qweb_html(self, docids, data=None):
        self.env["prm.2fa.service"]._prm_check_cooling_off(
            "report %s" % ", ".join(
                filter(None, self.exists().mapped("report_name"))))
        return super().render_qweb_html(docids, data=data)


class Base(models.AbstractModel):
    """``export_data`` is what Odoo's list export (``/web/export/*``) and
    an RPC export call: data leaving in bulk waits for the cooling-off."""

    _inherit = "base"

    def export_data(self, fields_to_export, raw_data=False):
        self.env["prm.2fa.service"]._prm_check_cooling_off(
            "%s.export_data" % self._name)
        return super().export_data(fields_to_export, raw_data)
