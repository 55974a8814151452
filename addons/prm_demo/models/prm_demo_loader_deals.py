"""Demo data: deal registrations of the demo network (``lib/demo_deals.py``).

Called from ``demo/demo_deals.xml`` after the network exists; registers
through the same model methods as the portal and the approval dialog, with
the clock set back (``prm_now``) so deadlines and escalation are real.
"""
import datetime
import logging

from odoo import api, fields, models

from ..lib import demo_deals, demo_network

_logger = logging.getLogger(__name__)


class PrmDemoLoader(models.AbstractModel):
    _inherit = "prm.demo.loader"

    @api.model
    def _load_demo_deals(self, seed=2026, dealer_count=40):
        """Create the demo registrations once; returns True."""
        Registration = self.env["prm.deal.registration"]
        if Registration.search_count([]):
            _logger.info("deal registrations already present: no demo deals")
            return True
        network = demo_network.generate(
            seed=seed, dealer_count=dealer_count,
            today=fields.Date.from_string(fields.Date.context_today(self)))
        Product = self.env["product.product"]
        products = {name: (Product.search([("name", "=", name)], limit=1)
                           or Product.create({"name": name, "sale_ok": True}))
                    for name in demo_deals.PRODUCTS}
        now = datetime.datetime.utcnow().replace(microsecond=0)
        Users = self.env["res.users"]
        for spec in demo_deals.deals(network, seed=seed):
            user = Users.search([("login", "=", spec["login"])], limit=1)
            if not user:
                continue
            when = now - datetime.timedelta(days=spec["days_ago"])
            name, street, zip_code, city, vat = spec["customer"]
            values = {
                "customer_name": name, "customer_street": street,
                "customer_zip": zip_code, "customer_city": city,
                "customer_vat": vat, "expected_volume": spec["volume"],
                "expected_date": fields.Date.to_string(
                    now.date() + datetime.timedelta(days=spec["expected_in_days"])),
                "note": "",
                "lines": [(products[product].id, quantity)
                          for product, quantity in spec["lines"]],
            }
            registration = Registration.with_context(
                prm_now=when, tracking_disable=True)._prm_register(user, values)
            if spec["outcome"] in ("approved", "rejected"):
                managers = registration._prm_territory_managers()
                approver = Users.search(
                    [("partner_id", "in", managers.ids)], limit=1) or self.env.user
                registration.sudo(approver).with_context(
                    prm_now=when + datetime.timedelta(hours=3))._prm_decide(
                        spec["outcome"] == "approved", spec["reason"])
        Registration._cron_prm_deal_registrations(now=now)
        return True
