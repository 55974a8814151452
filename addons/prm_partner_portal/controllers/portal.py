import re
from collections import OrderedDict

from odoo import _, fields
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

from ..lib import targets as target_logic


def record_id(value):
    """``value`` (a request parameter) as a record id, or 0 if it is none.

    Only plain decimal numbers of a PostgreSQL ``integer`` count: ``"12"``,
    ``12``; not ``"-1"``, ``"1e3"``, ``"²"``, ``"99999999999"``, lists or
    booleans. 0 matches no record, so ``browse(record_id(x)).exists()`` is
    empty for anything else.
    """
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value if 0 < value < 2 ** 31 else 0
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value):
        number = int(value)
        return number if 0 < number < 2 ** 31 else 0
    return 0


def prm_access_denied(message):
    """A translated 403 page that says why, instead of a bare error."""
    return request.render("prm_partner_portal.portal_prm_access_denied", {
        "page_name": "prm_denied",
        "message": message,
    }, status=403)


def page_number(value):
    """A pager's page from the request: 1 for anything that is not a plain
    decimal number of PostgreSQL's ``integer`` (core's portal pager takes
    "²" for a digit, as ``str.isdigit`` does, and fails on it)."""
    text = str(value)
    if not (text.isascii() and text.isdecimal()):
        return 1
    return min(max(int(text), 1), 2 ** 31 - 1)


class PrmCustomerPortal(CustomerPortal):
    """Portal pages of the PRM core.

    Every query runs as the logged-in user: record rules restrict portal
    users to their own company (``commercial_partner_id``) and the
    permission class decides which pages exist for them.
    """

    _targets_periods_per_page = 4
    # Longest text accepted in the "My details" form: no real name, street
    # or e-mail comes near it, and it keeps pasted junk out of the records.
    _details_max_length = 256

    def details_form_validate(self, data):
        """Refuse overlong or non-text values and unknown ids before Odoo's
        checks.

        Odoo's own validation would store any length and fail with a server
        error on a country or state id that is not a number or does not
        exist (the write hits the foreign key).
        """
        error, error_message = {}, []
        labels = {"name": _("Your Name"), "email": _("Email"),
                  "phone": _("Phone"), "street": _("Street"), "city": _("City"),
                  "zipcode": _("Zip / Postal Code"), "vat": _("VAT Number"),
                  "company_name": _("Company Name")}
        for field_name, label in labels.items():
            value = data.get(field_name) or ""
            if not isinstance(value, str):  # e.g. a file posted as a name
                error[field_name] = "error"
                data[field_name] = ""
                error_message.append(_("%s is not valid.") % label)
            elif len(value) > self._details_max_length:
                error[field_name] = "error"
                error_message.append(_(
                    "%(field)s is too long: %(length)s characters, at most "
                    "%(max)s are allowed.") % {"field": label, "length": len(value),
                                               "max": self._details_max_length})
        invalid = self._details_invalid_ids(data)
        for field_name in invalid:
            error[field_name] = "error"
            # ``data`` is the posted form that Odoo shows again; its
            # template reads the ids as numbers.
            data[field_name] = ""
        if invalid:
            error_message.append(_("Please choose a country and state from "
                                   "the list."))
        if error:
            return error, error_message
        return super().details_form_validate(data)

    @staticmethod
    def _details_invalid_ids(data):
        """Names of the posted ``country_id`` / ``state_id`` that are not a
        number, name no existing record, or (state) not one of the country."""
        # sudo: countries and states are public reference data (the form
        # lists them all with sudo as well); only existence is checked.
        Country = request.env["res.country"].sudo()
        State = request.env["res.country.state"].sudo()
        invalid = []
        country = Country.browse(record_id(data.get("country_id"))).exists()
        if data.get("country_id") and not country:
            invalid.append("country_id")
        state = State.browse(record_id(data.get("state_id"))).exists()
        if data.get("state_id") and (
                not state or (country and state.country_id != country)):
            invalid.append("state_id")
        return invalid

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        user = request.env.user
        values.update({
            "prm_is_director": user._prm_is_director(),
            "prm_is_bookkeeper": user._prm_is_bookkeeper(),
            "prm_dealer": user.commercial_partner_id,
        })
        if values["prm_is_director"]:
            values["prm_target_count"] = request.env["prm.target"].search_count([])
        return values

    @route(["/my/targets", "/my/targets/page/<int:page>"], type="http",
           auth="user", website=True)
    def portal_my_targets(self, page=1, **kw):
        if not request.env.user._prm_is_director():
            return prm_access_denied(
                _("Targets are only available to the managing director of a "
                  "partner company."))
        values = self._prepare_portal_layout_values()
        Target = request.env["prm.target"]  # as the user: own company only
        # Newest period first. read_group can only order by grouped columns
        # (it ignores anything else with a warning), so the start date is
        # grouped too; it is the same for all targets of a period.
        period_groups = Target.read_group(
            [], ["date_range_id", "date_start"], ["date_start:day", "date_range_id"],
            orderby="date_start desc, date_range_id", lazy=False)
        step = self._targets_periods_per_page
        pager = portal_pager(
            url="/my/targets", total=len(period_groups), page=page_number(page),
            step=step)
        shown = period_groups[pager["offset"]:pager["offset"] + step]
        period_ids = [group["date_range_id"][0] for group in shown]
        records = Target.search([("date_range_id", "in", period_ids)],
                                order="date_start desc, metric_sequence, id")
        periods = OrderedDict()
        for target in records:
            periods.setdefault(target.date_range_id, []).append(target)
        summaries = {
            period: target_logic.combine([{
                "target": t.target_value, "actual": t.actual_value, "count": 1,
            } for t in period_targets if t.metric_id.unit == "currency"])
            for period, period_targets in periods.items()}
        values.update({
            "page_name": "prm_targets",
            "periods": periods,
            "summaries": summaries,
            "pager": pager,
            "today": fields.Date.context_today(request.env.user),
        })
        return request.render("prm_partner_portal.portal_my_targets", values)
