# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Partner Portal",
    "summary": "Dealer network, territories, targets, relationship view and "
               "partner permission classes in a closed portal",
    "version": "11.0.1.1.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": [
        "auth_crypt",
        "auth_signup",
        "portal",
        "crm",
        "crm_claim",
        "date_range",
    ],
    "data": [
        "security/prm_security.xml",
        "security/ir.model.access.csv",
        "data/prm_data.xml",
        "data/prm_lead_feedback_data.xml",
        "views/prm_territory_views.xml",
        "views/prm_target_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/crm_lead_views.xml",
        "wizards/prm_portal_user_wizard_views.xml",
        "views/prm_menus.xml",
        "views/exchange_views.xml",
        "views/prm_lead_response_views.xml",
        "views/portal_templates.xml",
        "views/exchange_templates.xml",
        "views/portal_lead_templates.xml",
        "views/assets.xml",
    ],
    "demo": [
        "demo/prm_demo.xml",
    ],
    "installable": True,
    "application": True,
}
