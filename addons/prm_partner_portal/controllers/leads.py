from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..glue import translated
from ..lib import feedback as feedback_logic
from .portal import PrmCustomerPortal, page_number, prm_access_denied


def lead_is_closed(lead):
    return (not lead.active or lead.probability >= 100
            or lead.prm_dealer_state not in ("pending", "accepted"))


class PrmLeadPortal(PrmCustomerPortal):
    """Forwarded leads of the managing director's company.

    Leads are read as the user: the record rule ``rule_lead_portal_director``
    limits them to the own company, so another dealer's lead id is simply
    not found (404). The only write, the dealer's reaction, goes through
    ``crm.lead._prm_dealer_reaction`` which touches the dealer fields only.
    """

    _leads_per_page = 20

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if values.get("prm_is_director"):
            values["prm_pending_lead_count"] = request.env["crm.lead"].search_count(
                [("prm_dealer_state", "=", "pending"), ("probability", "<", 100)])
        return values

    def _leads_denied(self):
        return prm_access_denied(_(
            "Forwarded leads are only available to the managing director of a "
            "partner company."))

    def _own_lead(self, lead_id):
        """The lead if the user may read it (record rules), else empty."""
        return request.env["crm.lead"].with_context(active_test=False).search(
            [("id", "=", lead_id)])

    @route(["/my/leads", "/my/leads/page/<int:page>"], type="http", auth="user",
           website=True)
    def portal_my_leads(self, page=1, **kw):
        if not request.env.user._prm_is_director():
            return self._leads_denied()
        values = self._prepare_portal_layout_values()
        Lead = request.env["crm.lead"].with_context(active_test=False)
        total = Lead.search_count([])
        pager = portal_pager(url="/my/leads", total=total,
                             page=page_number(page),
                             step=self._leads_per_page)
        leads = Lead.search([], order="prm_forwarded_date desc, id desc",
                            limit=self._leads_per_page, offset=pager["offset"])
        values.update({
            "page_name": "prm_leads",
            "leads": leads,
            "pager": pager,
        })
        return request.render("prm_partner_portal.portal_my_leads", values)

    def _render_lead(self, lead, error=None, posted=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_lead",
            "lead": lead,
            "closed": lead_is_closed(lead),
            "show_contact": lead.prm_dealer_state == "accepted",
            "feedbacks": request.env["prm.lead.feedback"].search(
                [("lead_id", "=", lead.id), ("state", "=", "answered")]),
            "reactions": lead._fields["prm_first_reaction"]._description_selection(
                request.env),
            "error": error,
            "posted": posted or {},
            "saved": request.params.get("saved"),
        })
        return request.render("prm_partner_portal.portal_my_lead", values,
                              status=status)

    @route("/my/leads/<int:lead_id>", type="http", auth="user", website=True)
    def portal_my_lead(self, lead_id, **kw):
        if not request.env.user._prm_is_director():
            return self._leads_denied()
        lead = self._own_lead(lead_id)
        if not lead:
            return request.not_found()
        return self._render_lead(lead)

    @route("/my/leads/<int:lead_id>/reaction", type="http", auth="user",
           methods=["POST"], website=True)
    def portal_my_lead_reaction(self, lead_id, **post):
        if not request.env.user._prm_is_director():
            return self._leads_denied()
        lead = self._own_lead(lead_id)
        if not lead:
            return request.not_found()
        if lead_is_closed(lead):
            return self._render_lead(
                lead, error=_("This lead is closed; it cannot be changed any more."),
                status=409)
        try:
            with request.env.cr.savepoint():
                # sudo: the user read this lead through the record rule above
                # (own company only); the method validates the input and
                # writes nothing but the dealer fields of this one lead.
                lead.sudo()._prm_dealer_reaction(
                    action=post.get("action"), reaction=post.get("reaction"),
                    note=post.get("note"), lost_reason=post.get("lost_reason"))
        except UserError as error:
            return self._render_lead(lead, error=error.name, posted=post, status=400)
        return request.redirect("/my/leads/%d?saved=1" % lead.id)


class PrmLeadFeedback(http.Controller):
    """The end customer's feedback form, reached through the e-mailed link."""

    @route("/prm/feedback/<string:token>", type="http", auth="public",
           methods=["GET", "POST"], website=True)
    def prm_feedback(self, token, **post):
        # sudo: the customer has no account. The random 256-bit token is the
        # only key (exact match); the page shows just the inquiry and dealer
        # name, and ``_prm_answer`` writes only rating and comment, once.
        feedback = request.env["prm.lead.feedback"].sudo()._prm_find_by_token(token)
        if not feedback:
            return request.not_found()
        values = {"feedback": feedback, "token": token, "error": None,
                  "rating": None, "comment": ""}
        if feedback.state != "pending":
            return request.render("prm_partner_portal.prm_feedback_answered", values)
        if request.httprequest.method != "POST":
            return request.render("prm_partner_portal.prm_feedback_form", values)
        try:
            stored = feedback._prm_answer(post.get("rating"), post.get("comment"))
        except (feedback_logic.RatingError,
                feedback_logic.CommentTooLongError) as error:
            values.update(
                error=translated(error),
                comment=feedback_logic.clean_comment(post.get("comment")))
            return request.render("prm_partner_portal.prm_feedback_form", values,
                                  status=400)
        if not stored:
            return request.render("prm_partner_portal.prm_feedback_answered", values)
        return request.render("prm_partner_portal.prm_feedback_thanks", values)
