"""Every role × every model of prm_documents through the ORM (cells as in
prm_partner_portal's ``access_matrix.py``).

Why the cells are what they are:
- Documents and news: head office and marketing publish; every internal
  user reads them; a dealer's portal users read the items addressed to their
  own dealer (audience rule, ``lib/audience.py``) — "own" is an item whose
  audience is a tag of director01's company, "foreign" one of another
  dealer's.
- Downloads and reads (who read what when): head office and marketing read
  them; nobody writes them through the ORM (the portal routes record them);
  dealers never see any, not even their own.
- Digest lines: mails waiting for a user's digest; head office reads them
  (support), only the system writes them.
"""
from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

from .common import document_values, news_values

EXPECTED = """
model                   manager tm    recv  mkt   warr  user  dir   book  public
prm.document            RWCU    R---  R---  RWCU  R---  R---  r---  r---  ----
prm.news                RWCU    R---  R---  RWCU  R---  R---  r---  r---  ----
prm.document.download   R---    ----  ----  R---  ----  ----  ----  ----  ----
prm.news.read           R---    ----  ----  R---  ----  ----  ----  ----  ----
prm.mail.digest.line    R---    ----  ----  ----  ----  ----  ----  ----  ----
"""


def download_values(case, dealer):
    document = case.env["prm.document"].create(document_values(case.env, dealer))
    return {"document_id": document.id, "user_id": case.director_of(dealer).id,
            "dealer_id": dealer.id}


def read_values(case, dealer):
    news = case.env["prm.news"].create(news_values(case.env, dealer))
    return {"news_id": news.id, "user_id": case.director_of(dealer).id,
            "dealer_id": dealer.id}


PROBES = [
    Probe("prm.document", lambda case, dealer: document_values(case.env, dealer),
          {"name": "Matrix renamed"}),
    Probe("prm.news", lambda case, dealer: news_values(case.env, dealer),
          {"name": "Matrix renamed"}),
    Probe("prm.document.download", download_values, {"dealer_id": False}),
    Probe("prm.news.read", read_values, {"dealer_id": False}),
    Probe("prm.mail.digest.line", lambda case, dealer: {
        "user_id": case.director_of(dealer).id, "kind": "prm_notify_documents",
        "subject": "Matrix"}, {"subject": "Matrix renamed"}),
]


class TestAccessMatrix(AccessMatrixCase):

    def test_orm_access_matrix_of_documents_models(self):
        self.assert_matrix(PROBES, EXPECTED)
