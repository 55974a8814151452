import datetime
import threading

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from odoo.addons.prm_partner_portal.lib.dealer_figures import network_today
from odoo.addons.prm_partner_portal.pg_serialize import serialize_on

from ..lib import dealreg

#: ir.config_parameter keys of head office's rules and their defaults.
PARAMS = {
    "protection_days": ("prm_deal_registration.protection_days", 90),
    "deadline_hours": ("prm_deal_registration.deadline_hours", 16),
    "window_days": ("prm_deal_registration.window_days", 365),
    "threshold": ("prm_deal_registration.similarity_percent", 85),
}
#: States in which a registration still claims its customer.
OPEN_STATES = ("submitted", "approved")
#: How many candidates of each kind the conflict check compares at most.
CANDIDATE_LIMIT = 200


def rule(env, key):
    """Head office's rule ``key`` (see PARAMS) as an int."""
    param, default = PARAMS[key]
    # sudo: rules are plain numbers, no secret; read by portal requests too
    value = env["ir.config_parameter"].sudo().get_param(param)
    # unset is False (and int(False) would be 0); settings refuse 0 anyway
    if not isinstance(value, str) or not value.strip().isdigit() \
            or int(value) < 1:
        return default
    return int(value)


class PrmDealRegistration(models.Model):
    """A dealer's registration of an opportunity, approved by the territory
    manager; once approved it becomes an opportunity owned by the dealer
    and protects the dealer for the configured number of days."""

    _name = "prm.deal.registration"
    _description = "Deal registration"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, copy=False,
                       default="/")
    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, readonly=True,
        index=True, ondelete="restrict")
    prm_territory_id = fields.Many2one(
        related="dealer_id.prm_territory_id", store=True, readonly=True,
        string="Territory")
    user_id = fields.Many2one("res.users", string="Registered by", readonly=True)
    customer_name = fields.Char(string="Customer", required=True, readonly=True)
    customer_street = fields.Char(string="Street", readonly=True)
    customer_zip = fields.Char(string="Postcode", readonly=True)
    customer_city = fields.Char(string="City", readonly=True)
    customer_vat = fields.Char(string="VAT number", readonly=True)
    line_ids = fields.One2many("prm.deal.registration.line", "registration_id",
                               string="Products", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", readonly=True,
        default=lambda self: self.env.ref("base.EUR"))
    expected_volume = fields.Monetary(string="Expected volume", readonly=True)
    expected_date = fields.Date(string="Expected date", readonly=True)
    note = fields.Text(string="Note", readonly=True)
    state = fields.Selection([
        ("submitted", "Awaiting approval"),
        ("approved", "Approved"),
        ("rejected", "Rejected"),
        ("expired", "Expired"),
        ("converted", "Won"),
    ], string="Status", default="submitted", required=True, readonly=True,
        index=True, track_visibility="onchange")
    deadline = fields.Datetime(
        string="Decision due", readonly=True,
        help="Approval deadline: the configured business hours after the "
             "registration, in the working time of the dealer's calendar.")
    escalated = fields.Boolean(
        string="Escalated to head office", readonly=True, index=True)
    decision_reason = fields.Text(string="Reason", readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by",
                                    readonly=True)
    decision_date = fields.Datetime(string="Decided on", readonly=True)
    protected_until = fields.Date(string="Protected until", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    has_conflict = fields.Boolean(
        string="Conflicts with an existing registration", readonly=True,
        help="The dealer sees only this flag, never with whom.")
    conflict_ids = fields.One2many(
        "prm.deal.conflict", "registration_id", string="Conflicts",
        readonly=True, groups="prm_partner_portal.group_prm_user")

    # ----------------------------------------------------------------- clock
    def _prm_now(self):
        """The current time (naive UTC datetime). ``prm_now`` (a datetime or
        "YYYY-MM-DD HH:MM:SS" UTC) in the context replaces it for the system
        (superuser: the cron, the demo loader) and in Odoo's test runs only:
        a context is the caller's to choose over RPC, and a territory
        manager set the decision date and with it the protection period
        (outside review)."""
        trusted = self.env.uid == SUPERUSER_ID or getattr(
            threading.currentThread(), "testing", False)
        now = self.env.context.get("prm_now") if trusted else None
        if isinstance(now, str):
            return fields.Datetime.from_string(now)
        return now or datetime.datetime.utcnow()

    def _prm_local_date(self, moment):
        """The network's calendar day (Europe/Berlin,
        ``dealer_figures.network_today``) at ``moment`` (naive UTC
        datetime): protection days are Berlin's days (00:30 in Berlin is
        still the day before in UTC). Not the director's own time zone: he
        sets it himself and would move the end of his protection against
        the other dealers."""
        self.ensure_one()
        return network_today(moment)

    def _prm_calendar(self):
        """The dealer's business-hours calendar (lead routing's
        ``res.partner._prm_business_calendar``: the dealer's own, else the
        company's)."""
        self.ensure_one()
        # sudo: the calendar (working hours, public holidays) is no secret;
        # dealers and portal requests have no read right on it
        return self.dealer_id._prm_business_calendar().sudo()

    def _prm_deadline(self, start):
        """``start`` (naive UTC) plus the configured approval hours in the
        business hours of ``_prm_calendar`` (the public holidays of the
        dealer's state excluded); naive UTC datetime. Lead routing's planner
        (``resource.calendar._prm_plan``): leads and registrations count the
        same business hours."""
        hours = rule(self.env, "deadline_hours")
        return self._prm_calendar()._prm_plan(start, [hours])[0]

    # -------------------------------------------------------------- creation
    @api.model
    def _prm_register(self, user, values):
        """Create the registration of ``user``'s company from
        ``dealreg.clean_registration`` values; runs the conflict check.
        Called by the portal controller with sudo. Returns the record."""
        dealer = user.commercial_partner_id
        # a dealer that does not take part in the programme (any longer)
        # protects no customers: UserError, nothing is created
        dealer._prm_check_takes_part()
        lines = values.pop("lines")
        # registrations at the same moment (the same customer by two
        # dealers) one after the other: the conflict check sees them all
        serialize_on(self.env.cr, "ir_sequence", self.env.ref(
            "prm_deal_registration.seq_deal_registration").id)
        registration = self.with_context(
            mail_create_nosubscribe=True, tracking_disable=True).create(dict(
                values,
                dealer_id=dealer.id, user_id=user.id,
                name=self.env["ir.sequence"].next_by_code(
                    "prm.deal.registration") or "/",
                line_ids=[(0, 0, {"product_id": product, "quantity": quantity})
                          for product, quantity in lines]))
        registration.deadline = registration._prm_deadline(registration._prm_now())
        registration._prm_check_conflicts()
        registration._prm_notify_dealer("submitted")
        registration._prm_notify_internal(
            registration._prm_territory_managers(),
            _("New deal registration %s awaits your decision.") % registration.name)
        return registration

    # ------------------------------------------------------------- conflicts
    def _prm_customer(self):
        return {"name": self.customer_name, "street": self.customer_street,
                "zip": self.customer_zip, "city": self.customer_city,
                "vat": self.customer_vat}

    def _prm_candidates(self):
        """Leads, customers and other registrations that may be the same
        customer, as dicts for ``dealreg.find_conflicts``. Pre-selected in
        SQL by VAT number, postcode or city so only a few are compared."""
        self.ensure_one()
        env = self.env
        key = dealreg.customer_key(self._prm_customer())
        place = ["|", ("zip", "=ilike", self.customer_zip or "-"),
                 ("city", "=ilike", self.customer_city or "-")]
        vat = [("vat", "=ilike", key["vat"])] if key["vat"] else []
        candidates = []
        partner_domain = (["|"] + vat + place) if vat else place
        for partner in env["res.partner"].search(
                [("is_company", "=", True), ("prm_is_dealer", "=", False)]
                + partner_domain, limit=CANDIDATE_LIMIT):
            candidates.append({
                "key": ("res.partner", partner.id), "name": partner.name,
                "street": partner.street, "zip": partner.zip,
                "city": partner.city, "vat": partner.vat, "date": None,
                "label": partner.display_name})
        for lead in env["crm.lead"].search(place, limit=CANDIDATE_LIMIT):
            if lead.id == self.lead_id.id:
                continue
            candidates.append({
                "key": ("crm.lead", lead.id),
                "name": lead.partner_name or lead.partner_id.name or lead.name,
                "street": lead.street, "zip": lead.zip, "city": lead.city,
                "vat": lead.partner_id.commercial_partner_id.vat,
                "date": fields.Datetime.from_string(lead.create_date),
                "label": "%s (%s)" % (lead.name, lead.partner_assigned_id.name
                                      or _("not forwarded"))})
        reg_place = ["|", ("customer_zip", "=ilike", self.customer_zip or "-"),
                     ("customer_city", "=ilike", self.customer_city or "-")]
        reg_domain = (["|", ("customer_vat", "=", key["vat"])] + reg_place) \
            if key["vat"] else reg_place
        for other in self.search([("id", "!=", self.id),
                                  ("state", "in", OPEN_STATES)] + reg_domain,
                                 limit=CANDIDATE_LIMIT):
            candidates.append(dict(
                other._prm_customer(), key=(self._name, other.id),
                date=fields.Datetime.from_string(other.create_date),
                label="%s: %s (%s)" % (other.name, other.customer_name,
                                       other.dealer_id.name)))
        return candidates

    def _prm_check_conflicts(self):
        """Store the conflicts (visible to approvers only) and the flag the
        dealer sees. Must run with sudo: it compares against every dealer's
        leads and registrations; nothing of them reaches the dealer but
        ``has_conflict``."""
        Conflict = self.env["prm.deal.conflict"]
        threshold = rule(self.env, "threshold") / 100.0
        window = rule(self.env, "window_days")
        for registration in self:
            registration.conflict_ids.unlink()
            candidates = registration._prm_candidates()
            labels = {candidate["key"]: candidate["label"]
                      for candidate in candidates}
            found = dealreg.find_conflicts(
                registration._prm_customer(), candidates, threshold,
                now=registration._prm_now(), window_days=window)
            for item in found:
                model, res_id = item["key"]
                Conflict.create({
                    "registration_id": registration.id, "res_model": model,
                    "res_id": res_id, "name": labels[item["key"]],
                    "reason": item["reason"], "score": item["score"] * 100})
            registration.has_conflict = any(
                item["key"][0] in (self._name, "crm.lead") for item in found)
            if found:
                registration._prm_notify_internal(
                    self.env["res.partner"],
                    _("Possible conflicts: %s") % ", ".join(
                        html_escape(labels[item["key"]]) for item in found))

    # ---------------------------------------------------------- messages
    def _prm_territory_managers(self):
        """Partners of the managers of the dealer's territory and its
        parents (empty when the territory has none)."""
        self.ensure_one()
        territory = self.dealer_id.prm_territory_id
        if not territory:
            return self.env["res.partner"]
        # sudo: territories and their managers are internal structure; only
        # used to address the note, nothing is shown to the dealer
        managers = self.env["prm.territory"].sudo().search(
            [("id", "parent_of", territory.id), ("manager_id", "!=", False)])
        return managers.mapped("manager_id.partner_id")

    def _prm_notify_internal(self, partners, body):
        """An internal note (never shown to portal users), addressed to
        ``partners`` (res.partner)."""
        self.ensure_one()
        self.message_post(body=body, subtype="mail.mt_note",
                          message_type="comment",
                          partner_ids=[(4, partner.id) for partner in partners])

    def _prm_dealer_texts(self):
        """Subject and body of each dealer notification, in the language of
        the environment (``_`` reads it from ``self.env``)."""
        return {
            "submitted": (_("Deal registration %s received"),
                          _("We received your deal registration %(name)s for "
                            "%(customer)s. Your territory manager decides on it "
                            "by %(deadline)s.")),
            "conflict": (_("Deal registration %s: conflict"),
                         _("Your deal registration %(name)s for %(customer)s "
                           "conflicts with an existing registration. Your "
                           "territory manager decides on it by %(deadline)s.")),
            "approved": (_("Deal registration %s approved"),
                         _("Your deal registration %(name)s for %(customer)s "
                           "was approved. It is protected for you until "
                           "%(until)s and appears under your leads. Reason: "
                           "%(reason)s")),
            "rejected": (_("Deal registration %s rejected"),
                         _("Your deal registration %(name)s for %(customer)s "
                           "was rejected. Reason: %(reason)s")),
            "expired": (_("Deal registration %s expired"),
                        _("The protection of your deal registration %(name)s "
                          "for %(customer)s ended on %(until)s.")),
        }

    def _prm_format_datetime(self, value, lang):
        if not value:
            return ""
        return self.env["ir.qweb.field.datetime"].with_context(
            lang=lang, tz=self.user_id.tz or "Europe/Berlin").value_to_html(
                value, {"hide_seconds": True})

    def _prm_notify_dealer(self, kind):
        """A message to the registering director in his language (mail and
        the history on /my/deals). ``kind``: key of ``_prm_dealer_texts``."""
        self.ensure_one()
        partner = self.user_id.partner_id
        lang = self.user_id.lang or partner.lang or "en_US"
        record = self.with_context(lang=lang)
        if kind == "submitted" and self.has_conflict:
            kind = "conflict"
        subject, body = record._prm_dealer_texts()[kind]
        until = self.protected_until and self.env["ir.qweb.field.date"].with_context(
            lang=lang).value_to_html(self.protected_until, {})
        # the dealer's and the approver's texts are text, never HTML
        params = {"name": html_escape(self.name),
                  "customer": html_escape(self.customer_name),
                  "deadline": record._prm_format_datetime(self.deadline, lang),
                  "until": until or "",
                  "reason": html_escape(self.decision_reason or "")}
        record.message_post(
            body=body % params, subject=subject % self.name,
            subtype="mail.mt_comment", message_type="comment",
            partner_ids=[(4, partner.id)] if partner else [])

    # ------------------------------------------------------------ decisions
    def _prm_check_approver(self):
        """Territory managers of the dealer (record rules) and head office
        decide; everybody else gets an AccessError."""
        user = self.env.user
        if not (user.has_group("prm_partner_portal.group_prm_user")
                or user._prm_is_head_office()):
            raise AccessError(_("Only territory managers and head office "
                                "decide on deal registrations."))
        # the record rules decide whose registrations (own territories)
        self.check_access_rights("read")
        self.check_access_rule("read")

    def _prm_decide(self, approve, reason):
        """Approve or reject with ``reason`` (required text); approving
        creates the dealer's opportunity and starts the protection."""
        self._prm_check_approver()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Please give a reason for the decision."))
        now = self._prm_now()
        for registration in self:
            if registration.state != "submitted":
                raise UserError(_("Registration %s was already decided.")
                                % registration.name)
            values = {"decision_reason": reason, "decided_by_id": self.env.uid,
                      "decision_date": fields.Datetime.to_string(now),
                      "state": "approved" if approve else "rejected"}
            if approve:
                values["protected_until"] = dealreg.protection_end(
                    registration._prm_local_date(now),
                    rule(self.env, "protection_days"))
                values["lead_id"] = registration._prm_create_opportunity(now).id
            # sudo: the approver's rights were checked above; the decision
            # fields are read-only in the form and written here only
            registration.sudo().write(values)
            registration.sudo()._prm_notify_dealer(
                "approved" if approve else "rejected")
        return True

    def _prm_create_opportunity(self, now):
        """The dealer's opportunity of an approved registration: forwarded to
        and accepted by the dealer, so it appears on his /my/leads."""
        self.ensure_one()
        description = "\n".join(
            "%s × %s" % (line.quantity, line.name)
            for line in self.line_ids)
        # the dealer's opportunity: named in the registering director's language
        title = self.with_context(
            lang=self.user_id.lang or self.env.lang)._prm_lead_title()
        # sudo: territory managers may not create leads of every kind; the
        # opportunity belongs to this registration's dealer only
        return self.env["crm.lead"].sudo().create({
            "name": title,
            "type": "opportunity",
            "partner_name": self.customer_name, "street": self.customer_street,
            "zip": self.customer_zip, "city": self.customer_city,
            "planned_revenue": self.expected_volume,
            "date_deadline": self.expected_date,
            "description": "\n".join(filter(None, [description, self.note])),
            "partner_assigned_id": self.dealer_id.id,
            "prm_forwarded_date": fields.Datetime.to_string(now),
            "prm_dealer_state": "accepted",
        })

    def _prm_escalate_to(self, partners):
        """The escalation note to ``partners`` in their language (the company's
        when they differ): the cron runs as the administrator,
        whose English reached head office (outside review). ``_()`` reads
        the language of ``self``."""
        langs = set(partners.mapped("lang")) - {False}
        lang = langs.pop() if len(langs) == 1 else \
            self.env.user.company_id.partner_id.lang
        self = self.with_context(lang=lang) if lang else self
        self._prm_notify_internal(
            partners, _("Deal registration %s was not decided by its deadline "
                        "and is escalated to head office.") % self.name)

    def _prm_lead_title(self):
        """The opportunity's name, in the language of ``self.env``."""
        return _("Deal registration %s: %s") % (self.name, self.customer_name)

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_prm_deal_registrations(self, now=None):
        """Escalate undecided registrations at their deadline, mark won
        ones converted, expire the protection of the others. ``now``
        (string or datetime, UTC) replaces the clock (tests)."""
        # sudo: the scheduler's job over all registrations; it only changes
        # states and posts messages
        records = self.sudo().with_context(prm_now=now) if now else self.sudo()
        moment = records._prm_now()
        overdue = records.search([
            ("state", "=", "submitted"), ("escalated", "=", False),
            ("deadline", "<=", fields.Datetime.to_string(moment))])
        head_office = self.env.ref("prm_partner_portal.group_prm_manager").users
        for registration in overdue:
            registration.escalated = True
            registration._prm_escalate_to(head_office.mapped("partner_id"))
        for registration in records.search([("state", "=", "approved")]):
            today = registration._prm_local_date(moment)
            if registration.lead_id.probability >= 100:
                registration.state = "converted"
            elif dealreg.is_expired(
                    fields.Date.from_string(registration.protected_until), today):
                registration.state = "expired"
                registration._prm_notify_dealer("expired")
        return True

    def action_prm_decide(self):
        """The decision dialog (approve or reject with a reason)."""
        self._prm_check_approver()
        return {
            "type": "ir.actions.act_window", "res_model": "prm.deal.decision",
            "view_mode": "form", "target": "new",
            "context": {"default_registration_id": self.id},
        }


class PrmDealRegistrationLine(models.Model):
    _name = "prm.deal.registration.line"
    _description = "Deal registration product"

    registration_id = fields.Many2one("prm.deal.registration", required=True,
                                      ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", string="Product",
                                 required=True)
    name = fields.Char(string="Description", readonly=True,
                       help="The product's name when it was registered (dealers "
                            "have no read right on products).")
    quantity = fields.Float(string="Quantity", default=1.0)

    @api.model
    def create(self, vals):
        if not vals.get("name") and vals.get("product_id"):
            # sudo: only the saleable product's display name is copied
            vals = dict(vals, name=self.env["product.product"].sudo().browse(
                vals["product_id"]).display_name)
        return super().create(vals)


class PrmDealConflict(models.Model):
    """One record the conflict check found; approvers only (no portal
    access, the registration's field has groups)."""

    _name = "prm.deal.conflict"
    _description = "Deal registration conflict"
    _order = "score desc, id"

    registration_id = fields.Many2one("prm.deal.registration", required=True,
                                      ondelete="cascade", index=True)
    res_model = fields.Char(string="Kind", required=True)
    res_id = fields.Integer(required=True)
    name = fields.Char(string="Conflicting record")
    reason = fields.Selection([("vat", "Same VAT number"),
                               ("name_address", "Similar name and address")],
                              string="Reason")
    score = fields.Float(string="Similarity (%)", digits=(5, 1))

    def action_open(self):
        """The conflicting record's form (record rules apply)."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": self.res_id, "view_mode": "form", "target": "current"}
