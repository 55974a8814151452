"""Posting rules of the dealer exchange (plain Python)."""

import pytest

from ..lib import chat_policy
from ..lib.chat_policy import ChatPolicyError
from .office_samples import workbook, zip_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


EXE = b"MZ\x90\0" + b"\0" * 200


def test_rate_limit_window_boundaries():
    now = 1000.0
    four = [now - 50, now - 40, now - 30, now - 1]
    assert chat_policy.seconds_until_allowed(four, now) == 0
    five = four + [now]
    # the oldest (50 s ago) leaves the 60 s window in 10 s
    assert chat_policy.seconds_until_allowed(five, now) == 10
    # exactly 60 s old no longer counts; 59.5 s old still does
    assert chat_policy.seconds_until_allowed([now - 60] + four, now) == 0
    assert chat_policy.seconds_until_allowed([now - 59.5] + four, now) == 1
    # messages "from the future" (clock skew) and old ones are ignored
    assert chat_policy.seconds_until_allowed(four + [now + 5, now - 3600], now) == 0


def test_rate_limit_waits_for_the_message_that_keeps_the_limit():
    now = 500.0
    times = [now - 55, now - 45, now - 35, now - 25, now - 15, now - 5]
    # six in the window: two must leave before one more is allowed
    assert chat_policy.seconds_until_allowed(times, now) == 15
    assert chat_policy.seconds_until_allowed(times, now, max_messages=10) == 0


def test_rate_limit_error_is_a_template_with_params():
    now = 100.0
    with pytest.raises(ChatPolicyError) as error:
        chat_policy.check_rate([now] * 5, now)
    assert error.value.params == {"max": 5, "window": 60, "wait": 60}
    assert "too fast" in str(error.value) and "%(" in error.value.template
    chat_policy.check_rate([now] * 4, now)


def test_length_limit_and_empty_text():
    chat_policy.check_text("x" * chat_policy.MAX_LENGTH)
    with pytest.raises(ChatPolicyError) as error:
        chat_policy.check_text("x" * (chat_policy.MAX_LENGTH + 1))
    assert error.value.params == {"length": 4001, "max": 4000}
    with pytest.raises(ChatPolicyError):
        chat_policy.check_text("")
    chat_policy.check_text("", has_attachment=True)


def test_normalize_text_unifies_line_breaks():
    assert chat_policy.normalize_text("  a\r\nb\rc\n\n ") == "a\nb\nc"
    assert chat_policy.normalize_text(None) == ""


def test_text_to_html_escapes_everything():
    html = chat_policy.text_to_html(
        '<script>alert("x")</script>\r\n<b>fett</b> & "Zitat"\n')
    # element content: quotes stay (as Odoo's sanitizer stores them)
    assert html == ('&lt;script&gt;alert("x")&lt;/script&gt;<br/>'
                    '&lt;b&gt;fett&lt;/b&gt; &amp; "Zitat"')
    assert "<script" not in html and "<b>" not in html


