from odoo import _
from odoo.exceptions import AccessError
from odoo.http import request, route

from ..lib import portal_users as rules
from ..models.prm_portal_user_admin import USER_ERRORS
from .portal import PrmCustomerPortal, prm_access_denied, record_id


class PrmUsersPortal(PrmCustomerPortal):
    """``/my/users``: the managing director manages his company's users.

    Every rule (own company, portal users only, not himself, one director
    remains, limit, head office's lock) is checked by
    ``prm.portal.user.admin`` as the signed-in user; another company's or an
    internal user's id is not found (404). Posts need Odoo's CSRF token.
    """

    def _users_admin(self):
        """The service as the signed-in user, or None for anyone but a
        portal director (the one access check of this controller)."""
        user = request.env.user
        if not (user.share and user._prm_is_director()):
            return None
        return request.env["prm.portal.user.admin"]

    def _users_denied(self):
        return prm_access_denied(_(
            "User management is only available to the managing director of a "
            "partner company."))

    def _render_users(self, admin, error=None, posted=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(admin._prm_overview())
        values.update({
            "page_name": "prm_users",
            "error": error,
            "posted": posted or {},
            "saved": request.params.get("saved"),
            "me": request.env.user,
        })
        return request.render("prm_partner_portal.portal_my_users", values,
                              status=status)

    @route("/my/users", type="http", auth="user", methods=["GET"], website=True)
    def portal_my_users(self, **kw):
        admin = self._users_admin()
        if admin is None:
            return self._users_denied()
        return self._render_users(admin)

    @route("/my/users/invite", type="http", auth="user", methods=["POST"],
           website=True)
    def portal_my_users_invite(self, **post):
        admin = self._users_admin()
        if admin is None:
            return self._users_denied()
        try:
            with request.env.cr.savepoint():
                admin._prm_invite(post.get("name"), post.get("email"),
                                  post.get("mobile"), post.get("portal_class"))
        except USER_ERRORS as error:
            return self._render_users(admin, error=error.name, posted=post,
                                      status=400)
        return request.redirect("/my/users?saved=invited")

    @route("/my/users/<int:user_id>/change", type="http", auth="user",
           methods=["POST"], website=True)
    def portal_my_users_change(self, user_id, **post):
        admin = self._users_admin()
        if admin is None:
            return self._users_denied()
        # only these two posted values are read; anything else (groups,
        # company, login) is ignored
        active = {"1": True, "0": False}.get(post.get("active"))
        portal_class = post.get("portal_class") or None
        try:
            with request.env.cr.savepoint():
                admin._prm_change(record_id(user_id), active=active,
                                  portal_class=portal_class)
        except (rules.NotManageable, AccessError):
            return request.not_found()
        except USER_ERRORS as error:
            return self._render_users(admin, error=error.name, status=400)
        return request.redirect("/my/users?saved=changed")
