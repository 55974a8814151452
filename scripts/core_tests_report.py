"""Judge one log of Odoo 11's test runner (``--test-enable``) for core-tests.

Usage: core_tests_report.py LOG MODULE EXPECTED_FILE ODOO_EXIT_CODE

Exit 0 when the run is acceptable: Odoo exited with 0 or 1 (1 = some test
failed), MODULE's tests ran (``Ran N tests`` lines of ``odoo.addons.MODULE``),
no tests package failed to import (Odoo exits 0 then and runs nothing), and
every ``FAIL:``/``ERROR:`` test is listed in EXPECTED_FILE. Exit 1 otherwise.

EXPECTED_FILE lines: ``test_name (odoo.addons.x.tests.file.Class) | reason``;
``#`` starts a comment.
"""
import re
import sys

RAN = re.compile(r" odoo\.addons\.(\w+)\.tests\.\S+: Ran (\d+) tests? in")
FAILED = re.compile(r" (?:FAIL|ERROR): (test\w* \(odoo\.addons\.[\w.]+\))$")
IMPORT = re.compile(r"Can not `import ([\w.]+)`")


def read_expected(path):
    """{test id: reason} from the expected-differences file."""
    expected = {}
    with open(path) as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                test, _sep, reason = line.partition("|")
                expected[test.strip()] = reason.strip()
    return expected


def main(log, module, expected_path, exit_code):
    ran, failed, imports = {}, set(), set()
    with open(log, errors="replace") as handle:
        for line in handle:
            line = line.rstrip()
            match = RAN.search(line)
            if match:
                ran[match.group(1)] = ran.get(match.group(1), 0) + int(match.group(2))
            match = FAILED.search(line)
            if match:
                failed.add(match.group(1))
            match = IMPORT.search(line)
            if match:
                imports.add(match.group(1))
    expected = read_expected(expected_path)
    problems = []
    if exit_code not in ("0", "1"):
        problems.append("Odoo exited with %s (module loading crashed?)" % exit_code)
    if not ran.get(module):
        problems.append("no `Ran N tests` line of %s: its tests did not run" % module)
    problems += ["tests of %s failed to import" % name for name in sorted(imports)]
    unexpected = sorted(failed - set(expected))
    problems += ["unexpected failure: %s" % test for test in unexpected]
    print("%s: %d tests ran (%s); %d failed, %d of them documented" % (
        module, sum(ran.values()),
        ", ".join("%s %d" % item for item in sorted(ran.items())),
        len(failed), len(failed & set(expected))))
    for test in sorted(failed & set(expected)):
        print("  expected: %s (%s)" % (test, expected[test]))
    for problem in problems:
        print("  PROBLEM: %s" % problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