@pytest.mark.parametrize("name, content, mimetype", [
    ("Preisliste.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("foto.PNG", PNG, "image/png"),
    ("foto.jpeg", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    ("Tabelle.xlsx", workbook(), chat_policy.ATTACHMENT_TYPES["xlsx"][0]),
])
def test_allowed_attachments(name, content, mimetype):
    assert chat_policy.check_attachment(name, content) == mimetype


@pytest.mark.parametrize("name, content", [
    ("tool.exe", b"MZ\x90\0"),
    ("rechnung.pdf", b"MZ\x90\0"),  # content does not match the name
    ("notiz.txt", b"hello"),
    ("ohne-endung", b"%PDF-1.4"),
    ("Tabelle.xls", b"\xd0\xcf\x11\xe0"),
    # issue 17 item 14: any zip passed as .xlsx
    ("Tabelle.xlsx", b"PK\x03\x04rest"),
    ("Tabelle.xlsx", zip_of({"setup.exe": EXE})),
    ("Tabelle.xlsx", zip_of({"xl/media/setup.exe": EXE}, base=workbook())),
    ("Tabelle.xlsx", zip_of({"setup.exe": EXE}, base=workbook())),
    ("Tabelle.xlsx", zip_of({"xl/vbaProject.bin": EXE}, base=workbook())),
    ("Tabelle.xlsx", zip_of({"xl/nested.zip": b"PK\x03\x04"}, base=workbook())),
    ("Tabelle.xlsx", zip_of({"xl/worksheets/sheet9.xml": b"\0" * (
        chat_policy.MAX_XLSX_UNPACKED_BYTES + 1)}, base=workbook())),
    ("Tabelle.xlsx", EXE),
    ("foto.png", b"\xff\xd8\xff\xe0 a jpeg named png"),
    ("foto.jpg", PNG),
    ("Preisliste.pdf", b" %PDF-1.7 not at the start"),
    ("leer.pdf", b""),
], ids=lambda value: value if isinstance(value, str) else "%d-bytes" % len(value))
def test_refused_attachment_types(name, content):
    with pytest.raises(ChatPolicyError) as error:
        chat_policy.check_attachment(name, content)
    assert error.value.params["types"] == "PDF, PNG, JPG, XLSX"


def test_attachment_size_limit():
    limit = chat_policy.MAX_ATTACHMENT_BYTES
    chat_policy.check_attachment("a.png", PNG + b"\0" * (limit - len(PNG)))
    with pytest.raises(ChatPolicyError) as error:
        chat_policy.check_attachment("a.png", PNG + b"\0" * (limit - len(PNG) + 1))
    assert error.value.params["max"] == 2.0
    assert "too large" in str(error.value)


def test_attachment_sizes_are_numbers_for_the_readers_format():
    # issue 17/3: "%.1f" froze "2.1" (English) into the message; the size
    # is a float, rounded up so it never reads as the limit itself
    limit = chat_policy.MAX_ATTACHMENT_BYTES
    with pytest.raises(ChatPolicyError) as error:
        chat_policy.check_attachment("a.png", PNG + b"\0" * (limit - len(PNG) + 1))
    assert error.value.params["size"] == 2.1
    assert isinstance(error.value.params["size"], float)


# --- message content (reviewer: HTML and size in the exchange) -------------------
PHISHING = ('<p style="color:red;font-size:30px">ZENTRALE: Ihr Zugang läuft ab</p>'
            '<a href="https://evil.example/phish">Bitte hier neu anmelden</a>'
            '<img src="https://evil.example/pixel.png?who=viewer">')


def test_dealer_body_is_escaped_text():
    body = chat_policy.dealer_body('ZENTRALE <a href="x">hier</a>\n"2" & \'3\'')
    assert body == ('ZENTRALE &lt;a href="x"&gt;hier&lt;/a&gt;<br/>'
                    "\"2\" &amp; '3'")
    with pytest.raises(ChatPolicyError):
        chat_policy.dealer_body("  \n ")
    assert chat_policy.dealer_body("", has_attachment=True) == ""
    with pytest.raises(ChatPolicyError, match="too long"):
        chat_policy.dealer_body("x" * (chat_policy.MAX_LENGTH + 1))


def test_body_size_counts_utf8_bytes():
    chat_policy.check_body_size("ä" * (chat_policy.MAX_BODY_BYTES // 2))
    with pytest.raises(ChatPolicyError, match="too large"):
        chat_policy.check_body_size("ä" * (chat_policy.MAX_BODY_BYTES // 2 + 1))
    with pytest.raises(ChatPolicyError, match="too large"):
        chat_policy.check_body_size("<b></b>" * 200000 + "x")
    # the longest dealer text, all characters escaped, stays within the limit
    chat_policy.check_body_size(chat_policy.dealer_body("&" * chat_policy.MAX_LENGTH))


def test_plain_subject():
    assert chat_policy.plain_subject(" Preise\n  <b>2027</b> ") == "Preise <b>2027</b>"
    with pytest.raises(ChatPolicyError, match="subject"):
        chat_policy.plain_subject("x" * (chat_policy.MAX_SUBJECT_LENGTH + 1))


@pytest.mark.parametrize("url, local", [
    ("/web/image/12", True), ("data:image/png;base64,AAAA", True),
    ("https://evil.example/p.png", False), ("//evil.example/p.png", False),
    ("/\\evil.example/p.png", False), (" /\t/evil.example", False),
    ("evil.png", False), ("", False)])
def test_is_local_url(url, local):
    assert chat_policy.is_local_url(url) is local


def test_head_office_html_loses_remote_content_only():
    body = chat_policy.without_remote_content(
        PHISHING + '<p>Danke<img src="/web/image/7"> '
        '<span style="background:url(https://evil.example/bg)">x</span>'
        '<video poster="https://evil.example/v.png"></video>'
        '<table background="https://evil.example/t.png"><tr><td>1</td></tr>'
        '</table></p>')
    assert "evil.example/pixel" not in body and "<video" not in body
    assert "evil.example/bg" not in body and "evil.example/t.png" not in body
    assert '<img src="/web/image/7">' in body
    assert '<a href="https://evil.example/phish" rel="nofollow noopener noreferrer">' \
        in body
    assert body.startswith('<p style="color:red;font-size:30px">ZENTRALE')
    assert chat_policy.without_remote_content("") == ""
    assert chat_policy.without_remote_content("a &lt;b&gt; <b>c</b>") == \
        "a &lt;b&gt; <b>c</b>"
