"""The one redirect guard: a redirect target must stay on this site.

Pure Python (nothing here imports odoo). Every redirect parameter of every
route goes through :func:`local_target` (``ir.http`` applies it before any
controller runs), so the rule lives in one place.
"""
from urllib.parse import unquote, urlsplit

# Request parameters that carry a URL the server (or its page) sends the
# browser to. In the installed addons only ``redirect`` exists (web: ``/``,
# ``/web``, ``/web/dbredirect``, ``/web/login``, ``/web/session/logout``;
# portal: ``/my/account``; auth_signup: ``/web/signup``,
# ``/web/reset_password``; ours: the SMS code page); the other names are
# the ones later Odoo versions and common modules use.
REDIRECT_PARAMS = ("redirect", "redirect_url", "return_url")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url):
    """(scheme, host, port) of an absolute http(s) URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # e.g. a port that is not a number
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def _unsafe_text(target):
    """Characters browsers drop or reinterpret: control chars, backslash,
    leading or trailing blanks (``" //evil"`` is ``//evil`` for a browser)."""
    return (target != target.strip() or "\\" in target
            or any(ord(char) < 32 or ord(char) == 127 for char in target))


def _is_local_path(path):
    """``/something`` that cannot be read as another host, also decoded."""
    for text in (path, unquote(path)):
        if not text.startswith("/") or text.startswith("//") or _unsafe_text(text):
            return False
    return True


def local_target(target, site_url=None):
    """The local path ``target`` leads to on this site, or None.

    ``target``: the redirect parameter as received (str; anything else is
    refused). ``site_url``: the URL of the current request (any URL of this
    site: only scheme, host and port are used), e.g. ``http://host:8069/``.

    Accepted: a local path (``/my/leads/5?x=1#y``), and an absolute http(s)
    URL with the same scheme, host and port as ``site_url`` (it is returned
    as the local path, so ``http://host/my/leads/5`` → ``/my/leads/5``).
    Refused (None): empty, ``//host``, backslashes, tabs, newlines and other
    control characters, surrounding blanks, user info (``http://host@evil``),
    other schemes (``javascript:``, ``data:``), other hosts, ports or schemes,
    relative paths without a leading slash.
    """
    if not isinstance(target, str) or not target or _unsafe_text(target):
        return None
    if target.startswith("/"):
        return target if _is_local_path(target) else None
    origin = _origin(target)
    if origin is None or site_url is None or origin != _origin(site_url):
        return None
    parts = urlsplit(target)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return path if _is_local_path(path) else None
