"""Shared checks of the property-based tests (not a test module itself)."""
import re

from hypothesis import strategies as st

from ..lib.errors import PrmError, _plain

# Text a hostile user may type: any character, plus the ones that tend to
# break parsers (separators, signs, digits of other scripts, controls).
NASTY_CHARS = ('0123456789.,+-*/()eE_ \t\n\u00a0\u202f\u2009\u0660\u0661'
               '\uff11\u00b2\u2212\x00\u200b%\'"<>&=;|')
NASTY_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=NASTY_CHARS, max_size=80),
)
LEFTOVER_PLACEHOLDER = re.compile(r'%\(\w+\)[sdrf]')


def assert_clear_error(error, error_class=PrmError):
    """``error`` is the module's own class with a complete English message.

    The message must be a translatable template whose placeholders are all
    filled (a KeyError here would surface as a 500 in the Odoo layer).
    """
    assert isinstance(error, error_class), repr(error)
    assert isinstance(error.template, str) and error.template.strip()
    text = str(error)
    assert text.strip() and not LEFTOVER_PLACEHOLDER.search(text), text
    assert error.template % _plain(error.params) == text
