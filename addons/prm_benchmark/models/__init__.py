from . import benchmark_input
