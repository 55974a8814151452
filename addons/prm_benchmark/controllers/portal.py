import json
import os
from collections import OrderedDict

import werkzeug.utils
import werkzeug.wsgi

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from odoo.addons.prm_partner_portal.controllers.portal import (
    PrmCustomerPortal, prm_access_denied, record_id)

from ..glue import number_format_of, translated
from ..lib import numbers, plausibility
from ..lib.analysis_view import format_cell
from ..models.benchmark_input import SECTIONS


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_value(value, fmt):
    if value is None:
        return ""
    digits = 0 if float(value).is_integer() else 2
    return numbers.format_number(value, fmt[0], fmt[1], digits=digits)


def format_input(value, fmt):
    """An input's stored value for an edit field: exact, never rounded."""
    return numbers.format_exact(value, fmt[0], fmt[1])


class BenchmarkPortal(PrmCustomerPortal):
    """The dealer's figures entry form (both permission classes)."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if values.get("prm_is_director") or values.get("prm_is_bookkeeper"):
            values["prm_open_period_count"] = request.env[
                "prm.benchmark.period"].search_count([("state", "=", "open")])
        return values

    def _entry_allowed(self):
        user = request.env.user
        return user._prm_is_director() or user._prm_is_bookkeeper()

    def _entry_periods(self, partner):
        """Open periods plus periods the dealer has an entry for (read-only)."""
        Period = request.env["prm.benchmark.period"]
        with_entry = request.env["prm.benchmark.entry"].search(
            [("partner_id", "=", partner.id)]).mapped("period_id")
        return Period.search(["|", ("state", "=", "open"),
                              ("id", "in", with_entry.ids)], limit=12)

    @http.route(["/my/benchmark/entry", "/my/benchmark/entry/<int:period_id>"],
                type="http", auth="user", website=True, methods=["GET", "POST"])
    def benchmark_entry(self, period_id=None, **post):
        if not self._entry_allowed():
            return prm_access_denied(_(
                "The figures entry is only available to partner users "
                "(managing director or bookkeeper)."))
        partner = request.env.user.commercial_partner_id
        periods = self._entry_periods(partner)
        if period_id:
            period = periods.filtered(lambda p: p.id == period_id)
            if not period:
                return request.not_found()
        else:
            period = periods.filtered(lambda p: p.state == "open")[:1] or periods[:1]
        if not period:
            return request.render("prm_benchmark.portal_entry_no_period",
                                  self._prepare_portal_layout_values())
        fmt = number_format_of(request.env)
        if request.httprequest.method == "POST":
            return self._benchmark_entry_post(partner, period, periods, fmt, post)
        return self._render_entry(partner, period, periods, fmt,
                                  saved=request.params.get("saved"))

    def _inputs(self):
        return request.env["prm.benchmark.input"].search([])

    def _benchmark_entry_post(self, partner, period, periods, fmt, post):
        inputs = self._inputs()
        entry = request.env["prm.benchmark.entry"].search(
            [("partner_id", "=", partner.id), ("period_id", "=", period.id)])
        stored = entry._values_by_code() if entry else {}
        # A field missing from the post stays as it is; only a field posted
        # empty clears its value.
        typed = {i.code: (post["value_%s" % i.code] or "").strip()
                 if "value_%s" % i.code in post
                 else format_input(stored.get(i.code), fmt) for i in inputs}
        errors, parsed = {}, {}
        for field in inputs:
            if "value_%s" % field.code not in post:
                continue
            try:
                # A field shown unchanged keeps its stored value exactly.
                value = numbers.parse_edited(typed[field.code],
                                             stored.get(field.code), fmt[0], fmt[1])
            except numbers.NumberError as error:
                errors[field.code] = translated(error)
                continue
            if value is not None:
                problem = plausibility.validate_value(value, field._field_spec())
                if problem:
                    errors[field.code] = translated(problem)
                    continue
            parsed[field.id] = value
        if errors:
            return self._render_entry(partner, period, periods, fmt, typed=typed,
                                      errors=errors, status=400)
        try:
            version = int(post.get("version") or 0)
        except ValueError:
            version = -1
        engine = request.env["prm.benchmark.engine"]
        try:
            # A savepoint keeps the request transaction usable when the save
            # is refused half-way; the refusal then rolls everything back.
            with request.env.cr.savepoint():
                engine._save_entry(partner, period, parsed, version=version,
                                   submit=post.get("action") == "submit")
        except UserError as error:
            return self._render_entry(partner, period, periods, fmt, typed=typed,
                                      message=error.name, status=409)
        return request.redirect("/my/benchmark/entry/%d?saved=%s" % (
            period.id, "submitted" if post.get("action") == "submit" else "draft"))

    def _previous_period(self, period):
        return request.env["prm.benchmark.period"].search([
            ("kind", "=", period.kind), ("date_start", "<", period.date_start)],
            order="date_start desc", limit=1)

    def _render_entry(self, partner, period, periods, fmt, typed=None, errors=None,
                      message=None, saved=None, status=200):
        Entry = request.env["prm.benchmark.entry"]
        entry = Entry.search([("partner_id", "=", partner.id),
                              ("period_id", "=", period.id)])
        previous_period = self._previous_period(period)
        previous = Entry.search([("partner_id", "=", partner.id),
                                 ("period_id", "=", previous_period.id)]) \
            if previous_period else Entry
        stored = entry._values_by_code() if entry else {}
        prev_values = previous._values_by_code() if previous else {}
        inputs = self._inputs()
        hints = {}
        if entry and not errors:
            hints = {code: translated(hint) for code, hint in
                     plausibility.plausibility_hints(
                         stored, prev_values, [i._field_spec() for i in inputs])}
        sections = OrderedDict((key, {"label": label, "fields": []})
                               for key, label in SECTIONS)
        for field in inputs:
            sections[field.section]["fields"].append({
                "input": field,
                "text": typed[field.code] if typed is not None
                else format_input(stored.get(field.code), fmt),
                "previous": format_input(prev_values.get(field.code), fmt),
                "error": (errors or {}).get(field.code),
                "hint": hints.get(field.code),
            })
        section_labels = dict(request.env["prm.benchmark.input"].fields_get(
            ["section"])["section"]["selection"])
        kpis = []
        if entry and request.env.user._prm_is_director():
            # Decimals follow the KPI's unit, as in the analysis.
            kpis = [(kv.kpi_id, format_cell(kv.value, kv.kpi_id.unit, fmt))
                    for kv in entry.kpi_value_ids]
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_benchmark_entry",
            "period": period,
            "periods": periods,
            "previous_period": previous_period,
            "entry": entry,
            "sections": [dict(section, label=section_labels.get(key, key))
                         for key, section in sections.items() if section["fields"]],
            "errors": errors or {},
            "message": message,
            "saved": saved,
            "readonly": period.state != "open",
            "kpis": kpis,
            "version": entry.version if entry else 0,
            "decimal_point": fmt[0],
        })
        response = request.render("prm_benchmark.portal_entry", values)
        response.status_code = status
        return response


class BenchmarkAnalysisPortal(BenchmarkPortal):
    """The managing director's analysis: page, JSON data, XLSX export."""

    def _analysis_context(self, period_id=None, group_id=None, fallback=False):
        """(partner, period, group, groups) for the request, or an error text.

        The dealer is always the user's own company; period and group ids
        from the request are only accepted among what this dealer may see.
        """
        if not request.env.user._prm_is_director():
            return None, _("The analysis is only available to the managing "
                           "director of a partner company.")
        partner = request.env.user.commercial_partner_id
        periods = request.env["prm.benchmark.analysis"]._analysis_periods()
        # Ids from the request: anything but a plain existing id (text, NUL,
        # huge or negative numbers, lists, other periods) finds nothing.
        if period_id:
            period = periods.filtered(lambda p: p.id == record_id(period_id))
        else:
            period = request.env["prm.benchmark.analysis"]._default_period(
                periods)
        analysis = request.env["prm.benchmark.analysis"]
        groups = analysis._visible_groups(partner, period) if period else \
            request.env["prm.benchmark.group"]
        if group_id:
            group = groups.filtered(lambda g: g.id == record_id(group_id))
            if not group and fallback and \
                    self._own_group(partner, record_id(group_id)):
                # Switching the period in the page: one of the dealer's
                # groups hidden in that period by the differencing rule is
                # replaced by the first group offered (the answer says which).
                group = groups[:1]
        else:
            group = groups[:1]
        if not period or not group:
            return None, _("This period or comparison group is not available.")
        return {"partner": partner, "period": period, "periods": periods,
                "group": group, "groups": groups}, None

    def _analysis_unavailable(self, message, asked_for_ids):
        """The "not available" page: 404 when the request named a period or
        group the dealer cannot see (missing, foreign, not a number), 200
        when there is simply nothing to show yet."""
        return request.render("prm_benchmark.portal_analysis_empty", dict(
            self._prepare_portal_layout_values(), message=message),
            status=404 if asked_for_ids else 200)

    def _own_group(self, partner, group_id):
        # sudo: only tells whether the dealer is a member; nothing is read out.
        return bool(request.env["prm.benchmark.group.member"].sudo().search_count([
            ("partner_id", "=", partner.id), ("group_id", "=", group_id)]))

    @http.route("/my/benchmark", type="http", auth="user", website=True)
    def benchmark_analysis(self, period_id=None, group_id=None, **kw):
        context, error = self._analysis_context(period_id, group_id, fallback=True)
        if error:
            if not request.env.user._prm_is_director():
                return prm_access_denied(error)
            return self._analysis_unavailable(error, period_id or group_id)
        analysis = request.env["prm.benchmark.analysis"]
        data = analysis._analysis_data(context["partner"], context["period"],
                                       context["group"], context["groups"])
        values = self._prepare_portal_layout_values()
        values.update(context)
        labels = analysis._labels()
        payload = dict(data, labels=labels, groups=[
            {"id": g.id, "name": g.name} for g in context["groups"]])
        values.update({
            "page_name": "prm_benchmark_analysis",
            "data": data,
            # No "<" at all in the JSON: neither "</script>" nor "<!--" in a
            # name can end or change the <script> element.
            "data_json": json.dumps(payload).replace("<", "\\u003c"),
            "labels": labels,
        })
        return request.render("prm_benchmark.portal_analysis", values)

    @http.route("/my/benchmark/data", type="json", auth="user")
    def benchmark_data(self, period_id=None, group_id=None, **kw):
        context, error = self._analysis_context(period_id, group_id, fallback=True)
        if error:
            return {"error": error}
        analysis = request.env["prm.benchmark.analysis"]
        data = analysis._analysis_data(context["partner"], context["period"],
                                       context["group"], context["groups"])
        data["labels"] = analysis._labels()
        data["groups"] = [{"id": g.id, "name": g.name} for g in context["groups"]]
        return data

    @http.route("/my/benchmark/export.xlsx", type="http", auth="user")
    def benchmark_export(self, period_id=None, group_id=None, **kw):
        context, refusal = self._download_context(period_id, group_id)
        if refusal:
            return refusal
        analysis = request.env["prm.benchmark.analysis"]
        data = analysis._analysis_data(context["partner"], context["period"],
                                       context["group"])
        content = request.env["prm.benchmark.export"]._partner_view_xlsx(data)
        filename = "benchmark-%s.xlsx" % context["period"].name.replace("/", "-")
        return request.make_response(content, headers=[
            ("Content-Type", XLSX_MIME),
            ("Content-Disposition", content_disposition(filename)),
        ])

    def _download_context(self, period_id, group_id):
        """``(context, None)`` of a download of the view (period, group), or
        ``(None, refusal)``: 403 for anyone but a managing director, 404 for
        a period or group the dealer cannot see (``_analysis_context``)."""
        context, error = self._analysis_context(period_id, group_id)
        if not error:
            return context, None
        if not request.env.user._prm_is_director():
            return None, prm_access_denied(error)
        return None, self._analysis_unavailable(error, True)

    @http.route("/my/benchmark/report.pdf", type="http", auth="user")
    def benchmark_report(self, period_id=None, group_id=None, **kw):
        """The personal report (PDF) of the view (period, group): the same
        checks as the XLSX export; the report model checks again."""
        context, refusal = self._download_context(period_id, group_id)
        if refusal:
            return refusal
        entry = request.env["prm.benchmark.entry"].search([
            ("partner_id", "=", context["partner"].id),
            ("period_id", "=", context["period"].id)])
        if not entry:
            return self._analysis_unavailable(_(
                "There is no report for a period without your own figures."), True)
        report = request.env.ref("prm_benchmark.action_report_participant")
        content, _kind = report.render_qweb_pdf(
            entry.ids, data={"group_id": context["group"].id})
        filename = "benchmark-report-%s.pdf" % context["period"].name.replace("/", "-")
        return request.make_response(content, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Disposition", content_disposition(filename)),
        ])

    @http.route("/my/benchmark/report/open/<string:token>", type="http",
                auth="public")
    def benchmark_report_link(self, token, **kw):
        """The link of a report mail: records the opening, then the portal
        page of that period (which asks for the login). Unknown: 404."""
        dispatch = request.env["prm.benchmark.report.dispatch"]._opened(token)
        if not dispatch:
            return request.not_found()
        return werkzeug.utils.redirect(
            "/my/benchmark?period_id=%d" % dispatch.period_id.id, 303)


class BenchmarkHeadOfficeExport(http.Controller):
    """Head office downloads a whole period (streamed from a temp file)."""

    @http.route("/prm_benchmark/export/network/<int:period_id>", type="http",
                auth="user")
    def network_export(self, period_id, **kw):
        if not request.env.user._prm_is_head_office():
            return request.not_found()
        period = request.env["prm.benchmark.period"].browse(period_id).exists()
        if not period:
            return request.not_found()
        path = request.env["prm.benchmark.export"]._network_xlsx_file(period)
        handle = open(path, "rb")
        os.unlink(path)  # the open handle keeps the data until it is sent
        filename = "benchmark-network-%s.xlsx" % period.name.replace("/", "-")
        return http.Response(
            werkzeug.wsgi.wrap_file(request.httprequest.environ, handle),
            headers=[("Content-Type", XLSX_MIME),
                     ("Content-Disposition", content_disposition(filename))],
            direct_passthrough=True)
