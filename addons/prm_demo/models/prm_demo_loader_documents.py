"""Demo data: documents and news of head office (``lib/demo_documents.py``)."""
import base64
import datetime

from odoo import api, fields, models

from ..lib import demo_documents


class PrmDemoLoader(models.AbstractModel):
    _inherit = "prm.demo.loader"

    @api.model
    def _load_demo_documents(self):
        """Create the demo documents and news once (nothing twice)."""
        Document = self.env["prm.document"].with_context(active_test=False)
        first = demo_documents.documents()[0]["name"]
        if Document.search_count([("name", "=", first)]):
            return True
        tag = self.env["res.partner.category"].create({"name": demo_documents.TAG})
        for key in demo_documents.TAG_DEALERS:
            dealer = self.env.ref("prm_demo.demo_%s" % key, raise_if_not_found=False)
            if dealer:
                dealer.write({"category_id": [(4, tag.id)]})
        today = fields.Date.from_string(fields.Date.context_today(self))
        for spec in demo_documents.documents():
            document = Document.create(dict(
                self._demo_audience(spec, tag, today), name=spec["name"],
                category=spec["category"], file_name=spec["file_name"],
                file=base64.b64encode(spec["text"].encode("utf-8"))))
            document.action_publish()
        for spec in demo_documents.news():
            news = self.env["prm.news"].create(dict(
                self._demo_audience(spec, tag, today), name=spec["name"],
                summary=spec["summary"], body=spec["body"]))
            news.action_publish()
        return True

    @api.model
    def _demo_audience(self, spec, tag, today):
        """Audience and validity values of a demo item spec."""
        def day(offset):
            return fields.Date.to_string(today + datetime.timedelta(days=offset)) \
                if offset is not None else False
        tiers = self.env["prm.tier"].search([("code", "in", spec.get("tiers", []))])
        territories = self.env["prm.territory"].search(
            [("code", "in", spec.get("territories", []))])
        countries = self.env["res.country"].search(
            [("code", "in", spec.get("countries", []))])
        start, end = spec["valid"]
        return {
            "date_from": day(start), "date_to": day(end),
            "tier_ids": [(6, 0, tiers.ids)], "territory_ids": [(6, 0, territories.ids)],
            "country_ids": [(6, 0, countries.ids)],
            "category_ids": [(6, 0, tag.ids if spec.get("tags") else [])],
        }
