"""Control characters out of stored and echoed text.

C0/C1 control characters (``\\x00``–``\\x1f``, ``\\x7f``–``\\x9f``) are
invisible, and most of them are not allowed in XML 1.0: a group name with
``\\x01\\x0b`` made every XML-RPC read of it malformed. Pure Python.
"""
import re

#: Control characters never kept: everything but tab, line feed, return.
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]')
#: Line breaks and tabs, kept in multi-line text only.
_LINE_BREAKS = re.compile('[\t\n\r]')


def strip_controls(text, multiline=False):
    """``text`` without control characters.

    ``multiline`` (Text fields) keeps tab, line feed and carriage return;
    a single-line text (Char fields) gets a space for each of them. Non-str
    values (False, None) are returned unchanged.
    """
    if not isinstance(text, str):
        return text
    text = _CONTROL.sub('', text)
    return text if multiline else _LINE_BREAKS.sub(' ', text)


def shown_safely(text):
    """``text`` for repeating it in a message: control characters as U+FFFD.

    Used where the input is echoed back (a number that could not be read),
    so a NUL byte is never written into the HTML.
    """
    if not isinstance(text, str):
        return text
    return _CONTROL.sub('\ufffd', text)
