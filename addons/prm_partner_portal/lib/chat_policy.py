"""Rules of the dealer exchange (chat), without Odoo.

What a dealer may post: plain text of limited length, at most a few messages
per minute, one small attachment of a known type. Head office posts HTML, but
nothing that loads from another server when a dealer reads it. Errors carry an
untranslated template plus parameters; the Odoo layer translates them for the
reader.
"""
import html
import math
import os

from lxml import etree
from lxml import html as lxml_html

from . import office_files
from .messages import PrmError, _

MAX_MESSAGES = 5  # per user and window, over all exchange channels
WINDOW_SECONDS = 60
MAX_LENGTH = 4000  # characters of the text as typed
# bytes (UTF-8) of a message body as sent and as stored, for every author: a
# dealer's longest text, escaped, stays far below (4000 * len("&quot;"))
MAX_BODY_BYTES = 64 * 1024
MAX_SUBJECT_LENGTH = 200  # characters of a message subject (one line)
# Elements that fetch their URL as soon as the message is shown; dropped when
# the URL is not of this server. Other elements only lose such attributes.
MEDIA_TAGS = frozenset(["img", "image", "video", "audio", "source", "track",
                        "input", "embed", "object", "iframe", "frame", "picture"])
LOADING_ATTRIBUTES = ("src", "srcset", "lowsrc", "dynsrc", "poster", "background",
                      "data", "action", "formaction", "ping")
LINK_REL = "nofollow noopener noreferrer"
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


class ChatPolicyError(PrmError):
    """A refused post: ``template`` (untranslated) with ``params``.

    Numbers with decimals are given as floats (the Odoo layer writes them
    in the reader's number format), never as preformatted text.
    """


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
            size=math.ceil(len(content) / 104857.6) / 10.0,
            max=max_bytes / 1048576.0)
    return spec[0]


def text_to_html(text):
    """Plain text as HTML element content: ``&``, ``<``, ``>`` escaped,
    line breaks as <br/> (quotes need no escaping outside attributes)."""
    return "<br/>".join(html.escape(line, quote=False)
                        for line in normalize_text(text).split("\n"))


def check_body_size(body, max_bytes=MAX_BODY_BYTES):
    """Raise ChatPolicyError when ``body`` (str) exceeds ``max_bytes`` UTF-8."""
    size = len((body or "").encode("utf-8"))
    if size > max_bytes:
        raise ChatPolicyError(
            _("Your message is too large: %(size)s KB, at most %(max)s KB are "
              "allowed."), size=(size + 1023) // 1024, max=max_bytes // 1024)


def dealer_body(text, has_attachment=False):
    """The HTML a dealer's message is stored and shown as.

    ``text``: the message as plain text (for an HTML body: its text, e.g.
    from ``odoo.tools.html2plaintext``). Returns escaped text with ``<br/>``
    line breaks: no tag, link, image or style of the author survives. Raises
    ChatPolicyError when the text is empty (and nothing is attached) or longer
    than MAX_LENGTH characters.
    """
    text = normalize_text(text)
    check_text(text, has_attachment=has_attachment)
    body = text_to_html(text)
    check_body_size(body)
    return body


def plain_subject(subject):
    """A subject as one line of plain text (str), or raise ChatPolicyError.

    Whitespace runs become one space; at most MAX_SUBJECT_LENGTH characters.
    """
    subject = " ".join((subject or "").split())
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise ChatPolicyError(
            _("The subject is too long: %(length)s characters, at most %(max)s "
              "are allowed."), length=len(subject), max=MAX_SUBJECT_LENGTH)
    return subject


def is_local_url(url):
    """``url`` points to this server (``/path``) or is inline image data."""
    # browsers drop whitespace and control characters inside URLs
    url = "".join(char for char in (url or "") if char > " ").lower()
    if url.startswith("data:image/"):
        return True
    # "//host" and "/\\host" are other servers to a browser
    return url.startswith("/") and url[1:2] not in ("/", "\\")


def without_remote_content(body):
    """HTML ``body`` (str) without anything that loads from another server.

    Images, media and frames whose URL is not local are dropped (their text
    after them stays); other URL-loading attributes and styles with ``url(``
    are removed; links get ``rel="nofollow noopener noreferrer"``. For head
    office's (already sanitized) HTML: no tracking pixel tells a sender which
    dealer read a message from where. Returns str ("" for an empty body).
    """
    if not (body or "").strip():
        return ""
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element is root:
            continue
        remote = [name for name in LOADING_ATTRIBUTES
                  if name in element.attrib
                  and not is_local_url(element.attrib[name])]
        if element.tag.lower() in MEDIA_TAGS and remote:
            element.drop_tree()
            continue
        for name in remote:
            del element.attrib[name]
        if "url(" in "".join(element.get("style", "").lower().split()):
            del element.attrib["style"]
        if element.tag.lower() == "a":
            element.set("rel", LINK_REL)
    return html.escape(root.text or "", quote=False) + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root)
