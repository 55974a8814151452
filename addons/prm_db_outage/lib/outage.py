"""The answer to a request while the database cannot be reached (plain Python).

No database means no ``ir.translation``: the texts are translated in this
addon's ``i18n/de.po`` like every other text, and read from that file once,
when the module is imported. The language is the session's (``de_DE`` ...)
when it has one, else the browser's ``Accept-Language``; German when neither
names German or English.
"""
import html
import json
import os

from babel.messages.pofile import read_po

#: HTTP status of every answer during an outage.
STATUS = 503
#: Seconds after which a client may retry (``Retry-After``).
RETRY_AFTER = 5
TITLE = "Briefly unavailable"
MESSAGE = ("The portal is briefly unavailable (database maintenance). "
           "Please retry in a moment; you stay signed in.")
RETRY = "Retry"
TEXTS = (TITLE, MESSAGE, RETRY)
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

PO_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", "de.po")


def read_catalogue(path=PO_PATH):
    """``{msgid: German msgstr}`` of the .po file at ``path`` (str -> str)."""
    with open(path, "rb") as handle:
        return {message.id: message.string for message in read_po(handle)
                if message.id and message.string}


GERMAN = read_catalogue()


def language(session_lang, accept_languages):
    """``"de"`` or ``"en"``.

    ``session_lang``: the session's language code (``"de_DE"``, ``"en_US"``)
    or None; ``accept_languages``: werkzeug's ``LanguageAccept`` (an iterable
    of ``(tag, quality)``) or None.
    """
    if session_lang and session_lang[:2] in LANGUAGES:
        return session_lang[:2]
    # By the primary tag: "de-AT" is German, "en-US" English (werkzeug's
    # best_match compares whole tags).
    for tag, _quality in sorted(accept_languages or (), key=lambda item: -item[1]):
        if tag[:2].lower() in LANGUAGES:
            return tag[:2].lower()
    return DEFAULT_LANGUAGE


def translate(text, lang):
    """``text`` (one of ``TEXTS``) in ``lang``; English when untranslated."""
    return GERMAN.get(text, text) if lang == "de" else text


def page(lang):
    """The HTML page (str): the message and a retry link to the same URL."""
    title, message, retry = (html.escape(translate(text, lang)) for text in TEXTS)
    return (
        '<!DOCTYPE html>\n<html lang="%(lang)s"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        '<title>%(title)s</title></head>'
        '<body style="font-family: sans-serif; margin: 3em auto; max-width: 40em">'
        '<h1>%(title)s</h1><p class="o_prm_db_outage">%(message)s</p>'
        '<p><a href="javascript:location.reload()">%(retry)s</a></p>'
        '</body></html>\n' % dict(lang=lang, title=title, message=message,
                                  retry=retry))


def json_error(lang):
    """A JSON-RPC 2.0 error (str), shaped like Odoo's: ``error.code`` 503,
    ``error.message`` and ``error.data.message`` the translated text."""
    message = translate(MESSAGE, lang)
    return json.dumps({"jsonrpc": "2.0", "id": None, "error": {
        "code": STATUS, "message": translate(TITLE, lang),
        "data": {"name": "prm_db_outage.DatabaseUnavailable", "debug": "",
                 "message": message, "arguments": [message],
                 "exception_type": "database_unavailable"}}})
