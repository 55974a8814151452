"""The one redirect guard (lib/redirects.py): same origin or a local path."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..lib.redirects import local_target

SITE = "http://portal.example:8069/"


@pytest.mark.parametrize("target, expected", [
    ("/my", "/my"),
    ("/my/leads/5?x=1#top", "/my/leads/5?x=1#top"),
    # The absolute deep link Odoo puts into /web/login?redirect=… (issue 14).
    ("http://portal.example:8069/my/leads/5", "/my/leads/5"),
    ("http://PORTAL.example:8069/my/leads/5?a=b#c", "/my/leads/5?a=b#c"),
    ("http://portal.example:8069", "/"),
    ("https://portal.example/x", None),              # other scheme (and port)
    ("http://portal.example/x", None),               # other port (80)
    ("http://portal.example:8070/x", None),
    ("https://evil.example/", None),
    ("https://evil.example/phish", None),
    ("http://portal.example:8069@evil.example/", None),
    ("http://user@portal.example:8069/", None),
    ("//evil.example/x", None),
    ("///evil.example/x", None),
    ("/\\evil.example/x", None),
    ("\\\\evil.example", None),
    ("/\t/evil.example/x", None),
    ("/\n/evil.example", None),
    ("/%2F/evil.example", None),
    ("/%5Cevil.example", None),
    (" //evil.example", None),
    ("/x\x00y", None),
    ("javascript:alert(1)", None),
    ("JavaScript://portal.example:8069/%0aalert(1)", None),
    ("data:text/html,hi", None),
    ("my/leads", None),
    ("http://portal.example:8069//evil.example/", None),
    ("http://portal.example:bad/", None),
    ("", None),
    (None, None),
    (["/my"], None),
])
def test_local_target(target, expected):
    assert local_target(target, SITE) == expected


def test_without_a_site_only_local_paths():
    assert local_target("/my", None) == "/my"
    assert local_target("http://portal.example:8069/my", None) is None


@given(st.text(max_size=60))
def test_any_result_is_a_local_path_of_this_site(target):
    result = local_target(target, SITE)
    if result is not None:
        assert result.startswith("/") and not result.startswith("//")
        assert "\\" not in result
        assert all(ord(char) >= 32 and ord(char) != 127 for char in result)
