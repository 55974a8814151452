import datetime

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..lib import lead_deadlines, lead_routing

#: German states (ISO 3166-2:DE without "DE-") as the ``holidays`` package
#: names them; Odoo 11 has no res.country.state records for Germany.
GERMAN_STATES = [
    ("BW", "Baden-Württemberg"), ("BY", "Bayern"), ("BE", "Berlin"),
    ("BB", "Brandenburg"), ("HB", "Bremen"), ("HH", "Hamburg"),
    ("HE", "Hessen"), ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"), ("NW", "Nordrhein-Westfalen"),
    ("RP", "Rheinland-Pfalz"), ("SL", "Saarland"), ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"), ("SH", "Schleswig-Holstein"), ("TH", "Thüringen"),
]
DEFAULT_TZ = "Europe/Berlin"


class PrmProductLine(models.Model):
    """A product line a dealer carries (routing by product line)."""

    _name = "prm.product.line"
    _description = "Product line"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The product line code must be unique."),
    ]


class PrmRoutingRule(models.Model):
    """One routing rule; the first rule (by sequence) that matches a new
    lead and leaves an eligible dealer routes it (``lib/lead_routing``)."""

    _name = "prm.routing.rule"
    _description = "Lead routing rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    zip_prefixes = fields.Char(
        string="Postcode prefixes",
        help="The lead's postcode starts with one of these (comma separated, "
             "e.g. 80, 81). Empty: any postcode.")
    touchpoint_ids = fields.Many2many(
        "prm.touchpoint", string="Touchpoints",
        help="Only leads from these touchpoints. Empty: all touchpoints.")
    territory_ids = fields.Many2many(
        "prm.territory", string="Territories",
        help="Only dealers of these territories and their areas. Empty: all.")
    tier_ids = fields.Many2many(
        "prm.tier", string="Tiers", help="Only dealers of these tiers. Empty: all.")
    match_product_line = fields.Boolean(
        string="Dealer carries the product line",
        help="Only dealers carrying the lead's product line.")
    zip_digits = fields.Integer(
        string="Same postcode area (digits)", default=0,
        help="Only dealers whose postcode starts with the same digits as the "
             "lead's (e.g. 2: same postcode region). 0: off.")
    method = fields.Selection([
        ("round_robin", "Round robin"),
        ("weighted", "Weighted by capacity and acceptance rate"),
    ], required=True, default="round_robin")

    @api.constrains("zip_prefixes", "zip_digits")
    def _check_zip(self):
        for rule in self:
            try:
                lead_routing.parse_prefixes(rule.zip_prefixes)
            except ValueError as error:
                raise ValidationError(_(
                    "Postcode prefixes are digits separated by commas: %s") % error)
            if not 0 <= rule.zip_digits <= 5:
                raise ValidationError(_(
                    "The postcode area has between 0 and 5 digits."))

    def _prm_rule_dicts(self):
        """The active rules as ``lib/lead_routing`` rule dicts, in order."""
        Territory = self.env["prm.territory"]
        result = []
        for rule in self.search([]):
            territories = set(Territory.search(
                [("id", "child_of", rule.territory_ids.ids)]).ids) \
                if rule.territory_ids else set()
            result.append({
                "id": rule.id,
                "zip_prefixes": lead_routing.parse_prefixes(rule.zip_prefixes),
                "touchpoint_ids": set(rule.touchpoint_ids.ids),
                "territory_ids": territories,
                "tier_ids": set(rule.tier_ids.ids),
                "match_product_line": rule.match_product_line,
                "zip_digits": rule.zip_digits,
                "method": rule.method,
            })
        return result


