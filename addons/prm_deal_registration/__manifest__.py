# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Deal Registration",
    "summary": "Dealers register opportunities in the portal; conflict check, "
               "approval with deadline and escalation, protection period",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_partner_portal", "prm_benchmark", "crm", "product",
                "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_deal_security.xml",
        "data/prm_deal_data.xml",
        "views/prm_deal_views.xml",
        "views/portal_deal_templates.xml",
        "views/product_views.xml",
    ],
    "installable": True,
}
