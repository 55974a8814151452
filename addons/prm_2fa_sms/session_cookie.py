"""A response to a request whose session was replaced meanwhile keeps the
browser's cookie.

Odoo 11 sets the ``session_id`` cookie on every response
(``odoo.http.Root.get_response``). The sign-in gives the session a new id
and deletes the old one (``ir.http._prm_finish_login``: an id planted
before the sign-in is worthless). A request the browser had sent before
the sign-in and that is answered after it (the exchange page's long poll
answers up to 50 s later) set the old, deleted id again: the browser lost
the new session and the user was signed out at his next click (found by
the full test run: a director's exchange page stopped after he signed in
in a browser that had the page open before).
"""
import os

from odoo import http


def replaced(store, session):
    """True when ``session`` was read from ``store`` when the request
    began (not new), the request did not change it, and its file is gone
    now: another request replaced it (a sign-in). A store without files
    (not Odoo's default) is never judged."""
    filename = getattr(store, "get_session_filename", None)
    if filename is None or session.new or session.should_save:
        return False
    return not os.path.exists(filename(session.sid))


_get_response = http.Root.get_response


def get_response(self, httprequest, result, explicit_session):
    # treated like a session id given explicitly: core then sets no cookie
    # (and a request that did not change its session saves nothing)
    stale = replaced(self.session_store, httprequest.session)
    return _get_response(self, httprequest, result, explicit_session or stale)


http.Root.get_response = get_response
