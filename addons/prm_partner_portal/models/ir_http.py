import inspect
import json
import logging
import re

import psycopg2
import werkzeug.exceptions
import werkzeug.http
import werkzeug.wrappers
from markupsafe import escape
from werkzeug.datastructures import FileStorage

import odoo
from odoo import SUPERUSER_ID, _, api, models
from odoo.http import request
from odoo.osv import expression

from odoo.addons.base.ir.ir_http import SignedIntConverter

from .. import log_glue
from ..lib import errors as error_logic

_logger = logging.getLogger(__name__)
#: Errors that core routes raise on malformed request parameters.
BAD_INPUT = log_glue.BAD_INPUT
#: werkzeug refusals of HTTP routes answered with the translated page
ERROR_PAGE_CODES = (400, 403, 404, 405)
#: core's English refusal reasons, answered in the user's language
#: (``IrHttp._prm_core_reason``)
CSRF_REASON = "Session expired (invalid CSRF token)"

SECURITY_HEADERS = {
    # Portal pages must not be framed by other sites (clickjacking).
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class Int32Converter(SignedIntConverter):
    """``<int:…>`` in routes: only numbers PostgreSQL's ``integer`` holds.

    Odoo's converter took any length, and an id like 99999999999999999999
    made the database refuse the query (a server error); now such a URL
    matches no route (404), as any other id that names no record.
    """

    def __init__(self, url_map, fixed_digits=0, min=-2 ** 31, max=2 ** 31 - 1):
        # pylint: disable=redefined-builtin
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return dict(super()._get_converters(), int=Int32Converter)

    @classmethod
    def binary_content(cls, *args, **kwargs):
        """Core's file lookup behind /web/content, /web/image and
        /web/binary/image: ``(status, headers, content)``. A record or
        attachment the user may not read (403, also a wrong access token)
        answers like one that does not exist: ``(404, [], None)``, so the
        status tells nobody whether an id exists (a document outside the
        audience, another dealer's partner record)."""
        status, headers, content = super().binary_content(*args, **kwargs)
        if status == 403:
            return 404, [], None
        return status, headers, content

    @classmethod
    def _get_translation_frontend_modules_domain(cls):
        """Portal pages load the JS translations (``_t``) of our addons too.

        Odoo 11 frontend pages fetch them from ``/website/translations``
        (http_routing), for the modules of this domain only.
        """
        domain = super()._get_translation_frontend_modules_domain()
        return expression.OR([domain, [("name", "=like", "prm\\_%")]])

    @classmethod
    def _get_default_lang(cls):
        """The operator's language: the default language of new partners.

        Set in Settings (``ir.default`` of ``res.partner.lang``); without it
        the main company's language, then http_routing's first language.
        """
        code = cls._prm_operator_lang(request.env(user=SUPERUSER_ID))
        lang = request.env["res.lang"].sudo().search([("code", "=", code)], limit=1)
        return lang if code else super()._get_default_lang()

    @classmethod
    def _prm_operator_lang(cls, env):
        """Code of the operator's language (``"de_DE"``) if installed, else None."""
        code = env["ir.default"].get("res.partner", "lang") or env.ref(
            "base.main_company").partner_id.lang
        if code and env["res.lang"].search_count([("code", "=", code)]):
            return code
        return None

    @classmethod
    def _prm_visitor_lang(cls):
        """Visitors who have not signed in read the operator's language.

        The sign-in, code, reset, invitation and feedback pages are German for
        a German operator whatever language the browser asks for; signed-in
        users read their own language (``res.users.lang``, put into the
        session context when they sign in).
        """
        if request.session.uid or not request.db:
            return
        # Before authentication ``request.env`` has no user: read the
        # language settings as superuser (nothing user-specific is read).
        code = cls._prm_operator_lang(api.Environment(request.cr, SUPERUSER_ID, {}))
        if code:
            request.session.context["lang"] = code
            request.context = dict(request.context, lang=code)

    @classmethod
    def _dispatch(cls):
        cls._prm_visitor_lang()
        if request.httprequest.args.get("jsonp"):
            # Odoo 11 answers JSON routes as JSONP: a <script> tag of any site
            # would run them with the user's cookies and read the answer,
            # session id included. Nothing in the product uses JSONP.
            _logger.info("JSONP request refused: %s", request.httprequest.path)
            response = cls._prm_error_page(400)
        elif cls._prm_has_nul():
            _logger.info("request with a NUL character refused: %r",
                         request.httprequest.path)
            response = cls._prm_bad_request(
                _("The request contains a NUL character."))
        else:
            try:
                response = super()._dispatch()
            except werkzeug.exceptions.MethodNotAllowed as error:
                # GET on a POST-only route (reload, bookmark, back button):
                # the route lookup raises it before Odoo's own handling and
                # werkzeug answered its English page (made ours just below)
                if getattr(request, "_request_type", None) != "http":
                    raise
                response = error
            response = cls._prm_without_traceback(response)
            if isinstance(response, werkzeug.exceptions.HTTPException) and \
                    response.code in ERROR_PAGE_CODES and \
                    getattr(request, "_request_type", None) == "http":
                # request.not_found() and friends: werkzeug's English page;
                # a text of our own (not werkzeug's default) is kept
                own = response.description != type(response).description
                page = cls._prm_error_page(
                    response.code,
                    cls._prm_core_reason(response.description) if own else None)
                if isinstance(response, werkzeug.exceptions.MethodNotAllowed):
                    page.headers["Allow"] = ", ".join(response.valid_methods or ())
                response = page
            elif cls._prm_is_werkzeug_page(response):
                # ``return request.not_found()`` in a route: Odoo's route
                # wrapper already made werkzeug's English page of it
                response = cls._prm_error_page(response.status_code)
        headers = getattr(response, "headers", None)
        if headers is not None:
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
        return response

    @classmethod
    def _prm_is_werkzeug_page(cls, response):
        """True if ``response`` is werkzeug's own refusal page (400–405).

        Routes that *return* ``request.not_found()`` (ours and core's) reach
        ``_dispatch`` as a finished response with werkzeug's bare English
        page ("Not Found - The requested URL was not found on the server"):
        recognised by its fixed head (``HTTPException.get_body``).
        """
        code = getattr(response, "status_code", None)
        if code not in ERROR_PAGE_CODES or \
                not isinstance(response, werkzeug.wrappers.BaseResponse) or \
                response.direct_passthrough or response.is_streamed or \
                getattr(response, "mimetype", None) != "text/html":
            return False  # files (a placeholder image answers 404 too)
        head = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n' \
            "<title>%d %s</title>" % (
                code, werkzeug.http.HTTP_STATUS_CODES[code])
        return response.get_data().startswith(head.encode())

    @classmethod
    def _auth_method_calendar(cls):
        """Calendar invitation links (``auth="calendar"``): this database only.

        Odoo opened whatever database the ``db`` parameter named (past the
        dbfilter, a server error for a name that is no Odoo database) and
        failed with a server error on a missing token or a non-numeric id.
        Anything but this request's database, a token and a numeric id is
        404.
        """
        params = getattr(request, "params", None) or {}
        token, event_id = params.get("token"), params.get("id")
        if params.get("db") != request.session.db or \
                not isinstance(token, str) or not token or \
                not isinstance(event_id, str) or \
                not re.fullmatch(r"[0-9]{1,9}", event_id):
            raise werkzeug.exceptions.NotFound()
        return super()._auth_method_calendar()

    @classmethod
    def _postprocess_args(cls, arguments, rule):
        """Parameters the route cannot take are a 400, not a TypeError (500).

        Odoo calls the controller method with every request parameter as a
        keyword argument: a missing required one or an unexpected name on a
        method without ``**kw`` ended as a server error.
        """
        response = super()._postprocess_args(arguments, rule)
        if response:
            return response
        params = dict(getattr(request, "params", None) or {})
        if getattr(request, "_request_type", None) == "http":
            params.pop("csrf_token", None)  # Odoo takes it off before the call
        params.update(arguments)
        method = rule.endpoint.method
        try:
            signature = inspect.signature(method)
        except (TypeError, ValueError):
            return None
        args = (request,) if rule.endpoint.first_arg_is_req else ()
        try:
            signature.bind(*args, **params)
        except TypeError as error:
            _logger.info("route %s called with parameters it does not take: %s",
                         request.httprequest.path, error)
            return cls._prm_bad_request(_("Missing or unexpected parameters."))
        return None

    @classmethod
    def _prm_has_nul(cls):
        """A NUL character anywhere in the path, a parameter name or value.

        PostgreSQL refuses NUL in text, so such input would end as a server
        error deep in a route; no real input contains it.
        """
        httprequest = request.httprequest
        files = [value.filename for value in httprequest.files.values()
                 if isinstance(value, FileStorage)]
        return error_logic.contains_nul(
            [httprequest.path, getattr(request, "params", None), files])

    @classmethod
    def _handle_exception(cls, exception):
        """Bad input to an HTTP route is a 400, not a server error.

        Core routes convert request parameters themselves (``int(id)``,
        ``int(width)``, ``env[model]``, ids beyond PostgreSQL's integer):
        the ValueError, KeyError, TypeError or DataError of a visitor's
        typo or probe ended as a 500 with an ERROR and a traceback in the
        log (outside review: ``/web/image?width=abc``, ``/mail/view?res_id=abc``,
        ``/web/content?id=abc``). For everyone but administrators (who keep
        Odoo's answer) these become "400 Bad Request" and one INFO line.
        JSON routes already answer with a JSON-RPC error.
        """
        if isinstance(exception, BAD_INPUT) and \
                getattr(request, "_request_type", None) == "http" and \
                not cls._prm_is_admin():
            _logger.info("bad input to %s refused: %s: %s",
                         request.httprequest.path, type(exception).__name__,
                         exception)
            return cls._prm_bad_request(_("The request is not valid."))
        if isinstance(exception, odoo.exceptions.AccessError) and \
                getattr(request, "_request_type", None) == "http" and \
                not cls._prm_is_admin():
            # Without the website module nothing renders a 403 page: a
            # record refused to an HTTP route (``/report/pdf/...`` of another
            # dealer's entry) ended as a 500 with a traceback in the log.
            _logger.info("access to %s refused: %s", request.httprequest.path,
                         exception)
            return cls._prm_error_page(403, _("You may not see this document."))
        if isinstance(exception, odoo.exceptions.UserError) and \
                getattr(request, "_request_type", None) == "http" and \
                not cls._prm_is_admin():
            # A user-facing refusal raised by an HTTP route (a report that
            # cannot be printed, a check of ours): its message on the 400
            # page, not a server error with a traceback (outside review 13).
            _logger.info("refused on %s: %s", request.httprequest.path,
                         exception.name)
            return cls._prm_error_page(400, exception.name)
        if isinstance(exception, odoo.exceptions.MissingError) and \
                getattr(request, "_request_type", None) == "http" and \
                not cls._prm_is_admin():
            # A record that does not exist (a typo, a deleted dealer, a stale
            # id in ``/report/pdf/<report>/53,<old id>``): the 404 page, not
            # a server error with a traceback at ERROR (outside review 9).
            _logger.info("missing record on %s: %s", request.httprequest.path,
                         exception)
            return cls._prm_error_page(404)
        if isinstance(exception, werkzeug.exceptions.HTTPException) and \
                exception.code in ERROR_PAGE_CODES and \
                getattr(request, "_request_type", None) == "http":
            # werkzeug's own page is English, without a charset; a text of
            # the raiser (core's "Session expired (invalid CSRF token)") is
            # kept, werkzeug's default text is not
            own = exception.description != type(exception).description
            return cls._prm_error_page(
                exception.code,
                cls._prm_core_reason(exception.description) if own else None)
        return super()._handle_exception(exception)

    @classmethod
    def _prm_bad_request(cls, message):
        """A 400 answer in the request's own format (JSON-RPC error or page)."""
        if getattr(request, "_request_type", None) == "json":
            return request._json_response(error={
                "code": 400, "message": "400: Bad Request", "http_status": 400,
                "data": error_logic.safe_error_data(
                    "werkzeug.exceptions.BadRequest", message)})
        return cls._prm_error_page(400, message)

    @classmethod
    def _prm_core_reason(cls, description):
        """``description`` of a refusal, core's English reasons translated
        (a missing or expired CSRF token); any other text as it is."""
        if description == CSRF_REASON:
            return _("The form is out of date (for example after signing in "
                     "again). Please reload the page and send it again.")
        return description

    @classmethod
    def _prm_error_page(cls, status, message=None):
        """The one refusal page of HTTP routes (400, 403, 404, 405): a short page
        in the visitor's language, declared UTF-8 (werkzeug's pages are
        English and name no charset: "enthÃ¤lt" in browsers, outside
        review), with a way back to the portal."""
        titles = {400: _("The request is not valid."),
                  403: _("Access denied"),
                  404: _("Page not found"),
                  405: _("This page cannot be opened directly.")}
        texts = {400: "", 403: "",
                 404: _("This page does not exist or is not available to you."),
                 405: _("It only receives forms sent from the portal (not a "
                        "reloaded page or a bookmark). Please go back and "
                        "send the form again.")}
        title = titles.get(status) or _("Error")
        body = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>%s</title>'
            '</head><body><h1>%s</h1><p>%s</p><p><a href="/my/home">%s</a></p>'
            "</body></html>") % (
                escape(title), escape(title),
                escape(message or texts.get(status) or ""),
                escape(_("Back to my portal")))
        return werkzeug.wrappers.Response(
            body, status=status, content_type="text/html; charset=utf-8")

    @classmethod
    def _prm_is_admin(cls):
        """The signed-in user is a settings administrator (may see tracebacks).

        Asked only when an answer carries a traceback. A route may have
        closed the request's cursor by then (the bus poll does): a fresh one
        answers.
        """
        uid = request.uid or request.session.uid
        if not uid:
            return False
        try:
            with request.registry.cursor() as cr:
                # As that user: ``has_group`` checks the environment's own uid.
                env = odoo.api.Environment(cr, uid, {})
                return env["res.users"].has_group("base.group_system")
        except psycopg2.Error:
            # The database is gone (restart, failover): the error being
            # answered is most likely that; it still gets its JSON-RPC error
            # without the traceback rather than a server error page.
            return False

    @classmethod
    def _prm_without_traceback(cls, response):
        """The response with every server traceback taken out.

        JSON-RPC errors (and the JSON error bodies of web's download routes)
        carry ``data.debug``, the full traceback with server paths, and for
        unexpected errors a message that may quote SQL or file names. What
        stays: the error code, the message of a user-facing error (access,
        validation, user error, missing record) and the exception's name;
        anything else becomes a generic message. The log keeps the details.
        """
        if isinstance(response, werkzeug.exceptions.HTTPException):
            description = response.description
            if isinstance(description, str) and '"debug"' in description \
                    and not cls._prm_is_admin():
                response.description = cls._prm_scrubbed_json(description)
            return response
        if getattr(response, "direct_passthrough", True) or \
                not hasattr(response, "get_data"):
            return response
        mimetype = getattr(response, "mimetype", "") or ""
        if "json" not in mimetype and "javascript" not in mimetype:
            return response
        body = response.get_data(as_text=True)
        if '"debug"' in body and '"error"' in body and not cls._prm_is_admin():
            response.set_data(cls._prm_scrubbed_json(body))
        return response

    @classmethod
    def _prm_scrubbed_json(cls, text):
        try:
            payload = json.loads(text)
        except ValueError:
            return text
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict) and isinstance(error.get("data"), dict):
            error["data"] = error_logic.scrubbed_error_data(error["data"])
            return json.dumps(payload)
        return text
