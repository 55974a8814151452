from . import test_home, test_stat_buttons
