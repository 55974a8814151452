import datetime
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .benchmark_engine import COUNTED_STATES

# Mails per minute of a batch (ir.config_parameter); the mail queue cron
# sends each mail from its scheduled minute on.
RATE_PARAM = "prm_benchmark.report_mails_per_minute"
DEFAULT_RATE = 20


class BenchmarkReportDispatch(models.Model):
    """One report mail of a published period to one managing director.

    The mail carries a personal link to the portal, never the figures: the
    report is confidential (own figures, the dealer's position in the
    group), a mail is copied through servers and mailboxes and forwarded,
    while the portal asks for password and SMS code and always shows what
    the release rules allow today. Opening the link is recorded.
    """

    _name = "prm.benchmark.report.dispatch"
    _description = "Benchmark report mail"
    _order = "period_id desc, partner_id, id"

    period_id = fields.Many2one("prm.benchmark.period", required=True,
                                ondelete="cascade", index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True,
                                 ondelete="cascade", index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Recipient", required=True,
                              ondelete="cascade", readonly=True)
    mail_id = fields.Many2one("mail.mail", ondelete="set null", readonly=True)
    token = fields.Char(required=True, readonly=True, copy=False, index=True,
                        groups="base.group_system")
    state = fields.Selection([
        ("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed"),
        ("opened", "Link opened"),
    ], default="queued", required=True, readonly=True, index=True)
    scheduled_on = fields.Datetime(readonly=True)
    sent_on = fields.Datetime(readonly=True)
    opened_on = fields.Datetime(readonly=True)
    failure = fields.Char(readonly=True)

    _sql_constraints = [
        ("token_unique", "unique(token)", "The link token must be unique."),
    ]

    @api.model
    def _recipients(self, period):
        """``{dealer: directors}`` of the dealers with a counted entry."""
        dealers = self.env["prm.benchmark.entry"].search([
            ("period_id", "=", period.id),
            ("state", "in", COUNTED_STATES)]).mapped("partner_id")
        group = self.env.ref("prm_partner_portal.group_prm_portal_director")
        users = self.env["res.users"].search([
            ("commercial_partner_id", "in", dealers.ids),
            ("groups_id", "in", group.ids)])
        return {dealer: users.filtered(
            lambda u: u.commercial_partner_id == dealer) for dealer in dealers}

    @api.model
    def _send_period(self, period):
        """Queue the report mails of ``period`` (head office only, published
        periods only); recipients already mailed (queued, sent, opened) are
        skipped, failed ones are mailed again. Returns the new dispatches."""
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office may send the benchmark reports."))
        if period.state != "published":
            raise UserError(_("Reports are sent for published periods only."))
        # sudo: head office checked above; dispatches, mails and tokens are
        # written by the system (tokens are not readable by head office).
        Dispatch = self.sudo()
        done = Dispatch.search([("period_id", "=", period.id),
                                ("state", "!=", "failed")]).mapped("user_id")
        rate = int(self.env["ir.config_parameter"].sudo().get_param(
            RATE_PARAM, DEFAULT_RATE) or DEFAULT_RATE)
        rate = max(rate, 1)
        template = self.env.ref("prm_benchmark.mail_template_report_link").sudo()
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        now = datetime.datetime.utcnow().replace(microsecond=0)
        created = Dispatch.browse()
        for dealer, users in sorted(self._recipients(period).items(),
                                    key=lambda item: item[0].name or ""):
            for user in users - done:
                scheduled = now + datetime.timedelta(minutes=len(created) // rate)
                token = secrets.token_urlsafe(32)
                mail_id = template.with_context(
                    lang=user.lang, period_name=period.name,
                    link="%s/my/benchmark/report/open/%s" % (base_url, token),
                ).send_mail(user.id, force_send=False, email_values={
                    "scheduled_date": fields.Datetime.to_string(scheduled)})
                created |= Dispatch.create({
                    "period_id": period.id, "partner_id": dealer.id,
                    "user_id": user.id, "mail_id": mail_id, "token": token,
                    "scheduled_on": scheduled})
        return created

    @api.model
    def _opened(self, token):
        """Record that the link ``token`` was opened; the dispatch or an
        empty recordset for an unknown token."""
        if not token or not isinstance(token, str) or len(token) > 100:
            return self.browse()
        # sudo: looked up by its secret token only; nothing is returned to
        # the visitor but a redirect to the (login-protected) portal page.
        dispatch = self.sudo().search([("token", "=", token)], limit=1)
        if dispatch and not dispatch.opened_on:
            dispatch.write({"opened_on": fields.Datetime.now(), "state": "opened"})
        return dispatch


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.multi
    def _postprocess_sent_message(self, mail_sent=True):
        """Sent or failed: the report dispatch of the mail follows."""
        # sudo: status bookkeeping of our own dispatch records.
        dispatches = self.env["prm.benchmark.report.dispatch"].sudo().search(
            [("mail_id", "in", self.ids), ("state", "in", ("queued", "failed"))])
        for dispatch in dispatches:
            mail = dispatch.mail_id
            failed = not mail_sent or mail.state == "exception"
            dispatch.write({
                "state": "failed" if failed else "sent",
                "sent_on": False if failed else fields.Datetime.now(),
                "failure": (mail.failure_reason or "")[:200] if failed else False})
        return super()._postprocess_sent_message(mail_sent=mail_sent)


class BenchmarkPeriod(models.Model):
    _inherit = "prm.benchmark.period"

    report_dispatch_ids = fields.One2many(
        "prm.benchmark.report.dispatch", "period_id", string="Report mails")

    def action_send_reports(self):
        """Button: queue the report mails of the period, show their status."""
        self.ensure_one()
        self.env["prm.benchmark.report.dispatch"]._send_period(self)
        return self.action_view_report_dispatches()

    def action_view_report_dispatches(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Report mails"),
            "res_model": "prm.benchmark.report.dispatch",
            "view_mode": "tree", "domain": [("period_id", "=", self.id)],
        }
