"""The one user-facing message and error type of the PRM addons.

A ``Message`` or ``PrmError`` carries an untranslated template with
``%(name)s`` placeholders plus its parameters; the Odoo layer translates it
in the reader's language and writes float parameters in the reader's number
format (``prm_partner_portal.glue.translated``, the one bridge; the benchmark
addon passes its exact number format). Pure Python. ``prm_2fa_sms`` keeps a
type of the same shape (``lib/errors.TwoFactorError``) because it installs
without this addon.
"""


def _(source):
    # marks strings for Odoo's translation extractor; the Odoo layer
    # translates them at display time
    return source


class Term(str):
    """A parameter that is itself a translatable term (a field's label in
    "Please fill in %(field)s."): the Odoo layer translates it like the
    template (outside review: "Bitte füllen Sie Customer aus.")."""


def _plain(params):
    """Parameters for the English text: floats without a trailing ".0"
    (the Odoo layer writes them in the reader's number format instead)."""
    return {key: '%.15g' % value if isinstance(value, float) else value
            for key, value in params.items()}


class Message(object):
    """A user-facing message: untranslated template plus its parameters.

    The Odoo layer shows ``odoo._(message.template) % message.params``;
    ``str(message)`` gives the English text.
    """

    def __init__(self, template, **params):
        self.template = template
        self.params = params

    def __str__(self):
        return self.template % _plain(self.params)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, str(self))

    def __eq__(self, other):
        return (
            type(self) is type(other)
            and self.template == other.template
            and self.params == other.params
        )

    def __ne__(self, other):
        return not self == other

    __hash__ = None


class PrmError(Exception):
    """Base error of the PRM logic, with a translatable template.

    ``template`` is the untranslated literal with ``%(name)s`` placeholders,
    ``params`` the values for them; ``str(error)`` gives the English text.
    """

    def __init__(self, template, **params):
        self.template = template
        self.params = params
        super(PrmError, self).__init__(template % _plain(params))

    def __str__(self):
        return self.template % _plain(self.params)
