"""Documents and news through the ORM: audience, validity, files, mails."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from .common import dealer_tag, document_values, file_attachment, news_values


class DocumentsCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        Users = cls.env["res.users"]
        cls.director = Users.search([("login", "=", "director01")])
        if not cls.director:
            cls.skipTest(cls, "needs the prm_demo users")
        cls.dealer = cls.director.commercial_partner_id
        cls.foreign = Users.search([
            ("login", "like", "director"), ("share", "=", True),
            ("commercial_partner_id", "!=", cls.dealer.id)], limit=1,
            order="login")
        cls.foreign_dealer = cls.foreign.commercial_partner_id
        cls.today = cls.env["prm.document"].with_context(
            tz="Europe/Berlin")._prm_today()

    def day(self, offset):
        return fields.Date.to_string(self.today + datetime.timedelta(days=offset))

    def document(self, dealer=None, **extra):
        return self.env["prm.document"].create(
            document_values(self.env, dealer or self.dealer, **extra))


class TestAudienceAccess(DocumentsCase):

    def test_addressed_dealer_reads_others_do_not(self):
        document = self.document()
        self.assertEqual(self.env["prm.document"].sudo(self.director).search(
            [("id", "=", document.id)]), document)
        self.assertFalse(self.env["prm.document"].sudo(self.foreign).search(
            [("id", "=", document.id)]))
        with self.assertRaises(AccessError):
            document.sudo(self.foreign).read(["name"])

    def test_expired_and_future_documents_are_gone(self):
        for extra in ({"date_to": self.day(-1)}, {"date_from": self.day(1)}):
            document = self.document(**extra)
            self.assertFalse(self.env["prm.document"].sudo(self.director).search(
                [("id", "=", document.id)]), extra)
            with self.assertRaises(AccessError):
                document.sudo(self.director).read(["name"])
        current = self.document(date_from=self.day(0), date_to=self.day(0))
        self.assertTrue(current.sudo(self.director).read(["name"]))

    def test_dealers_cannot_publish_or_resend(self):
        """A dealer calling the buttons over RPC: refused, no mails."""
        document = self.document()
        mails = self.env["mail.mail"].sudo().search_count([])
        for method in ("action_publish", "action_unpublish"):
            with self.assertRaises(AccessError):
                getattr(document.sudo(self.director), method)()
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)

    def test_unpublished_is_head_office_only(self):
        document = self.document(published=False)
        with self.assertRaises(AccessError):
            document.sudo(self.director).read(["name"])

    def test_tier_region_territory_and_everyone(self):
        Document = self.env["prm.document"]
        dealer = self.dealer
        cases = {
            "all": ({}, True),
            "tier": ({"tier_ids": [(6, 0, dealer.prm_tier_id.ids)]},
                     bool(dealer.prm_tier_id)),
            "country": ({"country_ids": [(6, 0, dealer.country_id.ids)]},
                        bool(dealer.country_id)),
            "territory": ({"territory_ids": [
                (6, 0, dealer.prm_territory_id.parent_id.ids or
                 dealer.prm_territory_id.ids)]}, True),
            "other territory": ({"territory_ids": [
                (6, 0, self.env["prm.territory"].create({
                    "name": "Empty", "code": "docs-empty"}).ids)]}, False),
        }
        for name, (extra, expected) in cases.items():
            document = Document.create({
                "name": name, "file": "eA==", "file_name": "x.txt",
                "published": True, **extra})
            found = bool(Document.sudo(self.director).search(
                [("id", "=", document.id)]))
            self.assertEqual(found, expected, name)

    def test_news_follows_the_same_rule(self):
        news = self.env["prm.news"].create(news_values(self.env, self.dealer))
        expired = self.env["prm.news"].create(
            news_values(self.env, self.dealer, date_to=self.day(-1)))
        News = self.env["prm.news"]
        self.assertEqual(News.sudo(self.director).search(
            [("id", "in", (news | expired).ids)]), news)
        self.assertFalse(News.sudo(self.foreign).search(
            [("id", "in", (news | expired).ids)]))

    def test_news_body_is_sanitized(self):
        news = self.env["prm.news"].create(news_values(
            self.env, self.dealer, body="<p>Hi</p><script>alert(1)</script>"))
        self.assertNotIn("<script", news.body)

    def test_audience_field_answers_only_about_the_own_dealer(self):
        """review9 F2: a dealer naming another dealer in the search-only
        field learns nothing about it (tier, status, region, tags): the
        leaf matches nothing; the own dealer and head office work."""
        tag = dealer_tag(self.env, self.dealer, "Both dealers")
        self.foreign_dealer.write({"category_id": [(4, tag.id)]})
        document = self.document(category_ids=[(6, 0, tag.ids)])
        attachment = file_attachment(self.env, document)
        for model, record, base in (
                ("prm.document", document, []),
                ("ir.attachment", attachment, [("res_field", "=", "file")])):
            Model = self.env[model].sudo(self.director)
            base = base + [("id", "=", record.id)]
            self.assertEqual(Model.search(base + [
                ("prm_audience_dealer_id", "=", self.dealer.id)]), record)
            for other in (self.foreign_dealer.id, True, "x", 0):
                self.assertFalse(Model.search(base + [
                    ("prm_audience_dealer_id", "=", other)]), (model, other))
        head_office = self.env["res.users"].search(
            [("login", "=", "prm.manager")])
        self.assertEqual(self.env["prm.document"].sudo(head_office).search([
            ("id", "=", document.id),
            ("prm_audience_dealer_id", "=", self.foreign_dealer.id)]), document)


class TestAttachmentAccess(DocumentsCase):
    """The file's ir.attachment: by id, by search, also when flagged public."""

    def assert_closed(self, attachment, user):
        Attachment = self.env["ir.attachment"].sudo(user)
        with self.assertRaises(AccessError):
            Attachment.browse(attachment.id).read(["datas"])
        self.assertFalse(Attachment.search([("id", "=", attachment.id)]))
        self.assertFalse(Attachment.search([("res_model", "=", "prm.document")]))

    def test_foreign_and_expired_files_are_closed(self):
        foreign_doc = self.document(self.foreign_dealer)
        expired_doc = self.document(date_to=self.day(-1))
        self.assert_closed(file_attachment(self.env, foreign_doc), self.director)
        self.assert_closed(file_attachment(self.env, expired_doc), self.director)

    def test_public_flag_opens_nothing(self):
        document = self.document(self.foreign_dealer)
        attachment = file_attachment(self.env, document)
        attachment.write({"public": True})
        self.assert_closed(attachment, self.director)

    def test_own_file_is_readable(self):
        document = self.document()
        attachment = file_attachment(self.env, document).sudo(self.director)
        self.assertTrue(attachment.read(["datas"])[0]["datas"])


