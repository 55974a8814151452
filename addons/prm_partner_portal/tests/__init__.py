# Odoo's own runner (--test-enable, as OCA CI runs it) finds only the test
# modules imported here: every ORM test (TransactionCase/SavepointCase). The
# plain pytest functions (test_lib_*, test_prop_*) test lib/ without the ORM
# and run under pytest only (make test).
from . import (test_access, test_access_matrix, test_chatter_scope, test_exchange,
               test_exchange_programme,
               test_group_measures, test_lead_response, test_lead_routing,
               test_policy_error, test_portal_user_admin, test_portal_user_wizard,
               test_rpc_retry,
               test_programme, test_targets, test_translations)
from . import test_read_group_access
