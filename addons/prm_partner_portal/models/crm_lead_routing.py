import datetime

from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.tools import html_escape

from ..lib import lead_deadlines, lead_routing

#: Context key with the "now" (naive UTC datetime or its string) the routing,
#: deadlines and cron use instead of the clock; honoured for the superuser
#: only (tests, the cron), so no user can back-date a deadline over RPC.
NOW_KEY = "prm_now"
#: Context key of a list ``create`` appends new leads to instead of routing
#: them one by one; ``load`` routes the list as one batch afterwards.
ROUTE_LATER_KEY = "prm_route_later"


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_product_line_ids = fields.Many2many(
        "prm.product.line", string="Product lines carried")
    prm_lead_capacity = fields.Integer(
        string="Lead capacity",
        help="Leads awaiting the dealer's answer at most before routing skips "
             "him. 0: no limit.")
    prm_calendar_id = fields.Many2one(
        "resource.calendar", string="Business hours",
        help="Working hours and public holidays the dealer's response "
             "deadlines are counted in. Empty: the company's hours.")
    prm_acceptance_rate = fields.Float(
        string="Acceptance rate (%)", compute="_compute_prm_routing_figures",
        help="Accepted forwardings out of the decided ones (accepted, "
             "declined, recalled for no answer).")
    prm_recall_count = fields.Integer(
        string="Recalled leads", compute="_compute_prm_routing_figures")

    def _compute_prm_routing_figures(self):
        Routing = self.env["prm.lead.routing"]
        stats = {}
        dealers = self.filtered("id")
        if dealers and Routing.check_access_rights("read", raise_exception=False):
            stats = Routing._prm_routing_statistics(
                [("dealer_id", "in", dealers.ids)], "dealer_id")
        for partner in self:
            row = stats.get(partner.id) or {}
            rate = row.get("acceptance_rate")
            partner.prm_acceptance_rate = 100.0 * rate if rate is not None else 0.0
            partner.prm_recall_count = row.get("recalled", 0)

    def _prm_business_calendar(self):
        """The dealer's calendar, else the company's (never empty)."""
        self.ensure_one()
        return self.prm_calendar_id or self.env.user.company_id.resource_calendar_id


class PrmTouchpoint(models.Model):
    _inherit = "prm.touchpoint"

    accept_hours = fields.Float(
        string="Accept within (business h)", default=4.0,
        help="Business hours of the dealer's calendar from forwarding to the "
             "acceptance deadline; at the deadline the territory manager is "
             "told. 0: no deadline.")
    reminder_hours = fields.Float(
        string="Remind before deadline (business h)", default=1.0,
        help="The dealer is reminded this many business hours before the "
             "acceptance deadline. 0: no reminder.")
    recall_hours = fields.Float(
        string="Recall after deadline (business h)", default=8.0,
        help="Business hours after the acceptance deadline when an unanswered "
             "lead is recalled and routed to the next dealer. 0: never.")


