"""Odoo 11 core fixes for web's file routes: bad input is no server error.

- ``/web/content`` with a ``token`` set the download cookie on whatever it
  answered; for a missing or refused file that is a ``NotFound`` object
  without ``set_cookie``: every such request (anonymous ones included) ended
  as a 500 with a traceback in the log (outside review, route fuzz).
- Web's ``serialize_exception`` routes (uploads, CSV/XLS exports) answered
  any error, a malformed parameter included, with a 500 page whose text is
  the error with its full traceback, for every signed-in user.
  ``run_unserialized`` runs them without that decorator: malformed input is
  a 400, other errors take Odoo's normal way (403, 404, 500 without
  traceback for non-administrators).
"""
import inspect
import logging

import werkzeug.exceptions
from odoo import _, http
from odoo.addons.web.controllers import main
from odoo.http import request

from ..log_glue import BAD_INPUT

_logger = logging.getLogger(__name__)


def run_unserialized(method, controller, *args, **kwargs):
    """Call core's route ``method`` without web's ``serialize_exception``."""
    try:
        return inspect.unwrap(method)(controller, *args, **kwargs)
    except BAD_INPUT as error:
        _logger.info("bad input to %s refused: %s: %s", request.httprequest.path,
                     type(error).__name__, error)
        return werkzeug.exceptions.BadRequest(_("The request is not valid."))


class Binary(main.Binary):

    @http.route()
    def content_common(self, token=None, **kw):
        response = super().content_common(**kw)
        if token and hasattr(response, "set_cookie"):
            response.set_cookie("fileToken", token)
        return response

    @http.route()
    def upload(self, callback, ufile):
        return run_unserialized(main.Binary.upload, self, callback, ufile)

    @http.route()
    def upload_attachment(self, callback, model, id, ufile):
        return run_unserialized(main.Binary.upload_attachment, self, callback,
                                model, id, ufile)
