"""Chart hints of the shipped KPIs (the analysis page's charts come from them).

Until 11.0.1.0.0 every KPI had the hint ``bar`` (read nowhere) and the page
charted fixed KPI codes. The KPI data is ``noupdate``: the shipped KPIs
(by XML id, whatever their code now) that still have the old default get
the hints the page used to imply; a hint head office changed is kept.
"""
HINTS = {
    "kpi_rev_total": "line_quartiles", "kpi_growth": "line",
    "kpi_stock_turnover": "line_quartiles", "kpi_backlog_months": "line_quartiles",
    "kpi_stock_days": "line_combined", "kpi_dso": "line_combined",
    "kpi_billable_ratio": "line_combined", "kpi_warranty_share": "line_combined",
    "kpi_margin_new": "bar_compare", "kpi_margin_used": "bar_compare",
    "kpi_margin_parts": "bar_compare", "kpi_gross_margin": "bar_compare",
}
DISTRIBUTION = ("kpi_rev_per_employee", "kpi_gross_margin")


def migrate(cr, version):
    if not version:
        return
    for name, hint in HINTS.items():
        cr.execute("""
            UPDATE prm_benchmark_kpi k SET chart_hint = %s
              FROM ir_model_data d
             WHERE d.module = 'prm_benchmark' AND d.name = %s
               AND d.model = 'prm.benchmark.kpi' AND d.res_id = k.id
               AND coalesce(k.chart_hint, 'bar') = 'bar'
        """, [hint, name])
    cr.execute("""
        UPDATE prm_benchmark_kpi k SET chart_distribution = TRUE
          FROM ir_model_data d
         WHERE d.module = 'prm_benchmark' AND d.name IN %s
           AND d.model = 'prm.benchmark.kpi' AND d.res_id = k.id
    """, [DISTRIBUTION])
