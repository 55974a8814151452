import werkzeug.exceptions

from odoo import http

from odoo.addons.web.controllers.main import Database


class PrmDatabaseManagerDisabled(Database):
    """The database manager is not part of the product: every route is 404.

    ``list_db = False`` only hides the database list; the create, drop, backup
    and restore forms would still answer to anyone guessing the master
    password. Databases are managed from the command line (see README).
    Every route takes just ``**kw``: a post with other fields than Odoo's
    signature expects must be a 404 as well, not a TypeError (500).
    """

    def _refuse(self):
        raise werkzeug.exceptions.NotFound()

    @http.route()
    def selector(self, **kw):
        self._refuse()

    @http.route()
    def manager(self, **kw):
        self._refuse()

    @http.route()
    def create(self, **kw):
        # pylint: disable=method-required-super
        # A controller route, not ORM create: refusing it is the point.
        self._refuse()

    @http.route()
    def duplicate(self, **kw):
        self._refuse()

    @http.route()
    def drop(self, **kw):
        self._refuse()

    @http.route()
    def backup(self, **kw):
        self._refuse()

    @http.route()
    def restore(self, **kw):
        self._refuse()

    @http.route()
    def change_password(self, **kw):
        self._refuse()

    @http.route()
    def list(self, **kw):
        self._refuse()
