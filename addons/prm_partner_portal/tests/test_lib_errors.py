"""NUL detection and traceback scrubbing of error answers (lib/errors.py)."""
from ..lib.errors import (
    GENERIC_MESSAGE, GENERIC_NAME, contains_nul, scrubbed_error_data)

TRACEBACK = 'Traceback (most recent call last):\n  File "/srv/odoo/http.py"'


def test_contains_nul_in_any_nesting_and_in_keys():
    assert contains_nul("abc\x00def")
    assert contains_nul(b"a\x00")
    assert contains_nul({"a": [1, {"b": ("x", "y\x00")}]})
    assert contains_nul({"k\x00": 1})
    assert not contains_nul({"a": [1, 2.5, None, True, {"b": "ok"}]})
    deep = "x"
    for _level in range(40):
        deep = [deep]
    assert contains_nul(deep)


def test_internal_errors_lose_traceback_message_and_name():
    data = {"name": "psycopg2.DataError", "debug": TRACEBACK,
            "message": 'invalid input syntax "/srv/odoo"',
            "arguments": ["x"], "exception_type": "internal_error"}
    scrubbed = scrubbed_error_data(data)
    assert "debug" not in scrubbed
    assert scrubbed["name"] == GENERIC_NAME
    assert scrubbed["message"] == GENERIC_MESSAGE
    assert "/srv" not in str(scrubbed)


def test_user_facing_errors_keep_their_message():
    for name, kind in (("odoo.exceptions.AccessError", "access_error"),
                       ("odoo.exceptions.ValidationError", "validation_error"),
                       ("werkzeug.exceptions.NotFound", "internal_error"),
                       ("odoo.http.SessionExpiredException", "internal_error")):
        data = {"name": name, "debug": TRACEBACK, "message": "Nope",
                "arguments": ["Nope"], "exception_type": kind}
        assert scrubbed_error_data(data) == {
            "name": name, "message": "Nope", "arguments": ["Nope"],
            "exception_type": kind}
