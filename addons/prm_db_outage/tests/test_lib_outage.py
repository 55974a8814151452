"""The outage answer (``lib.outage``): language choice and translations."""
import json

import polib
from werkzeug.datastructures import LanguageAccept

from ..lib import outage


def test_every_text_is_translated_in_de_po():
    entries = {entry.msgid: entry.msgstr for entry in polib.pofile(outage.PO_PATH)}
    for text in outage.TEXTS:
        assert entries.get(text), "no German for %r" % text
        assert outage.translate(text, "de") == entries[text]
        assert outage.translate(text, "en") == text


def test_language_session_first_then_browser_then_german():
    english = LanguageAccept([("en-US", 1), ("en", 0.8)])
    assert outage.language("de_DE", english) == "de"
    assert outage.language("en_US", None) == "en"
    assert outage.language(None, english) == "en"
    assert outage.language("fr_FR", LanguageAccept([("fr", 1)])) == "de"
    assert outage.language(None, None) == "de"


def test_page_and_json_error_carry_the_message():
    assert outage.translate(outage.MESSAGE, "de") in outage.page("de")
    assert '<html lang="en">' in outage.page("en")
    error = json.loads(outage.json_error("en"))["error"]
    assert error["code"] == 503 and error["data"]["message"] == outage.MESSAGE


def test_language_by_the_primary_tag():
    """Outside review: "de-AT" got the English page, "en-US" alone German."""
    assert outage.language(None, LanguageAccept([("de-AT", 1), ("en", 0.5)])) == "de"
    assert outage.language(None, LanguageAccept([("en-US", 1)])) == "en"
    assert outage.language(None, LanguageAccept([("fr", 1), ("en-GB", 0.7),
                                                 ("de-CH", 0.3)])) == "en"
