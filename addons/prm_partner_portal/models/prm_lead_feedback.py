import secrets

from odoo import api, fields, models, _
from odoo.exceptions import UserError

from ..lib import feedback as feedback_logic


class PrmLeadFeedback(models.Model):
    """The end customer's rating of how a dealer handled a forwarded lead.

    The customer answers through ``/prm/feedback/<token>`` without an
    account; the random token is the only key, so it is readable by
    administrators only and never shown to dealers or back-office users.
    """

    _name = "prm.lead.feedback"
    _description = "Customer feedback on a forwarded lead"
    _order = "sent_on desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        "crm.lead", string="Lead", required=True, index=True, ondelete="cascade",
        readonly=True)
    # The dealer rated: the lead's dealer when the feedback was requested,
    # not a related field (a reassigned lead must not hand the rating and the
    # customer's comment to the next dealer).
    partner_id = fields.Many2one(
        "res.partner", string="Dealer", index=True, readonly=True,
        ondelete="restrict")
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", string="Territory", store=True,
        index=True, readonly=True)
    email = fields.Char(string="Sent to", readonly=True)
    rating = fields.Integer(readonly=True, group_operator="avg")
    comment = fields.Text(readonly=True)
    token = fields.Char(
        required=True, index=True, copy=False, readonly=True,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(32))
    url = fields.Char(
        string="Feedback link", compute="_compute_url", groups="base.group_system")
    sent_on = fields.Datetime(readonly=True)
    answered_on = fields.Datetime(readonly=True)
    state = fields.Selection([
        ("pending", "Awaiting answer"),
        ("answered", "Answered"),
    ], required=True, default="pending", readonly=True, index=True)

    _sql_constraints = [
        ("token_unique", "unique(token)", "The feedback token must be unique."),
        ("rating_range", "CHECK(rating >= 0 AND rating <= 5)",
         "The rating must be between 1 and 5."),
        ("answered_has_rating",
         "CHECK(state != 'answered' OR rating BETWEEN 1 AND 5)",
         "An answered feedback needs a rating from 1 to 5."),
    ]

    @api.model
    def create(self, vals):
        if vals.get("lead_id") and not vals.get("partner_id"):
            vals = dict(vals, partner_id=self.env["crm.lead"].browse(
                vals["lead_id"]).partner_assigned_id.id)
        return super().create(vals)

    @api.depends("token")
    def _compute_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "").rstrip("/")
        for feedback in self:
            feedback.url = "%s/prm/feedback/%s" % (base, feedback.token)

    @api.model
    def _prm_find_by_token(self, token):
        """The feedback with exactly this token (call with sudo), or empty."""
        if not token or len(token) > 128:
            return self.browse()
        return self.search([("token", "=", token)], limit=1)

    def _prm_answer(self, rating, comment):
        """Store the customer's answer once; False when it was answered already.

        Raises ``feedback_logic.RatingError`` for a rating outside 1..5 and
        ``CommentTooLongError`` for too long a comment before anything is
        written. The row lock makes two simultaneous submissions
        of the same link store exactly one answer.
        """
        self.ensure_one()
        rating = feedback_logic.parse_rating(rating)
        comment = feedback_logic.checked_comment(comment)
        self.env.cr.execute(
            "SELECT state FROM prm_lead_feedback WHERE id = %s FOR UPDATE",
            [self.id])
        row = self.env.cr.fetchone()
        if not row or row[0] != "pending":
            self.invalidate_cache(["state"], self.ids)
            return False
        self.write({
            "rating": rating,
            "comment": comment,
            "state": "answered",
            "answered_on": fields.Datetime.now(),
        })
        return True

    @api.model
    def _prm_request(self, leads):
        """Create (or re-send) the feedback request of each lead; sudo caller."""
        template = self.env.ref("prm_partner_portal.mail_template_prm_lead_feedback")
        created = self.browse()
        for lead in leads:
            if not lead.email_from:
                raise UserError(_("The lead %s has no e-mail address to ask for "
                                  "feedback.") % lead.name)
            existing = self.search([
                ("lead_id", "=", lead.id),
                ("partner_id", "=", lead.partner_assigned_id.id)], limit=1)
            if existing.state == "answered":
                raise UserError(_("The customer has already answered the feedback "
                                  "request of %s.") % lead.name)
            feedback = existing or self.create({"lead_id": lead.id})
            feedback.write({"email": lead.email_from,
                            "sent_on": fields.Datetime.now()})
            # Not linked to the feedback record as a document: the message
            # carries the token and must not show up in anybody's chatter.
            template.send_mail(feedback.id, email_values={
                "model": False, "res_id": False})
            created |= feedback
        return created
