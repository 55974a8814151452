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
- The limits hold under concurrency (outside review: 30 parallel guesses
  got 22 password checks, and errors counted as successes): attempts from
  one address are checked one after the other (an advisory lock until the
  attempt's transaction ends) and counted in a fresh transaction, which sees
  the failures committed meanwhile; only a completed check is a success
  (``res_users._auth_attempt``).
- The per-address limit counts every failure in the window; OCA's restarted
  it after any successful sign-in from the address, so one valid password
  let its holder try 9 guesses on every other login.
- The attempts (logins and addresses of everybody) are read by administrators
  only; OCA grants read access to every user because the check reads them as
  the signing-in user, which is done here with ``sudo``.
- No geolocation: OCA sends each address to ip-api.com when an administrator
  opens an attempt; dealers' addresses are not given to a third party.
"""
import datetime

from odoo import SUPERUSER_ID, api, fields, models

DEFAULT_BAN_SECONDS = 3600
#: First key of the advisory lock that orders the attempts of one address.
ATTEMPT_LOCK_KEY = 0x70726d31   # "prm1"


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
        """Whether ``remote`` failed ``limit`` times within the ban window;
        with ``login``: that login from ``remote``, counted since the later
        of its last success and the start of the window.

        Counted in a transaction of its own (the caller holds the address's
        lock, ``_trusted``), so failures committed by parallel attempts count.
        """
        since = fields.Datetime.to_string(
            datetime.datetime.utcnow()
            - datetime.timedelta(seconds=self._prm_ban_seconds()))
        domain = [("remote", "=", remote), ("create_date", ">=", since)]
        with self.pool.cursor() as cr:
            attempts = self.with_env(self.env(cr=cr, user=SUPERUSER_ID))
            if login is not None:
                domain.append(("login", "=", login))
                last_ok = attempts.search(
                    domain + [("result", "=", "successful")],
                    order="id desc", limit=1)
                if last_ok:
                    domain.append(("id", ">", last_ok.id))
            failures = attempts.search_count(
                domain + [("result", "!=", "successful")])
        return failures >= limit

    @api.model
    def _trusted(self, remote, login):
        if remote:
            # Attempts of one address one after the other, until the attempt's
            # transaction (the sign-in's cursor) ends: a parallel attempt sees
            # this one's failure, committed before (see _hits_limit).
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                (ATTEMPT_LOCK_KEY, remote))
        # sudo: called as the user signing in; reads attempts only to decide
        # whether this remote may try, returns a boolean.
        return super(ResAuthenticationAttempt, self.sudo())._trusted(remote, login)

    def _compute_metadata(self):
        for attempt in self:
            attempt.remote_metadata = False
