from odoo import api, fields, models
from odoo.http import request

from ..glue import committed_env

EVENTS = [
    ("challenge", "Code requested"),
    ("send", "Code sent"),
    ("send_failed", "Sending failed"),
    ("success", "Signed in"),
    ("failure", "Wrong code"),
    ("expired", "Expired code"),
    ("lockout", "Locked out"),
    ("reset", "2FA reset by admin"),
    ("unlock", "Unlocked by admin"),
    ("trusted_device", "Device trusted"),
    ("trusted_login", "Signed in on trusted device"),
    ("devices_revoked", "Trusted devices revoked"),
    ("mobile_changed", "Mobile number changed"),
    ("no_mobile", "No mobile number"),
    ("refused", "Password-only access refused"),
    ("api_key", "API key issued"),
    ("api_key_revoked", "API key revoked"),
    ("signed_out", "All sign-ins ended"),
    ("number_pending", "New number awaits confirmation"),
    ("number_confirmed", "New number confirmed"),
    ("totp_enrolled", "Authenticator app set up"),
    ("totp_removed", "Authenticator app removed"),
    ("recovery_generated", "Recovery codes created"),
    ("recovery_used", "Recovery code used"),
    ("methods_reset", "Second factors reset by head office"),
    ("factor_changed", "Second factor changed"),
    ("identity_checked", "Identity checked by head office"),
    ("cooling_off_refused", "Refused during the cooling-off"),
    ("cooling_off_ended", "Cooling-off ended by head office"),
]


class Prm2faEvent(models.Model):
    """Audit trail of the second factor; readable by administrators only."""

    _name = "prm.2fa.event"
    _description = "Two-factor audit event"
    _order = "id desc"
    _log_access = True

    user_id = fields.Many2one("res.users", index=True, ondelete="cascade",
                              readonly=True)
    event = fields.Selection(EVENTS, required=True, index=True, readonly=True)
    ip = fields.Char(string="IP address", readonly=True)
    detail = fields.Char(readonly=True)
    author_id = fields.Many2one("res.users", string="Done by", readonly=True)
    # Filled on "send_failed": what the SMS provider answered.
    sms_provider = fields.Char(string="SMS provider", readonly=True)
    sms_error_code = fields.Char(string="Provider error code", readonly=True)
    sms_error_message = fields.Char(string="Provider error message", readonly=True)

    @api.model
    def _record(self, user_id, event, ip=None, detail=None, author_id=None,
                sms_values=None):
        """Write an audit entry that survives a rollback of the request.

        ``sms_values``: optional dict of the ``sms_*`` fields (str or None).

        Refused logins roll their transaction back; the audit must still
        show them, so the entry is committed on a cursor of its own (except
        in tests, where the users exist only in the test transaction).
        """
        if ip is None and request:
            ip = request.httprequest.remote_addr
        vals = {"user_id": user_id, "event": event, "ip": ip,
                "detail": (detail or "")[:250], "author_id": author_id}
        vals.update({key: (value or "")[:250] or False
                     for key, value in (sms_values or {}).items()})
        # superuser: audit entries are written on behalf of the sign-in flow
        # and of admins; nobody else has write access to the model.
        users = tuple({uid for uid in (user_id, author_id) if uid})
        with committed_env(self.env) as env:
            if users and env.cr is not self.env.cr:
                env.cr.execute("SELECT count(*) FROM res_users WHERE id IN %s",
                               [users])
                if env.cr.fetchone()[0] != len(users):
                    env = None   # a user this transaction created: see below
            if env is not None:
                env[self._name].create(vals)
                return True
        # The user was created in this transaction (not committed yet, e.g.
        # created and deactivated at once): the entry goes with it.
        # sudo: as above.
        self.sudo().create(vals)
        return True
