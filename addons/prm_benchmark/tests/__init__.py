# Odoo's own runner (--test-enable, as OCA CI runs it) finds only the test
# modules imported here: every ORM test (TransactionCase/SavepointCase). The
# plain pytest functions (test_lib_*, test_prop_*) test lib/ without the ORM
# and run under pytest only (make test).
from . import (test_access_matrix, test_analysis_caches, test_chart_list_orm,
               test_engine, test_report_dispatch,
               test_export_dates, test_fidelity_orm, test_import, test_import_hostile,
               test_kpi_value_groups, test_lib_release_history,
               test_partial_refresh_equals_full, test_prop_partial_refresh,
               test_prop_round_trip, test_refresh_concurrency, test_release_views,
               test_staleness, test_text_hygiene, test_time_differencing,
               test_reminder_dates)
