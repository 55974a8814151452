# Odoo's own runner finds only the ORM test modules imported here; the plain
# pytest functions (test_lib_*) run under pytest only.
from . import test_access_matrix, test_documents, test_valid_from
