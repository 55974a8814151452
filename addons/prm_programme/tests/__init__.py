# Odoo's own runner finds only the test modules imported here (ORM tests);
# test_lib_* run under pytest only.
from . import test_access_matrix, test_programme
