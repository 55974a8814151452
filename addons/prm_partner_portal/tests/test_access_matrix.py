"""Every role × every model of prm_partner_portal through the ORM.

Cells: read, write, create, unlink — upper case on the own and a foreign
dealer's record, lower case on the own dealer's only, ``-`` refused (see
``access_matrix.py``). Roles are prm_demo's users: manager = prm.manager (head
office), tm = tm.nord (territory manager), recv/mkt/warr = receivables,
marketing, warranty, user = an internal user without PRM role, dir/book =
director01/bookkeeper01 (portal), public = the website's public user.
"""
from odoo import fields
from odoo.exceptions import AccessError

from .access_matrix import AccessMatrixCase, Probe

# Why the cells are what they are:
# - Configuration (tiers, territories, touchpoints, metrics) is readable by
#   every internal user (lists, filters, the relationship view); directors
#   read touchpoints and metrics (their leads and targets show them), not
#   tiers or territories (those are head office's view of the network).
#   Only head office changes configuration.
# - Targets: a territory manager plans the targets of the own region (rwcu
#   there), receivables/marketing/warranty read all, a director reads the
#   own company's. A bookkeeper has the figures entry only.
# - Dealer contacts (res.partner): a territory manager works only the own
#   region; internal users keep core Odoo's partner rights; portal users read
#   their own company (core portal rule) and change nothing through the ORM.
# - Leads: territory managers and marketing create and forward leads
#   (marketing network-wide, tm in the own region); receivables and warranty
#   read all; a director reads the leads forwarded to the own company and
#   reacts through the portal form only (no ORM write).
# - Claims: warranty works all claims (no deletion: audit), receivables read
#   all, a territory manager works the own region's.
# - Feedback: its token is the only key of a public link, so only head
#   office changes feedback; everybody who sees the dealer reads the rating.
# - Exchange: channels are private; members read them. Portal users cannot
#   join, leave, or change memberships or messages; head office moderates.
# - Claims are changed by warranty, territory managers and head office only;
#   marketing reads them (core's claim rights come with "all leads").
# - Followers (who follows which record): internal users as in core, a
#   territory manager only rows of partners of the own region; portal users
#   read and tune only their own rows and never create one by RPC (that
#   would subscribe them to any document's messages by e-mail).
# - Tracking values (old/new field values): administrators only, as in
#   core; the chatter formatting hides them from portal users too
#   (test_chatter_scope.py).
# - Wizards are transient: everybody creates and sees only their own; the
#   actions themselves check the role (see test_wizard_actions_check_role).
EXPECTED = """
model                   manager tm    recv  mkt   warr  user  dir   book  public
prm.tier                RWCU    R---  R---  R---  R---  R---  R---  R---  ----
prm.territory           RWCU    R---  R---  R---  R---  R---  ----  ----  ----
prm.touchpoint          RWCU    R---  R---  R---  R---  R---  R---  ----  ----
prm.target.metric       RWCU    R---  R---  R---  R---  R---  R---  ----  ----
prm.target              RWCU    rwcu  R---  R---  R---  ----  r---  ----  ----
prm.lead.feedback       RWCU    r---  R---  R---  R---  ----  r---  ----  ----
res.partner             RWC-    rwc-  R---  RWC-  R---  R---  r---  r---  ----
crm.lead                RWCU    rwc-  R---  RWC-  R---  ----  r---  ----  ----
crm.claim               RWCU    rw--  R---  R---  RWC-  ----  ----  ----  ----
mail.channel            RWCU    r---  ----  ----  ----  ----  r---  ----  ----
mail.channel.partner    RWCU    r---  R---  R---  R---  R---  rw--  ----  ----
mail.message            RWCU    r-c-  ----  ----  ----  ----  r-c-  ----  ----
mail.followers          R-C-    r-c-  R-C-  R-C-  R-C-  R-C-  rw--  ----  ----
mail.tracking.value     ----    ----  ----  ----  ----  ----  ----  ----  ----
prm.portal.user.wizard  rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu
prm.response.overview   rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu
"""


