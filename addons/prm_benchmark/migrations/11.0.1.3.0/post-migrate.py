"""11.0.1.3.0: "Parts revenue per technician" is euros per technician, not
per employee: its unit becomes ``currency`` (the KPI record is ``noupdate``,
so an update does not change it). Only while head office has not changed
the unit itself."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE prm_benchmark_kpi k SET unit = 'currency'
          FROM ir_model_data d
         WHERE d.model = 'prm.benchmark.kpi' AND d.res_id = k.id
           AND d.module = 'prm_benchmark'
           AND d.name = 'kpi_parts_per_technician'
           AND k.unit = 'per_employee'
    """)
