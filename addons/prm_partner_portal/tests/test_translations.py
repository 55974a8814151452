"""Every user-facing text of our addons has its German translation in de.po."""
import io
import re

import polib

from odoo.modules.module import get_module_resource
from odoo.tests.common import TransactionCase
from odoo.tools.translate import trans_export


# Odoo names a field's xmlid field_<model>_<field>; when two fields give the
# same name (prm.target's metric_id and prm.target.metric's id) it appends the
# database id, which differs from database to database: compare without it.
COLLISION_SUFFIX = re.compile(r"^(model:ir\.model\.fields,\w+:\w+\.field_\w+?)_\d+$")


def _place(place):
    return COLLISION_SUFFIX.sub(r"\1", place)


class TestGermanTranslations(TransactionCase):

    def test_every_exported_term_is_translated_in_de_po(self):
        """Odoo's own term export (views, fields, selections, ``_()``, JS
        ``_t``) against each ``i18n/de.po``: every term translated, and listed
        with every place it is used (a template text is translated only for
        the views the .po names; a JS text only if a .js file is named)."""
        if not self.env["res.lang"].search([("code", "=", "de_DE")]):
            self.skipTest("German is not installed")
        modules = self.env["ir.module.module"].search([
            ("name", "=like", "prm\\_%"), ("state", "=", "installed")]).mapped("name")
        self.assertTrue(modules)
        problems = []
        for module in modules:
            buffer = io.BytesIO()
            trans_export("de_DE", [module], buffer, "po", self.env.cr)
            exported = polib.pofile(buffer.getvalue().decode("utf-8"))
            own = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(
                get_module_resource(module, "i18n", "de.po"))}
            for entry in exported:
                mine = own.get((entry.msgctxt, entry.msgid))
                if mine is None or not mine.msgstr:
                    problems.append("%s: no translation of %r" % (
                        module, entry.msgid[:70]))
                    continue
                places = {_place(place) for place, _line in mine.occurrences}
                missing = sorted({place for place, _line in entry.occurrences
                                  if _place(place) not in places})
                if missing:
                    problems.append("%s: %r not listed for %s" % (
                        module, entry.msgid[:50], ", ".join(missing)))
        self.assertFalse(problems, "\n".join(problems))
