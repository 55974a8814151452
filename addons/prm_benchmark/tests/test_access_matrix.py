"""Every role × every model of prm_benchmark through the ORM.

Same roles and cells as prm_partner_portal's access matrix (see
``prm_partner_portal/tests/access_matrix.py``): read, write, create, unlink;
upper case on the own and a foreign dealer's record, lower case on the own
dealer's only, ``-`` refused.
"""
from odoo.addons.prm_partner_portal.tests.access_matrix import (
    AccessMatrixCase, Probe)

# Why the cells are what they are:
# - Questionnaire inputs and periods are readable by internal and portal
#   users (the entry form shows them); KPIs by internal users and directors
#   (analysis); comparison groups by PRM users and a director's own groups.
#   Only head office changes any of them. Members name dealers: a territory
#   manager reads the members of the own region only.
# - Entries and figures: head office everything; a territory manager reads
#   the own region; directors and bookkeepers read the own company's only and
#   change figures through the entry form alone (it checks company, open
#   period, optimistic lock and writes only the figures), never by ORM/RPC.
# - KPI values are computed: nobody writes them by hand, readers as entries
#   (bookkeepers only enter figures and see no KPIs).
# - Statistics are raw, unfiltered group figures (no anonymity rule yet):
#   head office only; everybody else gets them through the anonymity filter.
# - Import mappings and the import wizard are head-office tools; the wizard
#   is transient (own records only) and its actions check head office.
# - Report mails (dispatches) are written by the system only; head office
#   reads them (who got which report when), nobody changes them.
EXPECTED = """
model                        manager tm    recv  mkt   warr  user  dir   book  public
prm.benchmark.input          RWCU    R---  R---  R---  R---  R---  R---  R---  ----
prm.benchmark.kpi            RWCU    R---  R---  R---  R---  R---  R---  ----  ----
prm.benchmark.period         RWCU    R---  R---  R---  R---  R---  R---  R---  ----
prm.benchmark.group          RWCU    R---  ----  ----  ----  ----  r---  ----  ----
prm.benchmark.group.member   R---    r---  ----  ----  ----  ----  r---  ----  ----
prm.benchmark.entry          RWCU    r---  ----  ----  ----  ----  r---  r---  ----
prm.benchmark.value          RWCU    r---  ----  ----  ----  ----  r---  r---  ----
prm.benchmark.kpi.value      R---    r---  ----  ----  ----  ----  r---  ----  ----
prm.benchmark.stat           R---    ----  ----  ----  ----  ----  ----  ----  ----
prm.benchmark.import.mapping RWCU    ----  ----  ----  ----  ----  ----  ----  ----
prm.benchmark.import.wizard  rwCu    rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu  rwCu
prm.benchmark.report.dispatch R---   ----  ----  ----  ----  ----  ----  ----  ----
"""


def entry(case, dealer):
    return case.env["prm.benchmark.entry"].create(
        {"partner_id": dealer.id, "period_id": case.period.id})


def group(case, dealer):
    return case.env["prm.benchmark.group"].create({
        "name": "Matrix group", "kind": "explicit",
        "explicit_partner_ids": [(6, 0, [dealer.id])]})


def value_values(case, dealer):
    return {"entry_id": entry(case, dealer).id,
            "input_id": case.env["prm.benchmark.input"].search([], limit=1).id,
            "value": 1.0}


def kpi_value_values(case, dealer):
    return {"entry_id": entry(case, dealer).id, "kpi_id": case.kpi.id,
            "partner_id": dealer.id, "period_id": case.period.id, "value": 1.0}


def config(model, values, write=None):
    return Probe(model, lambda case, dealer: dict(values),
                 write or {"name": "Matrix renamed"}, scoped=False)


