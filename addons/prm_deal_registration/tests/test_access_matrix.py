"""Every role × every model of prm_deal_registration through the ORM.

Same roles and cells as prm_partner_portal's access matrix (see
``prm_partner_portal/tests/access_matrix.py``): read, write, create, unlink;
upper case on the own and a foreign dealer's record, lower case on the own
dealer's only, ``-`` refused.
"""
from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

# Why the cells are what they are:
# - Registrations and their product lines: head office everything; a
#   territory manager reads the registrations of the own region and decides
#   through the decision dialog (never writes fields); a managing director
#   reads the own company's only and registers through the portal form
#   alone (it validates and sets the dealer), never by ORM/RPC.
# - Conflicts name other dealers and customers: approvers only (territory
#   manager: registrations of the own region), never a portal user.
# - The decision dialog is transient (Odoo 11: everybody, own records only);
#   its buttons decide through ``_prm_decide``, which refuses everybody but
#   territory managers (record rules: own region) and head office
#   (test_only_approvers_decide).
EXPECTED = """
model                        manager tm    recv  mkt   warr  user  dir   book  public
prm.deal.registration        RWCU    r---  ----  ----  ----  ----  r---  ----  ----
prm.deal.registration.line   RWCU    r---  ----  ----  ----  ----  r---  ----  ----
prm.deal.conflict            RWCU    r---  ----  ----  ----  ----  ----  ----  ----
prm.deal.decision            rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu
"""


def registration(case, dealer):
    return case.env["prm.deal.registration"].create(
        {"dealer_id": dealer.id, "customer_name": "Matrix customer"})


def product(case):
    return case.env["product.product"].create({"name": "Matrix product"})


PROBES = [
    Probe("prm.deal.registration", lambda case, dealer: {
        "dealer_id": dealer.id, "customer_name": "Matrix customer"},
        {"note": "Matrix"}),
    Probe("prm.deal.registration.line", lambda case, dealer: {
        "registration_id": registration(case, dealer).id,
        "product_id": product(case).id}, {"quantity": 3.0}),
    Probe("prm.deal.conflict", lambda case, dealer: {
        "registration_id": registration(case, dealer).id,
        "res_model": "res.partner", "res_id": dealer.id, "name": "Matrix"},
        {"score": 50.0}),
    Probe("prm.deal.decision", lambda case, dealer: {
        "registration_id": registration(case, dealer).id, "reason": "Matrix"},
        {"reason": "Matrix renamed"}),
]


class TestDealAccessMatrix(AccessMatrixCase):

    def test_orm_access_matrix_of_deal_registration_models(self):
        self.assert_matrix(PROBES, EXPECTED)

    def test_only_approvers_decide(self):
        def submitted(user):
            return self.env["prm.deal.registration"].sudo(user).browse(
                registration(self, self.own_dealer).id)
        self.assertEqual(self.roles_allowed(submitted, "action_prm_decide"),
                         {"manager", "tm"})

        def dialog(user):
            return self.env["prm.deal.decision"].sudo(user).create({
                "registration_id": registration(self, self.own_dealer).id,
                "reason": "Matrix"})
        for method in ("action_approve", "action_reject"):
            self.assertEqual(self.roles_allowed(dialog, method),
                             {"manager", "tm"}, method)
