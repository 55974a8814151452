from . import test_access_matrix, test_home, test_stat_buttons
