"""Bring the addons' i18n/de.po in line with what Odoo exports from a database.

usage: .local/venv/bin/python scripts/i18n_sync.py CONFIG DB [--write]

Exports the terms of every installed ``prm_*`` addon from DB (views, fields,
selections, ``_()``, JS ``_t``) and, in each ``i18n/de.po``, adds the missing
places (``#:`` lines) to entries that are already translated. The file is
edited line by line (no re-wrapping), so merges stay small. Terms without a
German translation are listed: add them by hand. Without ``--write`` it only
reports. The test ``test_translations.py`` fails while anything is missing.
"""
import io
import os
import sys

import polib

import odoo
from odoo.tools import config
from odoo.tools.translate import trans_export

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "addons")


def export(cr, module):
    buffer = io.BytesIO()
    trans_export("de_DE", [module], buffer, "po", cr)
    return polib.pofile(buffer.getvalue().decode("utf-8"))


def sync(path, exported, write):
    """Add missing places to ``path``; returns (places added, untranslated)."""
    own = {(e.msgctxt, e.msgid): e for e in polib.pofile(path)}
    add, untranslated = {}, []
    for entry in exported:
        mine = own.get((entry.msgctxt, entry.msgid))
        if mine is None or not mine.msgstr:
            untranslated.append(entry)
            continue
        places = {place for place, _line in mine.occurrences}
        new = [(p, n) for p, n in entry.occurrences if p not in places]
        if new:
            add[(entry.msgctxt, entry.msgid)] = new
    blocks = open(path, encoding="utf-8").read().split("\n\n")
    added = 0
    for index, block in enumerate(blocks):
        entries = [e for e in polib.pofile(block + "\n") if e.msgid]
        key = len(entries) == 1 and (entries[0].msgctxt, entries[0].msgid)
        if key not in add:
            continue
        lines = block.split("\n")
        refs = [i for i, line in enumerate(lines) if line.startswith("#:")]
        comments = [i for i, line in enumerate(lines) if line.startswith("#")]
        position = (refs or comments)[-1] + 1
        if lines[position - 1].startswith("#,"):
            position -= 1
        new = ["#: %s%s" % (place, ":%s" % line if line else "")
               for place, line in add[key]]
        lines[position:position] = new
        added += len(new)
        blocks[index] = "\n".join(lines)
    if write:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n\n".join(blocks))
        polib.pofile(path)
    return added, untranslated


def main(conf, db, write=False):
    config.parse_config(["-c", conf])
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        modules = env["ir.module.module"].search([
            ("name", "=like", "prm\\_%"), ("state", "=", "installed")]).mapped("name")
        for module in modules:
            path = os.path.join(ADDONS, module, "i18n", "de.po")
            added, untranslated = sync(path, export(cr, module), write)
            print("%s: %d places %s, %d untranslated" % (
                module, added, "added" if write else "missing", len(untranslated)))
            for entry in untranslated:
                print("    %r  %s" % (entry.msgid[:70], entry.occurrences[0][0]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--write" in sys.argv)
