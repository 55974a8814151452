"""Cooling-off after a change of a second factor (plain pytest functions)."""
from datetime import datetime, timedelta

from ..lib.cooling_off import (
    HIGH_RISK_ROUTES, CoolingOffError, cooling_off_end, is_high_risk_route)

CHANGED = datetime(2026, 11, 30, 10, 0)


def test_no_change_no_cooling_off():
    assert cooling_off_end(None, None, 24, CHANGED) is None


def test_high_risk_actions_wait_the_configured_hours():
    end = CHANGED + timedelta(hours=24)
    assert cooling_off_end(CHANGED, None, 24, CHANGED) == end
    assert cooling_off_end(CHANGED, None, 24, end - timedelta(seconds=1)) == end
    assert cooling_off_end(CHANGED, None, 24, end) is None


def test_zero_hours_switch_it_off():
    assert cooling_off_end(CHANGED, None, 0, CHANGED) is None


def test_head_office_ends_it_early_until_the_next_change():
    ended = CHANGED + timedelta(hours=1)
    later = ended + timedelta(minutes=1)
    assert cooling_off_end(CHANGED, ended, 24, later) is None
    assert cooling_off_end(CHANGED, CHANGED, 24, later) is None
    again = ended + timedelta(hours=2)
    assert cooling_off_end(again, ended, 24, again) == again + timedelta(hours=24)


def test_exports_are_high_risk_routes():
    for route in ("/web/export/csv", "/web/export/xls", "/my/benchmark/export.xlsx",
                  "/prm_benchmark/export/network/<int:period_id>"):
        assert route in HIGH_RISK_ROUTES
        assert is_high_risk_route([route])
    assert not is_high_risk_route(["/my/benchmark"])
    assert not is_high_risk_route(None)


def test_message_names_the_end():
    assert "30.11.2026 11:00" in str(CoolingOffError(until="30.11.2026 11:00"))


def test_confirmed_current_factor_holds_ten_minutes_for_its_user():
    from ..lib.factor_change import reauth_valid
    state = {"uid": 7, "at": 1000.0}
    assert reauth_valid(state, 7, 1000.0 + 599)
    assert not reauth_valid(state, 7, 1000.0 + 600)
    assert not reauth_valid(state, 8, 1001.0), "another user's confirmation"
    assert not reauth_valid(None, 7, 1001.0)
    assert not reauth_valid({"uid": 7, "at": "x"}, 7, 1001.0)
    assert not reauth_valid(state, 7, 999.0), "a time in the future"
