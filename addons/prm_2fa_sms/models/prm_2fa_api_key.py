from odoo import api, fields, models

from ..lib import api_key


class Prm2faApiKey(models.Model):
    """An API key lets a 2FA user call XML-RPC without the SMS step.

    Issued by an administrator, shown once, stored as a salted hash, usable
    over XML-RPC and ``/jsonrpc`` (never in the browser login), revocable:
    revoking or deleting a key ends every sign-in of its user at once.
    """

    _name = "prm.2fa.api.key"
    _description = "API key"
    _order = "id desc"

    name = fields.Char(string="Purpose", required=True)
    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade")
    key_id = fields.Char(required=True, index=True, readonly=True)
    key_hash = fields.Char(required=True, readonly=True)  # lib.secret_hash
    active = fields.Boolean(default=True)
    last_used = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_id_unique", "unique(key_id)", "API key ids must be unique."),
    ]

    @api.model
    def _issue(self, user, purpose):
        """Create a key for ``user``; returns the clear key (shown once).

        Raises UserError within the cooling-off after a second-factor
        change of the issuing admin or of ``user``.
        """
        service = self.env["prm.2fa.service"]
        service._prm_check_cooling_off("prm.2fa.api.key._issue")
        service._prm_check_cooling_off("prm.2fa.api.key._issue", user)
        key, key_id = api_key.generate_key()
        # sudo: called by the admin-only wizard; the key record is admin-only.
        self.sudo().create({
            "name": purpose, "user_id": user.id, "key_id": key_id,
            "key_hash": api_key.hash_key(key),
        })
        self.env["prm.2fa.event"]._record(
            user.id, "api_key", detail=purpose, author_id=self.env.uid)
        return key

    @api.model
    def _match(self, uid, candidate):
        """True when ``candidate`` is an active key of user ``uid``."""
        parts = api_key.split_key(candidate)
        if not parts:
            return False
        # sudo: the check runs during authentication, before any user rights.
        record = self.sudo().search(
            [("key_id", "=", parts[0]), ("user_id", "=", uid),
             ("active", "=", True)], limit=1)
        return bool(record) and api_key.verify_key(candidate, record.key_hash)

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals or "user_id" in vals or "key_hash" in vals:
            self._prm_end_sign_ins()
        return result

    def unlink(self):
        self._prm_end_sign_ins()
        return super().unlink()

    def _prm_end_sign_ins(self):
        users = self.mapped("user_id")
        for key in self:
            self.env["prm.2fa.event"]._record(
                key.user_id.id, "api_key_revoked", detail=key.name,
                author_id=self.env.uid)
        # sudo: revoking is admin-only (access rights); the stamp is too.
        users.sudo()._prm_rotate_stamp("api key")

    def action_revoke(self):
        self.write({"active": False})
        return True