class PrmLeadRouting(models.Model):
    """One forwarding of a lead to a dealer and how it ended.

    The basis of acceptance rate and recall count (per dealer, territory,
    touchpoint): a lead recalled from one dealer and routed to the next is
    two rows, one per dealer.
    """

    _name = "prm.lead.routing"
    _description = "Lead forwarding"
    _order = "forwarded_date desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade",
                              index=True, string="Lead")
    dealer_id = fields.Many2one("res.partner", required=True, index=True,
                                string="Dealer")
    territory_id = fields.Many2one("prm.territory", index=True,
                                   string="Territory")
    touchpoint_id = fields.Many2one("prm.touchpoint", index=True,
                                    string="Touchpoint")
    rule_id = fields.Many2one("prm.routing.rule", string="Routing rule",
                              ondelete="set null",
                              help="Empty: forwarded by hand.")
    forwarded_date = fields.Datetime(required=True, string="Forwarded on")
    decided_date = fields.Datetime(string="Decided on")
    outcome = fields.Selection([
        ("pending", "Awaiting dealer"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
        ("recalled", "Recalled"),
        ("withdrawn", "Forwarded elsewhere"),
    ], required=True, default="pending", index=True)
    forwarded_count = fields.Integer(default=1, string="Forwardings",
                                     group_operator="sum")

    @api.model
    def _prm_routing_statistics(self, domain, groupby=None):
        """Acceptance figures of the forwardings in ``domain``.

        ``{group id or False: {"forwarded", "accepted", "declined",
        "recalled", "acceptance_rate"}}`` grouped by ``dealer_id``,
        ``territory_id`` or ``touchpoint_id`` (None: all together). The rate
        (0..1 or None) is ``lib/lead_routing.acceptance_rate``: accepted over
        decided (accepted, declined, recalled); pending and forwardings
        handed elsewhere by head office are not decided. Record rules of the
        current user apply. ValueError for another ``groupby``.
        """
        if groupby not in (None, "dealer_id", "territory_id", "touchpoint_id"):
            raise ValueError("cannot group routing statistics by %r" % groupby)
        groups = self.read_group(
            list(domain),
            ["forwarded_count", "outcome"] + ([groupby] if groupby else []),
            [groupby, "outcome"] if groupby else ["outcome"], lazy=False)
        result = {}
        for group in groups:
            key = False
            if groupby and group[groupby]:
                key = group[groupby][0]
            row = result.setdefault(key, {
                "forwarded": 0, "accepted": 0, "declined": 0, "recalled": 0})
            row["forwarded"] += group["__count"]
            if group["outcome"] in row:
                row[group["outcome"]] += group["__count"]
        for row in result.values():
            row["acceptance_rate"] = lead_routing.acceptance_rate(
                row["accepted"], row["accepted"] + row["declined"] + row["recalled"])
        return result


class ResourceCalendar(models.Model):
    """Business hours of dealers, with the public holidays of a German state
    as global leaves (``action_prm_fill_holidays``)."""

    _inherit = "resource.calendar"

    prm_holiday_state = fields.Selection(
        GERMAN_STATES, string="Public holidays of",
        help="The German state whose public holidays are closed days of "
             "this calendar (filled from the 'holidays' library).")
    prm_tz = fields.Char(string="Time zone of the hours", default=DEFAULT_TZ)

    @api.constrains("prm_tz")
    def _check_prm_tz(self):
        import pytz
        for calendar in self:
            if calendar.prm_tz and calendar.prm_tz not in pytz.all_timezones_set:
                raise ValidationError(_("Unknown time zone: %s") % calendar.prm_tz)

    def action_prm_fill_holidays(self, years=None):
        """Create the missing public holidays of ``years`` (default: this
        and next year) as global leaves, local midnight to midnight in the
        calendar's time zone; existing ones (same start) are kept. Only
        for users who may change the calendars (head office)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        this_year = fields.Date.from_string(fields.Date.today()).year
        years = years if isinstance(years, (list, tuple)) else None
        years = [year for year in (years or [this_year, this_year + 1])
                 if isinstance(year, int) and abs(year - this_year) <= 10][:10]
        Leave = self.env["resource.calendar.leaves"]
        for calendar in self.filtered("prm_holiday_state"):
            tz = calendar.prm_tz or DEFAULT_TZ
            existing = set(Leave.search([
                ("calendar_id", "=", calendar.id),
                ("resource_id", "=", False)]).mapped("date_from"))
            for day, name in lead_deadlines.state_holidays(
                    calendar.prm_holiday_state, years):
                start, end = lead_deadlines.local_day_in_utc(day, tz)
                start = fields.Datetime.to_string(start)
                if start in existing:
                    continue
                Leave.create({
                    "name": name, "calendar_id": calendar.id, "tz": tz,
                    "date_from": start,
                    # the leave's last second (Odoo's leaves are inclusive)
                    "date_to": fields.Datetime.to_string(
                        end - datetime.timedelta(seconds=1)),
                })
        return True

    @api.model
    def _prm_cron_fill_holidays(self):
        """Yearly cron: holidays of this and next year for every calendar
        with a holiday state."""
        self.search([("prm_holiday_state", "!=", False)]).action_prm_fill_holidays()

    def _prm_plan(self, start, hours_list):
        """``start`` (naive UTC datetime) plus each of ``hours_list`` business
        hours of this calendar, holidays excluded: a list of naive UTC
        datetimes in the same order (``start`` for hours <= 0). One
        scheduling for the longest span, the others read off its intervals.
        """
        self.ensure_one()
        longest = max([hours for hours in hours_list] + [0])
        intervals = []
        if longest > 0:
            intervals = self.with_context(
                tz=self.prm_tz or DEFAULT_TZ)._schedule_hours(
                    longest, start, compute_leaves=True)
        # Odoo 11's plan_hours ends with an empty interval at the next
        # working day's start when the hours end exactly with a working
        # interval (17:00 becomes 8:00 the next day): ignore empty ones.
        spans = [(interval[0], interval[1]) for interval in intervals
                 if interval[1] > interval[0]]
        return [lead_deadlines.after_business_hours(start, spans, hours)
                for hours in hours_list]