PROBES = [
    config("prm.benchmark.input", {"code": "matrix_input", "name": "Matrix"}),
    config("prm.benchmark.kpi", {"code": "matrix_kpi", "name": "Matrix",
                                 "formula": "1"}),
    Probe("prm.benchmark.period", lambda case, dealer: {
        "date_range_id": case.env["date.range"].create({
            "name": "Matrix 1980", "type_id": case.range_type.id,
            "date_start": "1980-01-01", "date_end": "1980-12-31"}).id,
        "kind": "year"}, {"deadline": "1981-01-31"}, scoped=False),
    Probe("prm.benchmark.group", lambda case, dealer: {
        "name": "Matrix group", "kind": "explicit",
        "explicit_partner_ids": [(6, 0, [dealer.id])]}, {"sequence": 99}),
    Probe("prm.benchmark.group.member", lambda case, dealer: {
        "group_id": case.env["prm.benchmark.group"].create(
            {"name": "Matrix empty group", "kind": "explicit"}).id,
        "partner_id": dealer.id}, {"partner_id": None}),
    Probe("prm.benchmark.entry", lambda case, dealer: {
        "partner_id": dealer.id, "period_id": case.period.id},
        {"review_comment": "Matrix"}),
    Probe("prm.benchmark.value", value_values, {"value": 2.0}),
    Probe("prm.benchmark.kpi.value", kpi_value_values, {"value": 2.0}),
    Probe("prm.benchmark.stat", lambda case, dealer: {
        "period_id": case.period.id, "group_id": case.network_group.id,
        "kpi_id": case.kpi.id, "count": 5}, {"count": 6}, scoped=False),
    config("prm.benchmark.import.mapping", {"name": "Matrix"}),
    Probe("prm.benchmark.import.wizard", lambda case, dealer: {
        "period_id": case.period.id, "file": b"bWF0cml4", "filename": "matrix.xlsx",
        "mapping_id": False},
        {"filename": "renamed.xlsx"}),
    Probe("prm.benchmark.report.dispatch", lambda case, dealer: {
        "period_id": case.period.id, "partner_id": dealer.id,
        "user_id": case.env.uid, "token": "matrix-token"}, {"failure": "Matrix"}),
]


class TestBenchmarkAccessMatrix(AccessMatrixCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.range_type = cls.env["date.range.type"].create(
            {"name": "Matrix ranges", "allow_overlap": True})
        cls.period = cls.env["prm.benchmark.period"].create({
            "date_range_id": cls.env["date.range"].create({
                "name": "Matrix Q1/1990", "type_id": cls.range_type.id,
                "date_start": "1990-01-01", "date_end": "1990-03-31"}).id,
            "kind": "quarter"})
        cls.kpi = cls.env["prm.benchmark.kpi"].search([], limit=1)
        cls.network_group = cls.env["prm.benchmark.group"].search(
            [("is_network", "=", True)], limit=1)

    def test_orm_access_matrix_of_benchmark_models(self):
        self.assert_matrix(PROBES, EXPECTED)

    def test_head_office_actions_check_role(self):
        """Buttons are hidden for others; calling them over RPC is refused."""
        def import_wizard(user):
            return self.env["prm.benchmark.import.wizard"].sudo(user).create({
                "period_id": self.period.id, "file": b"bWF0cml4",
                "filename": "matrix.xlsx", "mapping_id": False})

        def submitted_entry(user):
            return self.env["prm.benchmark.entry"].create({
                "partner_id": self.own_dealer.id, "period_id": self.period.id,
                "state": "submitted", "review_comment": "Matrix"})
        for record_factory, method in (
                (import_wizard, "action_preview"), (import_wizard, "action_import"),
                (submitted_entry, "action_mark_checked"),
                (submitted_entry, "action_send_back"),
                (submitted_entry, "action_recompute")):
            self.assertEqual(self.roles_allowed(record_factory, method),
                             {"manager"}, method)

    def test_territory_manager_reads_members_of_the_own_region_only(self):
        """Issue 14: tm.nord read members (with names) of foreign dealers."""
        tm = self.users["tm"]
        members = self.env["prm.benchmark.group.member"].sudo(tm).search_read(
            [], ["group_id", "partner_id"])
        names = {member["partner_id"][1] for member in members}
        self.assertNotIn(self.foreign_dealer.display_name, names)
        self.assertIn(self.own_dealer.display_name, names)
        # the member count stays the group's true size
        network = self.network_group.sudo(tm)
        self.assertEqual(network.member_count, self.env[
            "prm.benchmark.group.member"].search_count(
                [("group_id", "=", self.network_group.id)]))
        self.assertIn(self.foreign_dealer, self.env[
            "prm.benchmark.group.member"].search(
                [("group_id", "=", self.network_group.id)]).mapped("partner_id"))
