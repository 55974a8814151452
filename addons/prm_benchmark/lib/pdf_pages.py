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

    The footer is a content stream of its own appended to each page (the
    page's own streams wrapped in ``q``/``Q``), with a standard font added
    to the page's resources: the page's content is copied, never parsed.
    (PyPDF2's ``mergePage`` parses and rewrites every page's content in
    pure Python: seconds per page of vector charts.)
    """
    from PyPDF2 import PdfFileReader, PdfFileWriter
    from PyPDF2.generic import ArrayObject, DictionaryObject, NameObject

    reader = PdfFileReader(io.BytesIO(content))
    pages = reader.getNumPages()
    writer = PdfFileWriter()
    font = writer._addObject(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/" + FONT),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    save = writer._addObject(_stream(b"q\n"))
    for index in range(pages):
        page = reader.getPage(index)
        box = page.mediaBox
        footer = _footer(float(box.getLowerLeft_x()), float(box.getLowerLeft_y()),
                         float(box.getWidth()), left, page_text % {
                             "page": index + 1, "pages": pages})
        contents = page.get("/Contents")
        own = contents.getObject() if contents is not None else []
        if not isinstance(own, ArrayObject):
            own = [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [save] + list(own) + [writer._addObject(_stream(footer))])
        resources = page.get("/Resources")
        resources = resources.getObject() if resources is not None else None
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        fonts = fonts.getObject() if fonts is not None else None
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts[NameObject(FONT_RESOURCE)] = font
        writer.addPage(page)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()


FONT_RESOURCE = "/PrmFooterFont"


def _stream(data):
    from PyPDF2.generic import DecodedStreamObject
    stream = DecodedStreamObject()
    stream.setData(data)
    return stream


def _footer(x0, y0, width, left, right):
    """The footer's content stream (bytes): grey text 7 mm above the
    bottom, ``left`` at the left margin, ``right`` right-aligned."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    y = y0 + 7 * mm
    right_x = x0 + width - MARGIN_MM * mm - stringWidth(right, FONT, FONT_SIZE)
    parts = [b"Q q 0.3 g BT"]
    for x, text in ((x0 + MARGIN_MM * mm, left), (right_x, right)):
        if text:
            parts.append(b"%s %d Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj" % (
                FONT_RESOURCE.encode("ascii"), FONT_SIZE, x, y, _literal(text)))
    parts.append(b"ET Q\n")
    return b"\n".join(parts)


def _literal(text):
    """``text`` as the bytes of a PDF literal string in WinAnsiEncoding."""
    data = text.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)")
