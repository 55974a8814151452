from . import prm_demo_loader
from . import prm_demo_loader_exchange
from . import benchmark_demo_loader
from . import programme_demo_loader
from . import prm_demo_loader_documents
from . import prm_demo_loader_users
from . import prm_demo_loader_routing
from . import prm_demo_loader_deals
