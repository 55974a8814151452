"""The one bridge from the plain-Python messages of ``lib`` to Odoo text.

``lib.messages.Message``/``PrmError`` carry an untranslated template and
parameters; here they become text in the reader's language, float
parameters in the reader's number format.
"""
from odoo import _
from odoo.http import request

from .lib.messages import Term


def localized_number(value, env):
    """``value`` (float) with its shortest exact decimals ("2", "12,3") in
    the number format of ``env``'s language (English format without env)."""
    digits = repr(float(value)).partition(".")[2]
    decimals = 0 if digits == "0" or "e" in digits else len(digits)
    if env is None:
        return "%.*f" % (decimals, value)
    lang = env["res.lang"]._lang_get(env.lang or "en_US")
    if not lang:
        return "%.*f" % (decimals, value)
    return lang.format("%%.%df" % decimals, value, grouping=True)


def translated(error, env=None, number=localized_number):
    """The reader's-language text of a ``lib`` message or error.

    ``env``: whose language (the web request's when not given; ``odoo._``
    finds the language only in a web request, with ``env`` the text is also
    translated elsewhere: wizards called from code, tests). ``number``:
    ``(float, env) -> str`` writing float parameters (default: shortest
    exact decimals in the language's format).
    """
    if env is None and request:
        env = request.env

    def translate(text):
        if env is not None and env.lang:
            return env["ir.translation"]._get_source(
                None, ("code",), env.lang, text)
        return _(text)

    params = {key: number(value, env) if isinstance(value, float) else
              translate(value) if isinstance(value, Term) else value
              for key, value in error.params.items()}
    return translate(error.template) % params
