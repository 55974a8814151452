from odoo import _, fields
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner_portal.controllers.portal import (
    PrmCustomerPortal, page_number, prm_access_denied)
from odoo.addons.prm_partner_portal.glue import translated
from odoo.addons.prm_partner_portal.lib import programme

from ..lib import dealreg

#: Most products offered in the registration form.
PRODUCT_LIMIT = 500


class PrmDealPortal(PrmCustomerPortal):
    """The managing director's deal registrations (``/my/deals``).

    Every route starts with ``_deals_denied`` (managing directors only).
    Registrations are read as the user: the record rule
    ``rule_deal_portal_director`` limits them to the own company, so another
    dealer's id is not found (404). The page shows the registration's own
    fields and the messages the user may read (internal notes with the
    conflicts are filtered by prm_partner_portal's message rule).
    """

    _deals_per_page = 20

    def _deals_denied(self):
        """None if the user may use deal registration, else the 403 page."""
        if request.env.user._prm_is_director():
            return None
        return prm_access_denied(_(
            "Deal registration is only available to the managing director of a "
            "partner company."))

    def _deals_new_denied(self):
        """None if the user may register a new deal, else the 403 page:
        a managing director of a dealer that takes part in the programme
        (``res.partner._prm_takes_part``). The own history (/my/deals)
        stays readable after the dealer left the programme."""
        denied = self._deals_denied()
        if denied or request.env.user._prm_takes_part():
            return denied
        return prm_access_denied(translated(programme.NotInProgramme()))

    def _deal_products(self):
        # sudo: the saleable products are the public catalogue every dealer
        # may register; only id and name are shown
        return request.env["product.product"].sudo().search(
            [("sale_ok", "=", True)], order="default_code, name",
            limit=PRODUCT_LIMIT)

    @route(["/my/deals", "/my/deals/page/<int:page>"], type="http", auth="user",
           website=True)
    def portal_my_deals(self, page=1, **kw):
        denied = self._deals_denied()
        if denied:
            return denied
        Registration = request.env["prm.deal.registration"]  # as the user
        pager = portal_pager(url="/my/deals", total=Registration.search_count([]),
                             page=page_number(page), step=self._deals_per_page)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_deals",
            "deals": Registration.search([], limit=self._deals_per_page,
                                         offset=pager["offset"]),
            "may_register": request.env.user._prm_takes_part(),
            "pager": pager,
        })
        return request.render("prm_deal_registration.portal_my_deals", values)

    @route("/my/deals/<int:deal_id>", type="http", auth="user", website=True)
    def portal_my_deal(self, deal_id, **kw):
        denied = self._deals_denied()
        if denied:
            return denied
        deal = request.env["prm.deal.registration"].search([("id", "=", deal_id)])
        if not deal:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_deal",
            "deal": deal,
            # as the user: the message rules drop internal notes
            "history": request.env["mail.message"].search([
                ("model", "=", deal._name), ("res_id", "=", deal.id),
                ("message_type", "=", "comment")], order="date asc, id asc"),
            "created": request.params.get("created"),
        })
        return request.render("prm_deal_registration.portal_my_deal", values)

    def _render_deal_form(self, post=None, error=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_deal_new",
            "products": self._deal_products(),
            "posted": post or {},
            "line_count": 3,
            "error": error,
            "today": fields.Date.context_today(request.env.user),
        })
        return request.render("prm_deal_registration.portal_deal_form", values,
                              status=status)

    @route("/my/deals/new", type="http", auth="user", methods=["GET", "POST"],
           website=True)
    def portal_deal_new(self, **post):
        denied = self._deals_new_denied()
        if denied:
            return denied
        if request.httprequest.method != "POST":
            return self._render_deal_form()
        user = request.env.user
        try:
            values = dealreg.clean_registration(
                post, self._deal_products().ids,
                fields.Date.from_string(fields.Date.context_today(user)))
        except dealreg.RegistrationError as error:
            return self._render_deal_form(post, translated(error), status=400)
        with request.env.cr.savepoint():
            # sudo: directors may not create registrations by ORM/RPC; the
            # values were validated above and the dealer is the user's own
            # company (set by _prm_register, not taken from the form)
            deal = request.env["prm.deal.registration"].sudo()._prm_register(
                user, values)
        return request.redirect("/my/deals/%d?created=1" % deal.id)
