from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..glue import translated
from ..lib import dealer_figures, programme
from ..lib import targets as target_logic
from .group_measures import RAW as RAW_READ_GROUP

#: Fields of a partner linked to a user (portal or internal) that only head
#: office and the user themself may change: the sign-in/notification address
#: and number, the name shown as sender, and the company the user belongs to
#: (``parent_id``/``is_company`` move the user into another dealer's scope).
USER_PARTNER_FIELDS = frozenset({
    "name", "email", "mobile", "phone", "parent_id", "is_company", "active",
    "user_ids", "prm_is_dealer"})
#: Fields of a dealer that decide the network's structure and every record
#: rule (territory -> territory manager): head office only.
DEALER_FIELDS = frozenset({
    "prm_is_dealer", "prm_state", "prm_tier_id", "prm_territory_id"})
#: Who reads the relationship figures of a dealer as fields (dealer form,
#: start page): internal users, with their own rights. Portal users read
#: their company's figures only on the scorecard (/my/scorecard and its
#: print), computed under the scorecard's own access check; as fields they
#: were computed with the portal rights and read 0 where those do not reach
#: (a director's warranty claims, a bookkeeper's feedback and attainment;
#: outside review 9): refused instead.
STAFF = "base.group_user"
#: Fields whose change can make a contact's company stop taking part in the
#: programme (status, dealer flag, the company a contact belongs to): its
#: dealer exchange memberships are checked again after such a write.
EXCHANGE_MEMBER_FIELDS = frozenset({
    "prm_is_dealer", "prm_state", "parent_id", "is_company"})


