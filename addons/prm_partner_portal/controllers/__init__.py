from . import portal
from . import database
from . import leads
from . import exchange
from . import mail_platform
from . import closed
from . import binary
from . import export
