"""Saving a dealer's figures: locking, versions, audit trail, dependent targets."""

import psycopg2
from psycopg2 import errorcodes

from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..glue import format_exact
from .benchmark_entry import MARKS_BY_CALLER
from .benchmark_engine import COUNTED_STATES, ConcurrentEditError


class BenchmarkEngineEntry(models.AbstractModel):
    """Store a dealer's figures as the current user."""

    _inherit = "prm.benchmark.engine"

    @api.model
    def _save_entry(self, partner, period, values, version=None, submit=False):
        """Store a dealer's figures as the current user; returns the entry.

        ``values``: ``{input_id: float or None}`` (None clears a figure).
        ``version``: the entry version the form was based on; a newer one in
        the database means somebody else saved meanwhile (ConcurrentEditError,
        nothing is written). Raises UserError for a closed period or a
        submission with required figures missing.
        """
        self._check_may_enter(partner)
        cr = self.env.cr
        # FOR SHARE: saves of different dealers run in parallel, but head
        # office closing the period (an UPDATE of this row) waits for them,
        # and a save after the close sees the new state. Losing such a race
        # is a serialization failure the request retries: not a "bad query"
        # error in the log (here and for the version below).
        cr.execute("SELECT state FROM prm_benchmark_period WHERE id = %s FOR SHARE",
                   [period.id], log_exceptions=False)
        row = cr.fetchone()
        if not row or row[0] != "open":
            raise UserError(_("The period %s is closed; figures can no longer be "
                              "changed.") % period.name)
        # sudo: portal users have read-only access; what they may change is
        # decided here (own company checked above, open period locked above,
        # only figures and the submit step are written).
        Entry = self.env["prm.benchmark.entry"].sudo()
        entry = Entry.search([("partner_id", "=", partner.id),
                              ("period_id", "=", period.id)])
        if entry:
            cr.execute("""
                UPDATE prm_benchmark_entry SET version = version + 1
                 WHERE id = %s AND version = %s RETURNING version
            """, [entry.id, version or 0], log_exceptions=False)
            if not cr.fetchone():
                entry.invalidate_cache()
                raise ConcurrentEditError(_(
                    "%(user)s saved these figures at %(time)s, after you opened "
                    "the form. Your changes were not saved; they are still in "
                    "the form. Please compare and save again.") % {
                    "user": entry._prm_user_label(entry.last_saved_by_id)
                    or _("Somebody"),
                    "time": self._user_datetime(entry.last_saved_on)})
            entry.invalidate_cache(["version"])
        else:
            if version:
                raise ConcurrentEditError(_("The entry was removed meanwhile."))
            entry = self._create_entry(Entry, partner, period)
        changes = self._write_values(entry, values)
        now = fields.Datetime.now()
        entry_vals = {"last_saved_by_id": self.env.uid, "last_saved_on": now}
        counted_before = entry.state in COUNTED_STATES
        if submit:
            missing = entry._missing_required()
            if missing:
                raise UserError(_("Please fill in before submitting: %s")
                                % ", ".join(missing.mapped("name")))
            entry_vals.update({"state": "submitted", "submitted_by_id": self.env.uid,
                               "submitted_on": now})
        elif entry.state == "returned":
            entry_vals["state"] = "draft"
        entry.with_context(**{MARKS_BY_CALLER: True}).write(entry_vals)
        if changes:
            entry.message_post(body=self._changes_html(changes),
                               author_id=self.env.user.partner_id.id,
                               subtype="mail.mt_note")
        # The dealer's own KPIs at once; the group statistics are only marked
        # stale here and refreshed by the worker (one aggregate for many saves).
        changed_kpis = self._compute_kpis(entry | self._next_year_entries(entry))
        if counted_before or entry.state in COUNTED_STATES:
            self._entries_changed(
                entry, "entry_values" if counted_before == (
                    entry.state in COUNTED_STATES) else "entry_state",
                changed_kpis)
        self._refresh_target_actuals(entry)
        return entry

    @api.model
    def _entries_changed(self, entries, change, changed_kpis=None):
        """Mark the statistics ``entries`` feed stale (``change``: an entry edge).

        A counted entry also moves its dealer in and out of revenue-band
        groups (trailing revenue of submitted quarters): those memberships
        follow at once, and the groups of before and after are marked (all
        KPIs of a group joined or left). ``changed_kpis``: what
        ``_compute_kpis`` returned for the entries (None: every KPI).
        """
        partners = entries.mapped("partner_id")
        before = self._dealer_group_ids(partners)
        self.env["prm.benchmark.group"]._refresh_members_of(
            partners, revenue_band_only=True)
        moved = before ^ self._dealer_group_ids(partners)
        return self._mark_stale(change, periods=entries.mapped("period_id"),
                                partners=partners, dealer_group_ids=before,
                                moved_group_ids=moved, changed_kpis=changed_kpis)

    @api.model
    def _user_datetime(self, value):
        """A stored (UTC) datetime in the user's time zone and language,
        without seconds (QWeb's datetime formatting: "01.12.2026 14:03")."""
        if not value:
            return ""
        return self.env["ir.qweb.field.datetime"].value_to_html(
            value, {"hide_seconds": True})

    @api.model
    def _create_entry(self, Entry, partner, period):
        """The dealer's first entry of the period.

        When two users of the dealer save their first figures at once, the
        second insert waits for the first and then violates entry_unique: a
        concurrent edit like a newer version, not a server error.
        """
        cr = self.env.cr
        # Expected in that race: no "bad query" error in the log.
        cr._default_log_exceptions = False
        try:
            with cr.savepoint():
                return Entry.create({"partner_id": partner.id,
                                     "period_id": period.id})
        except psycopg2.IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            raise ConcurrentEditError(_(
                "Somebody else saved these figures after you opened the form. "
                "Your changes were not saved; they are still in the form. "
                "Please open the form again, compare and save again."))
        finally:
            cr._default_log_exceptions = True

    @api.model
    def _check_may_enter(self, partner):
        """Head office, or a partner user of exactly this dealer."""
        user = self.env.user
        if user._prm_is_head_office():
            return
        if user.commercial_partner_id == partner and (
                user._prm_is_director() or user._prm_is_bookkeeper()):
            return
        raise AccessError(_("You may only enter the figures of your own company."))

    @api.model
    def _write_values(self, entry, values):
        """Apply ``values`` to the entry; returns [(label, old, new)]."""
        # sudo (this block): the caller checked company and open period
        # (_save_entry, import wizard for head office); the figures follow
        # the entry they belong to, input labels are shared configuration.
        Value = self.env["prm.benchmark.value"].sudo().with_context(
            **{MARKS_BY_CALLER: True})
        existing = {v.input_id.id: v for v in entry.sudo().with_context(
            **{MARKS_BY_CALLER: True}).value_ids}
        inputs = self.env["prm.benchmark.input"].sudo().browse(list(values))
        labels = {i.id: i.name for i in inputs}
        changes = []
        for input_id, new in values.items():
            record = existing.get(input_id)
            old = record.value if record else None
            if new is None:
                if record:
                    record.unlink()
                    changes.append((labels[input_id], old, None))
            elif record:
                if old != new:
                    record.value = new
                    changes.append((labels[input_id], old, new))
            else:
                Value.create({"entry_id": entry.id, "input_id": input_id,
                              "value": new})
                changes.append((labels[input_id], None, new))
        return changes

    @api.model
    def _changes_html(self, changes):
        # Exact values in the number format of the message's language (the
        # language its text is written in), never Python's "0.125" / "10.0".
        lines = "".join("<li>%s: %s → %s</li>" % (
            html_escape(label), format_exact(old, self.env),
            format_exact(new, self.env)) for label, old, new in changes)
        return "%s<ul>%s</ul>" % (html_escape(_("Figures changed:")), lines)

    @api.model
    def _next_year_entries(self, entries):
        """Entries whose growth KPIs compare with ``entries`` (same dealer,
        the period whose previous-year period is the entry's)."""
        # sudo: derived KPIs of the same dealers are refreshed, nothing is
        # read out to the user.
        Entry = self.env["prm.benchmark.entry"].sudo()
        nexts = self.env["prm.benchmark.period"].sudo().search(
            [("previous_id", "in", entries.mapped("period_id").ids)])
        if not nexts:
            return Entry
        pairs = {(entry.partner_id.id, entry.period_id.id) for entry in entries}
        return Entry.search([
            ("partner_id", "in", entries.mapped("partner_id").ids),
            ("period_id", "in", nexts.ids)]).filtered(
            lambda e: (e.partner_id.id, e.period_id.previous_id.id) in pairs)

    @api.model
    def _refresh_target_actuals(self, entry):
        # sudo: targets fed by benchmark figures follow the dealer's entry.
        targets = self.env["prm.target"].sudo().search([
            ("partner_id", "=", entry.partner_id.id),
            ("date_range_id", "=", entry.period_id.date_range_id.id),
            ("metric_id.source", "=", "benchmark")])
        targets._refresh_actuals()
