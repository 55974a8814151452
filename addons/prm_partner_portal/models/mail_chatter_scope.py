"""What a portal user sees of the chatter (``mail.message``) of a record.

The rule, in one place (the record rule ``rule_mail_message_portal_scope`` in
``security/prm_chatter_security.xml`` and the code below):

* portal users (share users) never see tracking values (old and new field
  values: the first dealer, revenue, salesperson, team…) — not by
  ``mail.tracking.value`` (core: head office administrators only), not in
  ``message_format``/``message_fetch``/the portal chatter, not in
  notification e-mails or bus notifications sent to them;
* portal users never read a message without subtype or with an internal
  subtype (internal notes, tracking notes), also not by id;
* on a lead, a portal user reads only the messages posted while the lead was
  forwarded to the own company: each lead message is stamped at creation with
  the dealer the lead is forwarded to at that moment (``prm_dealer_id``).
  Messages posted before the forwarding, or while another dealer had the
  lead, stay with head office. Attachments of a lead are stamped the same
  way (``rule_attachment_portal_lead_scope``).
"""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request

#: Threads that pass from one dealer to another: messages carry the dealer.
DEALER_THREADS = ("crm.lead",)
#: Context key: the message is formatted or mailed for share recipients.
SHARE_RECIPIENTS = "prm_share_recipients"
#: Context marker of core's message_subscribe (an object: RPC cannot send it).
_SUBSCRIBING = object()


class MailMessage(models.Model):
    _inherit = "mail.message"

    prm_dealer_id = fields.Many2one(
        "res.partner", string="Dealer at posting", index=True, readonly=True,
        ondelete="set null",
        help="The dealer the lead was forwarded to when the message was "
             "posted; only that dealer's portal users read the message.")

    @api.model
    def _prm_dealer_at_posting(self, model, res_id):
        """Id of the dealer a ``model`` record is forwarded to now, or False."""
        if model not in DEALER_THREADS or not res_id:
            return False
        # sudo: only the forwarding state of the record the message belongs
        # to is read, to stamp the message; nothing is returned to the caller
        lead = self.env[model].sudo().browse(res_id).exists()
        if not lead or not lead.prm_forwarded_date:
            return False
        return lead.partner_assigned_id.commercial_partner_id.id or False

    @api.model
    def create(self, values):
        values = dict(values)
        # always computed, never taken from the caller (RPC could pass any)
        values["prm_dealer_id"] = self._prm_dealer_at_posting(
            values.get("model", self.env.context.get("default_model")),
            values.get("res_id", self.env.context.get("default_res_id")))
        return super().create(values)

    @api.multi
    def write(self, vals):
        if "prm_dealer_id" in vals and self.env.uid != SUPERUSER_ID:
            vals = dict(vals)
            del vals["prm_dealer_id"]
        return super().write(vals)

    @api.model
    def _prm_for_share_users(self):
        """True when formatting for a portal/public reader.

        Also under ``sudo()`` in a portal user's request (core's portal
        chatter formats messages as superuser when a token is given).
        """
        if self.env.context.get(SHARE_RECIPIENTS):
            return True
        if self.env.uid != SUPERUSER_ID and self.env.user.share:
            return True
        try:
            requester = request and request.env.user
        except RuntimeError:  # no request bound (cron, shell)
            requester = None
        return bool(requester and requester.share)

    @api.model
    def _message_read_dict_postprocess(self, messages, message_tree):
        """No tracking values and no e-mail delivery data for portal users.

        Core fills both as superuser for every reader (``message_format``,
        ``message_fetch``, ``portal_message_format``, bus notifications).
        """
        result = super()._message_read_dict_postprocess(messages, message_tree)
        if self._prm_for_share_users():
            for message in messages:
                message["tracking_value_ids"] = []
                message["customer_email_data"] = []
                message["customer_email_status"] = "ready"
        return result


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    prm_dealer_id = fields.Many2one(
        "res.partner", string="Dealer at upload", index=True, readonly=True,
        ondelete="set null",
        help="The dealer a lead was forwarded to when the file was attached; "
             "only that dealer's portal users read it.")

    @api.model
    def create(self, values):
        values = dict(values)
        # always computed, never taken from the caller
        values["prm_dealer_id"] = self.env["mail.message"]._prm_dealer_at_posting(
            values.get("res_model", self.env.context.get("default_res_model")),
            values.get("res_id", self.env.context.get("default_res_id")))
        return super().create(values)

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        vals.pop("prm_dealer_id", None)
        if {"res_model", "res_id"} & set(vals):
            for attachment in self:
                dealer = self.env["mail.message"]._prm_dealer_at_posting(
                    vals.get("res_model", attachment.res_model),
                    vals.get("res_id", attachment.res_id))
                # a plain SQL stamp: the attachment is being moved
                self.env.cr.execute(
                    "UPDATE ir_attachment SET prm_dealer_id = %s WHERE id = %s",
                    (dealer or None, attachment.id))
            self.invalidate_cache(["prm_dealer_id"])
        return super().write(vals)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        """Core checks the document, then retunes existing follower rows."""
        return super(MailThread, self.with_context(
            prm_subscribing=_SUBSCRIBING)).message_subscribe(
                partner_ids=partner_ids, channel_ids=channel_ids,
                subtype_ids=subtype_ids, force=force)


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.multi
    def write(self, vals):
        """Core's "own rows only" write rule, also for subtype-only writes.

        ``mail.followers`` keeps no write date, so Odoo 11 skips the record
        rules when only ``subtype_ids`` change: any user could retune any
        partner's notifications by RPC. Core's ``message_subscribe`` (which
        checks the document first) keeps changing other partners' rows.
        """
        if self.env.uid != SUPERUSER_ID and \
                self.env.context.get("prm_subscribing") is not _SUBSCRIBING:
            self.check_access_rule("write")
        return super().write(vals)


