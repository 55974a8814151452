"""The audience of documents and news (``lib/audience.py`` decides).

``prm_audience_dealer_id`` is a search-only field: the record rules of the
models name it (``[('prm_audience_dealer_id', '=', dealer id)]``) and its
search method asks the lib rule at the time of each query. Odoo caches a
rule's *domain* per user; the ids it stands for are computed on every
search, so an item that ends its validity today is gone today.

The field answers only about a dealer the caller may know about
(``_prm_audience_dealer``): the record rules are evaluated as superuser and
pass the user's own dealer; a portal or public user's own search may name
only the user's own company, an internal user's only a partner the user may
read. Otherwise "which items address dealer X" would tell a dealer the
tier, status, region and tags of every competitor.
"""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner_portal.lib.dealer_figures import network_today

from ..lib import audience


class PrmAudienceMixin(models.AbstractModel):
    _name = "prm.audience.mixin"
    _description = "Published to an audience of dealers"

    published = fields.Boolean(
        default=False, index=True, copy=False,
        help="Only published items reach dealers.")
    publish_date = fields.Datetime(
        string="Published on", readonly=True, copy=False)
    date_from = fields.Date(string="Valid from")
    date_to = fields.Date(string="Valid until")
    tier_ids = fields.Many2many("prm.tier", string="Tiers")
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="States")
    territory_ids = fields.Many2many(
        "prm.territory", string="Territories",
        help="A territory includes its sub-areas.")
    category_ids = fields.Many2many("res.partner.category", string="Dealer tags")
    prm_audience_dealer_id = fields.Many2one(
        "res.partner", string="Addressed dealer", compute="_compute_audience_dealer",
        search="_search_audience_dealer",
        help="Search only: the items that address this dealer today.")
    prm_is_unread = fields.Boolean(
        string="Unread", compute="_compute_prm_is_unread")
    prm_announce_pending = fields.Boolean(
        string="Announcement pending", readonly=True, copy=False,
        help="Published before its first valid day: the addressed users are "
             "told when that day begins in Europe/Berlin (daily cron).")

    @api.constrains("date_from", "date_to")
    def _check_validity(self):
        for item in self:
            if item.date_from and item.date_to and item.date_from > item.date_to:
                raise ValidationError(
                    _("The validity must end on or after its first day."))

    def _compute_audience_dealer(self):
        for item in self:
            item.prm_audience_dealer_id = False

    # -- the rule's facts ------------------------------------------------
    @api.model
    def _prm_today(self, now=None):
        """Today (a ``date``) in the network's time zone Europe/Berlin
        (``dealer_figures.network_today``), never the caller's: the
        context's ``tz`` and the user's own time zone are the caller's to
        choose and must not move a validity day (nor fail on an unknown
        zone). ``now``: a naive UTC ``datetime`` instead of the clock."""
        return network_today(now)

    @api.model
    def _prm_dealer_facts(self, dealer):
        """``audience.Dealer`` of a res.partner, or None if it is no dealer
        taking part in the programme (``res.partner._prm_takes_part``: a
        prospect, suspended or terminated dealer is addressed by nothing)."""
        # sudo: facts of one dealer for the rule; nothing is returned
        # to the caller but the ids of items that address the dealer.
        dealer = dealer.sudo().commercial_partner_id
        if not dealer._prm_takes_part():
            return None
        territories, territory = [], dealer.prm_territory_id
        while territory:
            territories.append(territory.id)
            territory = territory.parent_id
        return audience.Dealer(
            tier_id=dealer.prm_tier_id.id or None,
            country_id=dealer.country_id.id or None,
            state_id=dealer.state_id.id or None,
            territory_ids=frozenset(territories),
            tag_ids=frozenset(dealer.category_id.ids))

    def _prm_item_facts(self):
        """Mapping id -> ``audience.Item`` of the records (read as sudo)."""
        result = {}
        for item in self.sudo():
            result[item.id] = audience.Item(
                published=item.published,
                date_from=fields.Date.from_string(item.date_from),
                date_to=fields.Date.from_string(item.date_to),
                tier_ids=frozenset(item.tier_ids.ids),
                country_ids=frozenset(item.country_ids.ids),
                state_ids=frozenset(item.state_ids.ids),
                territory_ids=frozenset(item.territory_ids.ids),
                tag_ids=frozenset(item.category_ids.ids))
        return result

    @api.model
    def _prm_addressed_ids(self, dealer, today=None):
        """Ids of the items of this model that address ``dealer`` (a
        res.partner) on ``today`` (default: today)."""
        facts = self._prm_dealer_facts(dealer)
        if facts is None:
            return []
        # sudo: all published items are weighed by the one rule; only the
        # ids it accepts leave this method.
        items = self.sudo().with_context(active_test=False).search(
            [("published", "=", True)])
        return audience.addressed_ids(
            items._prm_item_facts(), facts, today or self._prm_today())

    @api.model
    def _prm_audience_dealer(self, value):
        """The res.partner a ``prm_audience_dealer_id = value`` leaf may ask
        about, or an empty recordset (the leaf then addresses nothing).

        ``value``: a partner id (anything else: empty). The system (the
        record rules are evaluated as superuser with the user's own dealer)
        asks about any dealer; a portal or public user only about the own
        commercial partner; an internal user only about a partner the user
        may read (a territory manager: the own region's dealers)."""
        Partner = self.env["res.partner"]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            return Partner
        if self.env.uid == SUPERUSER_ID:
            return Partner.browse(value)
        user = self.env.user
        if user.share:
            own = user.commercial_partner_id
            return own if own.id == value else Partner
        return Partner.with_context(active_test=False).search(
            [("id", "=", value)], limit=1)

    def _search_audience_dealer(self, operator, value):
        dealer = self._prm_audience_dealer(value) if operator == "=" else None
        if not dealer:
            return [("id", "=", 0)]
        ids = self._prm_addressed_ids(dealer)
        return [("id", "in", ids or [0])]

    # -- unread markers ---------------------------------------------------
    def _prm_marker_model(self):
        """(model, field) of the rows that mark an item read by a user."""
        raise NotImplementedError

    def _compute_prm_is_unread(self):
        model, field = self._prm_marker_model()
        # sudo: the current user's own marker rows only.
        rows = self.env[model].sudo().search([
            ("user_id", "=", self.env.uid), (field, "in", self.ids)])
        seen = set(rows.mapped(field).ids)
        for item in self:
            item.prm_is_unread = item.id not in seen

    def _prm_mark_read(self):
        """Record that the current user read (news) or downloaded (documents)
        the items: one row per call, with the user's dealer company."""
        model, field = self._prm_marker_model()
        # sudo: dealers have no rights on marker rows; the caller has just
        # read the item as the user (routes search as the user first).
        Marker = self.env[model].sudo()
        for item in self:
            Marker.create({field: item.id, "user_id": self.env.uid,
                           "dealer_id": self.env.user.commercial_partner_id.id})

    def _prm_mail_lines(self, user):
        """The items as mail lines in ``user``'s language:
        ``[{"title": str, "url": str}]`` (absolute portal links)."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return [{"title": item.with_context(lang=user.lang).sudo().name,
                 "url": "%s%s" % (base_url, item._prm_portal_path())}
                for item in self]

    def _prm_portal_path(self):
        """Path of the item's portal page (``/my/...``)."""
        raise NotImplementedError

    # -- publishing --------------------------------------------------------
    def action_publish(self):
        """Publish the items (head office and marketing: write access) and
        tell the addressed users about the newly published ones only."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        new = self.filtered(lambda item: not item.published)
        new.write({"published": True, "publish_date": fields.Datetime.now()})
        if new:
            self.env["res.users"]._prm_notify_published(new)
        # valid from a later day: announced by the cron on that day
        today = self._prm_today()
        new.filtered(lambda item: item.date_from and fields.Date.from_string(
            item.date_from) > today).write({"prm_announce_pending": True})
        return True

    @api.model
    def _prm_take_due(self, today):
        """The items published before their first valid day whose day
        (``today``, a date) has come; they are no longer pending, so each
        is announced once. The caller announces them."""
        # sudo: the system (cron) looks at every pending item; the users
        # learn only of items the audience rule gives their dealer today.
        pending = self.sudo().search([("prm_announce_pending", "=", True),
                                      ("published", "=", True)])
        due = pending.filtered(lambda item: not item.date_from or
                               fields.Date.from_string(item.date_from) <= today)
        due.write({"prm_announce_pending": False})
        return due

    def action_unpublish(self):
        self.check_access_rights("write")
        self.write({"published": False})
        return True
