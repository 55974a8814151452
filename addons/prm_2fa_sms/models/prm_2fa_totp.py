from odoo import fields, models


class Prm2faTotp(models.Model):
    """A user's authenticator app: its secret, encrypted, and the last used
    time step.

    No access rights for anyone, not even administrators (like challenges):
    only the sign-in flow and the user's own security pages touch it, as
    superuser, for the signed-in or password-verified user. The secret is
    encrypted with a key outside the database (``lib.secret_box``).
    """

    _name = "prm.2fa.totp"
    _description = "Authenticator app of a user"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade")
    secret_enc = fields.Char(required=True, help="lib.secret_box ciphertext")
    confirmed = fields.Boolean(
        default=False, help="Set once a code from the app was entered; only a "
        "confirmed app signs in.")
    last_step = fields.Integer(
        help="RFC 6238 time step of the last accepted code; that step and "
             "older ones are refused.")

    _sql_constraints = [
        ("user_unique", "unique(user_id)", "One authenticator app per user."),
    ]


class Prm2faRecoveryCode(models.Model):
    """One recovery code of a user; only its salted hash is stored.

    No access rights for anyone (see ``prm.2fa.totp``).
    """

    _name = "prm.2fa.recovery.code"
    _description = "Recovery code of a user"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade")
    code_hash = fields.Char(required=True)  # lib.recovery / lib.secret_hash
    used = fields.Boolean(default=False)
    used_at = fields.Datetime()
