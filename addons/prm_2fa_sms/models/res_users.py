from odoo import api, fields, models
from odoo.exceptions import AccessDenied
from odoo.http import request

from ..exceptions import SecondFactorRequired


def _http_request_type():
    """'http' (browser form), 'json' (JSON-RPC) or None (XML-RPC, cron)."""
    try:
        return request._request_type if request else None
    except RuntimeError:  # no request bound to this thread
        return None


class ResUsers(models.Model):
    """Password alone never signs in a user who must use the SMS code.

    ``check_credentials`` is the one place every login path passes through:
    the web form, ``/web/session/authenticate``, XML-RPC ``authenticate`` and
    each XML-RPC call. After the password is verified, a browser form login
    continues on the code page; every other path is refused unless the
    "password" is one of the user's API keys (XML-RPC only).
    """

    _inherit = "res.users"

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
    prm_2fa_mobile_masked = fields.Char(
        string="Code goes to", compute="_compute_prm_2fa_mobile_masked")
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

    @api.model
    def check_credentials(self, password):
        uid = self.env.uid
        kind = _http_request_type()
        if kind is None and self.env["prm.2fa.api.key"]._match(uid, password):
            return
        super().check_credentials(password)
        user = self.env.user
        if not self.env["prm.2fa.service"]._required_for(user):
            return
        if kind and request.session.uid == uid:
            # A signed-in session confirming the password (e.g. to change it).
            return
        if kind == "http":
            raise SecondFactorRequired(uid, user.login)
        self.env["prm.2fa.event"]._record(
            uid, "refused", detail=kind or "xmlrpc")
        raise AccessDenied()

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
        """Unlock, drop pending codes, void trusted devices and sessions' cookies."""
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
