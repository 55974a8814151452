# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Documents and News",
    "summary": "Head office publishes documents and news to dealers by tier, "
               "region, territory or tag; portal library, unread markers, "
               "download counts, mail notifications and digests",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_partner_portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_documents_security.xml",
        "data/prm_documents_data.xml",
        "views/prm_documents_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
}
