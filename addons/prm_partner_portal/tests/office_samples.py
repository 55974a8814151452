"""Office files as other programs write them, for the attachment checks.

Plain Python without relative imports: the system tests load this file by
path (``tests/test_exchange_platform.py``).
"""
import io
import zipfile

import xlsxwriter


def workbook():
    """A real .xlsx as Excel-like programs write it."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.add_worksheet("Preise").write(0, 0, "Gebrauchtpreise")
    book.close()
    return output.getvalue()


def zip_of(parts, base=None):
    """A zip with ``parts`` (name -> bytes), after the parts of ``base``."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        if base:
            with zipfile.ZipFile(io.BytesIO(base)) as source:
                for info in source.infolist():
                    archive.writestr(info, source.read(info))
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()
