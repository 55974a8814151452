"""Every de.po of our addons reads the same in Odoo's PO reader as in polib.

Odoo 11's reader (``odoo.tools.translate.PoFile``) ends a translation only
at an empty line: an entry glued to the one before it (a merge of two
branches that both appended to the file) becomes part of that entry's
translation, and both texts show in English or garbled. polib, used by the
translation completeness test, reads such a file without complaint.
"""
import glob
import io
import os

import polib

from odoo.tools.translate import PoFile

ADDONS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))


def _odoo_entries(path):
    with open(path, "rb") as handle:
        reader = PoFile(io.BytesIO(handle.read()))
        return {(source, trad) for _type, _name, _res_id, source, trad, _comments
                in reader}


def test_every_de_po_reads_the_same_in_odoos_reader():
    paths = sorted(glob.glob(os.path.join(ADDONS, "prm_*", "i18n", "de.po")))
    assert len(paths) >= 3
    problems = []
    for path in paths:
        read = _odoo_entries(path)
        for entry in polib.pofile(path):
            if entry.msgid and not entry.obsolete and \
                    (entry.msgid, entry.msgstr) not in read:
                problems.append("%s: %r" % (os.path.relpath(path, ADDONS),
                                            entry.msgid[:60]))
    assert not problems, "\n".join(problems)
