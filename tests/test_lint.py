"""`make lint` is part of `make test`: flake8 (88 columns) and pylint-odoo."""
import os
import subprocess

from .odoo_server import ROOT


def test_lint_is_clean():
    result = subprocess.run(
        [os.path.join(ROOT, "scripts", "lint.sh")], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:]