class MailActivity(models.Model):
    """A territory manager sees activities of documents they may read only.

    Core lets every employee read every activity (summary, note, deadline)
    of every document, those of foreign dealers included.
    """

    _inherit = "mail.activity"

    def _prm_document_scoped(self):
        return self.env.uid != SUPERUSER_ID and \
            self.env.user._prm_dealer_scope_restricted()

    def _prm_visible_ids(self, ids):
        """The subset of activity ``ids`` whose document the user reads."""
        self.env.cr.execute(
            "SELECT id, res_model, res_id FROM mail_activity WHERE id IN %s",
            (tuple(ids),))
        by_model = {}
        for activity_id, model, res_id in self.env.cr.fetchall():
            by_model.setdefault(model, {}).setdefault(res_id, []).append(
                activity_id)
        visible = set()
        for model, documents in by_model.items():
            if model not in self.env or not self.env[model].check_access_rights(
                    "read", raise_exception=False):
                continue
            readable = self.env[model].with_context(active_test=False).search(
                [("id", "in", list(documents))]).ids
            for document_id in readable:
                visible.update(documents[document_id])
        return visible

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if not self._prm_document_scoped():
            return super()._search(
                args, offset=offset, limit=limit, order=order, count=count,
                access_rights_uid=access_rights_uid)
        ids = super()._search(args, order=order,
                              access_rights_uid=access_rights_uid)
        visible = self._prm_visible_ids(ids) if ids else set()
        ids = [activity_id for activity_id in ids if activity_id in visible]
        if count:
            return len(ids)
        return ids[offset:offset + limit] if limit else ids[offset:]

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        if self.ids and self._prm_document_scoped() and \
                set(self.ids) - self._prm_visible_ids(self.ids):
            raise AccessError(_("You cannot read this activity: its document is "
                                "outside your territories."))
        return super().read(fields=fields, load=load)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _prm_split_share(self):
        """(internal recipients, share recipients flagged for formatting)."""
        share = self.filtered("partner_share")
        return self - share, share.with_context(**{SHARE_RECIPIENTS: True})

    @api.multi
    def _notify(self, message, force_send=False, send_after_commit=True,
                user_signature=True):
        """Notification e-mails to share partners carry no tracking values."""
        internal, share = self._prm_split_share()
        for recipients in (internal, share):
            if recipients:
                super(ResPartner, recipients)._notify(
                    message.with_env(recipients.env), force_send=force_send,
                    send_after_commit=send_after_commit,
                    user_signature=user_signature)
        return True

    @api.model
    def _notify_prepare_template_context(self, message):
        values = super()._notify_prepare_template_context(message)
        if self.env.context.get(SHARE_RECIPIENTS):
            values["tracking"] = []
        return values

    @api.multi
    def _notify_by_chat(self, message):
        """Inbox (bus) notifications to share users carry no tracking values."""
        internal, share = self._prm_split_share()
        for recipients in (internal, share):
            if recipients:
                super(ResPartner, recipients)._notify_by_chat(
                    message.with_env(recipients.env))
