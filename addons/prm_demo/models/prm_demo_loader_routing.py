"""Demo data: lead routing rules, product lines and the dealers' business
hours with the public holidays of their states (``lib/demo_routing.py``)."""
from odoo import api, fields, models

from ..lib import demo_network, demo_routing


class PrmDemoLoader(models.AbstractModel):
    _inherit = "prm.demo.loader"

    @api.model
    def _load_demo_network(self, seed=2026, dealer_count=40):
        result = super()._load_demo_network(seed=seed, dealer_count=dealer_count)
        self._demo_routing(seed, dealer_count)
        return result

    @api.model
    def _demo_routing(self, seed=2026, dealer_count=40):
        """Product lines, routing rules and one calendar per German state of
        the demo network (Mon-Fri 8-12, 13-17 Berlin time, holidays of this
        and next year). Nothing is created twice."""
        if self.env["prm.routing.rule"].with_context(
                active_test=False).search_count([]):
            return True
        network = demo_network.generate(
            seed=seed, dealer_count=dealer_count,
            today=fields.Date.from_string(fields.Date.context_today(self)))
        Line = self.env["prm.product.line"].with_context(active_test=False)
        # product lines and calendars are reused when present (the rules
        # were removed, e.g. by head office or a test): nothing twice
        lines = {code: Line.search([("code", "=", "demo-%s" % code)], limit=1)
                 or Line.create({"name": name, "code": "demo-%s" % code})
                 for code, name in demo_routing.PRODUCT_LINES}
        Territory = self.env["prm.territory"]
        tiers = {tier.code: tier for tier in self.env["prm.tier"].search([])}
        for sequence, (name, zips, regions, tier_codes, by_line, digits,
                       method) in enumerate(demo_routing.RULES, start=1):
            self.env["prm.routing.rule"].create({
                "name": name, "sequence": sequence * 10, "zip_prefixes": zips,
                "territory_ids": [(6, 0, Territory.search(
                    [("code", "in", regions)]).ids)],
                "tier_ids": [(6, 0, [tiers[code].id for code in tier_codes
                                     if code in tiers])],
                "match_product_line": by_line, "zip_digits": digits,
                "method": method,
            })
        specs = demo_routing.dealer_routing(network, seed)
        calendars = {}
        Calendar = self.env["resource.calendar"]
        for state in sorted({spec["state_code"] for spec in specs.values()}):
            calendars[state] = Calendar.search(
                [("name", "=", "Händler %s" % state),
                 ("prm_holiday_state", "=", state)], limit=1) or Calendar.create(
                {"name": "Händler %s" % state, "prm_holiday_state": state})
        if calendars:
            Calendar.browse([c.id for c in calendars.values()]) \
                .action_prm_fill_holidays()
        for key, spec in specs.items():
            dealer = self.env.ref("prm_demo.demo_%s" % key,
                                  raise_if_not_found=False)
            if not dealer:
                continue
            dealer.write({
                "prm_product_line_ids": [(6, 0, [
                    lines[code].id for code in spec["product_lines"]])],
                "prm_lead_capacity": spec["capacity"],
                "prm_calendar_id": calendars[spec["state_code"]].id,
            })
        return True