class CrmLead(models.Model):
    """Automatic routing of new leads and response deadlines."""

    _inherit = "crm.lead"

    prm_product_line_id = fields.Many2one(
        "prm.product.line", string="Product line", index=True)
    prm_routing_rule_id = fields.Many2one(
        "prm.routing.rule", string="Routed by rule", readonly=True, copy=False,
        help="The routing rule that chose the current dealer. Empty: "
             "forwarded by hand or not routed.")
    prm_accept_deadline = fields.Datetime(
        string="Accept by", readonly=True, copy=False)
    prm_reminder_date = fields.Datetime(
        string="Reminder on", readonly=True, copy=False)
    prm_recall_date = fields.Datetime(
        string="Recall on", readonly=True, copy=False)
    prm_reaction_deadline = fields.Datetime(
        string="First reaction by", readonly=True, copy=False)
    prm_deadline_stage = fields.Selection([
        ("open", "Within deadline"),
        ("reminded", "Reminded"),
        ("escalated", "Escalated"),
    ], string="Deadline stage", readonly=True, copy=False)
    prm_reaction_reminder_date = fields.Datetime(
        string="First-reaction reminder on", readonly=True, copy=False)
    prm_reaction_stage = fields.Selection([
        ("open", "Within deadline"),
        ("reminded", "Reminded"),
        ("escalated", "Escalated"),
    ], string="First-reaction stage", readonly=True, copy=False,
        help="After the dealer accepted: the deadline of his first reaction "
             "to the customer (reminder before it, escalation to the "
             "territory manager at it; no recall of an accepted lead).")
    prm_recall_count = fields.Integer(
        string="Recalls", readonly=True, copy=False)
    prm_routing_ids = fields.One2many(
        "prm.lead.routing", "lead_id", string="Forwardings",
        groups="prm_partner_portal.group_prm_user,"
               "prm_partner_portal.group_prm_receivables,"
               "prm_partner_portal.group_prm_marketing,"
               "prm_partner_portal.group_prm_warranty")

    prm_due_date = fields.Datetime(
        string="Answer by", compute="_compute_prm_due",
        help="Acceptance deadline of a pending lead, first-reaction deadline "
             "of an accepted one without a reaction yet.")
    prm_time_left = fields.Char(
        string="Time left", compute="_compute_prm_due")
    prm_is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_prm_due")

    def _compute_prm_due(self):
        now = self._prm_now()
        for lead in self:
            due = False
            if lead.prm_dealer_state == "pending":
                due = lead.prm_accept_deadline
            elif lead.prm_dealer_state == "accepted" and \
                    not lead.prm_first_response_date:
                due = lead.prm_reaction_deadline
            lead.prm_due_date = due
            left = lead_deadlines.remaining(
                now, fields.Datetime.from_string(due) if due else None)
            if left is None:
                lead.prm_time_left = False
                lead.prm_is_overdue = False
                continue
            overdue, hours, minutes = left
            lead.prm_is_overdue = overdue
            values = {"hours": hours, "minutes": minutes}
            lead.prm_time_left = (
                _("overdue by %(hours)d h %(minutes)02d min") if overdue
                else _("%(hours)d h %(minutes)02d min left")) % values

    # ------------------------------------------------------------ clock

    def _prm_now(self):
        """Now as a naive UTC datetime (or the ``prm_now`` context key)."""
        value = self.env.context.get(NOW_KEY)
        if value and self.env.uid == SUPERUSER_ID:
            if isinstance(value, str):
                value = fields.Datetime.from_string(value)
            return value
        return datetime.datetime.utcnow().replace(microsecond=0)

    def _prm_trusted_clock(self):
        """``self`` without a ``prm_now`` a non-superuser passed (before any
        sudo() makes every caller the superuser)."""
        if self.env.uid != SUPERUSER_ID and self.env.context.get(NOW_KEY):
            return self.with_context(**{NOW_KEY: False})
        return self

    # ---------------------------------------------------------- routing

    @api.model
    def create(self, vals):
        self = self._prm_trusted_clock()
        lead = super().create(vals)
        if not vals.get("partner_assigned_id") and lead.prm_touchpoint_id \
                and not self.env.context.get("prm_no_routing"):
            later = self.env.context.get(ROUTE_LATER_KEY)
            if isinstance(later, list):
                later.append(lead.id)   # routed with its batch (load)
            else:
                lead._prm_route()
        return lead

    @api.model
    def load(self, fields, data):
        """Import: the new leads are routed together once the rows are in
        (one read of the dealers and one calendar plan for the batch), in
        the order of the rows, as if each had been routed when created. An
        import that fails routes nothing (its rows are rolled back)."""
        later = []
        result = super(CrmLead, self.with_context(
            **{ROUTE_LATER_KEY: later})).load(fields, data)
        if result.get("ids") and later:
            self.browse(later).exists()._prm_route()
        return result

    def _prm_dealer_dicts(self):
        """Active dealers as ``lib/lead_routing`` dealer dicts, with their
        open leads and decisions (three queries for the whole network)."""
        cr = self.env.cr
        cr.execute("""
            SELECT p.id, p.zip, p.prm_territory_id, p.prm_tier_id,
                   COALESCE(p.prm_lead_capacity, 0)
              FROM res_partner p
             WHERE p.prm_is_dealer AND p.active AND p.prm_state = 'active'
        """)
        dealers = {row[0]: {
            "id": row[0], "zip": row[1], "territory_id": row[2],
            "tier_id": row[3], "capacity": row[4], "last_routed": None,
            "product_line_ids": set(), "open": 0, "accepted": 0, "decided": 0,
        } for row in cr.fetchall()}
        cr.execute("SELECT res_partner_id, prm_product_line_id "
                   "FROM prm_product_line_res_partner_rel")
        for dealer_id, line_id in cr.fetchall():
            if dealer_id in dealers:
                dealers[dealer_id]["product_line_ids"].add(line_id)
        cr.execute("""
            SELECT dealer_id,
                   COUNT(*) FILTER (WHERE outcome = 'pending'),
                   COUNT(*) FILTER (WHERE outcome = 'accepted'),
                   COUNT(*) FILTER (WHERE outcome IN
                                    ('accepted', 'declined', 'recalled')),
                   MAX(id)
              FROM prm_lead_routing GROUP BY dealer_id
        """)
        for dealer_id, pending, accepted, decided, last in cr.fetchall():
            if dealer_id in dealers:
                dealers[dealer_id].update(open=pending, accepted=accepted,
                                          decided=decided, last_routed=last)
        return list(dealers.values())

    def _prm_route(self, seed=0):
        """Route each lead of ``self`` to a dealer by the routing rules and
        forward it (deadlines start); a lead no rule can place stays with
        head office, with a note in its history. Dealers a lead was
        forwarded to before are skipped. Returns ``{lead id: dealer id or
        False}``."""
        # sudo: routing follows head office's rules over the whole network
        # whoever creates the lead (web form, mail gateway, import); it
        # writes only the routing fields, and the creator sees nothing more.
        leads = self.sudo()
        rules = leads.env["prm.routing.rule"]._prm_rule_dicts()
        if not rules:
            return {lead.id: False for lead in leads}
        dealers = leads._prm_dealer_dicts()
        # one decision pass for the batch (the dealer table read once,
        # capacity and round robin counted within it), then the leads are
        # forwarded in the order they were routed, consecutive leads of
        # the same rule together (the forwarding log keeps that order)
        routed = lead_routing.route_many(rules, [{
            "id": lead.id, "zip": lead.zip,
            "touchpoint_id": lead.prm_touchpoint_id.id,
            "product_line_id": lead.prm_product_line_id.id,
            "excluded_dealer_ids": set(lead.prm_routing_ids.mapped(
                "dealer_id").ids),
        } for lead in leads], dealers, seed=seed)
        result = {}
        runs = []   # [(rule id, leads)] in routing order
        for lead, (_lead, rule, dealer) in zip(leads, routed):
            if dealer is None:
                if lead.prm_routing_rule_id:
                    lead.write({"prm_routing_rule_id": False})
                lead.message_post(body=_(
                    "No routing rule found a dealer for this lead; head office "
                    "forwards it by hand."), subtype="mail.mt_note")
                result[lead.id] = False
                continue
            # the rule is written with the deadlines by action_prm_forward
            lead.write({"partner_assigned_id": dealer["id"]})
            if runs and runs[-1][0] == rule["id"]:
                runs[-1] = (rule["id"], runs[-1][1] | lead)
            else:
                runs.append((rule["id"], lead))
            result[lead.id] = dealer["id"]
        for rule_id, run in runs:
            run.with_context(prm_routing_rule_id=rule_id).action_prm_forward()
        return result

    # -------------------------------------------------------- deadlines

    def action_prm_forward(self):
        """Forward as before, record the forwarding and start the deadlines
        in business hours of the dealer's calendar.

        The slow part (calendar, log, history) runs before the core
        forwarding stamps ``prm_forwarded_date``, so the stamp stays the
        moment the dealer can see the lead; with a ``prm_now`` clock the
        stamp is that clock's time.
        """
        self = self._prm_trusted_clock()
        if not all(lead.partner_assigned_id for lead in self):
            return super().action_prm_forward()   # its translated error
        now = self._prm_now()
        stamp = fields.Datetime.to_string(now)
        Routing = self.env["prm.lead.routing"].sudo()
        rule_id = self.env.context.get("prm_routing_rule_id") or False
        rule = self.env["prm.routing.rule"].sudo().browse(rule_id)
        # everything the loop needs is read for the whole batch before the
        # first write (a write or a create in the loop would make the next
        # lead's prefetch read the batch again)
        plans = {}   # one business-hours plan per calendar for the batch
        deadlines = {}
        for lead in self:
            deadlines[lead.id] = dict(lead._prm_deadline_values(now, plans),
                                      prm_routing_rule_id=rule_id)
            if self.env.context.get(NOW_KEY):
                deadlines[lead.id]["prm_forwarded_date"] = stamp
        forwardings = [(lead, lead.partner_assigned_id, {
            "lead_id": lead.id, "dealer_id": lead.partner_assigned_id.id,
            "territory_id": lead.partner_assigned_id.prm_territory_id.id,
            "touchpoint_id": lead.prm_touchpoint_id.id,
            "rule_id": rule_id, "forwarded_date": stamp,
        }) for lead in self]
        # sudo: the caller forwards the lead (write access is checked by the
        # core action below, which rolls all of this back if refused); the
        # forwarding log, the deadline fields and the history note are
        # maintained by the system.
        Routing.search([("lead_id", "in", self.ids),
                        ("outcome", "=", "pending")]).write({
                            "outcome": "withdrawn", "decided_date": stamp})
        for lead, dealer, values in forwardings:
            Routing.create(values)
            if rule_id:
                body = _("Routed to %(dealer)s by rule \"%(rule)s\".") % {
                    "dealer": html_escape(dealer.name), "rule": html_escape(rule.name)}
            else:
                body = _("Forwarded to %s by hand.") % html_escape(dealer.name)
            lead.sudo().message_post(body=body, subtype="mail.mt_note")
        result = super().action_prm_forward()
        # leads with the same deadlines (same calendar and touchpoint) in
        # one write each
        groups = {}
        for lead in self:
            key = tuple(sorted(deadlines[lead.id].items()))
            groups.setdefault(key, []).append(lead.id)
        for key, ids in groups.items():
            self.browse(ids).sudo().write(dict(key))
        return result

    def _prm_deadline_values(self, start, plans=None):
        """Deadline fields of a lead forwarded at ``start`` (naive UTC) to
        its dealer, from its touchpoint's business hours.

        ``plans``: a dict the caller keeps for one batch (same transaction,
        same ``start``); leads of the same calendar and touchpoint hours
        share one calendar scheduling through it. None: no sharing.
        """
        self.ensure_one()
        touchpoint = self.prm_touchpoint_id
        calendar = self.partner_assigned_id._prm_business_calendar()
        if not touchpoint or not calendar:
            return {"prm_accept_deadline": False, "prm_reminder_date": False,
                    "prm_recall_date": False, "prm_reaction_deadline": False,
                    "prm_reaction_reminder_date": False,
                    "prm_deadline_stage": False, "prm_reaction_stage": False}

        accept = max(touchpoint.accept_hours, 0.0)
        reminder = accept - touchpoint.reminder_hours
        recall = accept + touchpoint.recall_hours
        reaction = touchpoint.target_response_hours
        reaction_reminder = reaction - touchpoint.reminder_hours
        hours = (accept, reminder, recall, reaction, reaction_reminder)
        key = (calendar.id, start, hours)
        moments = plans.get(key) if plans is not None else None
        if moments is None:
            moments = [fields.Datetime.to_string(moment) for moment in
                       calendar._prm_plan(start, list(hours))]
            if plans is not None:
                plans[key] = moments
        return {
            "prm_accept_deadline": moments[0] if accept > 0 else False,
            "prm_reminder_date": moments[1] if accept > 0 and
            touchpoint.reminder_hours > 0 and reminder > 0 else False,
            "prm_recall_date": moments[2]
            if accept > 0 and touchpoint.recall_hours > 0 else False,
            "prm_reaction_deadline": moments[3] if reaction > 0 else False,
            "prm_reaction_reminder_date": moments[4] if reaction > 0 and
            touchpoint.reminder_hours > 0 and reaction_reminder > 0 else False,
            "prm_deadline_stage": "open" if accept > 0 else False,
            "prm_reaction_stage": False,
        }

    def _prm_dealer_reaction(self, action=None, reaction=None, note=None,
                             lost_reason=None):
        """Close the current forwarding when the dealer accepts or declines."""
        result = super()._prm_dealer_reaction(
            action=action, reaction=reaction, note=note, lost_reason=lost_reason)
        if action in ("accept", "decline"):
            # sudo: called after the controller checked the dealer's access
            # to this lead; only the system's forwarding log is written.
            lead = self.sudo()
            lead.prm_routing_ids.filtered(
                lambda row: row.outcome == "pending"
                and row.dealer_id == lead.partner_assigned_id).write({
                    "outcome": "accepted" if action == "accept" else "declined",
                    "decided_date": fields.Datetime.to_string(self._prm_now())})
            lead.write({"prm_deadline_stage": False})
        # the first-reaction clock runs from the acceptance until the first
        # reaction to the customer (or a decline) is recorded
        # sudo: as above, the system's deadline fields only.
        lead = self.sudo()
        waiting = lead.prm_dealer_state == "accepted" and \
            not lead.prm_first_response_date and lead.prm_reaction_deadline
        stage = (lead.prm_reaction_stage or "open") if waiting else False
        if stage != lead.prm_reaction_stage:
            lead.write({"prm_reaction_stage": stage})
        return result

    @api.model
    def _prm_cron_deadlines(self):
        """Cron: remind, escalate and recall pending leads whose moments have
        come (``lib/lead_deadlines.due_steps``); each step is posted in the
        lead's history. Returns ``{lead id: [steps done]}``."""
        now = self._prm_now()
        leads = self.sudo().search([
            ("prm_dealer_state", "=", "pending"),
            ("prm_deadline_stage", "!=", False),
            ("partner_assigned_id", "!=", False)])
        done = {}
        for lead in leads:
            steps = lead_deadlines.due_steps(
                now, lead.prm_deadline_stage,
                *(fields.Datetime.from_string(value) if value else None
                  for value in (lead.prm_reminder_date, lead.prm_accept_deadline,
                                lead.prm_recall_date)))
            for step in steps:
                getattr(lead, "_prm_deadline_%s" % step)()
            if steps:
                done[lead.id] = steps
        # accepted leads waiting for the first reaction to the customer:
        # reminder and escalation (the same rule without a recall)
        leads = self.sudo().search([
            ("prm_dealer_state", "=", "accepted"),
            ("prm_reaction_stage", "in", ("open", "reminded")),
            ("prm_first_response_date", "=", False)])
        for lead in leads:
            steps = lead_deadlines.due_steps(
                now, lead.prm_reaction_stage,
                *(fields.Datetime.from_string(value) if value else None
                  for value in (lead.prm_reaction_reminder_date,
                                lead.prm_reaction_deadline)), None)
            for step in steps:
                getattr(lead, "_prm_reaction_%s" % step)()
            if steps:
                done.setdefault(lead.id, []).extend(
                    "reaction_%s" % step for step in steps)
        return done

    def _prm_reaction_remind(self):
        dealer = self.partner_assigned_id
        contacts = self._prm_dealer_directors()
        self = self._prm_in_language_of(contacts)
        self.write({"prm_reaction_stage": "reminded"})
        self.message_post(
            body=_("Reminder to %s: the customer is still waiting for a first "
                   "reaction.") % html_escape(dealer.name),
            subtype="mail.mt_note", partner_ids=contacts.ids)

    def _prm_reaction_escalate(self):
        dealer = self.partner_assigned_id
        manager = self._prm_territory_manager()
        self = self._prm_in_language_of(manager.partner_id)
        self.write({"prm_reaction_stage": "escalated"})
        self.message_post(
            body=_("First-reaction deadline passed without a reaction from "
                   "%(dealer)s; escalated to the territory manager "
                   "%(manager)s.") % {
                "dealer": html_escape(dealer.name),
                "manager": html_escape(manager.name or _("(none)"))},
            subtype="mail.mt_note", partner_ids=manager.partner_id.ids)

    def _prm_in_language_of(self, partners):
        """``self`` in the language of the notified ``partners`` (the
        company's when they differ): the cron runs as the
        administrator, whose English reached German managers (outside
        review). ``_()`` reads the language of ``self``."""
        langs = set(partners.mapped("lang")) - {False}
        lang = langs.pop() if len(langs) == 1 else \
            self.env.user.company_id.partner_id.lang
        return self.with_context(lang=lang) if lang else self

    def _prm_dealer_directors(self):
        """Partners of the active managing directors of the lead's dealer:
        who may read leads and is told of their deadlines (bookkeepers
        may not read leads: outside review)."""
        directors = self.env.ref("prm_partner_portal.group_prm_portal_director")
        return self.partner_assigned_id.child_ids.filtered(
            lambda contact: any(user.active and directors in user.groups_id
                                for user in contact.user_ids))

    def _prm_territory_manager(self):
        """The manager of the dealer's territory (an area's region manages
        it when the area has none); empty res.users if nobody."""
        territory = self.partner_assigned_id.prm_territory_id
        while territory and not territory.manager_id:
            territory = territory.parent_id
        return territory.manager_id

    def _prm_deadline_remind(self):
        dealer = self.partner_assigned_id
        contacts = self._prm_dealer_directors()
        self = self._prm_in_language_of(contacts)
        self.write({"prm_deadline_stage": "reminded"})
        self.message_post(
            body=_("Reminder to %s: the lead is still awaiting acceptance.")
            % html_escape(dealer.name), subtype="mail.mt_note",
            partner_ids=contacts.ids)

    def _prm_deadline_escalate(self):
        dealer = self.partner_assigned_id
        manager = self._prm_territory_manager()
        self = self._prm_in_language_of(manager.partner_id)
        self.write({"prm_deadline_stage": "escalated"})
        self.message_post(
            body=_("Acceptance deadline passed without an answer from %(dealer)s; "
                   "escalated to the territory manager %(manager)s.") % {
                "dealer": html_escape(dealer.name),
                "manager": html_escape(manager.name or _("(none)"))},
            subtype="mail.mt_note", partner_ids=manager.partner_id.ids)

    def _prm_deadline_recall(self):
        dealer = self.partner_assigned_id
        stamp = fields.Datetime.to_string(self._prm_now())
        self.prm_routing_ids.filtered(
            lambda row: row.outcome == "pending").write({
                "outcome": "recalled", "decided_date": stamp})
        self.write({
            "prm_recall_count": self.prm_recall_count + 1,
            "prm_deadline_stage": False, "prm_dealer_state": False,
            "partner_assigned_id": False, "prm_forwarded_dealer_id": False,
            "prm_routing_rule_id": False})
        self.message_post(
            body=_("Recalled from %s: no answer in time.") % html_escape(
                dealer.name),
            subtype="mail.mt_note")
        self._prm_route()