class TestUnreadAndDownloads(DocumentsCase):

    def test_download_turns_read_and_counts_for_head_office(self):
        document = self.document().sudo(self.director)
        self.assertTrue(document.prm_is_unread)
        document._prm_mark_read()
        document.invalidate_cache()
        self.assertFalse(document.prm_is_unread)
        self.assertTrue(document.sudo(self.foreign).prm_is_unread)
        manager = self.env["res.users"].search([("login", "=", "prm.manager")])
        self.assertEqual(document.sudo(manager).download_count, 1)
        with self.assertRaises(AccessError):
            document.read(["download_count"])


class TestNotifications(DocumentsCase):

    def mails_to(self, user):
        return self.env["mail.mail"].sudo().search(
            [("email_to", "=", user.email)], order="id")

    def test_digest_in_the_recipients_language(self):
        english = self.foreign
        english.write({"lang": "en_US", "prm_notify_documents": "digest"})
        self.director.write({"lang": "de_DE", "prm_notify_documents": "digest"})
        before = {user: self.mails_to(user) for user in (english, self.director)}
        tag = dealer_tag(self.env, self.dealer) | dealer_tag(
            self.env, self.foreign_dealer)
        document = self.env["prm.document"].create({
            "name": "Both", "file": "eA==", "file_name": "x.txt",
            "category_ids": [(6, 0, tag.ids)]})
        document.action_publish()
        self.assertEqual(self.mails_to(english), before[english])
        self.env["res.users"]._cron_prm_digest()
        german_mail = self.mails_to(self.director) - before[self.director]
        english_mail = self.mails_to(english) - before[english]
        self.assertEqual(len(german_mail), 1)
        self.assertEqual(len(english_mail), 1)
        self.assertIn("Zusammenfassung", german_mail.subject)
        self.assertIn("Neu im Partnerportal", german_mail.body_html)
        self.assertIn("summary", english_mail.subject)
        self.assertIn("New in the partner portal", english_mail.body_html)
        # the digest is sent once
        self.env["res.users"]._cron_prm_digest()
        self.assertEqual(len(self.mails_to(english) - before[english]), 1)

    def test_immediate_and_off(self):
        self.director.write({"prm_notify_documents": "immediate"})
        self.foreign.write({"prm_notify_documents": "off"})
        before = {user: self.mails_to(user) for user in (self.foreign, self.director)}
        for dealer in (self.dealer, self.foreign_dealer):
            self.document(dealer, published=False).action_publish()
        self.assertEqual(len(self.mails_to(self.director) - before[self.director]), 1)
        self.assertEqual(self.mails_to(self.foreign), before[self.foreign])

    def test_lead_mail_follows_the_setting(self):
        lead = self.env["crm.lead"].create({
            "name": "Docs lead", "type": "opportunity",
            "partner_assigned_id": self.dealer.id})
        self.director.write({"prm_notify_leads": "off"})
        before = self.mails_to(self.director)
        lead.action_prm_forward()
        self.assertEqual(self.mails_to(self.director), before)
        self.director.write({"prm_notify_leads": "immediate"})
        lead.action_prm_forward()
        self.assertEqual(len(self.mails_to(self.director) - before), 1)

    def test_benchmark_mails_follow_the_setting(self):
        template = self.env.ref("prm_benchmark.mail_template_entry_reminder",
                                raise_if_not_found=False)
        if not template:
            self.skipTest("prm_benchmark is not installed")
        self.director.write({"prm_notify_benchmark": "off"})
        before = self.mails_to(self.director)
        Line = self.env["prm.mail.digest.line"]
        waiting = Line.search([("user_id", "=", self.director.id)])
        self.assertFalse(template.send_mail(self.director.id))
        self.director.write({"prm_notify_benchmark": "digest"})
        self.assertFalse(template.send_mail(self.director.id))
        self.assertEqual(self.mails_to(self.director), before)
        added = Line.search([("user_id", "=", self.director.id)]) - waiting
        self.assertEqual(added.mapped("kind"), ["prm_notify_benchmark"])


