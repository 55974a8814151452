from . import controllers
from . import models
from . import wizards
from . import sql_glue
from . import json_glue
from . import xmlrpc_glue
from . import log_glue
from . import rpc_retry
