"""Customer feedback input: star rating and free-text comment (plain Python)."""
import re

from .messages import PrmError, _

RATING_MIN = 1
RATING_MAX = 5
COMMENT_MAX_LENGTH = 2000

_TAG = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RatingError(PrmError):
    """The submitted rating is missing or not a whole number from 1 to 5."""

    def __init__(self, value=None):
        super().__init__(_("Please choose a rating from 1 to 5 stars."))
        self.value = value


class CommentTooLongError(PrmError):
    """The text, without markup, is longer than allowed."""

    def __init__(self, length, max_length):
        super().__init__(_("Your comment is too long: %(length)s characters, "
                           "at most %(max)s are allowed."),
                         length=length, max=max_length)
        self.length = length
        self.max_length = max_length


def parse_rating(value):
    """The rating as int from 1 to 5; raises RatingError for anything else."""
    text = ("" if value is None else str(value)).strip()
    if not re.fullmatch(r"[0-9]", text):
        raise RatingError(value)
    rating = int(text)
    if not RATING_MIN <= rating <= RATING_MAX:
        raise RatingError(value)
    return rating


def clean_comment(text, max_length=COMMENT_MAX_LENGTH):
    """Plain text: no markup, no control characters, unified line breaks.

    Tags are dropped (the comment is stored and shown as text, never as
    HTML), surrounding whitespace is stripped and the length is capped
    (unless ``max_length`` is None).
    """
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _TAG.sub("", text)
    text = _CONTROL.sub("", text)
    return text.strip()[:max_length].strip()


def checked_comment(text, max_length=COMMENT_MAX_LENGTH):
    """``clean_comment(text)``, or CommentTooLongError instead of cutting it.

    What is stored must be what the author wrote: too long a text is
    refused so the author can shorten it, not silently truncated.
    """
    text = clean_comment(text, max_length=None)
    if len(text) > max_length:
        raise CommentTooLongError(len(text), max_length)
    return text
