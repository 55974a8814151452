from odoo import fields, models


class PrmSmsOutbox(models.Model):
    """Development outbox: messages are stored here instead of being sent.

    NOT FOR PRODUCTION: codes are readable by administrators. Choose the HTTP
    provider in the settings for a real deployment.
    """

    _name = "prm.sms.outbox"
    _description = "SMS outbox (development only)"
    _order = "id desc"

    to = fields.Char(string="To", readonly=True)
    body = fields.Text(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="cascade")
