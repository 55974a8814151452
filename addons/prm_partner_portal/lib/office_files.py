"""What is inside an uploaded file: magic bytes and Office Open XML zips.

Shared by every upload of the product (questionnaire import in
``prm_benchmark``, exchange attachments): one inspection, each caller words
its own message. Nothing is decompressed; only the zip directory is read.
"""
import io
import re
import struct
import zipfile

ZIP_SIGNATURE = b"PK\x03\x04"
END_OF_DIRECTORY = b"PK\x05\x06"
# Old .xls files and password-protected .xlsx files are OLE compound files.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Where a workbook keeps its parts and what they are: XML, relations,
# printer settings and embedded pictures. Anything else (an .exe, a script,
# a nested archive, macros) is no plain workbook.
XLSX_PART = re.compile(
    r"^(\[Content_Types\]\.xml"
    r"|(_rels/|docProps/|customXml/(_rels/)?|xl/[A-Za-z0-9_./-]*)"
    r"[A-Za-z0-9_.-]*\.(xml|rels|vml|png|jpe?g|gif|emf|wmf|tiff?|bmp|bin)"
    r"|xl/[A-Za-z0-9_./-]*/)$")
MACRO_PART = re.compile(r"vbaproject\.bin$|vbadata\.xml$", re.IGNORECASE)

# Leading bytes of the single-part formats the product accepts.
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}


class OfficeFileError(Exception):
    """``kind``: empty, too_large, legacy, not_xlsx, macro, unpacks_large,
    zip_bomb; ``limit`` the number that was exceeded (bytes or ratio)."""

    def __init__(self, kind, limit=None):
        self.kind = kind
        self.limit = limit
        super().__init__(kind)


def has_magic(data, kind):
    """True when ``data`` (bytes) starts like a file of ``kind`` (MAGIC key)."""
    return any((data or b"").startswith(magic) for magic in MAGIC[kind])


def _declared_part_count(data):
    """Number of entries announced by the zip's end record, or None."""
    position = data.rfind(END_OF_DIRECTORY, max(0, len(data) - 65557))
    if position < 0 or position + 22 > len(data):
        return None
    return struct.unpack("<H", data[position + 10:position + 12])[0]


def check_xlsx(data, max_bytes, max_uncompressed, max_ratio=100,
               ratio_min_bytes=1024 * 1024, max_parts=1000, strict_parts=False):
    """Raise OfficeFileError unless ``data`` (bytes) is a plausible, safe .xlsx.

    Limits in bytes. ``strict_parts``: every part must be a workbook part
    (XLSX_PART); without it only the required parts and no macros are
    checked. The declared sizes can be trusted for a later reading because
    Python's zipfile never returns more than the declared size of a part.
    """
    if not data:
        raise OfficeFileError("empty")
    if len(data) > max_bytes:
        raise OfficeFileError("too_large", max_bytes)
    if data.startswith(OLE_SIGNATURE):
        raise OfficeFileError("legacy")
    if not data.startswith(ZIP_SIGNATURE):
        raise OfficeFileError("not_xlsx")
    declared = _declared_part_count(data)
    if declared is not None and max_parts < declared < 0xFFFF:
        raise OfficeFileError("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:
        # Whatever the zip module trips over, the upload is no workbook.
        raise OfficeFileError("not_xlsx")
    names = {info.filename for info in infos}
    if len(infos) > max_parts or any(part not in names
                                     for part in XLSX_REQUIRED_PARTS):
        raise OfficeFileError("not_xlsx")
    if any(MACRO_PART.search(name) for name in names):
        raise OfficeFileError("macro")
    if strict_parts and (
            any(not XLSX_PART.match(name) for name in names)
            or any(info.flag_bits & 0x1 for info in infos)):  # encrypted part
        raise OfficeFileError("not_xlsx")
    uncompressed = sum(info.file_size for info in infos)
    if uncompressed > max_uncompressed:
        raise OfficeFileError("unpacks_large", max_uncompressed)
    compressed = sum(info.compress_size for info in infos)
    if uncompressed > ratio_min_bytes and \
            uncompressed > max_ratio * max(compressed, 1):
        raise OfficeFileError("zip_bomb", max_ratio)
