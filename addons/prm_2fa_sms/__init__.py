from . import controllers
from . import models
from . import session_cookie
from . import wizards
