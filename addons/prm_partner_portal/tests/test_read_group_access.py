"""``read_group`` asks the checks of ``_search`` too (review10 F1–F3 and
their kind): core's password-field refusal of ``res.users``, core's
message and attachment access, our exchange and chatter scopes."""
from odoo.exceptions import AccessError

from .common import PrmCase


class TestReadGroupAccess(PrmCase):

    def test_password_fields_are_refused_in_read_group_as_in_search(self):
        Users = self.env["res.users"].sudo(self.director_a1)
        for domain in ([("password", "=", "x")],
                       [("password_crypt", "like", "$pbkdf2%")]):
            with self.assertRaises(AccessError):
                Users.search(domain)
            with self.assertRaises(AccessError):
                Users.read_group(domain, ["login"], ["login"])

    def test_messages_of_a_channel_the_reader_is_not_in(self):
        channel = self.env["mail.channel"].create(
            {"name": "T Internal", "public": "private"})
        channel.message_post(body="<p>Geheim</p>", message_type="comment",
                             subtype="mail.mt_comment")
        domain = [("model", "=", "mail.channel"), ("res_id", "=", channel.id)]
        Message = self.env["mail.message"].sudo(self.director_a1)
        self.assertFalse(Message.search(domain))
        self.assertFalse(Message.read_group(domain, ["body"], ["body"]))
        # the superuser still groups everything
        self.assertTrue(self.env["mail.message"].read_group(
            domain, ["body"], ["body"]))
