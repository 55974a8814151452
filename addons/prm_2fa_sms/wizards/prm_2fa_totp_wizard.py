from odoo import _, api, fields, models
from odoo.tools import html_escape

from ..lib.errors import TwoFactorError
from .shown_once import show_once_action, shown_once


class Prm2faTotpWizard(models.TransientModel):
    """The signed-in user sets up or removes their authenticator app, or
    gets new recovery codes (backend preferences).

    Always acts on the user who is signed in, never on an id in the record;
    Odoo lets only the creator of a transient record read it. A wrong code is
    shown in the wizard (not raised), so its failure count is kept.
    """

    _name = "prm.2fa.totp.wizard"
    _description = "Authenticator app and recovery codes"

    mode = fields.Selection([
        ("enrol", "Set up the authenticator app"),
        ("remove", "Remove the authenticator app"),
        ("recovery", "New recovery codes"),
    ], required=True, readonly=True)
    state = fields.Selection([("start", "Start"), ("done", "Done")],
                             default="start", readonly=True)
    qr_html = fields.Html(string="QR code", compute="_compute_enrolment",
                          sanitize=False)
    manual_key = fields.Char(string="Key for manual entry",
                             compute="_compute_enrolment")
    has_sms = fields.Boolean(compute="_compute_enrolment")
    code = fields.Char(string="Code")
    error = fields.Char(readonly=True)
    info = fields.Char(readonly=True)
    # computed from the showing action's context, never stored (shown_once)
    recovery_codes = fields.Text(string="Recovery codes",
                                 compute="_compute_recovery_codes")

    @api.depends("mode", "state")
    def _compute_enrolment(self):
        # sudo: the flow reads the signed-in user's own unconfirmed secret.
        service = self.env["prm.2fa.service"].sudo()
        user = self.env.user
        for wizard in self:
            wizard.has_sms = bool(service._number_of(user))
            if wizard.mode != "enrol" or wizard.state != "start":
                continue
            try:
                # started by action_prm_totp_wizard: continues that set-up
                values = service._totp_begin(user)
            except TwoFactorError:
                continue
            wizard.qr_html = '<img class="o_prm_totp_qr" alt="QR" src="%s"/>' % \
                html_escape(values["qr"])
            wizard.manual_key = values["key"]

    def _compute_recovery_codes(self):
        for wizard in self:
            wizard.recovery_codes = shown_once(wizard)

    def _reopen(self, secret=None):
        return show_once_action(
            self, secret, name=dict(self._fields["mode"].selection)[self.mode])

    def action_send_sms(self):
        self.ensure_one()
        # sudo: challenges have no access rights; the code goes to the
        # signed-in user's own confirmed number.
        service = self.env["prm.2fa.service"].sudo()
        try:
            service._send_action_code(self.env.user, None)
        except TwoFactorError as error:
            self.write({"error": service._user_message(error), "info": False})
        else:
            self.write({"error": False,
                        "info": _("We have sent you a code by SMS.")})
        return self._reopen()

    def action_confirm(self):
        self.ensure_one()
        # sudo: the service acts on the signed-in user's own factors only.
        service = self.env["prm.2fa.service"].sudo()
        user = self.env.user
        codes = None
        if self.mode == "enrol":
            error, codes = service._totp_confirm(user, self.code, None)
        elif self.mode == "remove":
            error = service._totp_remove(user, self.code, None)
        else:
            error, codes = service._recovery_regenerate(user, self.code, None)
        if error:
            self.write({"error": service._user_message(error), "info": False,
                        "code": False})
            return self._reopen()
        self.write({
            "state": "done", "error": False, "code": False,
            "info": _("The authenticator app was removed.")
            if self.mode == "remove" else False})
        return self._reopen("\n".join(codes) if codes else None)
