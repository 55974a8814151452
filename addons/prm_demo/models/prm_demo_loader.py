"""Demo data: the dealer network (users, territories, dealers, targets, leads).

The network comes from ``lib/demo_network.py``; this only stores it.
"""
import datetime
import logging

from odoo import api, fields, models

from ..lib import demo_network

_logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo"
#: Module of the dealers' xmlids (``prm_demo.demo_dealer01`` ...).
XMLID_MODULE = "prm_demo"
DEMO_LANG = "de_DE"
DEMO_VISIT_NOTE = "Besuch durch den Gebietsleiter, Jahresgespräch geführt."
DEMO_ACTIVITY = "Quartalsgespräch vorbereiten"
DEMO_LOST_REASON = "Kunde hat sich für ein Wettbewerbsprodukt entschieden."
DEMO_FEEDBACK_COMMENTS = [
    "Schnelle Rückmeldung, gute Beratung.",
    "Angebot kam zügig, Vorführung vor Ort war hilfreich.",
    "",
    "Freundlich, aber der Rückruf hat etwas gedauert.",
]


class PrmDemoLoader(models.AbstractModel):
    """Loads the generated demo network (called from demo/demo_network.xml).

    The methods are private: XML-RPC cannot call them (only the demo data
    file does, as superuser, when ``prm_demo`` is installed).
    """

    _name = "prm.demo.loader"
    _description = "PRM demo network loader"

    @api.model
    def _load_demo_network(self, seed=2026, dealer_count=40):
        """Create the seeded network; returns True.

        A database that already holds the network (built when the production
        addons still carried the demo) keeps it: nothing is created twice
        (its xmlids moved here in ``hooks.pre_init_hook``).
        """
        if self.env["res.users"].with_context(active_test=False).search_count(
                [("login", "=", demo_network.BACKOFFICE_USERS[0][0])]):
            _logger.info("demo network already present: not loaded again")
            return True
        self._demo_language()
        network = demo_network.generate(
            seed=seed, dealer_count=dealer_count,
            today=fields.Date.from_string(fields.Date.context_today(self)))
        users = self._demo_backoffice(network)
        periods = self._demo_periods(network)
        territories = self._demo_territories(network, users)
        self._demo_dealers(network, territories, periods, users)
        self._demo_exchange(network, territories)
        return True

    def _demo_language(self):
        """German operator, German dealers: German is the portal's language.

        The default language of new partners (new dealers and their users
        included) and of the operator's company is German; the sign-in pages
        follow it for visitors (see ``ir.http._prm_visitor_lang``).
        """
        if not self.env["res.lang"].search([("code", "=", DEMO_LANG)]):
            self.env["base.language.install"].create(
                {"lang": DEMO_LANG, "overwrite": False}).lang_install()
        self.env["ir.default"].set("res.partner", "lang", DEMO_LANG)
        self.env.ref("base.main_company").partner_id.lang = DEMO_LANG

    def _demo_user(self, login, name, group_xmlids, mobile=None, partner_vals=None):
        Users = self.env["res.users"].with_context(
            no_reset_password=True, mail_create_nosubscribe=True,
            tracking_disable=True)
        groups = [self.env.ref(xmlid).id for xmlid in group_xmlids]
        vals = {"name": name, "login": login, "email": "%s@demo.example" % login,
                "password": DEMO_PASSWORD, "groups_id": [(6, 0, groups)],
                "lang": DEMO_LANG, "tz": "Europe/Berlin"}
        if partner_vals:
            partner = self.env["res.partner"].create(dict(
                partner_vals, name=name, email=vals["email"], mobile=mobile))
            vals["partner_id"] = partner.id
        user = Users.create(vals)
        if mobile and not partner_vals:
            user.partner_id.mobile = mobile
        return user

    def _demo_backoffice(self, network):
        users = {}
        for login, name, role in network["backoffice"]:
            users[login] = self._demo_user(
                login, name, ["prm_partner_portal.group_prm_%s" % role],
                mobile="+49152000001%02d" % (len(users) + 1))
        for territory in network["territories"]:
            login = territory["manager_login"]
            if login not in users:
                users[login] = self._demo_user(
                    login, territory["manager_name"],
                    ["prm_partner_portal.group_prm_user"],
                    mobile="+49152000002%02d" % (len(users) + 1))
        return users

    def _demo_periods(self, network):
        quarter = self.env.ref("prm_partner_portal.date_range_type_quarter")
        DateRange = self.env["date.range"]
        periods = {}
        for period in network["periods"]:
            existing = DateRange.search([
                ("type_id", "=", quarter.id),
                ("date_start", "=", period["date_start"])], limit=1)
            periods[period["name"]] = existing or DateRange.create({
                "name": period["name"], "type_id": quarter.id,
                "date_start": period["date_start"], "date_end": period["date_end"],
                "company_id": False,
            })
        return periods

    def _demo_territories(self, network, users):
        result = {}
        for spec in network["territories"]:
            result[spec["code"]] = self.env["prm.territory"].create({
                "code": spec["code"], "name": spec["name"],
                "parent_id": result[spec["parent"]].id if spec["parent"] else False,
                "manager_id": users[spec["manager_login"]].id,
            })
        return result

    def _demo_dealers(self, network, territories, periods, users):
        germany = self.env.ref("base.de")
        states = {state.code: state.id for state in self.env[
            "res.country.state"].search([("country_id", "=", germany.id)])}
        tiers = {tier.code: tier.id for tier in self.env["prm.tier"].search([])}
        metrics = {metric.code: metric.id for metric in
                   self.env["prm.target.metric"].search([])}
        touchpoints = {tp.code: tp.id for tp in self.env["prm.touchpoint"].search([])}
        warranty = self.env.ref("prm_partner_portal.claim_category_warranty")
        stages = self.env["crm.claim.stage"].search([], order="sequence")
        now = fields.Datetime.from_string(fields.Datetime.now())
        won_stage = self.env["crm.stage"].search(
            [("probability", "=", 100)], limit=1)
        feedback_vals = []
        answered_count = 0
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nosubscribe=True)
        for spec in network["dealers"]:
            territory = territories[spec["territory"]]
            dealer = Partner.create({
                "name": spec["name"], "is_company": True, "prm_is_dealer": True,
                "lang": DEMO_LANG,
                "ref": spec["ref"], "city": spec["city"], "country_id": germany.id,
                "state_id": states.get(spec["state_code"], False),
                "email": spec["email"], "phone": spec["phone"],
                "prm_state": spec["prm_state"], "prm_tier_id": tiers[spec["tier"]],
                "prm_territory_id": territory.id,
                "prm_partner_since": spec["partner_since"],
                "prm_employee_count": spec["employees"],
                "prm_floor_space": spec["floor_space"],
            })
            self.env["ir.model.data"].create({
                "module": XMLID_MODULE, "name": "demo_%s" % spec["key"],
                "model": "res.partner", "res_id": dealer.id, "noupdate": True,
            })
            for user_spec in spec["users"]:
                self._demo_user(
                    user_spec["login"], user_spec["name"],
                    ["base.group_portal",
                     "prm_partner_portal.group_prm_portal_%s" % user_spec["role"]],
                    mobile=user_spec["mobile"],
                    partner_vals={"parent_id": dealer.id, "type": "contact"})
            for target in spec["targets"]:
                self.env["prm.target"].create({
                    "partner_id": dealer.id,
                    "date_range_id": periods[target["period"]].id,
                    "metric_id": metrics[target["metric"]],
                    "target_value": target["target"],
                    "actual_value": target["actual"],
                })
            for claim_index in range(spec["claims"]):
                self.env["crm.claim"].create({
                    "name": "Garantiefall %s-%d" % (spec["ref"], claim_index + 1),
                    "partner_id": dealer.id,
                    "categ_id": warranty.id,
                    "stage_id": stages[
                        (claim_index + len(spec["name"])) % len(stages)].id,
                    "user_id": users["warranty"].id,
                })
            for lead in spec["leads"]:
                forwarded = now - datetime.timedelta(days=lead["days_ago"])
                vals = {
                    "name": lead["name"], "type": "opportunity",
                    "partner_assigned_id": dealer.id,
                    "prm_touchpoint_id": touchpoints[lead["touchpoint"]],
                    "planned_revenue": lead["revenue"],
                    "prm_forwarded_date": fields.Datetime.to_string(forwarded),
                    "prm_dealer_state": "pending",
                    "user_id": territory.manager_id.id,
                }
                closed = None
                if lead["response_hours"] is not None:
                    answered = forwarded + datetime.timedelta(
                        hours=lead["response_hours"])
                    vals.update({
                        "prm_dealer_state": "accepted",
                        "prm_first_reaction": "quote" if lead["won"] else "contacted",
                        "prm_first_response_date": fields.Datetime.to_string(
                            answered),
                    })
                    answered_count += 1
                    # Won leads, and every fifth other answered lead is lost;
                    # their customers have answered the feedback request.
                    if lead["won"] or answered_count % 5 == 0:
                        closed = min(answered + datetime.timedelta(days=2), now)
                        vals["date_closed"] = fields.Datetime.to_string(closed)
                    if lead["won"]:
                        vals.update({"stage_id": won_stage.id, "probability": 100})
                    elif closed:
                        vals.update({"active": False, "probability": 0,
                                     "prm_lost_reason": DEMO_LOST_REASON})
                record = self.env["crm.lead"].with_context(
                    tracking_disable=True).create(vals)
                if closed:
                    feedback_vals.append(self._demo_feedback_vals(
                        record, closed, now, len(feedback_vals)))
            if spec["claims"]:
                self.env["mail.activity"].create({
                    "res_model_id": self.env.ref("base.model_res_partner").id,
                    "res_id": dealer.id,
                    "activity_type_id": self.env.ref(
                        "mail.mail_activity_data_call").id,
                    "summary": DEMO_ACTIVITY,
                    "user_id": territory.manager_id.id,
                    "date_deadline": fields.Date.to_string(
                        now.date() + datetime.timedelta(days=7)),
                })
            dealer.message_post(
                body=DEMO_VISIT_NOTE,
                message_type="comment", subtype="mail.mt_note")
        Feedback = self.env["prm.lead.feedback"]
        for vals in feedback_vals:
            Feedback.create(vals)

    def _demo_feedback_vals(self, lead, closed, now, index):
        answered = min(closed + datetime.timedelta(days=2), now)
        return {
            "lead_id": lead.id, "email": lead.email_from or False,
            "sent_on": fields.Datetime.to_string(closed),
            "answered_on": fields.Datetime.to_string(answered),
            "rating": 3 + index % 3,
            "comment": DEMO_FEEDBACK_COMMENTS[index % len(DEMO_FEEDBACK_COMMENTS)],
            "state": "answered",
        }
