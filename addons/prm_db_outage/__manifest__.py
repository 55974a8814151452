# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM database outage page",
    "summary": "A short database outage answers 503 and keeps every session "
               "(server-wide module, server_wide_modules)",
    "version": "11.0.1.0.0",
    "category": "Extra Tools",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["web"],
    "data": [],
    # Loaded by the server (server_wide_modules), not installed in a database:
    # it must work while no database can be reached.
    "post_load": "post_load",
    "installable": True,
    "auto_install": False,
}
