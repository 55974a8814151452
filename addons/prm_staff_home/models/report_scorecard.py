from odoo import _, api, models
from odoo.exceptions import MissingError

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
        """Scorecard sections per dealer of ``docids`` (res.partner ids).

        Record rules decide which dealers the user may print (AccessError
        otherwise); portal users only the own company as managing director,
        with the figures of /my/scorecard (``_prm_scorecard_source``). Ids
        that do not exist (``ir.actions.report``) or name no dealer raise
        MissingError (404 on ``/report/...``)."""
        lang = self._report_lang()
        docs = self.env["res.partner"].with_context(lang=lang).browse(docids)
        docs.check_access_rule("read")
        if not all(docs.mapped("prm_is_dealer")):
            raise MissingError(_("Only dealers have a scorecard."))
        return {
            "doc_ids": docids, "doc_model": "res.partner", "docs": docs,
            "report_lang": lang,
            "scorecards": {doc.id: doc._prm_scorecard_sections(
                doc._prm_scorecard_source()) for doc in docs},
        }
