# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Staff Home and Dealer Scorecard",
    "summary": "Start pages for supplier-side roles (tiles with counts as the "
               "user sees them) and the dealer scorecard (form, PDF, portal)",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_benchmark", "prm_programme"],
    "external_dependencies": {"bin": ["wkhtmltopdf"]},
    "data": [
        "security/ir.model.access.csv",
        "security/prm_staff_home_security.xml",
        "views/home_tile_views.xml",
        "views/scorecard_templates.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "report/scorecard_report.xml",
        "data/home_tile_data.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
