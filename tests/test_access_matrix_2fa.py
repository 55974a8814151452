"""Every role × every model of prm_2fa_sms through the ORM.

An ORM test (pytest-odoo, rolled back) beside the system tests: prm_2fa_sms
installs on any Odoo 11 database alone, while these roles are the users of
the prm_demo addon, so the test belongs to the product, not to the addon.

Same roles and cells as prm_partner_portal's access matrix (see
``prm_partner_portal/tests/access_matrix.py``), plus ``sysadm``: an internal
user with Settings rights (the demo's ``admin`` is the superuser, which no
access rule restricts). The records are about ``director01``.
"""
from odoo import fields

from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

# Why the cells are what they are:
# - The audit trail and the SMS outbox are read by administrators only;
#   nobody edits the audit, administrators may clear the outbox.
# - API keys: administrators read, revoke (active) and delete them; keys are
#   only created through the wizard's ``_issue`` (hash, salt, audit).
# - Challenges (hashed codes) are touched by the sign-in flow only, as
#   superuser: nobody has access, not even administrators.
# - Authenticator secrets and recovery-code hashes: like challenges, only the
#   sign-in flow and the user's own security pages touch them, as superuser.
# - The authenticator wizard is transient: everybody creates and sees only
#   their own, and it acts on the signed-in user only.
# - The API key wizard is transient: everybody creates and sees only their
#   own; issuing a key checks the administrator group (see
#   test_only_administrators_issue_api_keys).
EXPECTED = """
model                   manager tm    recv  mkt   warr  user  dir   book  public sysadm
prm.2fa.event           ----    ----  ----  ----  ----  ----  ----  ----  ----   R---
prm.sms.outbox          ----    ----  ----  ----  ----  ----  ----  ----  ----   R--U
prm.2fa.api.key         ----    ----  ----  ----  ----  ----  ----  ----  ----   RW-U
prm.2fa.challenge       ----    ----  ----  ----  ----  ----  ----  ----  ----   ----
prm.2fa.api.key.wizard  rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu   rwCu
prm.2fa.totp            ----    ----  ----  ----  ----  ----  ----  ----  ----   ----
prm.2fa.recovery.code   ----    ----  ----  ----  ----  ----  ----  ----  ----   ----
prm.2fa.totp.wizard     rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu   rwCu
prm.2fa.number.wizard   rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu   rwCu
prm.2fa.reset.wizard    rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu   rwCu
"""


def about_director(values):
    return lambda case, dealer: dict(values, user_id=case.director.id)


PROBES = [
    Probe("prm.2fa.event", about_director({"event": "success"}),
          {"detail": "Matrix"}, scoped=False),
    Probe("prm.sms.outbox", about_director({"to": "+4915100000000",
                                            "body": "Matrix"}),
          {"body": "Matrix changed"}, scoped=False),
    Probe("prm.2fa.api.key", about_director({
        "name": "Matrix", "key_id": "matrixkey",
        "key_hash": "h"}), {"active": False}, scoped=False),
    Probe("prm.2fa.challenge", lambda case, dealer: {
        "user_id": case.director.id, "code_hash": "h",
        "sent_at": fields.Datetime.now()}, {"attempts": 1}, scoped=False),
    Probe("prm.2fa.api.key.wizard", about_director({"name": "Matrix"}),
          {"name": "Matrix renamed"}),
    # one app per user: about the fresh sysadm user (director01 may have set
    # one up in a system test on the same database)
    Probe("prm.2fa.totp", lambda case, dealer: {
        "user_id": case.users["sysadm"].id, "secret_enc": "x"},
        {"last_step": 1}, scoped=False),
    Probe("prm.2fa.recovery.code", about_director({"code_hash": "h"}),
          {"used": True}, scoped=False),
    Probe("prm.2fa.totp.wizard", lambda case, dealer: {"mode": "recovery"},
          {"code": "123456"}),
    # head office's wizards: anybody may open one (transient, own records),
    # only their actions change anything and check the number manager
    # (test_factor_change, test_review7)
    Probe("prm.2fa.number.wizard", about_director({"code": "123456"}),
          {"code": "654321"}),
    Probe("prm.2fa.reset.wizard", about_director({}),
          {"identity_note": "Matrix"}),
]


class TestTwoFactorAccessMatrix(AccessMatrixCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["sysadm"] = cls.env["res.users"].create({
            "name": "Matrix sysadmin", "login": "matrix.sysadmin",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("base.group_system").id])]})

    def test_orm_access_matrix_of_two_factor_models(self):
        self.assert_matrix(PROBES, EXPECTED)

    def test_only_administrators_issue_api_keys(self):
        def wizard(user):
            return self.env["prm.2fa.api.key.wizard"].sudo(user).create(
                {"name": "Matrix", "user_id": user.id})
        self.assertEqual(self.roles_allowed(wizard, "action_issue"), {"sysadm"})
