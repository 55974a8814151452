from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib.policy import SETTING_MINIMUMS
from ..lib.sms_providers import PRESETS
from .prm_2fa_service import DEFAULTS, PARAM

METHOD_RULES = [
    ("sms_or_totp", "SMS code or authenticator app"),
    ("totp", "Authenticator app required"),
    ("sms", "SMS code only"),
]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_2fa_scope = fields.Selection([
        ("all", "All users"),
        ("portal", "Portal users (partners)"),
        ("internal", "Internal users (supplier staff)"),
        ("groups", "Members of selected groups"),
        ("none", "Nobody (not recommended)"),
    ], string="SMS code required for", default="all")
    prm_2fa_group_ids = fields.Many2many(
        "res.groups", string="Groups requiring the SMS code")
    prm_2fa_provider = fields.Selection([
        ("outbox", "Development outbox (not for production)"),
        ("http", "HTTP SMS provider"),
    ], string="SMS delivery", default="outbox")
    prm_2fa_http_preset = fields.Selection(
        [("generic", "Generic (JSON or form fields to, from, text)")] + [
            (key, gateway.label) for key, gateway in sorted(PRESETS.items())],
        string="Provider", default="generic",
        help="The provider's documented API. User name, password, token and "
             "sender mean: sipgate: token ID, token, SMS extension (e.g. s0); "
             "LINK Mobility: access token (or user name and password), sender "
             "address; Twilio: Account SID, auth token, From number or "
             "Messaging Service SID; MessageBird: access key, originator.")
    prm_2fa_http_url = fields.Char(
        string="Provider URL",
        help="Leave empty to use the provider's own address (presets only).")
    prm_2fa_http_format = fields.Selection(
        [("json", "JSON"), ("form", "Form-encoded")], string="Payload format",
        default="json")
    prm_2fa_http_token = fields.Char(string="Bearer token")
    prm_2fa_http_username = fields.Char(string="User name")
    prm_2fa_http_password = fields.Char(string="Password")
    prm_2fa_http_sender = fields.Char(string="Sender name", default="PRM")
    prm_2fa_http_timeout = fields.Integer(string="Timeout (s)", default=10)
    prm_2fa_validity_seconds = fields.Integer(string="Code validity (s)", default=300)
    prm_2fa_max_attempts = fields.Integer(string="Attempts per code", default=5)
    prm_2fa_resend_cooldown_seconds = fields.Integer(
        string="Resend cooldown (s)", default=30)
    prm_2fa_max_sends_per_hour = fields.Integer(string="Codes per hour", default=5)
    prm_2fa_lockout_after_failures = fields.Integer(
        string="Lock after wrong codes", default=10)
    prm_2fa_lockout_minutes = fields.Integer(string="Lockout (minutes)", default=30)
    prm_2fa_trust_days = fields.Integer(string="Trust device for (days)", default=30)
    prm_2fa_internal_methods = fields.Selection(
        METHOD_RULES, string="Head office (internal users)", default="sms_or_totp")
    prm_2fa_portal_methods = fields.Selection(
        METHOD_RULES, string="Dealers (portal users)", default="sms_or_totp")
    prm_2fa_cooling_off_hours = fields.Integer(
        string="Cooling-off after a factor change (h)", default=24,
        help="After a change of a user's sign-in number or method, exports "
             "and user management wait this many hours (0 = off).")

    _PLAIN = ["scope", "provider", "http_preset", "http_url", "http_format",
              "http_token", "http_username", "http_password", "http_sender",
              "http_timeout",
              "validity_seconds", "max_attempts", "resend_cooldown_seconds",
              "max_sends_per_hour", "lockout_after_failures", "lockout_minutes",
              "trust_days", "internal_methods", "portal_methods",
              "cooling_off_hours"]

    @api.model
    def get_values(self):
        res = super().get_values()
        res.update(self._prm_get_values())
        return res

    @api.model
    def _prm_get_values(self):
        """The SMS settings as field values; empty for non-administrators.

        res.config.settings is a transient model, which Odoo 11 opens to
        every user (default_get calls get_values), and the parameters are
        read as superuser: without this check the provider's token and
        password would be one RPC away for any user.
        """
        if not (self.env.user._is_superuser() or
                self.env.user.has_group("base.group_system")):
            return {}
        res = {}
        service = self.env["prm.2fa.service"]
        for key in self._PLAIN:
            value = service._param(key)
            field = self._fields["prm_2fa_%s" % key]
            res["prm_2fa_%s" % key] = int(value) if field.type == "integer" else value
        ids = [int(i) for i in service._param("group_ids").split(",") if i.strip()]
        res["prm_2fa_group_ids"] = [(6, 0, ids)]
        return res

    def set_values(self):
        # Public method: execute() checks the administrator, a direct RPC
        # call of set_values does not (outside review); the SMS settings
        # below are written as superuser.
        if not (self.env.user._is_superuser()
                or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators can change the settings"))
        self._prm_check_minimums()
        super().set_values()
        service = self.env["prm.2fa.service"]
        # sudo: every user's 2FA rule is compared, nothing is returned.
        users = self.env["res.users"].sudo().search([])
        required_before = {user.id: service._required_for(user) for user in users}
        self._prm_save_params()
        # Sessions, cached RPC credentials and trusted devices of users who
        # must use the code from now on were made without one: they end.
        users.filtered(lambda user: not required_before[user.id] and
                       service._required_for(user))._prm_rotate_stamp("policy")

    def _prm_check_minimums(self):
        """Refuse a numeric setting below its minimum (lib/policy.py
        SETTING_MINIMUMS) with the setting's translated label, before
        anything is saved."""
        for key, minimum in sorted(SETTING_MINIMUMS.items()):
            name = "prm_2fa_%s" % key
            if self[name] < minimum:
                label = self._fields[name].get_description(self.env)["string"]
                raise UserError(_("%(setting)s must be at least %(minimum)d.") % {
                    "setting": label, "minimum": minimum})

    def _prm_save_params(self):
        # sudo: settings are saved by administrators (res.config.settings).
        params = self.env["ir.config_parameter"].sudo()
        for key in self._PLAIN:
            value = self["prm_2fa_%s" % key]
            # An empty text field (False) falls back to the default; an
            # integer 0 is a value ("0 = off"), not an empty field.
            if value is False or value is None:
                value = DEFAULTS[key]
            params.set_param(PARAM % key, str(value))
        params.set_param(PARAM % "group_ids",
                         ",".join(str(i) for i in self.prm_2fa_group_ids.ids))
