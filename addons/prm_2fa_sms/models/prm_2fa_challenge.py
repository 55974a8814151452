import datetime

from odoo import fields, models


class Prm2faChallenge(models.Model):
    """One SMS code sent to a user; only a salted hash of the code is kept.

    No access rights for anyone: only the sign-in flow touches challenges,
    as superuser, bound to the pending login in the browser session.
    """

    _name = "prm.2fa.challenge"
    _description = "SMS sign-in challenge"
    _order = "id desc"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade")
    code_hash = fields.Char(required=True)  # lib.secret_hash
    sent_at = fields.Datetime(required=True, index=True)
    attempts = fields.Integer(default=0)
    used = fields.Boolean(default=False)
    ip = fields.Char()
    purpose = fields.Selection(
        [("login", "Sign-in"), ("number", "Confirm a new number"),
         ("reauth", "Confirm the current factor")],
        default="login", required=True)
    number = fields.Char(help="E.164 number a confirmation code went to.")

    def _gc_old_challenges(self):
        """Cron: challenges older than a day are useless; keep the table small."""
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            - datetime.timedelta(days=1))
        self.search([("sent_at", "<", limit)]).unlink()
