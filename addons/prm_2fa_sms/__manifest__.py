# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM SMS two-factor sign-in",
    "summary": "One-time code by SMS as second factor on every login path",
    "version": "11.0.1.1.0",
    "category": "Extra Tools",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["base_setup", "mail", "portal", "auth_brute_force"],
    "external_dependencies": {"python": [
        "phonenumbers", "requests", "pyotp", "qrcode", "cryptography"]},
    "data": [
        "security/ir.model.access.csv",
        "security/prm_2fa_security.xml",
        "data/prm_2fa_data.xml",
        "views/code_page.xml",
        "views/backend_views.xml",
        "views/totp_views.xml",
        "views/security_page.xml",
        "views/factor_change.xml",
    ],
    "demo": [
        "demo/prm_2fa_demo.xml",
    ],
    "installable": True,
}