def tm_of(dealer):
    territory = dealer.prm_territory_id
    while territory and not territory.manager_id:
        territory = territory.parent_id
    return territory.manager_id


def channel_values(case, dealer, members=True):
    """A private exchange channel of the dealer's director and region manager."""
    partners = []
    if members:
        partners = [case.director_of(dealer).partner_id.id,
                    tm_of(dealer).partner_id.id]
    return {"name": "Matrix exchange %s" % dealer.name, "public": "private",
            "email_send": False, "prm_is_exchange": True,
            "channel_partner_ids": [(4, pid) for pid in partners]}


def exchange_channel(case, dealer, members=True):
    return case.env["mail.channel"].create(
        channel_values(case, dealer, members))


def lead_values(case, dealer):
    return {"name": "Matrix lead", "partner_assigned_id": dealer.id,
            "prm_forwarded_date": fields.Datetime.now(),
            "prm_dealer_state": "pending", "type": "opportunity"}


def feedback_values(case, dealer):
    lead = case.env["crm.lead"].create(lead_values(case, dealer))
    return {"lead_id": lead.id, "email": "matrix@customer.example"}


def membership_values(case, dealer):
    channel = exchange_channel(case, dealer, members=False)
    return {"channel_id": channel.id,
            "partner_id": case.director_of(dealer).partner_id.id}


def message_values(case, dealer):
    channel = exchange_channel(case, dealer)
    return {"model": "mail.channel", "res_id": channel.id,
            "body": "<p>Matrix</p>", "message_type": "comment",
            "subtype_id": case.env.ref("mail.mt_comment").id}


def follower_values(case, dealer):
    """The dealer's director follows the dealer's partner record."""
    return {"res_model": "res.partner", "res_id": dealer.id,
            "partner_id": case.director_of(dealer).partner_id.id}


def tracking_values(case, dealer):
    message = case.env["mail.message"].create({
        "model": "res.partner", "res_id": dealer.id, "body": "Matrix",
        "message_type": "notification",
        "subtype_id": case.env.ref("mail.mt_comment").id})
    return {"mail_message_id": message.id, "field": "name", "field_desc": "Name",
            "field_type": "char", "old_value_char": "Old", "new_value_char": "New"}


def config(model, values, write=None):
    return Probe(model, lambda case, dealer: dict(values),
                 write or {"name": "Matrix renamed"}, scoped=False)


PROBES = [
    config("prm.tier", {"name": "Matrix tier", "code": "matrix-tier"}),
    config("prm.territory", {"name": "Matrix area", "code": "matrix-area"}),
    config("prm.touchpoint", {"name": "Matrix touchpoint", "code": "matrix-tp"}),
    config("prm.target.metric", {"name": "Matrix metric", "code": "matrix-m"}),
    Probe("prm.target", lambda case, dealer: {
        "partner_id": dealer.id, "date_range_id": case.quarter.id,
        "metric_id": case.env.ref("prm_partner_portal.metric_revenue").id,
        "target_value": 100.0}, {"note": "Matrix"}),
    Probe("prm.lead.feedback", feedback_values, {"comment": "Matrix"}),
    Probe("res.partner", lambda case, dealer: {
        "name": "Matrix contact", "parent_id": dealer.id, "type": "contact"},
        {"function": "Matrix"}),
    Probe("crm.lead", lead_values, {"description": "Matrix"}),
    Probe("crm.claim", lambda case, dealer: {
        "name": "Matrix claim", "partner_id": dealer.id},
        {"description": "Matrix"}),
    Probe("mail.channel", channel_values, {"description": "Matrix"}),
    Probe("mail.channel.partner", membership_values, {"fold_state": "closed"}),
    Probe("mail.message", message_values, {"body": "<p>Matrix changed</p>"}),
    Probe("mail.followers", follower_values, {"subtype_ids": [(5,)]}),
    Probe("mail.tracking.value", tracking_values, {"new_value_char": "Forged"}),
    Probe("prm.portal.user.wizard", lambda case, dealer: {
        "dealer_id": dealer.id, "name": "Matrix", "portal_class": "director",
        "email": "matrix@dealer.example"}, {"name": "Matrix renamed"}),
    # a screen only: its figures are computed as the user (record rules)
    Probe("prm.response.overview", lambda case, dealer: {}, {}),
]


