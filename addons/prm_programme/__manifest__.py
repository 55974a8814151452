# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Partner Programme (tiers by rules)",
    "summary": "Tier criteria with thresholds, evaluation runs proposing up- "
               "and downgrades, head-office confirmation, grace periods, tier "
               "history and the director's tier card on the portal",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_benchmark"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_programme_security.xml",
        "data/programme_cron_data.xml",
        "data/mail_template_data.xml",
        "views/programme_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
}
