# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM demo network",
    "summary": "Seeded demo dealer network: head office, territories, 40 dealers "
               "with logins, targets, leads, exchange and benchmark figures",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_partner_portal", "prm_benchmark", "prm_programme",
                "prm_documents", "prm_deal_registration"],
    "data": [],
    "demo": [
        "demo/demo_network.xml",
        "demo/demo_figures.xml",
        "demo/demo_programme.xml",
        "demo/demo_documents.xml",
        "demo/demo_portal_users.xml",
        "demo/demo_deals.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
