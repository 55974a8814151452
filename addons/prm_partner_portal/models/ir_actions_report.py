import io

from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo import _, api, models
from odoo.exceptions import MissingError, UserError

#: Reports whose technical name starts with this are ours (``prm_*`` addons).
OWN_REPORT_PREFIX = "prm_"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        """Core's PDF of one report (``_prm_check_one``); for our reports
        every record asked for exists (``render_qweb_html``; core drops id
        0 before the HTML, which then printed a blank page)."""
        self._prm_check_one()
        if res_ids and (self.report_name or "").startswith(OWN_REPORT_PREFIX):
            self._prm_check_exist(res_ids)
        return super().render_qweb_pdf(res_ids=res_ids, data=data)

    @api.model
    def _run_wkhtmltopdf(self, bodies, header=None, footer=None,
                         landscape=False, specific_paperformat_args=None,
                         set_viewport_size=False):
        """Core's wkhtmltopdf run, one document at a time.

        Debian's wkhtmltopdf is built against an unpatched Qt: given more
        than one input document (a report of several records: one body
        each) it prints an error, exits with 1, which Odoo accepts, and
        leaves an empty file, so the PDF of several dealers' scorecards had
        no page (outside review 11). Each body is converted alone and the
        pages are joined in order; an empty result is an error, not a PDF
        without pages.
        """
        def run(part):
            return super(IrActionsReport, self)._run_wkhtmltopdf(
                part, header=header, footer=footer, landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size)

        if len(bodies) < 2:
            return self._prm_check_pdf(run(bodies))
        writer = PdfFileWriter()
        for body in bodies:
            writer.appendPagesFromReader(PdfFileReader(io.BytesIO(
                self._prm_check_pdf(run([body])))))
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    @api.model
    def _prm_check_pdf(self, content):
        """``content`` unless wkhtmltopdf left nothing (UserError)."""
        if not content:
            raise UserError(_("The PDF could not be created. Please try "
                              "again or contact head office."))
        return content

    @api.model
    def render_qweb_html(self, docids, data=None):
        """Our reports print every record asked for or none: an id that does
        not exist raises MissingError (the 404 page on ``/report/...``,
        ``models/ir_http.py``) instead of a server error deep in the
        template (scorecard) or a PDF that silently leaves the record out
        (benchmark reports, which keep only ``exists()``); exactly one report
        (``_prm_check_one``)."""
        self._prm_check_one()
        if docids and (self.report_name or "").startswith(OWN_REPORT_PREFIX):
            self._prm_check_exist(docids)
        return super().render_qweb_html(docids, data=data)

    @api.model
    def _prm_check_exist(self, docids):
        """Raise MissingError unless every id of ``docids`` (ids or records
        of the report's model) names an existing record."""
        ids = list(docids.ids if isinstance(docids, models.BaseModel)
                   else docids)
        # browse() drops id 0 silently: every id must be a record's
        if not all(isinstance(id_, int) and id_ > 0 for id_ in ids) or \
                len(self.env[self.model].browse(ids).exists()) != len(set(ids)):
            raise MissingError(_("This document does not exist or was deleted."))

    def _prm_check_one(self):
        """Raise UserError unless this is exactly one report: rendering is
        public over RPC (``call_kw``, where ``render_qweb_html`` gets no
        report at all), and none or several reports ended as a server
        error with a traceback (``Expected singleton``) that any signed-in
        user could provoke (outside review 10)."""
        if len(self) != 1 or not self.exists():
            raise UserError(_("Choose one report to print."))
