from odoo import SUPERUSER_ID, _, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib.errors import TwoFactorError

# Shown in the preferences dialog (read as superuser for the own user).
TOTP_SELF_FIELDS = ["prm_totp_enrolled", "prm_recovery_codes_left",
                    "prm_totp_allowed"]


class ResUsers(models.Model):
    """Authenticator app and recovery codes of a user (see prm_2fa_methods)."""

    _inherit = "res.users"

    prm_totp_enrolled = fields.Boolean(
        string="Authenticator app set up", compute="_compute_prm_totp")
    prm_totp_allowed = fields.Boolean(
        string="Authenticator app allowed", compute="_compute_prm_totp")
    prm_recovery_codes_left = fields.Integer(
        string="Recovery codes left", compute="_compute_prm_totp")

    def __init__(self, pool, cr):
        super().__init__(pool, cr)
        type(self).SELF_READABLE_FIELDS = list(
            type(self).SELF_READABLE_FIELDS) + TOTP_SELF_FIELDS

    def _compute_prm_totp(self):
        """The own second-factor state, for the user (the preferences read
        it as superuser through ``SELF_READABLE_FIELDS``) and administrators;
        everybody else reads nothing (who signs in with SMS only is a list of
        SIM-swap targets)."""
        # sudo: only whether an app is set up and how many codes are left are
        # shown, never a secret or a hash; whom to show it is decided below.
        service = self.env["prm.2fa.service"].sudo()
        reader = self.env.user
        everybody = self.env.uid == SUPERUSER_ID or \
            reader.has_group("base.group_system")
        for user in self:
            if not everybody and user != reader:
                user.prm_totp_enrolled = user.prm_totp_allowed = False
                user.prm_recovery_codes_left = 0
                continue
            user.prm_totp_enrolled = service._has_totp(user)
            user.prm_totp_allowed = service._may_enrol(user)
            user.prm_recovery_codes_left = service._recovery_left(user)

    # --- the own methods from the preferences (backend) -----------------------------
    def action_prm_totp_wizard(self):
        """Open the set-up, removal or recovery-code wizard for oneself.

        ``self`` must be the signed-in user; the mode comes from the
        button's context (``prm_totp_mode``: enrol, remove, recovery).
        """
        self.ensure_one()
        if self != self.env.user:
            raise AccessError(_("You can only change your own second factors."))
        mode = self.env.context.get("prm_totp_mode")
        if mode not in ("enrol", "remove", "recovery"):
            raise UserError(_("Unknown action."))
        if mode == "enrol":
            # sudo: the set-up stores the user's own new secret (no access
            # rights on authenticator records).
            service = self.env["prm.2fa.service"].sudo()
            try:
                service._totp_begin(self)
            except TwoFactorError as error:
                service._raise_user_error(error)
        wizard = self.env["prm.2fa.totp.wizard"].create({"mode": mode})
        return wizard._reopen()

    # --- head office ------------------------------------------------------------------
    def _prm_check_methods_admin(self):
        if not (self.env.user._is_superuser()
                or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators can reset second factors."))

    def action_prm_2fa_reset_methods(self):
        """Head office: open the reset of the authenticator app and recovery
        codes, which asks how the identity was checked."""
        self.ensure_one()
        self._prm_check_methods_admin()
        self.env["prm.2fa.service"]._prm_check_cooling_off("res.users.reset_methods")
        return {
            "type": "ir.actions.act_window", "res_model": "prm.2fa.reset.wizard",
            "view_mode": "form", "target": "new",
            "context": {"default_user_id": self.id},
        }

    def _prm_reset_methods(self, identity_check=None, identity_note=None):
        """Head office drops the authenticator app and recovery codes (e.g. a
        lost phone) after checking the user's identity; audited with the
        author, the user told, sign-ins end.

        ``identity_check``: key of ``lib.factor_change.IDENTITY_CHECKS``
        (required), ``identity_note``: free text. Raises AccessError for
        anyone but administrators, UserError without an identity check.
        """
        self._prm_check_methods_admin()
        # a head office account in its own cooling-off (maybe just taken
        # over) changes nobody's second factors
        self.env["prm.2fa.service"]._prm_check_cooling_off("res.users.reset_methods")
        detail = self._prm_identity_detail(identity_check, identity_note)
        # sudo: administrators only (checked above); the records have no
        # access rights for anybody.
        service = self.env["prm.2fa.service"].sudo()
        for user in self:
            service._reset_methods(user)
        self._prm_admin_event("identity_checked", detail)
        self._prm_admin_event("methods_reset")
        # a factor change like any other: cooling-off, the user told
        self._prm_factor_changed("totp_removed")
        self._prm_rotate_stamp("methods reset")
        return True
