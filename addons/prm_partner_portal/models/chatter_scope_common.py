"""What a portal user sees of the chatter (``mail.message``) of a record.

The rule, in one place (the record rule ``rule_mail_message_portal_scope`` in
``security/prm_chatter_security.xml`` and the model files
``*_chatter_scope.py``, which import the names below):

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

#: Threads that pass from one dealer to another: messages carry the dealer.
DEALER_THREADS = ("crm.lead",)
#: Context key: the message is formatted or mailed for share recipients.
SHARE_RECIPIENTS = "prm_share_recipients"
#: Context marker of core's message_subscribe (an object: RPC cannot send it).
SUBSCRIBING = object()
