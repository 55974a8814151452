# Odoo's own runner (--test-enable) finds only the test modules imported
# here: the ORM tests. test_lib_* run under pytest only.
from . import test_access_matrix, test_deal_registration
