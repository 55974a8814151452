from . import main
from . import factor_change
