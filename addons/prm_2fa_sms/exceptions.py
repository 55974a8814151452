from odoo.exceptions import AccessError


class SecondFactorRequired(AccessError):
    """The password was right; the browser must now enter the SMS code.

    An ``AccessError`` on purpose: Odoo's RPC layer re-raises it without
    logging a traceback, ``res.users._login`` does not swallow it (it only
    catches ``AccessDenied``) and auth_signup's handlers (``UserError``) let it
    pass, so ``ir.http._handle_exception`` turns it into the code page.
    """

    def __init__(self, uid, login):
        super().__init__("Second factor required")
        self.uid = uid
        self.login = login
