"""Every role × every model of prm_staff_home through the ORM.

Same roles and cells as prm_partner_portal's access matrix (see
``prm_partner_portal/tests/access_matrix.py``): read, write, create, unlink;
upper case on the own and a foreign dealer's record, lower case on the own
dealer's only, ``-`` refused.
"""
from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

# Why the cells are what they are:
# - Start page tiles are configuration: head office manages them; every
#   internal user reads the tiles of the own roles (a tile naming no role,
#   as the probe's, is every internal user's); portal users none. What a
#   tile counts is the user's own search, so reading a tile reveals no
#   record.
EXPECTED = """
model                        manager tm    recv  mkt   warr  user  dir   book  public
prm.home.tile                RWCU    R---  R---  R---  R---  R---  ----  ----  ----
"""

PROBES = [
    Probe("prm.home.tile", lambda case, dealer: {
        "name": "Matrix tile", "model_name": "res.partner"},
        {"name": "Matrix renamed"}, scoped=False),
]


class TestStaffHomeAccessMatrix(AccessMatrixCase):

    def test_orm_access_matrix_of_staff_home_models(self):
        self.assert_matrix(PROBES, EXPECTED)