class TestAccessMatrix(AccessMatrixCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quarter = cls.env["date.range"].create({
            "name": "Matrix Q1/1990", "date_start": "1990-01-01",
            "date_end": "1990-03-31",
            "type_id": cls.env.ref(
                "prm_partner_portal.date_range_type_quarter").id})

    def test_orm_access_matrix_of_partner_portal_models(self):
        self.assert_matrix(PROBES, EXPECTED)

    def test_wizard_actions_check_role(self):
        """Portal logins are created or changed by head office only."""
        def wizard(user):
            return self.env["prm.portal.user.wizard"].sudo(user).create({
                "dealer_id": self.own_dealer.id, "name": "Matrix",
                "email": "matrix.wizard@dealer.example",
                "portal_class": "director"})
        self.assertEqual(self.roles_allowed(wizard, "action_apply"), {"manager"})

    def test_lead_buttons_follow_the_lead_rules(self):
        def own_lead(user):
            return self.env["crm.lead"].create(lead_values(self, self.own_dealer))

        def foreign_lead(user):
            return self.env["crm.lead"].create(
                lead_values(self, self.foreign_dealer))
        self.assertEqual(self.roles_allowed(own_lead, "action_prm_forward"),
                         {"manager", "tm", "mkt"})
        self.assertEqual(self.roles_allowed(foreign_lead, "action_prm_forward"),
                         {"manager", "mkt"})

    def test_only_head_office_hides_exchange_messages(self):
        def message(user):
            return self.env["mail.message"].create(
                message_values(self, self.own_dealer))
        self.assertEqual(self.roles_allowed(message, "action_prm_hide"),
                         {"manager"})

    def test_portal_users_cannot_raise_their_permission_class(self):
        """A bookkeeper making itself managing director, by ORM/RPC."""
        bookkeeper = self.users["book"]
        director = self.env.ref("prm_partner_portal.group_prm_portal_director")
        for values in ({"prm_portal_class": "director"},
                       {"groups_id": [(4, director.id)]}):
            with self.rolled_back(), self.assertRaises(AccessError):
                bookkeeper.sudo(bookkeeper).write(values)
        self.assertEqual(bookkeeper.prm_portal_class, "bookkeeper")

    def test_portal_user_searches_all_messages(self):
        """An empty domain used to give portal users a server error (core bug)."""
        message = self.env["mail.message"].create(
            message_values(self, self.own_dealer))
        found = self.env["mail.message"].sudo(self.director).search([])
        self.assertIn(message, found)
        self.assertEqual(
            self.env["mail.message"].sudo(self.users["book"]).search_count([]),
            self.env["mail.message"].sudo(self.users["book"]).search_count(
                [("id", "!=", False)]))

    def test_marketing_cannot_change_warranty_claims(self):
        """Issue 14: the marketing role could ``write`` a warranty claim."""
        claim = self.env["crm.claim"].create({
            "name": "Matrix claim", "partner_id": self.own_dealer.id})
        for op in ({"description": "Marketing"}, None):
            with self.rolled_back(), self.assertRaises(AccessError):
                record = claim.sudo(self.users["mkt"])
                record.write(op) if op else record.unlink()
        with self.rolled_back(), self.assertRaises(AccessError):
            self.env["crm.claim"].sudo(self.users["mkt"]).create(
                {"name": "Marketing claim", "partner_id": self.own_dealer.id})
        claim.sudo(self.users["warr"]).write({"description": "Warranty"})
        self.assertEqual(claim.description, "Warranty")

    def test_territory_manager_reads_activities_of_own_dealers_only(self):
        """Core lets every employee read every activity (summary, note)."""
        def activity(dealer):
            return self.env["mail.activity"].create({
                "res_model_id": self.env.ref("base.model_res_partner").id,
                "res_id": dealer.id, "summary": "Matrix %s" % dealer.name,
                "user_id": self.users["manager"].id,
                "activity_type_id": self.env["mail.activity.type"].search(
                    [], limit=1).id})
        own, foreign = activity(self.own_dealer), activity(self.foreign_dealer)
        tm = self.users["tm"]
        Activity = self.env["mail.activity"].sudo(tm)
        self.assertEqual(Activity.search([("id", "in", (own | foreign).ids)]), own)
        self.assertEqual(Activity.search_count(
            [("id", "in", (own | foreign).ids)]), 1)
        own.sudo(tm).read(["summary"])
        with self.assertRaises(AccessError):
            foreign.sudo(tm).read(["summary"])
        self.assertEqual(self.env["mail.activity"].sudo(self.users["mkt"]).search(
            [("id", "in", (own | foreign).ids)]), own | foreign)

    def test_notification_rows_name_only_partners_in_scope(self):
        """Core lets every user and portal user read every notification row."""
        message = self.env["mail.message"].create({
            "model": "res.partner", "res_id": self.foreign_dealer.id,
            "body": "Matrix", "message_type": "comment",
            "subtype_id": self.env.ref("mail.mt_comment").id})
        Notification = self.env["mail.notification"]
        rows = {side: Notification.create({
            "mail_message_id": message.id, "res_partner_id": user.partner_id.id})
            for side, user in (("own", self.director),
                               ("foreign", self.foreign_director))}
        ids = [row.id for row in rows.values()]
        for role, visible in (("dir", rows["own"]), ("book", Notification),
                              ("tm", rows["own"]),
                              ("mkt", rows["own"] | rows["foreign"])):
            self.assertEqual(Notification.sudo(self.users[role]).search(
                [("id", "in", ids)]), visible.sudo(self.users[role]), role)

    def test_only_head_office_changes_logins_and_dealer_structure(self):
        """Reviewer: marketing and tm.nord could write the e-mail of a
        director's contact (the sign-in notice then went to the attacker).
        Fields of a partner with a login and the dealer's network fields are
        head office's; other contact data stays with the roles' rights."""
        contact = self.director.partner_id
        cases = [
            (contact, {"email": "attacker@evil.example"}),
            (contact, {"mobile": "+49 170 6666666"}),
            (contact, {"name": "Evil"}),
            (contact, {"parent_id": self.foreign_dealer.id}),
            (self.own_dealer, {"prm_territory_id": self.foreign_dealer.
                               prm_territory_id.id}),
            (self.own_dealer, {"prm_tier_id": False}),
        ]
        for partner, values in cases:
            allowed = set()
            for role in ("manager", "tm", "recv", "mkt", "warr", "user", "dir"):
                with self.rolled_back():
                    try:
                        partner.sudo(self.users[role]).write(dict(values))
                    except AccessError:
                        continue
                    allowed.add(role)
            self.assertEqual(allowed, {"manager"}, values)
        # ordinary contact data of a dealer stays with the roles' rights
        with self.rolled_back():
            self.own_dealer.sudo(self.users["tm"]).write({"phone": "+49 1"})
            contact.sudo(self.users["mkt"]).write({"function": "Inhaber"})
            # writing a value back unchanged is no change
            contact.sudo(self.users["tm"]).write({"email": contact.email})
        # the user themself changes the own e-mail (preferences, /my/account)
        tm = self.users["tm"]
        with self.rolled_back():
            tm.partner_id.sudo(tm).write({"email": "tm.new@example.com"})
