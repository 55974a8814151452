"""Page footers stamped onto a finished PDF (PyPDF2 and reportlab, both
Odoo requirements).

Debian's wkhtmltopdf is built against unpatched Qt and ignores
``--footer-html`` / ``--footer-center`` (it says so on stderr), so Odoo's
report footers (page numbers) are lost; CSS page counters do not work in its
WebKit either. The report therefore gets its footer after rendering: one
small text line per page, left the ``left`` text, right "page n of N".
"""
import io

FONT, FONT_SIZE = "Helvetica", 8
MARGIN_MM = 12


def stamp_footer(content, page_text, left=""):
    """``content`` (PDF bytes) with a footer line on every page.

    ``page_text``: a template with ``%(page)s`` and ``%(pages)s`` ("Page
    %(page)s of %(pages)s", translated by the caller); ``left``: text on the
    left (e.g. "Confidential"). Returns PDF bytes; the page count is
    unchanged. Raises PyPDF2's errors for content that is not a PDF.
    """
    from PyPDF2 import PdfFileReader, PdfFileWriter
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    reader = PdfFileReader(io.BytesIO(content))
    pages = reader.getNumPages()
    writer = PdfFileWriter()
    for index in range(pages):
        page = reader.getPage(index)
        width = float(page.mediaBox.getWidth())
        buffer = io.BytesIO()
        sheet = canvas.Canvas(buffer, pagesize=(
            width, float(page.mediaBox.getHeight())))
        sheet.setFont(FONT, FONT_SIZE)
        sheet.setFillGray(0.3)
        sheet.drawString(MARGIN_MM * mm, 7 * mm, left)
        sheet.drawRightString(width - MARGIN_MM * mm, 7 * mm, page_text % {
            "page": index + 1, "pages": pages})
        sheet.save()
        page.mergePage(PdfFileReader(io.BytesIO(buffer.getvalue())).getPage(0))
        writer.addPage(page)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()
