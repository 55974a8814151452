from . import main
from . import security
