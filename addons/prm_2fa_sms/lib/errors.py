"""Base error of the SMS second factor and the translation marker."""


def _(source):
    # Marks strings for Odoo's translation extractor; the Odoo layer
    # translates at display time, so the literal is returned unchanged.
    return source


class TwoFactorError(Exception):
    """A user-facing failure of the second factor.

    ``template`` is the untranslated literal with ``%(name)s`` placeholders and
    ``params`` fills them; the Odoo layer translates ``template`` and then
    formats it with ``params``. ``str(exc)`` gives the English text.
    """

    template = _("Sign-in with a code is not possible right now.")

    def __init__(self, template=None, **params):
        if template is not None:
            self.template = template
        self.params = params
        super().__init__(self.template)

    def __str__(self):
        return self.template % self.params
