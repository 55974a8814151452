"""A retried RPC call does not inherit the failed attempt's recomputations
(``rpc_retry``; full test run of 4aef713: "Unable to use a closed cursor")."""
from odoo import api
from odoo.service import model
from odoo.tests.common import TransactionCase


class TestRpcRetry(TransactionCase):

    def test_retry_starts_without_the_failed_attempts_work(self):
        # the failed attempt: its cursor closed, a recomputation queued
        failed = self.registry.cursor()
        env = api.Environment(failed, self.env.uid, {})
        partner = env["res.partner"].browse(self.env.user.partner_id.id)
        env.add_todo(env["res.partner"]._fields["commercial_partner_id"], partner)
        failed.close()
        try:
            # the retry on a working cursor: a create recomputes at its end
            category = model.execute_cr(self.env.cr, self.env.uid,
                                        "res.partner.category", "create",
                                        {"name": "retry"})
            self.assertTrue(category)
        finally:
            env.all.todo.clear()
