"""What an error answer may tell a caller who is not an administrator.

Pure Python (nothing here imports odoo): the rules behind ``ir.http``'s
guard against NUL bytes and server tracebacks in answers.
"""

# ``exception_type`` values of Odoo's ``serialize_exception`` whose message
# is written for users (UserError, ValidationError, AccessError, ...).
USER_FACING_TYPES = frozenset({
    "user_error", "warning", "access_error", "missing_error", "access_denied",
    "validation_error", "except_orm"})
# Exception classes whose message is a protocol status, not server internals.
USER_FACING_PREFIXES = ("werkzeug.exceptions.", "odoo.http.SessionExpired")

GENERIC_NAME = "InternalServerError"
GENERIC_MESSAGE = "Internal Server Error"


def contains_nul(value, depth=0):
    """True if ``value`` holds a NUL character anywhere.

    ``value``: str/bytes, or dicts/lists/tuples of them nested up to 32
    levels (keys are checked too); other types are ignored. Deeper nesting
    counts as hostile (True).
    """
    if depth > 32:
        return True
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, bytes):
        return b"\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key, depth + 1) or contains_nul(item, depth + 1)
                   for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_nul(item, depth + 1) for item in value)
    return False


def safe_error_data(name, message, exception_type="internal_error"):
    """The ``data`` member of a JSON-RPC error without any traceback."""
    return {"name": name, "message": message, "arguments": [message],
            "exception_type": exception_type}


def scrubbed_error_data(data):
    """``data`` of a JSON-RPC error (Odoo's ``serialize_exception`` dict) as a
    non-administrator may see it.

    ``debug`` (the traceback) is always removed. Name, message and
    arguments stay for user-facing errors (see ``USER_FACING_TYPES`` and
    ``USER_FACING_PREFIXES``); for any other error they become
    ``GENERIC_NAME`` / ``GENERIC_MESSAGE``, since an unexpected error's text
    may quote SQL, file paths or data.
    """
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    exception_type = data.get("exception_type")
    if exception_type in USER_FACING_TYPES or name.startswith(USER_FACING_PREFIXES):
        return {key: value for key, value in data.items() if key != "debug"}
    return safe_error_data(GENERIC_NAME, GENERIC_MESSAGE)
