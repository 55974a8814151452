"""Cooling-off after a change of a second factor (issue 21).

Whoever takes over an account by changing its sign-in number (SIM swap,
social engineering of head office) would export the data or create users
next. After any change of a second factor those high-risk actions wait a
configurable number of hours; the user is told on the old and the new
channel meanwhile and can reach head office.

All times are naive UTC datetimes (as Odoo stores them).
"""

from datetime import timedelta

from .errors import TwoFactorError, _

# Route templates (as declared in ``@http.route``) whose answer is data
# leaving the system in bulk. Checked for every request in ``ir.http``; a
# new export route belongs here (tests/test_factor_change.py asks every
# listed route and the route inventory for exports not listed).
HIGH_RISK_ROUTES = (
    "/my/benchmark/export.xlsx",
    "/prm_benchmark/export/network/<int:period_id>",
    "/web/export/csv",
    "/web/export/xls",
    "/web/pivot/export_xls",
    # reports (PDF): the participant report, and Odoo's report routes that
    # print any report (the network report of a period among them)
    "/my/benchmark/report.pdf",
    "/report/<converter>/<reportname>",
    "/report/<converter>/<reportname>/<docids>",
    "/report/download",
    # a managing director's user management (issue 22): invitations,
    # deactivation and re-classing of the own company's users
    "/my/users/invite",
    "/my/users/<int:user_id>/change",
)
# Of those, the routes the web client downloads in a hidden frame: a refusal
# is a serialized error it shows as a warning dialog.
WEB_CLIENT_DOWNLOADS = ("/web/", "/report/download")


class CoolingOffError(TwoFactorError):
    """A high-risk action within the cooling-off; ``until`` is the end as the
    user reads it (formatted by the Odoo layer)."""

    template = _("For your security, exports and user management are paused "
                 "after a change of your sign-in method. They are available "
                 "again from %(until)s. If you did not make this change, "
                 "please contact head office immediately.")

    def __init__(self, until):
        super().__init__(until=until)


def cooling_off_end(changed_at, ended_at, hours, now):
    """End of the cooling-off, or None when high-risk actions are allowed.

    ``changed_at``: last change of a second factor (datetime or None);
    ``ended_at``: when head office last ended a cooling-off early (or None);
    an end after the change cancels it. ``hours``: the configured period
    (int >= 0; 0 switches the cooling-off off). ``now``: datetime.
    """
    if not changed_at or hours <= 0:
        return None
    if ended_at and ended_at >= changed_at:
        return None
    end = changed_at + timedelta(hours=hours)
    return end if now < end else None


def is_high_risk_route(routes):
    """True when any of ``routes`` (route templates of one endpoint) is a
    high-risk route."""
    return any(route in HIGH_RISK_ROUTES for route in routes or ())
