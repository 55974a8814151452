"""Odoo's own runner (``--test-enable``, as OCA CI and integrators run it)
finds only the test modules an addon's ``tests/__init__.py`` imports: every
module with an ORM test class (any ``*Case`` base) must be imported there,
else it silently runs under ``make test`` only (issue 15)."""
import ast
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def case_modules(folder):
    for path in sorted(glob.glob(os.path.join(folder, "test_*.py"))):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                    (getattr(base, "id", None) or getattr(base, "attr", ""))
                    .endswith("Case") for base in node.bases):
                yield os.path.basename(path)[:-3]
                break


def imported(folder):
    with open(os.path.join(folder, "__init__.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    return {alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names}


def test_every_orm_test_module_is_imported_for_odoos_runner():
    missing = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "addons", "*", "tests"))):
        names = imported(folder)
        missing += [os.path.join(os.path.relpath(folder, ROOT), name)
                    for name in case_modules(folder) if name not in names]
    assert not missing, missing
