"""Demo data of the partner programme (called from demo/demo_programme.xml)."""
from odoo import api, models

from ..lib import demo_programme


class ProgrammeDemoLoader(models.AbstractModel):
    _name = "prm.programme.demo.loader"
    _description = "PRM demo partner programme loader"

    @api.model
    def _load_demo_programme(self):
        """Criteria on the demo tiers, technicians on the demo dealers, one
        evaluation run; nothing is set twice (a tier with criteria keeps
        them). Returns True."""
        Criterion = self.env["prm.tier.criterion"]
        for tier in self.env["prm.tier"].search([]):
            tier.grace_months = demo_programme.GRACE_MONTHS.get(tier.code, 0)
            if tier.criterion_ids:
                continue
            for sequence, (code, minimum) in enumerate(sorted(
                    demo_programme.CRITERIA.get(tier.code, {}).items())):
                Criterion.create({"tier_id": tier.id, "criterion": code,
                                  "threshold": minimum, "sequence": sequence})
        for data in self.env["ir.model.data"].search([
                ("module", "=", "prm_demo"), ("model", "=", "res.partner"),
                ("name", "=like", "demo_dealer%")]):
            dealer = self.env["res.partner"].browse(data.res_id)
            number = int(data.name[len("demo_dealer"):])
            dealer.with_context(tracking_disable=True).write({
                "prm_certified_technicians": demo_programme.technicians(
                    dealer.prm_employee_count, number)})
        self.env["prm.tier.evaluation"]._prm_run()
        return True
