import werkzeug.exceptions

from odoo import http

from odoo.addons.web.controllers.main import Database


class PrmDatabaseManagerDisabled(Database):
    """The database manager is not part of the product: every route is 404.

    ``list_db = False`` only hides the database list; the create, drop, backup
    and restore forms would still answer to anyone guessing the master
    password. Databases are managed from the command line (see README).
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
    def create(self, master_pwd, name, lang, password, **post):
        # pylint: disable=method-required-super
        # A controller route, not ORM create: refusing it is the point.
        self._refuse()

    @http.route()
    def duplicate(self, master_pwd, name, new_name):
        self._refuse()

    @http.route()
    def drop(self, master_pwd, name):
        self._refuse()

    @http.route()
    def backup(self, master_pwd, name, backup_format="zip"):
        self._refuse()

    @http.route()
    def restore(self, master_pwd, backup_file, name, copy=False):
        self._refuse()

    @http.route()
    def change_password(self, master_pwd, master_pwd_new):
        self._refuse()

    @http.route()
    def list(self):
        self._refuse()
