"""Rules of the dealer exchange (chat), without Odoo.

What a dealer may post: plain text of limited length, at most a few messages
per minute, one small attachment of a known type. Errors carry an untranslated
template plus parameters; the Odoo layer translates them for the reader.
"""
import html
import os

from . import office_files

MAX_MESSAGES = 5  # per user and window, over all exchange channels
WINDOW_SECONDS = 60
MAX_LENGTH = 4000  # characters of the text as typed
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
# A workbook of at most 2 MB that unpacks to more is no spreadsheet a dealer
# shares.
MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024
# extension -> (mimetype, content kind): the content must match the name, so
# a renamed executable (or a zip holding one) is not accepted as a "PDF" or
# an "XLSX"; see lib/office_files.py.
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "xlsx"),
}
ALLOWED_EXTENSIONS_LABEL = "PDF, PNG, JPG, XLSX"


def _(source):
    # marks strings for Odoo's translation extractor; the Odoo layer
    # translates them at display time
    return source


class ChatPolicyError(Exception):
    """A refused post: ``template`` (untranslated) with ``params``."""

    def __init__(self, template, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)

    def __str__(self):
        return self.template % self.params


def normalize_text(text):
    """Unify line breaks and trim surrounding blank space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_text(text, has_attachment=False, max_length=MAX_LENGTH):
    """Raise ChatPolicyError unless ``text`` (normalized) may be posted."""
    if not text and not has_attachment:
        raise ChatPolicyError(_("Please write a message or attach a file."))
    if len(text) > max_length:
        raise ChatPolicyError(
            _("Your message is too long: %(length)s characters, at most "
              "%(max)s are allowed."), length=len(text), max=max_length)


def seconds_until_allowed(recent, now, max_messages=MAX_MESSAGES,
                          window=WINDOW_SECONDS):
    """0 when one more message may be posted at ``now``, else seconds to wait.

    ``recent``: posting times (seconds, any epoch shared with ``now``) of the
    user's earlier messages. A message counts while it is younger than
    ``window`` seconds, i.e. posted after ``now - window``.
    """
    in_window = sorted(t for t in recent if now - window < t <= now)
    if len(in_window) < max_messages:
        return 0
    # the oldest message that keeps the count at the limit must leave the window
    oldest_blocking = in_window[len(in_window) - max_messages]
    return max(1, int(oldest_blocking + window - now + 0.999))


def check_rate(recent, now, max_messages=MAX_MESSAGES, window=WINDOW_SECONDS):
    wait = seconds_until_allowed(recent, now, max_messages, window)
    if wait:
        raise ChatPolicyError(
            _("You are posting too fast: at most %(max)s messages in %(window)s "
              "seconds. Please wait %(wait)s seconds."),
            max=max_messages, window=window, wait=wait)


def _content_matches(kind, content, max_bytes):
    if kind != "xlsx":
        return office_files.has_magic(content, kind)
    try:
        office_files.check_xlsx(
            content, max(max_bytes, len(content)), MAX_XLSX_UNPACKED_BYTES,
            strict_parts=True)
    except office_files.OfficeFileError:
        return False
    return True


def check_attachment(filename, content, max_bytes=MAX_ATTACHMENT_BYTES):
    """Return the mimetype of an acceptable attachment, else raise.

    ``content``: the file's bytes. PDF, PNG and JPEG are recognised by their
    leading bytes; an XLSX must be a workbook inside (only workbook parts,
    no macros, no zip bomb), not just any zip.
    """
    extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
    spec = ATTACHMENT_TYPES.get(extension)
    content = content or b""
    if not spec or not _content_matches(spec[1], content, max_bytes):
        raise ChatPolicyError(
            _("The file '%(name)s' cannot be attached: allowed are %(types)s."),
            name=os.path.basename(filename or ""), types=ALLOWED_EXTENSIONS_LABEL)
    if len(content) > max_bytes:
        raise ChatPolicyError(
            _("The file '%(name)s' is too large (%(size)s MB): at most %(max)s MB "
              "are allowed."), name=os.path.basename(filename),
            size="%.1f" % (len(content) / 1048576.0),
            max="%g" % (max_bytes / 1048576.0))
    return spec[0]


def text_to_html(text):
    """Plain text as HTML: everything escaped, line breaks as <br/>."""
    return "<br/>".join(html.escape(line) for line in normalize_text(text).split("\n"))