class ResPartner(models.Model):
    """Network dealers are companies flagged ``prm_is_dealer``.

    Contacts of a dealer belong to it through ``commercial_partner_id``; all
    record rules and portal routes use that field.
    """

    _inherit = "res.partner"

    prm_is_dealer = fields.Boolean(
        string="Network dealer", index=True, track_visibility="onchange")
    prm_state = fields.Selection([
        ("prospect", "Prospect"),
        ("active", "Active"),
        ("suspended", "Suspended"),
        ("terminated", "Terminated"),
    ], string="PRM status", default="prospect", index=True,
        track_visibility="onchange")
    prm_tier_id = fields.Many2one(
        "prm.tier", string="Tier", index=True, track_visibility="onchange")
    prm_territory_id = fields.Many2one(
        "prm.territory", string="Territory", index=True,
        track_visibility="onchange")
    prm_territory_manager_id = fields.Many2one(
        related="prm_territory_id.manager_id", string="Territory manager",
        readonly=True)
    prm_partner_since = fields.Date(string="Partner since")
    prm_contract_date = fields.Date(string="Contract date")
    prm_employee_count = fields.Integer(string="Employees")
    prm_floor_space = fields.Float(string="Floor space (m²)")
    prm_size_class = fields.Selection([
        ("small", "Small (< 10 employees)"),
        ("medium", "Medium (10–49 employees)"),
        ("large", "Large (50+ employees)"),
    ], string="Size class", compute="_compute_prm_size_class", store=True,
        index=True)
    prm_target_ids = fields.One2many("prm.target", "partner_id", string="Targets")

    # Relationship summary, computed in batches (one grouped query per source)
    # with the reader's rights: staff only (``STAFF``).
    prm_claim_count = fields.Integer(
        string="Warranty claims", compute="_compute_prm_relationship", groups=STAFF)
    prm_claim_open_count = fields.Integer(
        string="Open warranty claims",
        compute="_compute_prm_relationship", groups=STAFF)
    prm_activity_count = fields.Integer(
        string="Open activities", compute="_compute_prm_relationship", groups=STAFF)
    prm_last_contact_date = fields.Datetime(
        string="Last contact", compute="_compute_prm_relationship", groups=STAFF)
    prm_lead_count = fields.Integer(
        string="Forwarded leads", compute="_compute_prm_relationship", groups=STAFF)
    prm_lead_open_count = fields.Integer(
        string="Leads awaiting reaction",
        compute="_compute_prm_relationship", groups=STAFF)
    # response and feedback figures: the last 12 months (lib/dealer_figures)
    prm_avg_response_hours = fields.Float(
        string="Average first response, last 12 months (h)",
        compute="_compute_prm_relationship", groups=STAFF)
    prm_response_median_hours = fields.Float(
        string="Median first response, last 12 months (h)",
        compute="_compute_prm_relationship", groups=STAFF)
    prm_response_p90_hours = fields.Float(
        string="90th percentile first response, last 12 months (h)",
        compute="_compute_prm_relationship", groups=STAFF)
    prm_response_within_target = fields.Float(
        string="Answered within target, last 12 months (%)",
        compute="_compute_prm_relationship", groups=STAFF,
        help="Share of the answered leads forwarded in the last 12 months "
             "that were answered within their touchpoint's target response "
             "time (the tier criterion of the same name).")
    prm_feedback_rating = fields.Float(
        string="Customer satisfaction, last 12 months (1–5)",
        compute="_compute_prm_relationship", groups=STAFF,
        help="Average rating of the customer feedback answered in the last "
             "12 months, one decimal (the tier criterion of the same name).")
    prm_feedback_count = fields.Integer(
        string="Customer ratings, last 12 months",
        compute="_compute_prm_relationship", groups=STAFF)
    prm_receivable_open = fields.Float(
        string="Open receivables", compute="_compute_prm_relationship", groups=STAFF)
    prm_receivable_overdue = fields.Float(
        string="Overdue receivables", compute="_compute_prm_relationship", groups=STAFF)
    prm_has_accounting = fields.Boolean(
        compute="_compute_prm_relationship", groups=STAFF)
    prm_target_attainment = fields.Float(
        string="Revenue attainment, last period (%)",
        compute="_compute_prm_relationship", groups=STAFF)

    def _prm_takes_part(self):
        """True when the commercial partner of this one partner (or of an
        empty recordset: False) takes part in the partner programme
        (``lib.programme.takes_part``: a dealer with status "active")."""
        if not self:
            return False
        self.ensure_one()
        # sudo: two fields of the own (or the asked-about) company are read
        # to apply the rule; nothing else is returned
        dealer = self.sudo().commercial_partner_id
        return programme.takes_part(dealer.prm_is_dealer, dealer.prm_state)

    def _prm_check_takes_part(self):
        """Raise UserError (translated ``NotInProgramme``) unless
        ``_prm_takes_part``."""
        if not self._prm_takes_part():
            raise UserError(translated(programme.NotInProgramme(), self.env))

    def _prm_exchange_outsiders(self):
        """The partners among ``self`` that may not be members of a dealer
        exchange (``lib.programme.may_join_exchange``): not the partner of
        an internal user, and their company does not take part in the
        programme. Returns a res.partner recordset (``self``'s env)."""
        outsiders = self.browse()
        # sudo: the users and the company of each partner decide the rule
        # (a portal user can read neither); only the partners are returned
        for partner in self.sudo().with_context(active_test=False):
            company = partner.commercial_partner_id
            is_employee = any(not user.share for user in partner.user_ids)
            if not programme.may_join_exchange(
                    is_employee, company.prm_is_dealer, company.prm_state):
                outsiders |= self.browse(partner.id)
        return outsiders

    @api.model
    def _prm_exchange_enforce(self):
        """Remove every dealer exchange membership that breaks the rule
        (``_prm_leave_exchanges`` of all members). Run on install/update
        (``data/exchange_membership_data.xml``) for memberships made before
        the rule held."""
        # sudo: every exchange's members are looked at (see
        # _prm_leave_exchanges for why removing them is safe)
        exchanges = self.env["mail.channel"].sudo().search(
            [("prm_is_exchange", "=", True)])
        members = exchanges.mapped("channel_partner_ids") | self.env[
            "mail.followers"].sudo().search([
                ("res_model", "=", "mail.channel"),
                ("res_id", "in", exchanges.ids)]).mapped("partner_id")
        members._prm_leave_exchanges()

    def _prm_leave_exchanges(self, status_changed=True):
        """Remove the contacts of these partners' companies that may not be
        members any longer from every dealer exchange channel (memberships
        and followers, who would get its messages by e-mail).

        Called after a write of ``EXCHANGE_MEMBER_FIELDS`` (head office sets a
        dealer to prospect, suspended or terminated, or moves a contact to
        another company). Posts a note on each company naming who changed
        it and which memberships went. Re-activating a dealer adds nobody
        back: membership is head office's decision per channel.
        ``status_changed``: a dealer's status or flag was written (the
        record rules' cached domains are cleared then too).
        """
        # sudo: the memberships of every contact of the companies are read
        # and removed; safe because only rows that break the exchange's rule
        # (``_prm_exchange_outsiders``) go, and only head office (or vetted
        # code) can change the fields that lead here (DEALER_FIELDS,
        # USER_PARTNER_FIELDS)
        companies = self.sudo().with_context(active_test=False).mapped(
            "commercial_partner_id")
        rows = self.env["mail.channel.partner"].sudo().with_context(
            active_test=False).search([
                ("channel_id.prm_is_exchange", "=", True),
                "|", ("partner_id", "in", self.ids),
                ("partner_id.commercial_partner_id", "in", companies.ids)])
        outsiders = rows.mapped("partner_id")._prm_exchange_outsiders()
        rows = rows.filtered(lambda row: row.partner_id in outsiders)
        # followers of an exchange get its messages by e-mail: the same rule
        followers = self.env["mail.followers"].sudo().search([
            ("res_model", "=", "mail.channel"),
            ("res_id", "in", self.env["mail.channel"].sudo().search(
                [("prm_is_exchange", "=", True)]).ids),
            "|", ("partner_id", "in", self.ids),
            ("partner_id.commercial_partner_id", "in", companies.ids)])
        followers = followers.filtered(
            lambda row: row.partner_id._prm_exchange_outsiders())
        followers.unlink()
        if status_changed or rows or followers:
            # the portal's record rule on mail.channel asks the same rule;
            # its domain is cached per user (cleared in every worker)
            self.env["ir.rule"].clear_caches()
        if not rows:
            return
        by_company = {}
        for row in rows:
            by_company.setdefault(row.partner_id.commercial_partner_id, []).append(
                "%s (%s)" % (row.partner_id.name, row.channel_id.name))
        who = html_escape(self.env.user.name)
        for company, removed in by_company.items():
            # sudo: a note on the company for head office; its text names
            # only the company's own contacts and the channels they left
            company.sudo().message_post(
                body=_("%(user)s changed the company so that it does not take "
                       "part in the partner programme: removed from the "
                       "dealer exchange: %(members)s. Re-activating the "
                       "company does not add them back.") % {
                           "user": who,
                           "members": html_escape(", ".join(sorted(removed)))},
                author_id=self.env.user.partner_id.id,
                message_type="notification", subtype="mail.mt_note")
        rows.unlink()

    @api.depends("prm_employee_count", "prm_is_dealer")
    def _compute_prm_size_class(self):
        for partner in self:
            if not partner.prm_is_dealer:
                partner.prm_size_class = False
            elif partner.prm_employee_count >= 50:
                partner.prm_size_class = "large"
            elif partner.prm_employee_count >= 10:
                partner.prm_size_class = "medium"
            else:
                partner.prm_size_class = "small"

    def _compute_prm_relationship(self):
        dealers = self.filtered("id")
        figures = dealers._prm_relationship_figures() if dealers else {}
        for partner in self:
            values = figures.get(partner.id, {})
            partner.prm_claim_count = values.get("claims", 0)
            partner.prm_claim_open_count = values.get("claims_open", 0)
            partner.prm_activity_count = values.get("activities", 0)
            partner.prm_last_contact_date = values.get("last_contact", False)
            partner.prm_lead_count = values.get("leads", 0)
            partner.prm_lead_open_count = values.get("leads_open", 0)
            partner.prm_avg_response_hours = values.get("avg_response_hours", 0.0)
            partner.prm_response_median_hours = values.get("response_median", 0.0)
            partner.prm_response_p90_hours = values.get("response_p90", 0.0)
            partner.prm_response_within_target = values.get(
                "response_within_target") or 0.0
            partner.prm_feedback_rating = values.get("feedback_rating", 0.0)
            partner.prm_feedback_count = values.get("feedback_count", 0)
            partner.prm_receivable_open = values.get("receivable_open", 0.0)
            partner.prm_receivable_overdue = values.get("receivable_overdue", 0.0)
            partner.prm_has_accounting = "account.invoice" in self.env
            partner.prm_target_attainment = values.get("attainment", 0.0)

    def _prm_relationship_figures(self):
        """Relationship figures for the dealers in ``self``, keyed by partner id.

        Every source is one grouped query over all dealers at once. Records
        are read as the current user, so record rules still decide what is
        counted.
        """
        ids = self.ids
        result = {pid: {} for pid in ids}

        def put(groups, field, key, value_key):
            for group in groups:
                if group[field]:
                    result[group[field][0]][key] = group[value_key]

        Claim = self.env["crm.claim"]
        if Claim.check_access_rights("read", raise_exception=False):
            put(Claim.read_group([("prm_dealer_id", "in", ids)], ["prm_dealer_id"],
                                 ["prm_dealer_id"]),
                "prm_dealer_id", "claims", "prm_dealer_id_count")
            put(Claim.read_group([("prm_dealer_id", "in", ids),
                                  ("date_closed", "=", False)],
                                 ["prm_dealer_id"], ["prm_dealer_id"]),
                "prm_dealer_id", "claims_open", "prm_dealer_id_count")
        Lead = self.env["crm.lead"]
        if Lead.check_access_rights("read", raise_exception=False):
            lead_domain = [("partner_assigned_id", "in", ids)]
            put(Lead.read_group(lead_domain, ["partner_assigned_id"],
                                ["partner_assigned_id"]),
                "partner_assigned_id", "leads", "partner_assigned_id_count")
            put(Lead.read_group(lead_domain + [("prm_dealer_state", "=", "pending")],
                                ["partner_assigned_id"], ["partner_assigned_id"]),
                "partner_assigned_id", "leads_open", "partner_assigned_id_count")
            for dealer_id, stats in self._prm_response_figures().items():
                result[dealer_id].update(
                    avg_response_hours=stats["average"],
                    response_median=stats["median"],
                    response_p90=stats["p90"],
                    response_within_target=stats["within_target_percent"])
        if self.env["prm.lead.feedback"].check_access_rights(
                "read", raise_exception=False):
            for dealer_id, (rating, count) in self._prm_satisfaction().items():
                result[dealer_id].update(feedback_rating=rating,
                                         feedback_count=count)
        self._prm_contact_figures(result)
        self._prm_receivable_figures(result)
        self._prm_attainment_figures(result)
        return result

    @api.model
    def _prm_window_domain(self, field, today=None):
        """Domain on the datetime ``field`` for the window of the dealer
        figures (``lib/dealer_figures.py``: the last 12 months up to the
        end of ``today``, a ``date``; default: the network's today)."""
        today = today or dealer_figures.network_today()
        return [(field, ">=", fields.Datetime.to_string(
                    dealer_figures.window_start_utc(today))),
                (field, "<", fields.Datetime.to_string(
                    dealer_figures.window_end_utc(today)))]

    def _prm_response_figures(self, today=None):
        """``crm.lead._prm_response_statistics`` of the leads forwarded to
        the dealers in ``self`` inside the window, per dealer id, with
        ``within_target_percent`` (``dealer_figures.within_target_percent``);
        read as the current user."""
        stats = self.env["crm.lead"]._prm_response_statistics(
            [("partner_assigned_id", "in", self.ids)]
            + self._prm_window_domain("prm_forwarded_date", today),
            "partner_assigned_id")
        result = {}
        for dealer_id, figures in stats.items():
            if dealer_id in self.ids:
                result[dealer_id] = dict(
                    figures, within_target_percent=dealer_figures
                    .within_target_percent(figures["within_target"],
                                           figures["count"]))
        return result

    def _prm_satisfaction(self, today=None):
        """``{dealer id: (satisfaction, count)}`` of the dealers in
        ``self`` with answered feedback in the window (the definition:
        ``dealer_figures.satisfaction``), read as the current user."""
        result = {}
        for group in self.env["prm.lead.feedback"].read_group(
                [("partner_id", "in", self.ids), ("state", "=", "answered")]
                + self._prm_window_domain("answered_on", today),
                ["partner_id", "rating"], ["partner_id"]):
            count = group["partner_id_count"]
            if group["partner_id"] and count:
                # read_group averages (group_operator avg): back to the sum
                result[group["partner_id"][0]] = (dealer_figures.satisfaction(
                    group["rating"] * count, count), count)
        return result

    def _prm_contact_figures(self, result):
        """Open activities and the last e-mail/comment on a dealer or its contacts."""
        if not self.ids:
            return
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, MAX(m.date)
              FROM mail_message m
              JOIN res_partner p ON p.id = m.res_id
             WHERE m.model = 'res.partner'
               AND m.message_type IN ('email', 'comment')
               AND p.commercial_partner_id IN %s
          GROUP BY p.commercial_partner_id
        """, [tuple(self.ids)])
        for partner_id, last_date in self.env.cr.fetchall():
            result[partner_id]["last_contact"] = last_date
        self.env.cr.execute("""
            SELECT p.commercial_partner_id, COUNT(*)
              FROM mail_activity a
              JOIN res_partner p ON p.id = a.res_id
             WHERE a.res_model = 'res.partner'
               AND p.commercial_partner_id IN %s
          GROUP BY p.commercial_partner_id
        """, [tuple(self.ids)])
        for partner_id, count in self.env.cr.fetchall():
            result[partner_id]["activities"] = count

    def _prm_receivable_figures(self, result):
        """Open and overdue customer invoices, only when accounting is installed."""
        if "account.invoice" not in self.env:
            return
        Invoice = self.env["account.invoice"]
        if not Invoice.check_access_rights("read", raise_exception=False):
            return
        base = [("commercial_partner_id", "in", self.ids),
                ("type", "=", "out_invoice"), ("state", "=", "open")]
        for key, domain in (
                ("receivable_open", base),
                ("receivable_overdue", base + [
                    ("date_due", "<", fields.Date.context_today(self))])):
            for group in Invoice.read_group(
                    domain, ["commercial_partner_id", "residual_signed"],
                    ["commercial_partner_id"]):
                result[group["commercial_partner_id"][0]][key] = \
                    group["residual_signed"]

    def _prm_attainment_figures(self, result):
        """Revenue attainment of each dealer's latest period with targets."""
        Target = self.env["prm.target"]
        if not Target.check_access_rights("read", raise_exception=False):
            return
        metric = self.env.ref(
            "prm_partner_portal.metric_revenue", raise_if_not_found=False)
        if not metric:
            return
        today = fields.Date.context_today(self)
        # one additive metric per dealer and day: Odoo's plain sums
        groups = Target.with_context(**{RAW_READ_GROUP: True}).read_group(
            [("partner_id", "in", self.ids), ("metric_id", "=", metric.id),
             ("date_end", "<", today)],
            ["partner_id", "date_end", "target_value", "actual_value"],
            ["partner_id", "date_end:day"], lazy=False,
            orderby="date_end desc")
        for group in groups:
            entry = result[group["partner_id"][0]]
            if "attainment" in entry:
                continue  # groups come newest first; keep the latest period
            # the formula of prm.target.attainment (the scorecard's cells)
            percent = target_logic.attainment_percent(
                group["target_value"], group["actual_value"])
            if percent is not None:
                entry["attainment"] = percent

    @api.multi
    def write(self, vals):
        self._prm_check_protected_fields(vals)
        result = super().write(vals)
        if EXCHANGE_MEMBER_FIELDS.intersection(vals):
            self._prm_leave_exchanges(
                status_changed=bool({"prm_state", "prm_is_dealer"} & set(vals)))
        return result

    def _prm_check_protected_fields(self, vals):
        """Refuse changes of protected fields by supplier-side roles.

        ``vals`` is the dict given to ``write``. Raises a translated
        ``AccessError`` when a user who is not head office changes a field of
        ``USER_PARTNER_FIELDS`` on a partner linked to another user, or of
        ``DEALER_FIELDS`` on a dealer. The superuser (``sudo()`` of vetted
        code such as /my/account) and head office pass.
        """
        user_fields = USER_PARTNER_FIELDS.intersection(vals)
        dealer_fields = DEALER_FIELDS.intersection(vals)
        if not (user_fields or dealer_fields) or self.env.uid == SUPERUSER_ID:
            return
        user = self.env.user
        if user._prm_is_head_office():
            return
        # sudo: the users linked to the partners decide the check; a role
        # may not be able to read res.users (portal), the answer is a bool
        for partner in self.sudo().with_context(active_test=False):
            changed = set()
            if partner.user_ids and partner != user.partner_id:
                changed |= user_fields
            if partner.prm_is_dealer or vals.get("prm_is_dealer"):
                changed |= dealer_fields
            changed = {name for name in changed
                       if partner._prm_value_changes(name, vals[name])}
            if changed:
                # the labels in the message's language: a call without a
                # language in its context (XML-RPC, /jsonrpc) gets the
                # message in the user's language (Odoo's ``_``) and would
                # get English labels from the context
                env = self.env if self.env.lang else self.with_context(
                    lang=self.env.user.lang).env
                raise AccessError(_(
                    "Only head office may change %(fields)s of %(partner)s "
                    "(a contact with a login or a network dealer).") % {
                        "fields": ", ".join(sorted(
                            self._fields[name].get_description(env)["string"]
                            for name in changed)),
                        "partner": partner.display_name})

    def _prm_value_changes(self, name, value):
        """False when writing ``value`` to field ``name`` keeps it as it is.

        The web client and core code write unchanged values back (e.g. the
        name with the address); those are no changes.
        """
        field = self._fields[name]
        if field.type == "many2one":
            return (self[name].id or False) != (
                value.id if isinstance(value, models.BaseModel) else value or False)
        if field.type in ("one2many", "many2many"):
            return True
        return (self[name] or False) != (value or False)

    def action_prm_view_claims(self):
        self.ensure_one()
        action = self.env.ref("crm_claim.crm_claim_category_claim0").read()[0]
        action["domain"] = [("prm_dealer_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_prm_view_leads(self):
        self.ensure_one()
        action = self.env.ref("crm.crm_lead_all_leads").read()[0]
        action["domain"] = [("partner_assigned_id", "=", self.id)]
        action["context"] = {"default_partner_assigned_id": self.id}
        return action

    def action_prm_view_targets(self):
        self.ensure_one()
        action = self.env.ref("prm_partner_portal.action_prm_target").read()[0]
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_prm_view_activities(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window", "res_model": "mail.activity",
            "view_mode": "tree,form", "name": _("Activities"),
        }
        contacts = self.search([("commercial_partner_id", "=", self.id)])
        action["domain"] = [("res_model", "=", "res.partner"),
                            ("res_id", "in", contacts.ids)]
        return action

    def action_prm_create_portal_user(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.portal.user.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dealer_id": self.id},
        }
