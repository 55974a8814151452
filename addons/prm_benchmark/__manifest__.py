# Copyright 2026 PRM Partner Portal contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PRM Benchmark (Betriebsvergleich)",
    "summary": "Inter-firm comparison: figures entry, KPIs, comparison groups, "
               "anonymous statistics, charts and exports",
    "version": "11.0.1.3.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "PRM Partner Portal contributors",
    "website": "https://example.com/prm",
    "depends": ["prm_partner_portal"],
    "external_dependencies": {"python": ["xlsxwriter", "openpyxl", "matplotlib"],
                              "bin": ["wkhtmltopdf"]},
    "data": [
        "security/ir.model.access.csv",
        "security/prm_benchmark_security.xml",
        "data/benchmark_input_data.xml",
        "data/benchmark_kpi_data.xml",
        "data/benchmark_cron_data.xml",
        "data/benchmark_report_mail_data.xml",
        "views/benchmark_input_views.xml",
        "views/benchmark_views.xml",
        "views/portal_entry_templates.xml",
        "views/analysis_assets.xml",
        "views/backend_assets.xml",
        "views/portal_analysis_templates.xml",
        "views/report_participant.xml",
        "views/report_network.xml",
        "wizards/benchmark_import_wizard_views.xml",
    ],
    "installable": True,
}
