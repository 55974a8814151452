"""Notification settings of portal users and the mail digest.

Each kind of PRM mail to a portal user (``KINDS``) goes out immediately,
in the daily digest, or not at all, as the user chose on
``/my/notifications``. Every mail is rendered in the recipient's language
(``lang`` of the template is the recipient's; the digest collects lines
already rendered in that language).
"""
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: Kinds of PRM mails a portal user chooses for: (field, label).
KINDS = [
    ("prm_notify_documents", "New documents and news"),
    ("prm_notify_leads", "Leads forwarded to my company"),
    ("prm_notify_benchmark", "Benchmark reminders and reports"),
    ("prm_notify_tier", "Tier changes of my company"),
]
MODES = [("immediate", "Immediately"), ("digest", "Daily digest"),
         ("off", "Off")]
#: Kinds that reach only some portal classes (``PORTAL_CLASS_GROUPS``
#: keys): forwarded leads go to managing directors (bookkeepers read no
#: leads). Every other kind reaches directors and bookkeepers alike.
KIND_CLASSES = {"prm_notify_leads": ("director",)}
#: Kinds that still reach the users of a dealer outside the partner
#: programme (``res.users._prm_takes_part`` False): their benchmark entries
#: and reports stay theirs; documents, news, leads and tier changes no
#: longer come (README "Dealers outside the programme").
OUTSIDE_KINDS = ("prm_notify_benchmark",)
#: Mail templates of other addons that a kind covers (xml ids).
KIND_TEMPLATES = {
    "prm_benchmark.mail_template_entry_reminder": "prm_notify_benchmark",
    "prm_benchmark.mail_template_report_link": "prm_notify_benchmark",
    "prm_documents.mail_template_lead_forwarded": "prm_notify_leads",
    "prm_programme.mail_template_tier_changed": "prm_notify_tier",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    prm_notify_documents = fields.Selection(
        MODES, string="New documents and news", default="digest")
    prm_notify_leads = fields.Selection(
        MODES, string="Leads forwarded to my company", default="immediate")
    prm_notify_benchmark = fields.Selection(
        MODES, string="Benchmark reminders and reports", default="immediate")
    prm_notify_tier = fields.Selection(
        MODES, string="Tier changes of my company", default="immediate")
    prm_digest_line_ids = fields.One2many(
        "prm.mail.digest.line", "user_id", string="Digest lines waiting")

    def _prm_notify_kinds(self):
        """The ``KINDS`` fields this portal user receives mails of (and is
        offered on ``/my/notifications``), in ``KINDS`` order: the kinds of
        the user's class (``KIND_CLASSES``), and of those only
        ``OUTSIDE_KINDS`` while the company does not take part in the
        programme."""
        self.ensure_one()
        taking_part = self._prm_takes_part()
        return [field for field, _label in KINDS
                if (taking_part or field in OUTSIDE_KINDS)
                and (field not in KIND_CLASSES
                     # sudo: the user's own permission class (computed
                     # from groups, which portal users may not read)
                     or self.sudo().prm_portal_class in KIND_CLASSES[field])]

    def _prm_mode(self, kind):
        """The user's choice for ``kind`` (a ``KINDS`` field name): portal
        users choose among the kinds that reach them (``_prm_notify_kinds``;
        any other kind is "off": e.g. a tier change of a dealer that left
        the programme); internal users always get their mails at once."""
        self.ensure_one()
        if not self.share:
            return "immediate"
        if kind not in self._prm_notify_kinds():
            return "off"
        return self.sudo()[kind] or "immediate"

    def _prm_deliver(self, kind, template, res_id, **ctx):
        """Mail ``template`` for record ``res_id`` to this user as chosen.

        Returns the id of a queued ``mail.mail`` (immediate) or False (in
        the digest or off). The template renders in the user's language.
        """
        self.ensure_one()
        mode = self._prm_mode(kind)
        # sudo: mail templates are readable by administrators only; the
        # recipients are decided by the callers (addressed users only).
        template = template.sudo().with_context(
            lang=self.lang, prm_delivering=True, **ctx)
        if mode == "off":
            return False
        if mode == "immediate":
            return template.send_mail(res_id, force_send=False)
        values = template.generate_email(res_id)
        self.env["prm.mail.digest.line"].sudo().create({
            "user_id": self.id, "kind": kind,
            "subject": values.get("subject") or "",
            "body_html": values.get("body_html") or ""})
        return False

    @api.model
    def _prm_addressed_users(self, items, today=None):
        """Portal users to tell about ``items`` on ``today`` (a date;
        default: today): {user: items}."""
        # sudo: the network's portal users are looked up by the system;
        # each gets only the items the audience rule gives the dealer.
        users = self.sudo().search([("share", "=", True),
                                    ("commercial_partner_id.prm_is_dealer", "=", True)])
        result = {}
        by_dealer = {}
        for user in users:
            dealer = user.commercial_partner_id
            if dealer not in by_dealer:
                by_dealer[dealer] = items.browse([
                    item_id for item_id in items._prm_addressed_ids(
                        dealer, today)
                    if item_id in items.ids])
            if by_dealer[dealer]:
                result[user] = by_dealer[dealer]
        return result

    @api.model
    def _prm_notify_published(self, items, today=None):
        """Tell the portal users addressed on ``today`` (a date; default:
        today) about newly published or newly valid ``items``."""
        self._prm_announce([items], today)

    @api.model
    def _prm_announce(self, item_sets, today=None):
        """One mail (or digest line) per addressed portal user listing the
        items of ``item_sets`` (recordsets of documents, news) the audience
        rule gives the user's dealer on ``today``."""
        template = self.env.ref("prm_documents.mail_template_published")
        lines = {}
        for items in item_sets:
            for user, addressed in self._prm_addressed_users(
                    items, today).items():
                lines.setdefault(user, []).extend(
                    addressed._prm_mail_lines(user))
        for user, user_lines in lines.items():
            user._prm_deliver("prm_notify_documents", template, user.id,
                              prm_lines=user_lines)

    @api.model
    def _cron_prm_notify_valid(self, now=None):
        """Announce the documents and news published before their first
        valid day once that day has begun in Europe/Berlin (``now``: a
        naive UTC datetime instead of the clock); each item once, by mail
        or digest line as each user chose."""
        today = self.env["prm.document"]._prm_today(now)
        self._prm_announce([self.env[model]._prm_take_due(today)
                            for model in ("prm.document", "prm.news")], today)
        return True

    @api.model
    def _cron_prm_digest(self):
        """Send each portal user one mail with the lines collected since the
        last digest (in the user's language); the lines are then done.
        Items that became valid today are announced first (in this digest
        or at once, as each user chose)."""
        self._cron_prm_notify_valid()
        Line = self.env["prm.mail.digest.line"].sudo()
        template = self.env.ref("prm_documents.mail_template_digest").sudo()
        pending = Line.search([("sent", "=", False)])
        for user in pending.mapped("user_id"):
            lines = pending.filtered(lambda line: line.user_id == user)
            # lines of kinds that no longer reach the user (a dealer that
            # left the programme: documents, news, leads, tier changes) are
            # dropped, not mailed
            offered = user._prm_notify_kinds()
            lines.filtered(lambda line: line.kind not in offered).write(
                {"sent": True})
            lines = lines.filtered(lambda line: line.kind in offered)
            if not lines:
                continue
            template.with_context(lang=user.lang, prm_digest_lines=[
                {"subject": line.subject, "body_html": line.body_html}
                for line in lines]).send_mail(user.id, force_send=False)
            lines.write({"sent": True})
        _logger.info("PRM digest: %s users mailed", len(pending.mapped("user_id")))
        return True


class PrmMailDigestLine(models.Model):
    """One mail waiting for the recipient's daily digest (rendered in the
    recipient's language)."""

    _name = "prm.mail.digest.line"
    _description = "Mail waiting for the digest"
    _order = "create_date, id"

    user_id = fields.Many2one("res.users", required=True, index=True,
                              ondelete="cascade")
    kind = fields.Selection([(name, label) for name, label in KINDS],
                            required=True)
    subject = fields.Char()
    body_html = fields.Html(sanitize=True)
    sent = fields.Boolean(index=True)
