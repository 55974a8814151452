# Odoo's own runner (--test-enable) finds only the test modules imported
# here: the ORM tests; the plain pytest functions (test_lib_*) run under
# pytest only (make test).
from . import (test_factor_changed, test_lock_times, test_pending_number,
               test_settings_admin_only, test_settings_values, test_sms_presets,
               test_totp)
