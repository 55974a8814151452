from . import benchmark_import_wizard
