from . import benchmark_input
from . import benchmark_kpi
from . import benchmark_period
from . import benchmark_group
from . import benchmark_entry
from . import benchmark_engine
from . import prm_target
from . import benchmark_demo_loader
