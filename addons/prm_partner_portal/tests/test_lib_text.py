"""lib/text.py: control characters out of stored and echoed text."""
import pytest

from ..lib.text import shown_safely, strip_controls


@pytest.mark.parametrize('text, multiline, expected', [
    ('Nord\x01\x0bGruppe', False, 'NordGruppe'),
    ('Zeile 1\r\nZeile 2\tx', True, 'Zeile 1\r\nZeile 2\tx'),
    ('Zeile 1\nZeile 2', False, 'Zeile 1 Zeile 2'),
    ('a\x00b\x7fc\x9fd', True, 'abcd'),
    ('Müller – ok', False, 'Müller – ok'),
    (False, False, False),
    (None, True, None),
])
def test_strip_controls(text, multiline, expected):
    assert strip_controls(text, multiline) == expected


def test_shown_safely_marks_what_it_hides():
    assert shown_safely('1\x002') == '1\ufffd2'
    assert shown_safely('1,5') == '1,5'
