import json

from psycopg2 import sql

from odoo import api, fields, models, _
from odoo.exceptions import UserError

from ..lib import feedback as feedback_logic
from ..lib import response_time
from . import group_measures

#: Dimensions ``_prm_response_statistics`` can group by.
RESPONSE_GROUPBY = ("partner_assigned_id", "prm_territory_id", "prm_touchpoint_id")
# The leads that have a response time: forwarded and answered.
ANSWERED = [("prm_forwarded_date", "!=", False),
            ("prm_first_response_date", "!=", False)]


class CrmLead(models.Model):
    """Leads forwarded to a dealer, with touchpoint and first-response time.

    ``partner_assigned_id`` has the name and meaning of the field in core
    ``website_crm_partner_assign``; we add it ourselves because that module
    pulls in website, accounting and payment for one field.
    """

    _inherit = "crm.lead"

    partner_assigned_id = fields.Many2one(
        "res.partner", string="Forwarded to dealer", index=True,
        track_visibility="onchange", domain=[("prm_is_dealer", "=", True)])
    prm_territory_id = fields.Many2one(
        related="partner_assigned_id.prm_territory_id", store=True, index=True,
        readonly=True)
    prm_touchpoint_id = fields.Many2one(
        "prm.touchpoint", string="Touchpoint", index=True)
    prm_forwarded_date = fields.Datetime(string="Forwarded on", readonly=True)
    prm_forwarded_dealer_id = fields.Many2one(
        "res.partner", string="Forwarded to", readonly=True, index=True,
        copy=False,
        help="The dealer the lead was last forwarded to (stamped with the "
             "forwarding date). A reassigned lead becomes visible to the new "
             "dealer only when it is forwarded again.")
    prm_dealer_state = fields.Selection([
        ("pending", "Awaiting dealer"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
    ], string="Dealer status", readonly=True, index=True)
    prm_first_reaction = fields.Selection([
        ("contacted", "Customer contacted"),
        ("quote", "Quote sent"),
        ("lost", "Lost"),
    ], string="First reaction", readonly=True)
    prm_first_response_date = fields.Datetime(
        string="First response on", readonly=True)
    prm_response_hours = fields.Float(
        string="Response time (h)", compute="_compute_prm_response_hours",
        store=True, group_operator="avg")
    prm_dealer_log = fields.Text(
        string="Dealer answers (data)", readonly=True, copy=False,
        groups="base.group_user",
        help="The dealer's answers as JSON: a list of {date (UTC), state, "
             "reaction, text, dealer_id}; shown through the dealer notes. "
             "Internal users only: it holds the answers of every dealer the "
             "lead was forwarded to.")
    prm_dealer_note = fields.Text(
        string="Dealer notes", compute="_compute_prm_dealer_note",
        help="The dealer's answers with their time, in your time zone and "
             "language.")
    prm_lost_reason = fields.Text(
        string="Lost reason (dealer)", readonly=True,
        help="Why the dealer reported the lead as lost.")
    prm_feedback_ids = fields.One2many(
        "prm.lead.feedback", "lead_id", string="Customer feedback")

    @api.depends("prm_forwarded_date", "prm_first_response_date")
    def _compute_prm_response_hours(self):
        for lead in self:
            if lead.prm_forwarded_date and lead.prm_first_response_date:
                delta = (fields.Datetime.from_string(lead.prm_first_response_date)
                         - fields.Datetime.from_string(lead.prm_forwarded_date))
                lead.prm_response_hours = max(delta.total_seconds() / 3600.0, 0.0)
            else:
                lead.prm_response_hours = 0.0

    @api.model_cr
    def init(self):
        # Leads forwarded before prm_forwarded_dealer_id existed were
        # forwarded to their current dealer.
        self.env.cr.execute("""
            UPDATE crm_lead SET prm_forwarded_dealer_id = partner_assigned_id
             WHERE prm_forwarded_date IS NOT NULL
               AND prm_forwarded_dealer_id IS NULL
        """)

    @api.model
    def create(self, vals):
        if vals.get("prm_forwarded_date") and "prm_forwarded_dealer_id" not in vals:
            vals = dict(vals, prm_forwarded_dealer_id=vals.get(
                "partner_assigned_id") or False)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if vals.get("prm_forwarded_date") and "prm_forwarded_dealer_id" not in vals:
            by_dealer = {}
            for lead in self:
                by_dealer.setdefault(lead.partner_assigned_id.id, []).append(
                    lead.id)
            for dealer_id, ids in by_dealer.items():
                super(CrmLead, self.browse(ids)).write(
                    {"prm_forwarded_dealer_id": dealer_id or False})
        return result

    def _prm_dealer_log_entries(self, dealer=None):
        """The dealers' answers as a list of dicts (see ``prm_dealer_log``).

        With ``dealer`` (a res.partner), only the answers that dealer gave;
        answers stored before they were stamped with ``dealer_id`` count as
        the current dealer's only if the lead was never forwarded elsewhere
        (we cannot tell, so they are shown to head office only).
        """
        self.ensure_one()
        try:
            # sudo: the raw log is internal-only (all dealers' answers); the
            # caller filters it by ``dealer`` for portal readers
            entries = json.loads(self.sudo().prm_dealer_log or "[]")
        except ValueError:
            entries = []
        entries = [entry for entry in entries if isinstance(entry, dict)]
        if dealer is not None:
            entries = [entry for entry in entries
                       if entry.get("dealer_id") == dealer.id]
        return entries

    @api.depends("prm_dealer_log")
    def _compute_prm_dealer_note(self):
        """One line per answer: time in the reader's time zone and language,
        the answer's label in the reader's language, the dealer's text.

        The time is stored as a UTC datetime and formatted only here (for
        whoever reads it), never frozen into the text.
        """
        env = self.env
        states = dict(self._fields["prm_dealer_state"]._description_selection(env))
        reactions = dict(
            self._fields["prm_first_reaction"]._description_selection(env))
        as_datetime = env["ir.qweb.field.datetime"]
        # portal users (dealers) see only their own company's answers
        dealer = env.user.commercial_partner_id if env.user.share else None
        for lead in self:
            lines = []
            for entry in lead._prm_dealer_log_entries(dealer):
                label = reactions.get(entry.get("reaction")) or states.get(
                    entry.get("state"))
                moment = as_datetime.value_to_html(
                    entry.get("date"), {"hide_seconds": True}) \
                    if entry.get("date") else ""
                head = " ".join(part for part in (moment, label) if part)
                text = entry.get("text") or "–"
                lines.append("%s: %s" % (head, text) if head else text)
            lead.prm_dealer_note = "\n".join(lines)

    def action_prm_forward(self):
        """Forward the lead to its dealer and start the response clock."""
        if not all(lead.partner_assigned_id for lead in self):
            raise UserError(_("Choose the dealer to forward the lead to."))
        by_dealer = {}   # one write per dealer (routing forwards batches)
        for lead in self:
            by_dealer.setdefault(lead.partner_assigned_id.id, []).append(lead.id)
        now = fields.Datetime.now()
        for dealer_id, ids in by_dealer.items():
            self.browse(ids).write({
                "prm_forwarded_date": now,
                "prm_forwarded_dealer_id": dealer_id,
                "prm_dealer_state": "pending",
                "prm_first_reaction": False,
                "prm_first_response_date": False,
                # the previous dealer's reason stays in the log for head
                # office; the next dealer starts without it
                "prm_lost_reason": False,
            })
        return True

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """The response time of a group is the average of its answered
        leads (``_prm_response_statistics``): an unanswered lead has no
        response time, although Odoo 11 stores it as 0.0."""
        groups = super().read_group(domain, fields, groupby, offset=offset,
                                    limit=limit, orderby=orderby, lazy=lazy)
        if group_measures.is_raw(self):
            return groups
        return group_measures.average_of_counted(
            self, groups, "prm_response_hours", ANSWERED, domain)

    @api.model
    def _prm_response_statistics(self, domain, groupby="partner_assigned_id"):
        """First-response figures of the answered leads in ``domain``.

        Returns ``{group id or False: {"count", "average", "median", "p90",
        "within_target", "within_target_share"}}`` grouped by one of
        ``RESPONSE_GROUPBY``, or ``{False: figures}`` for all of ``domain``
        together (the network) when ``groupby`` is None. Hours as floats;
        the share (0..1) counts leads answered within their touchpoint's
        target time (``DEFAULT_TARGET_HOURS`` without a touchpoint). The
        definition is in ``lib/response_time.py`` (test oracle
        ``tests/oracles.summarize``): every lead with a first
        reaction counts in every figure, lost (archived) leads and 0-hour
        answers included. One SQL query; record rules of the current user
        apply. Raises ValueError for another ``groupby``.
        """
        if groupby is not None and groupby not in RESPONSE_GROUPBY:
            raise ValueError("cannot group response statistics by %r" % groupby)
        self.check_access_rights("read")
        leads = self.with_context(active_test=False)
        query = leads._where_calc(list(domain) + ANSWERED)
        leads._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        statement = sql.SQL("""
            SELECT {group}, COUNT(*), AVG(l.prm_response_hours),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY l.prm_response_hours),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY l.prm_response_hours),
                   COUNT(*) FILTER (WHERE l.prm_response_hours
                                    <= COALESCE(t.target_response_hours, %s))
              FROM crm_lead l
         LEFT JOIN prm_touchpoint t ON t.id = l.prm_touchpoint_id
             WHERE l.id IN (SELECT "crm_lead".id FROM {tables} WHERE {where})
          GROUP BY 1
        """).format(group=(sql.SQL("l.") + sql.Identifier(groupby)) if groupby
                    else sql.SQL("NULL"), tables=sql.SQL(from_clause),
                    where=sql.SQL(where_clause or "TRUE"))
        self.env.cr.execute(
            statement, [response_time.DEFAULT_TARGET_HOURS] + list(params))
        return {
            group_id or False: {
                "count": count, "average": average, "median": median, "p90": p90,
                "within_target": within,
                "within_target_share": within / count if count else None,
            } for group_id, count, average, median, p90, within
            in self.env.cr.fetchall()}

    def action_prm_request_feedback(self):
        """Ask the customers of won or lost leads to rate the dealer."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        open_leads = self.filtered(lambda lead: lead.active and lead.probability < 100)
        if open_leads:
            raise UserError(_("Feedback can only be requested for won or lost "
                              "leads."))
        # sudo: the caller may edit these leads (checked above); the feedback
        # record and its token are kept away from non-admin users on purpose.
        self.env["prm.lead.feedback"].sudo()._prm_request(self.sudo())
        return True

    @api.model
    def _prm_checked_text(self, text, label):
        """Plain text of a portal field; UserError when it is too long."""
        try:
            return feedback_logic.checked_comment(text)
        except feedback_logic.CommentTooLongError as error:
            raise UserError(_(
                "%(label)s is too long: %(length)s characters, at most %(max)s "
                "are allowed.") % {"label": label, "length": error.length,
                                   "max": error.max_length})

    def _prm_dealer_reaction(self, action=None, reaction=None, note=None,
                             lost_reason=None):
        """Apply the dealer's answer from the portal; raises UserError if invalid.

        ``action``: accept or decline a pending lead; ``reaction``: the
        reaction to the customer (contacted, quote, lost). Writes only the
        dealer fields; the first response time is stamped once, by the first
        decline or reaction. Called with sudo by the portal controller after
        it has checked that the dealer's user can read the lead.
        """
        self.ensure_one()
        reactions = dict(self._fields["prm_first_reaction"].selection)
        action = action or None
        reaction = reaction or None
        if action not in (None, "accept", "decline") or \
                (reaction is not None and reaction not in reactions):
            raise UserError(_("Unknown answer."))
        if not self.active or self.probability >= 100 or \
                self.prm_dealer_state not in ("pending", "accepted"):
            raise UserError(_("This lead is closed; it cannot be changed any more."))
        if self.prm_dealer_state == "pending" and not action:
            raise UserError(_("Please accept or decline the lead first."))
        if action == "decline" and reaction:
            raise UserError(_("A declined lead has no reaction to the customer."))
        if self.prm_dealer_state == "accepted" and action == "decline":
            raise UserError(_("An accepted lead cannot be declined any more."))
        if self.prm_dealer_state == "accepted" and not reaction:
            raise UserError(_("Please choose your reaction to the customer."))
        lost_reason = self._prm_checked_text(lost_reason, _("The reason"))
        if reaction == "lost" and not lost_reason:
            raise UserError(_("Please tell us why the lead was lost."))
        note = self._prm_checked_text(note, _("The note"))
        now = fields.Datetime.now()
        vals = {}
        if action:
            vals["prm_dealer_state"] = "accepted" if action == "accept" else "declined"
        if (action == "decline" or reaction) and not self.prm_first_response_date:
            vals["prm_first_response_date"] = now
        if reaction and not self.prm_first_reaction:
            vals["prm_first_reaction"] = reaction
        if reaction == "lost":
            vals["prm_lost_reason"] = lost_reason
        lines = [line for line in (note, reaction == "lost" and lost_reason) if line]
        if lines or reaction:
            # Stored as data (UTC time, selection keys), rendered for each
            # reader by _compute_prm_dealer_note.
            entries = self._prm_dealer_log_entries()
            entries.append({
                "date": now, "state": vals.get("prm_dealer_state"),
                "reaction": reaction, "text": " – ".join(lines),
                "dealer_id": self.partner_assigned_id.id})
            vals["prm_dealer_log"] = json.dumps(entries, ensure_ascii=False)
        self.write(vals)
        if reaction == "lost":
            self.action_set_lost()
        return True
