# Odoo's own runner (--test-enable) finds only the test modules imported
# here: the ORM tests. The plain pytest functions (test_lib_*) test lib/
# without the ORM and run under pytest only (make test); the loaded demo is
# covered by the system tests in tests/test_demo_addon.py.
from . import (test_demo_audit, test_demo_deals, test_demo_portal_users,
               test_demo_routing, test_loaders, test_programme_demo)
