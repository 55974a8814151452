"""Every role × every model of prm_programme through the ORM.

Same roles and cells as prm_partner_portal's access matrix (see
``prm_partner_portal/tests/access_matrix.py``).

Why the cells are what they are:
- Criteria are the programme's rules: head office sets them, every employee
  reads them (scorecards); portal users get the thresholds only through the
  director's tier card (the controller reads them).
- Proposals, their reasons and the tier history are head-office data: head
  office reads all and decides on proposals (write through the buttons);
  a territory manager reads the own region's. Nobody creates or deletes
  them: the evaluation and the tier change write them.
- The tier status (the dealer's figures at the last run) is read by head
  office, the territory manager of the region and the dealer's managing
  director and bookkeeper (own company only: the tier card on /my/home
  holds no other firm's data); the evaluation alone writes it.
"""
from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

EXPECTED = """
model                        manager tm    recv  mkt   warr  user  dir   book  public
prm.tier.criterion           RWCU    R---  R---  R---  R---  R---  ----  ----  ----
prm.tier.status              R---    r---  ----  ----  ----  ----  r---  r---  ----
prm.tier.proposal            RW--    r---  ----  ----  ----  ----  ----  ----  ----
prm.tier.proposal.reason     R---    r---  ----  ----  ----  ----  ----  ----  ----
prm.tier.history             R---    r---  ----  ----  ----  ----  ----  ----  ----
"""


def proposal_values(case, dealer):
    return {"partner_id": dealer.id, "direction": "up",
            "to_tier_id": case.matrix_tier.id}


def reason_values(case, dealer):
    proposal = case.env["prm.tier.proposal"].create(proposal_values(case, dealer))
    return {"proposal_id": proposal.id, "criterion": "technicians",
            "value": 1.0, "threshold": 2.0}


PROBES = [
    Probe("prm.tier.criterion", lambda case, dealer: {
        "tier_id": case.matrix_tier.id, "criterion": "technicians",
        "threshold": 1.0}, {"threshold": 2.0}, scoped=False),
    Probe("prm.tier.status", lambda case, dealer: {"partner_id": dealer.id},
          {"value_technicians": 9.0}),
    Probe("prm.tier.proposal", proposal_values, {"grace_until": "2030-01-01"}),
    Probe("prm.tier.proposal.reason", reason_values, {"value": 2.0}),
    Probe("prm.tier.history", lambda case, dealer: {
        "partner_id": dealer.id, "to_tier_id": case.matrix_tier.id},
        {"to_tier_id": False}),
]


class TestProgrammeAccessMatrix(AccessMatrixCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix_tier = cls.env["prm.tier"].create(
            {"name": "Matrix tier", "code": "matrix_tier", "sequence": 99})
        # one status per dealer: the probe creates its own
        cls.env["prm.tier.status"].search([]).unlink()

    def test_orm_access_matrix_of_programme_models(self):
        self.assert_matrix(PROBES, EXPECTED)