class TestDealerOutsideTheProgramme(DocumentsCase):
    """Issue 22, review finding 6: a dealer whose PRM status is not
    "active" gets no document or news, no file, no mail of them; the
    active dealer is the control."""

    def test_nothing_addressed_after_termination(self):
        document = self.document()
        news = self.env["prm.news"].create(news_values(self.env, self.dealer))
        attachment = file_attachment(self.env, document)
        for state in ("suspended", "terminated", "prospect", "active"):
            self.dealer.prm_state = state
            self.env["prm.document"].invalidate_cache()
            outside = state != "active"
            Document = self.env["prm.document"].sudo(self.director)
            News = self.env["prm.news"].sudo(self.director)
            self.assertEqual(bool(Document.search([("id", "=", document.id)])),
                             not outside, state)
            self.assertEqual(bool(News.search([("id", "=", news.id)])),
                             not outside, state)
            if outside:
                with self.assertRaises(AccessError):
                    attachment.sudo(self.director).read(["datas"])
            else:
                self.assertTrue(attachment.sudo(self.director).read(["datas"]))

    def test_no_mail_immediate_or_digest(self):
        self.director.write({"prm_notify_documents": "immediate"})
        before = self.mails_to_director()
        self.dealer.prm_state = "terminated"
        self.document(published=False).action_publish()
        self.assertEqual(self.mails_to_director(), before)
        # a digest line queued while the dealer took part is not mailed
        # after the termination
        self.dealer.prm_state = "active"
        self.director.write({"prm_notify_documents": "digest"})
        self.document(published=False).action_publish()
        self.dealer.prm_state = "terminated"
        self.env["res.users"]._cron_prm_digest()
        self.assertEqual(self.mails_to_director(), before)
        self.assertFalse(self.env["prm.mail.digest.line"].sudo().search(
            [("user_id", "=", self.director.id), ("sent", "=", False)]))

    def mails_to_director(self):
        return self.env["mail.mail"].sudo().search(
            [("email_to", "=", self.director.email)])
