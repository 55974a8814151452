from . import main
from . import security
from . import factor_change
