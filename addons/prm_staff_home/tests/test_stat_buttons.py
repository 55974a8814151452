"""Stat buttons carry their label (issue 22: "109,63", "2", "2", "1" stood
without a word on the dealer form)."""
from collections import Counter

from lxml import etree

from odoo.tests.common import TransactionCase


class TestStatButtons(TransactionCase):

    def test_no_statinfo_field_shown_twice_in_a_form(self):
        """Odoo 11 keeps one widget and label per field name and view: a
        statinfo field that appears again in the same form (outside a
        sub-view) loses its label and shows a bare number. Every installed
        form view, core and OCA included."""
        bad = []
        views = self.env["ir.ui.view"].search(
            [("type", "=", "form"), ("mode", "=", "primary")])
        for view in views.filtered(lambda v: v.model in self.env):
            arch = self.env[view.model].fields_view_get(
                view_id=view.id, view_type="form")["arch"]
            root = etree.fromstring(arch)
            top = [field for field in root.iter("field")
                   if not any(a.tag == "field" for a in field.iterancestors())]
            seen = Counter(field.get("name") for field in top)
            bad += ["%s: %s" % (view.xml_id or view.name, field.get("name"))
                    for field in top if field.get("widget") == "statinfo"
                    and seen[field.get("name")] > 1]
        self.assertEqual(bad, [])

    def test_dealer_form_buttons_have_german_labels(self):
        arch = self.env["res.partner"].with_context(lang="de_DE").fields_view_get(
            view_id=self.env.ref("base.view_partner_form").id,
            view_type="form")["arch"]
        root = etree.fromstring(arch)
        labels = {}
        for button in root.iter("button"):
            if button.get("name", "").startswith("action_prm_view_"):
                text = button.xpath(".//*[contains(@class, 'o_stat_text')]")
                labels[button.get("name")] = text[0].text if text else None
        self.maxDiff = None
        self.assertEqual(labels, {
            "action_prm_view_targets": "vom Ziel",
            "action_prm_view_claims": "Offene Fälle",
            "action_prm_view_leads": "Leads",
            "action_prm_view_activities": "Aktivitäten",
        })
        values = [span.xpath("string()").strip() for span in root.xpath(
            "//button[@name='action_prm_view_targets']"
            "//*[contains(@class, 'o_stat_value')]")]
        self.assertEqual(values, ["%"])  # the unit next to the number
        claims = root.xpath("//field[@name='claim_count']")
        self.assertEqual([field.get("string") for field in claims],
                         ["Garantiefälle"])
