"""Authenticator app codes (TOTP, RFC 6238) through ``pyotp``.

Secrets are base32 strings of 32 characters (160 bits, RFC 4226's
recommended length); codes have 6 digits and a 30-second time step, the
defaults every authenticator app reads from the ``otpauth://`` URI. A code
is accepted for the current step and one step before or after (clock drift
of phone and server, and the time needed to type), and each step is accepted
only once: the caller stores the step of the last accepted code and passes
it back as ``last_step``.
"""
import base64
import hmac
import io

import pyotp
import qrcode
import qrcode.image.svg

from .otp import normalize_code

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1


class Check:
    """Outcomes of :func:`check_code`."""

    OK = "ok"
    WRONG = "wrong"
    REUSED = "reused"


def new_secret():
    """A fresh random base32 secret (32 characters, 160 bits)."""
    return pyotp.random_base32(32)


def time_step(now):
    """The RFC 6238 time step (int) of ``now`` (epoch seconds)."""
    return int(now) // STEP_SECONDS


def code_at(secret, step):
    """The code (str of ``DIGITS`` digits) of ``secret`` for time step ``step``."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(
        step * STEP_SECONDS)


def check_code(secret, code, now, last_step=None, window=WINDOW):
    """Judge ``code`` for ``secret`` at ``now`` (epoch seconds).

    Returns ``(outcome, step)``: ``(Check.OK, step)`` for a code of a step
    within ``window`` steps of now that is newer than ``last_step``;
    ``(Check.REUSED, step)`` when the code matches a step at or before
    ``last_step`` (an already used code, or an older one); ``(Check.WRONG,
    None)`` otherwise (also for input that is not digits). Never raises for
    bad input; compares in constant time per step.
    """
    compact = normalize_code(code)
    if compact is None or len(compact) != DIGITS:
        return Check.WRONG, None
    current = time_step(now)
    for step in range(current - window, current + window + 1):
        if hmac.compare_digest(code_at(secret, step), compact):
            if last_step is not None and step <= last_step:
                return Check.REUSED, step
            return Check.OK, step
    return Check.WRONG, None


def provisioning_uri(secret, account, issuer):
    """The ``otpauth://totp/...`` URI an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)\
        .provisioning_uri(name=account, issuer_name=issuer)


def qr_data_uri(text):
    """``text`` as a QR code: an SVG ``data:`` URI for an ``<img src>``."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(
        buffer.getvalue()).decode("ascii")


def grouped_key(secret):
    """The secret in groups of four for typing it in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
