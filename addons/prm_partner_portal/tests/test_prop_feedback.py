"""Property-based tests of the portal's free-text cleaning (comments, notes)."""
import re

from hypothesis import given, strategies as st

from ..lib.feedback import (
    COMMENT_MAX_LENGTH, CommentTooLongError, checked_comment, clean_comment,
)

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([
        "<script>", "</script>", "<img src=x onerror=alert(1)>", '">',
        "<svg onload=x>", "\x00", "\r\n", "\r", "a", " ", "<", ">", "ä"]),
        max_size=80).map("".join),
)


@given(HOSTILE)
def test_cleaned_text_has_no_tags_or_control_characters(text):
    cleaned = clean_comment(text)
    assert not re.search(r"<[^>]*>", cleaned)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r]", cleaned)
    assert cleaned == cleaned.strip() and len(cleaned) <= COMMENT_MAX_LENGTH


@given(HOSTILE, st.integers(0, 400))
def test_checked_text_is_complete_or_refused(text, max_length):
    cleaned = clean_comment(text, max_length=None)
    try:
        checked = checked_comment(text, max_length)
    except CommentTooLongError as error:
        assert (error.length, error.max_length) == (len(cleaned), max_length)
        assert len(cleaned) > max_length
        return
    # Never silently cut: what is stored is all the author wrote.
    assert checked == cleaned and len(checked) <= max_length
