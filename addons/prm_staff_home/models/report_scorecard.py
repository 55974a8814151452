from odoo import api, models

# The PDF is printed in German (the users' language) unless the printing
# user works in another language of the installation.
REPORT_LANG = "de_DE"


class ReportScorecard(models.AbstractModel):
    _name = "report.prm_staff_home.report_scorecard"
    _description = "Dealer scorecard (PDF)"

    @api.model
    def _report_lang(self):
        lang = self.env.lang or REPORT_LANG
        if lang == "en_US" and self.env["res.lang"]._lang_get(REPORT_LANG):
            return REPORT_LANG
        return lang

    @api.model
    def get_report_values(self, docids, data=None):
        """Scorecard sections per dealer, read as the printing user (record
        rules decide which dealers; a dealer the user may not read fails
        with the usual access error)."""
        lang = self._report_lang()
        docs = self.env["res.partner"].with_context(lang=lang).browse(docids)
        docs.check_access_rule("read")
        return {
            "doc_ids": docids, "doc_model": "res.partner", "docs": docs,
            "report_lang": lang,
            "scorecards": {doc.id: doc._prm_scorecard_sections()
                           for doc in docs.filtered("prm_is_dealer")},
        }
