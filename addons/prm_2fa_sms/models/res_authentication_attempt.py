"""Password guessing throttle: OCA ``auth_brute_force``, narrowed for PRM.

``auth_brute_force`` records every sign-in attempt (web, XML-RPC, JSON-RPC,
API keys) with its remote address and refuses a remote after
``auth_brute_force.max_by_ip`` failures (default 50), a login from a remote
after ``auth_brute_force.max_by_ip_user`` failures (default 10). Three
changes:

- A ban ends: failures count only within the last
  ``prm_2fa_sms.password_ban_seconds`` (default 3600). OCA's ban lasts until
  an administrator acts, so a dealer who mistyped ten times would stay
  locked out of the office network.
- The attempts (logins and addresses of everybody) are read by administrators
  only; OCA grants read access to every user because the check reads them as
  the signing-in user, which is done here with ``sudo``.
- No geolocation: OCA sends each address to ip-api.com when an administrator
  opens an attempt; dealers' addresses are not given to a third party.
"""
import datetime

from odoo import api, fields, models

DEFAULT_BAN_SECONDS = 3600


class ResAuthenticationAttempt(models.Model):
    _inherit = "res.authentication.attempt"
    _description = "Sign-in attempt"

    @api.model
    def _prm_ban_seconds(self):
        # sudo: a numeric setting, read during sign-in (no user yet).
        value = self.env["ir.config_parameter"].sudo().get_param(
            "prm_2fa_sms.password_ban_seconds")
        try:
            return max(int(value), 1) if value else DEFAULT_BAN_SECONDS
        except ValueError:
            return DEFAULT_BAN_SECONDS

    @api.model
    def _hits_limit(self, limit, remote, login=None):
        """Whether ``remote`` (and ``login``) failed ``limit`` times since the
        later of its last success and the start of the ban window."""
        domain = [("remote", "=", remote)]
        if login is not None:
            domain.append(("login", "=", login))
        since = fields.Datetime.to_string(
            datetime.datetime.utcnow()
            - datetime.timedelta(seconds=self._prm_ban_seconds()))
        last_ok = self.search(domain + [("result", "=", "successful"),
                                        ("create_date", ">=", since)],
                              order="create_date desc, id desc", limit=1)
        if last_ok:
            domain.append(("id", ">", last_ok.id))
        failures = self.search_count(domain + [("result", "!=", "successful"),
                                               ("create_date", ">=", since)])
        return failures >= limit

    @api.model
    def _trusted(self, remote, login):
        # sudo: called as the user signing in; reads attempts only to decide
        # whether this remote may try, returns a boolean.
        return super(ResAuthenticationAttempt, self.sudo())._trusted(remote, login)

    def _compute_metadata(self):
        for attempt in self:
            attempt.remote_metadata = False
