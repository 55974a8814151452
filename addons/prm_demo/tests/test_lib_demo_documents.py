"""The demo documents and news (plain data): every audience kind shows."""
from odoo.addons.prm_documents.models.prm_document import CATEGORIES

from ..lib import demo_documents


def test_demo_items_cover_every_audience_and_validity():
    items = demo_documents.documents() + demo_documents.news()
    for key in ("tiers", "territories", "countries", "tags"):
        assert any(item.get(key) for item in items), key
    assert any(not any(item.get(k) for k in ("tiers", "territories",
                                             "countries", "tags")) for item in items)
    assert any(item["valid"][1] is not None and item["valid"][1] < 0
               for item in items), "an expired document"
    categories = {code for code, _label in CATEGORIES}
    assert {doc["category"] for doc in demo_documents.documents()} == categories
